/**
 * README's vcctl section stays true: its ```sh blocks run in order, as one bash script with
 * `set -euo pipefail`, against a fresh simulator (its address in place of 127.0.0.1:8989), with
 * `vcctl` on PATH running client/cli/vcctl.ts.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/index.js';
import { baseEnv, startSim, vcctlEntry } from './support.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('## vcctl, the command line');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README: vcctl', { timeout: 600_000 }, () => {
  let sim: Simulator;
  beforeAll(async () => {
    ({ sim } = await startSim());
  });
  afterAll(() => sim?.close());

  it('has examples, and every block runs as written', async () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const home = mkdtempSync(join(tmpdir(), 'vcctl-readme-'));
    const bin = join(home, 'bin');
    const wrapper = join(home, 'bin-vcctl');
    writeFileSync(wrapper, `#!/bin/sh\nexec "${process.execPath}" --import tsx "${vcctlEntry}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    const { host } = new URL(sim.url);
    const script = `set -euo pipefail\nmkdir -p ${bin} && ln -sf ${wrapper} ${bin}/vcctl\nexport PATH=${bin}:$PATH\n${blocks.join('\n').replaceAll('127.0.0.1:8989', host)}`;
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      // From the repository, where `--import tsx` resolves.
      const child = spawn('bash', ['-c', script], { env: baseEnv(home), cwd: new URL('../../', import.meta.url).pathname });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.stderr, result.stdout).not.toContain('ERR_USAGE');
    expect(result.code, result.stderr).toBe(0);
    // the failures the README shows on purpose, with their codes
    expect(result.stderr).toContain('ERR_VM_NOT_FOUND: vm "web-1" not found');
    expect(result.stdout).toContain('exit 3');
    expect(result.stderr).toContain('ERR_INSUFFICIENT_RESOURCES: Not enough CPU');
    expect(result.stdout).toContain('exit 1');
    expect(result.stdout).toContain('DC0_H0_VM0');
  });
});
