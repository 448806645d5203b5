// The compiled models read their data files relative to themselves, so the build copies them.
import { cpSync } from 'node:fs';
cpSync(new URL('../models/data', import.meta.url), new URL('../dist/models/data', import.meta.url), { recursive: true });
