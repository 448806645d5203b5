/** A child process for the state-file test: writes ever newer 2 MB state documents to argv[2] until killed. */
import { writeStateFile } from '../../simulator/control/state-file.js';

const path = process.argv[2]!;
const pad = 'x'.repeat(2 * 1024 * 1024);
for (let n = 0; ; n++) writeStateFile(path, { format: 'vcenter-sim-world/1', n, pad });
