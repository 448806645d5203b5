// Writes scenarios/schema.json from the zod schema in scenarios/schema.ts (test/scenarios checks it is current).
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../scenarios/schema.js';

writeFileSync(new URL('../scenarios/schema.json', import.meta.url), scenarioJsonSchema());
