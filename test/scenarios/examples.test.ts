import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientAvailable, pyvmomiStatus } from '../clients/support.js';
import type { JsonReport } from '../../scenarios/index.js';

const root = new URL('../..', import.meta.url).pathname;
const examples = readdirSync(join(root, 'scenarios/examples')).filter((f) => f.endsWith('.yaml')).sort();
const dir = mkdtempSync(join(tmpdir(), 'scenario-examples-'));

/** `vcenter-sim scenario ...` as a user runs it (from source: tsx runs the same simulator/cli.ts the build compiles). */
function cli(args: string[]) {
  return spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'simulator/cli.ts'), 'scenario', ...args], { cwd: root, encoding: 'utf8', timeout: 240_000 });
}

describe('bundled drills', () => {
  // Six simulators, a pyvmomi run and Retry-After waits: minutes on a loaded machine.
  it('all pass through the CLI, with JUnit XML and a JSON report', { timeout: 240_000 }, () => {
    const junit = join(dir, 'out.xml');
    const report = join(dir, 'out.json');
    const run = cli(['run', ...examples.map((f) => `scenarios/examples/${f}`), '--junit', junit, '--report', report, '--concurrency', '3']);
    expect(run.stderr).toBe('');
    expect(run.status, run.stdout).toBe(0);
    const { summary, scenarios } = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
    // pyvmomi missing: the drill is skipped with a warning, or (CI=true) fails, as the client suites do.
    const pyvmomi = clientAvailable(pyvmomiStatus());
    expect(summary).toEqual({ total: examples.length, passed: examples.length - (pyvmomi ? 0 : 1), failed: 0, skipped: pyvmomi ? 0 : 1 });
    expect(scenarios.find((s) => s.name === 'pyvmomi-contract')!.status).toBe(pyvmomi ? 'passed' : 'skipped');
    expect(spawnSync('xmllint', ['--noout', '--schema', join(root, 'test/fixtures/junit.xsd'), junit], { encoding: 'utf8' }).status).toBe(0);
    // The brownout drill's journal shows the back-off: each retry came after Retry-After (1 s).
    const brownout = scenarios.find((s) => s.name === 'api-brownout')!;
    expect(brownout.timeline.flatMap((r) => r.faultsFired).length).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/^PASS api-brownout > power off DC0_H0_VM0 \(\d+ ms\)$/m);
  });

  it('a failing scenario exits 1 with a message and no stack; bad usage exits 2', { timeout: 120_000 }, () => {
    const bad = join(dir, 'failing.yaml');
    writeFileSync(bad, 'name: failing\nsimulator: { flags: { cluster: 0, standaloneHost: 1, vm: 1 } }\nsteps:\n  - name: none on\n    expect:\n      - objects: { type: VirtualMachine, filter: "powerState == poweredOff" }\n');
    const run = cli(['run', bad, join(dir, 'missing.yaml')]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('objects VirtualMachine where powerState == poweredOff: expected count at least 1, actual 0 (none)');
    expect(run.stdout).toContain(`${join(dir, 'missing.yaml')}: cannot read: ENOENT`);
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
    expect(cli(['run']).status).toBe(2);
    expect(cli(['run', bad, '--bogus']).status).toBe(2);
  });

  it('--url runs a drill against a simulator already running', { timeout: 120_000 }, async () => {
    const { createSimulator } = await import('../../simulator/index.js');
    const sim = await createSimulator({ seed: 5 });
    try {
      const run = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
        const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, 'simulator/cli.ts'), 'scenario', 'run', 'scenarios/examples/session-expiry.yaml', '--url', sim.urlWithCredentials], { cwd: root });
        let stdout = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.on('close', (status) => resolve({ status, stdout }));
      });
      expect(run.status, run.stdout).toBe(0);
      expect(run.stdout).toContain(`WARNING session-expiry: its simulator settings do not apply: running against ${sim.url}`);
      expect(sim.journal.entries({ method: 'PowerOnVM_Task' })).toHaveLength(1);
      expect(sim.faults.list()).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it("the README shows the examples' own YAML", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const shown = [...readme.matchAll(/<!-- scenarios\/examples\/([\w.-]+) -->\n```yaml\n([\s\S]*?)```\n/g)];
    expect(shown.map((m) => m[1]).sort()).toEqual(examples);
    for (const [, file, text] of shown) expect(text, file).toBe(readFileSync(join(root, 'scenarios/examples', file!), 'utf8'));
  });
});
