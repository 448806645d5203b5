import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { jsonReport, junitXml, runScenarios, type ScenarioInput, type ScenarioResult } from '../../scenarios/index.js';
import { progressPrinter } from '../../scenarios/report/progress.js';

const xsd = new URL('../fixtures/junit.xsd', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'scenario-reports-'));

const failing: ScenarioInput = {
  name: 'failing',
  simulator: { flags: { cluster: 0, standaloneHost: 1, vm: 1 } },
  steadyState: [{ name: 'one VM', objects: { type: 'VirtualMachine' }, count: 1 }],
  steps: [
    { name: 'off', client: 'vm.power', args: { vm: 'DC0_H0_VM0', state: 'off' } },
    { name: 'check <&>', expect: [{ objects: { type: 'VirtualMachine', filter: 'powerState == poweredOn' } }] },
    { name: 'never', action: 'clock-advance', args: { seconds: 1 } },
  ],
  rollbacks: [{ name: 'back on', client: 'vm.power', args: { vm: 'DC0_H0_VM0', state: 'on' } }],
};
const skipped: ScenarioInput = { name: 'skipped', requires: [{ name: 'nothing', command: [process.execPath, '-e', 'process.exit(1)'] }], steps: [{ name: 's', clear: 'all' }] };

describe('reports', () => {
  it('JUnit XML validates against the CI schema and says which assertion failed, expected and actual', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: bad\nsteps: 3\n');
    const junit = join(dir, 'out.xml');
    const { exitCode, results } = await runScenarios([failing, skipped, bad], { junit, ci: false });
    expect(exitCode).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['failed', 'skipped', 'failed']);
    expect(execFileSync('xmllint', ['--noout', '--schema', xsd, junit], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(junitXml(results));
    const [first, second, third] = doc.testsuites.testsuite;
    expect(doc.testsuites).toMatchObject({ tests: '7', failures: '2', skipped: '2' });
    expect(first.testcase.map((c: { name: string }) => c.name)).toEqual(['steady state', 'off', 'check <&>', 'never', 'rollback: back on']);
    expect(first.testcase[2].failure).toEqual({
      message: 'objects VirtualMachine where powerState == poweredOn: expected count at least 1, actual 0 (none)',
      type: 'ScenarioFailure',
      '#text': 'step: check <&>\nassertion: objects VirtualMachine where powerState == poweredOn\nexpected: count at least 1\nactual: 0 (none)',
    });
    expect(first.testcase[3].skipped).toEqual({ message: 'not run: an earlier step failed' });
    expect(second.testcase[0].skipped.message).toMatch(/^nothing is missing/);
    expect(third).toMatchObject({ name: bad, failures: '1' });
    expect(third.testcase[0].failure.message).toBe(`${bad}:2:8: steps: expected array, received number`);
  });

  it('the JSON report has the timeline: each step with its calls, faults fired, events and tasks', async () => {
    const model: ScenarioInput = {
      name: 'timeline',
      simulator: { flags: { cluster: 0, standaloneHost: 1, vm: 1 } },
      steps: [
        { name: 'fail power-on once', fault: { name: 'once', match: { method: 'PowerOffVM_Task' }, action: { kind: 'fault', fault: 'InvalidState' }, times: 1 } },
        { name: 'off, refused', client: 'vm.power', args: { vm: 'DC0_H0_VM0', state: 'off' }, expectError: 'InvalidState' },
        { name: 'off', client: 'vm.power', args: { vm: 'DC0_H0_VM0', state: 'off' } },
      ],
    };
    const report = join(dir, 'report.json');
    await runScenarios([model], { report });
    const { summary, scenarios } = JSON.parse(execFileSync('cat', [report], { encoding: 'utf8' })) as { summary: object; scenarios: ScenarioResult[] };
    expect(summary).toEqual({ total: 1, passed: 1, failed: 0, skipped: 0 });
    const [, refused, off] = scenarios[0]!.timeline;
    expect(refused!.faultsFired).toEqual([{ rule: 'once', seq: expect.any(Number), method: 'PowerOffVM_Task' }]);
    expect(refused!.calls.at(-1)).toMatchObject({ method: 'PowerOffVM_Task', outcome: 'fault', fault: 'InvalidState', rules: [expect.any(String)] });
    expect(off!.calls.map((c) => c.method)).toEqual(['CreateContainerView', 'RetrievePropertiesEx', 'DestroyView', 'PowerOffVM_Task', 'CreatePropertyCollector', 'CreateFilter', 'WaitForUpdatesEx', 'DestroyPropertyFilter']); // the client keeps its collector for the next wait
    expect(off!.events.map((e) => e.type)).toEqual(['VmStoppingEvent', 'VmPoweredOffEvent']);
    expect(off!.tasks).toEqual([{ task: expect.any(String), name: 'VirtualMachine.powerOff', entity: 'DC0_H0_VM0', state: 'success' }]);
  });

  it('the same seed gives the same run: reports equal but for times', async () => {
    const model: ScenarioInput = {
      name: 'dice',
      seed: 42,
      simulator: { flags: { cluster: 0, standaloneHost: 1, vm: 3 } },
      steps: [
        { name: 'jitter', fault: { name: 'jitter', match: { api: 'soap' }, action: { kind: 'delay', ms: 1 }, probability: 0.5 } },
        ...[0, 1, 2].map((i) => ({ name: `off ${i}`, client: 'vm.power' as const, args: { vm: `DC0_H0_VM${i}`, state: 'off' } })),
      ],
    };
    const normal = (results: ScenarioResult[]) => JSON.parse(jsonReport(results), (key, value) => (['startMs', 'durationMs', 'time'].includes(key) ? 0 : value));
    const first = normal((await runScenarios([model])).results);
    const second = normal((await runScenarios([model])).results);
    expect(second).toEqual(first);
    // The seed decides which calls the rule delays: some, not all, and the same ones each time.
    const fired = first.scenarios[0].timeline.flatMap((r: { faultsFired: { seq: number }[] }) => r.faultsFired.map((f) => f.seq));
    const calls = first.scenarios[0].timeline.flatMap((r: { calls: unknown[] }) => r.calls).length;
    expect(fired.length).toBeGreaterThan(0);
    expect(fired.length).toBeLessThan(calls);
  });

  it('progress: marks and timings on a terminal, plain lines when piped', () => {
    const record = { name: 'step one', path: 'steps[0]', kind: 'wait', status: 'failed' as const, startMs: 0, durationMs: 12, trace: '', eventKeys: { after: 0, upTo: 0 }, calls: [], faultsFired: [], events: [], tasks: [], failure: { message: 'nope' } };
    const lines = (tty: boolean) => {
      const out: string[] = [];
      const printer = progressPrinter({ write: (t: string) => out.push(t) }, tty);
      printer.onStep('s', record, 0);
      return out.join('');
    };
    expect(lines(false)).toBe('FAIL s > step one (12 ms)\n    nope\n');
    expect(lines(true)).toBe('  \x1b[31m✗\x1b[0m s › step one \x1b[2m(12 ms)\x1b[0m\n    \x1b[31mnope\x1b[0m\n');
  });
});
