/**
 * `vcctl sim ...` against the control API: fault rules from flags and files (and their effect on
 * another vcctl command), the journal and its resumable stream, coverage, reset, snapshots,
 * state export/import, world actions, metrics, and a control token.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/index.js';
import { fails, jsonLines, ok, runnerFor, spawnVcctl, startSim, type Runner } from './support.js';

describe('vcctl sim', { timeout: 300_000 }, () => {
  let sim: Simulator;
  let vcctl: Runner;

  beforeAll(async () => {
    ({ sim, vcctl } = await startSim({ controlToken: 'tok-1' }));
  });
  afterAll(() => sim?.close());

  it('faults add from flags and from a YAML file, ls, get, rm, clear; a rule makes a later command fail with its fault', async () => {
    const added = jsonLines(ok(await vcctl.run(['sim', 'faults', 'add', '--name', 'no-power', '--method', 'PowerOnVM_Task', '--entity', 'DC0_H0_*', '--fault', 'InsufficientCpuResourcesFault', '--message', 'Not enough CPU', '--property', 'unreserved=0', '--property', 'requested=2000', '--times', '1'])));
    expect(added).toEqual([{ id: expect.stringMatching(/^rule-/), name: 'no-power' }]);
    const file = join(vcctl.home, 'rules.yaml');
    writeFileSync(file, '- name: slow\n  match: { method: "Retrieve*" }\n  action: { kind: delay, ms: 1 }\n- name: busy\n  match: { method: CurrentTime }\n  action: { kind: http, status: 503, retryAfter: 1 }\n  times: 1\n');
    expect(jsonLines(ok(await vcctl.run(['sim', 'faults', 'add', '-f', file]))).map((r) => r.name)).toEqual(['slow', 'busy']);
    ok(await vcctl.run(['vm', 'power', 'off', 'DC0_H0_VM0']));
    const failed = await vcctl.run(['vm', 'power', 'on', 'DC0_H0_VM0']);
    expect(fails(failed, 1, 'INSUFFICIENT_RESOURCES')).toBe('ERR_INSUFFICIENT_RESOURCES: Not enough CPU\n');
    const rules = jsonLines(ok(await vcctl.run(['sim', 'faults', 'ls'])));
    expect(rules.map((r) => [r.name, r.hits])).toEqual([['no-power', 1], ['slow', expect.any(Number)], ['busy', 0]]);
    const one = jsonLines(ok(await vcctl.run(['sim', 'faults', 'get', added[0]!.id as string])))[0]!;
    expect(one.action).toMatchObject({ kind: 'fault', fault: 'InsufficientCpuResourcesFault', properties: { unreserved: 0, requested: 2000 } });
    ok(await vcctl.run(['sim', 'faults', 'rm', added[0]!.id as string]));
    fails(await vcctl.run(['sim', 'faults', 'get', added[0]!.id as string]), 3, 'NOT_FOUND');
    ok(await vcctl.run(['sim', 'faults', 'clear']));
    expect(ok(await vcctl.run(['sim', 'faults', 'ls']))).toBe('');
    // bad rules: the control API names the field; vcctl's own checks are usage errors
    expect(fails(await vcctl.run(['sim', 'faults', 'add', '--method', 'X', '--fault', 'NoSuchFault']), 2, 'INVALID_ARGUMENT')).toContain('action.fault');
    fails(await vcctl.run(['sim', 'faults', 'add', '--method', 'X']), 2, 'USAGE');
    ok(await vcctl.run(['vm', 'power', 'on', 'DC0_H0_VM0']));
  });

  it('journal with filters, and --follow streaming new calls (resumable with --after)', async () => {
    sim.journal.clear();
    ok(await vcctl.run(['about']));
    const journal = jsonLines(ok(await vcctl.run(['sim', 'journal', '--api', 'soap', '--method', 'Retrieve*'])));
    expect(journal.length).toBeGreaterThan(0);
    expect(journal.every((e) => String(e.method).startsWith('Retrieve') && e.api === 'soap')).toBe(true);
    const follow = spawnVcctl(['sim', 'journal', '--follow', '--method', 'CurrentTime'], vcctl.env);
    await new Promise((r) => setTimeout(r, 1500));
    const client = await (await import('../../client/index.js')).connect(sim.url, { username: sim.username, password: sim.password, insecure: true });
    const si = { type: 'ServiceInstance', value: 'ServiceInstance' } as const;
    const waitFor = async (n: number) => {
      for (let i = 0; i < 600 && jsonLines(follow.stdoutSoFar()).length < n; i++) {
        await client.call(si, 'CurrentTime', {});
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await waitFor(2);
    follow.kill('SIGINT');
    const streamed = jsonLines((await follow).stdout);
    expect(streamed.length).toBeGreaterThanOrEqual(2);
    expect(streamed.every((e) => e.method === 'CurrentTime')).toBe(true);
    // resume after the first: the second comes again, the first does not
    const resumed = spawnVcctl(['sim', 'journal', '--follow', '--method', 'CurrentTime', '--after', String(streamed[0]!.seq)], vcctl.env);
    for (let i = 0; i < 600 && !resumed.stdoutSoFar().includes('\n'); i++) await new Promise((r) => setTimeout(r, 100));
    resumed.kill('SIGINT');
    const again = jsonLines((await resumed).stdout);
    expect(again[0]!.seq).toBe(streamed[1]!.seq);
    await client.close();
  });

  it('coverage, metrics, world actions', async () => {
    const [coverage, metrics] = await Promise.all([vcctl.run(['sim', 'coverage']), vcctl.run(['sim', 'metrics'])]);
    expect(jsonLines(ok(coverage)).some((c) => c.method === 'RetrieveServiceContent' && c.implemented === true)).toBe(true);
    expect(ok(metrics)).toContain('vcenter_sim_api_calls_total{');
    const actions = await Promise.all([
      vcctl.run(['sim', 'action', 'host-disconnect', 'DC0_H0']),
      vcctl.run(['sim', 'action', 'datastore-fill', 'LocalDS_0', '--free-percent', '10']),
      vcctl.run(['sim', 'action', 'vm-guest', 'DC0_H0_VM1', '--ip', '10.1.2.3', '--hostname', 'web-1']),
      vcctl.run(['sim', 'action', 'clock-advance', '60']),
    ]);
    expect(jsonLines(ok(actions[0]!))[0]).toMatchObject({ connectionState: 'disconnected' });
    actions.slice(1).forEach(ok);
    expect(jsonLines(ok(await vcctl.run(['vm', 'info', 'DC0_H0_VM1', '--columns', 'ip,hostName'])))).toEqual([{ ip: '10.1.2.3', hostName: 'web-1' }]);
    ok(await vcctl.run(['sim', 'action', 'host-reconnect', 'DC0_H0']));
    ok(await vcctl.run(['sim', 'action', 'host-fail', 'DC0_C0_H1']));
    expect(jsonLines(ok(await vcctl.run(['host', 'info', 'DC0_C0_H1', '--columns', 'connectionState'])))).toEqual([{ connectionState: 'notResponding' }]);
    ok(await vcctl.run(['sim', 'action', 'host-reconnect', 'DC0_C0_H1']));
    expect(jsonLines(ok(await vcctl.run(['sim', 'action', 'sessions-expire', '--user', 'nobody'])))).toEqual([{ expired: 0 }]);
    fails(await vcctl.run(['sim', 'action', 'host-fail', 'nope']), 3, 'NOT_FOUND');
  });

  it('snapshot save, ls, restore, rm; reset; state export and import', async () => {
    const saved = jsonLines(ok(await vcctl.run(['sim', 'snapshot', 'save', 'clean'])))[0]!;
    ok(await vcctl.run(['folder', 'create', '/DC0/vm/tmp']));
    expect(jsonLines(ok(await vcctl.run(['sim', 'snapshot', 'ls']))).map((s) => s.name)).toEqual(['clean']);
    ok(await vcctl.run(['sim', 'snapshot', 'restore', 'clean']));
    fails(await vcctl.run(['ls', '/DC0/vm/tmp']), 3, 'NOT_FOUND');
    ok(await vcctl.run(['sim', 'snapshot', 'rm', saved.id as string]));
    expect(ok(await vcctl.run(['sim', 'snapshot', 'ls']))).toBe('');
    const file = join(vcctl.home, 'world.json');
    ok(await vcctl.run(['sim', 'state', 'export', file]));
    ok(await vcctl.run(['folder', 'create', '/DC0/vm/tmp2']));
    ok(await vcctl.run(['sim', 'state', 'import', file]));
    fails(await vcctl.run(['ls', '/DC0/vm/tmp2']), 3, 'NOT_FOUND');
    ok(await vcctl.run(['folder', 'create', '/DC0/vm/tmp3']));
    ok(await vcctl.run(['sim', 'reset']));
    fails(await vcctl.run(['ls', '/DC0/vm/tmp3']), 3, 'NOT_FOUND');
  });

  it('control credentials: the SDK user and password by default, or --control-token; a wrong one is exit 4', async () => {
    const [token, wrongToken] = await Promise.all([
      vcctl.run(['--control-token', 'tok-1', 'sim', 'faults', 'ls'], { VCCTL_PASSWORD: 'wrong' }),
      vcctl.run(['sim', 'faults', 'ls'], { VCCTL_CONTROL_TOKEN: 'bad' }),
    ]);
    expect(ok(token)).toBe('');
    fails(wrongToken, 4, 'INVALID_LOGIN');
    const other = runnerFor(sim.url, sim.username, 'not-the-password');
    fails(await other.run(['sim', 'coverage']), 4, 'INVALID_LOGIN');
  });
});
