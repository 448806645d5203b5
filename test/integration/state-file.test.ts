/** State files are written atomically: a kill at any moment leaves the previous good file or the new one. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readStateFile, writeStateFile } from '../../simulator/control/state-file.js';
import { SeededRandom } from '../../simulator/faults/random.js';
import { WorldFormatError } from '../../simulator/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vcsim-state-'));
const writer = new URL('../support/state-writer.ts', import.meta.url).pathname;

describe('state files', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a document and leaves no temporary file behind', () => {
    const path = join(dir, 'world.json');
    writeStateFile(path, { format: 'vcenter-sim-world/1', n: 1 });
    writeStateFile(path, { format: 'vcenter-sim-world/1', n: 2 });
    expect(readStateFile(path)).toEqual({ format: 'vcenter-sim-world/1', n: 2 });
    expect(readdirSync(dir)).toEqual(['world.json']);
  });

  it('names a file that is not JSON', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"format": "vcenter-sim-world/1", "objects": [');
    expect(() => readStateFile(path)).toThrow(WorldFormatError);
    expect(() => readStateFile(path)).toThrow(path);
  });

  it('leaves a whole document (the previous or the new one) when the writer is killed at any moment', async () => {
    const random = new SeededRandom(5);
    for (let round = 0; round < 6; round++) {
      const path = join(dir, `killed-${round}.json`);
      const child = spawn(process.execPath, ['--import', 'tsx', writer, path], { stdio: 'ignore' });
      while (!existsSync(path)) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 10 + Math.floor(random.next() * 150)));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const document = JSON.parse(readFileSync(path, 'utf8')) as { n: number; pad: string };
      expect(document.pad.length, `round ${round}`).toBe(2 * 1024 * 1024);
      expect(document.n).toBeGreaterThanOrEqual(0);
    }
  });
});
