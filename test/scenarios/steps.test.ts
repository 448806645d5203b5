import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { scenario } from '../../scenarios/index.js';
import { expecting, run } from './support.js';

describe('every step kind, passing', () => {
  it('client, fault, clear, action, wait, exec, parallel, repeat and expect steps do what they say', async () => {
    const model = scenario('all kinds', { seed: 2, simulator: { flags: { cluster: 1, host: 2, vm: 1, standaloneHost: 1 } } })
      .step('create', { client: 'vm.create', args: { name: 'web-1', cluster: 'DC0_C0', cpus: 1, memoryMB: 128 }, save: 'web' })
      .step('reconfigure', { client: 'vm.reconfigure', args: { vm: '${vars.web.vm}', cpus: 2, memoryMB: 512 } })
      .step('snapshot', { client: 'vm.snapshot', args: { vm: 'web-1', name: 'before' }, save: 'snap' })
      .step('power on', { client: 'vm.power', args: { vm: '${vars.web}', state: 'on' } })
      .step('clone', { client: 'vm.clone', args: { vm: 'web-1', name: 'web-2' }, save: 'clone' })
      .step('destroy the clone', { client: 'vm.destroy', args: { vm: '${vars.clone.vm}' } })
      .step('disconnect', { client: 'host.disconnect', args: { host: 'DC0_H0' } })
      .step('reconnect', { client: 'host.reconnect', args: { host: 'DC0_H0' } })
      .step('raw call', { client: 'call', args: { object: { type: 'ServiceInstance', value: 'ServiceInstance' }, method: 'CurrentTime' }, save: 'now' })
      .step('rest', { client: 'rest', args: { method: 'GET', path: '/api/vcenter/vm' }, save: 'restVms' })
      .step('find', { client: 'find', args: { type: 'HostSystem' }, save: 'hosts' })
      .fault('slow clones', 'slow', { match: { method: 'CloneVM_Task' }, action: { kind: 'taskDelay', ms: 60_000 } })
      .step('slow clone', { client: 'vm.clone', args: { vm: 'web-1', name: 'web-3' }, async: true, save: 'slowClone' })
      .step('it runs', { wait: { task: '${vars.slowClone.task}', state: 'running', timeout: '5s' } })
      .step('cancel', { client: 'task.cancel', args: { task: '${vars.slowClone.task}' } })
      .step('it ends', { wait: { task: '${vars.slowClone.task}', timeout: '5s' } })
      .clear('fast clones', 'slow')
      .step('guest', { action: 'vm-guest', args: { vm: 'web-1', ipAddress: '10.0.0.5' } })
      .step('fill', { action: 'datastore-fill', args: { datastore: 'LocalDS_0', freePercent: 50 } })
      .step('clock', { action: 'clock-advance', args: { seconds: 60 } })
      .step('host down', { action: 'host-disconnect', args: { name: 'DC0_H0' } })
      .step('host up', { action: 'host-reconnect', args: { name: 'DC0_H0' } })
      .step('host fails', { action: 'host-fail', args: { name: 'DC0_C0_H0' }, save: 'failed' })
      .step('sessions', { action: 'sessions-expire', args: {}, save: 'expired' })
      .step('wait objects', { wait: { objects: { type: 'VirtualMachine', filter: 'ip == 10.0.0.5', count: 1 } } })
      .step('wait event', { wait: { event: 'DasHostFailedEvent', timeout: '2s' } })
      .step('exec', { exec: { command: [process.execPath, '-e', 'console.log(process.env.GOVC_URL, process.env.GOVC_INSECURE, process.env.VC_USERNAME, process.env.TRACEPARENT)'] }, save: 'ran' })
      .step('together', { parallel: [{ name: 'p1', client: 'vm.power', args: { vm: 'web-1', state: 'off' } }, { name: 'p2', action: 'clock-advance', args: { seconds: 1 } }] })
      .step('three times', { repeat: { times: 3, steps: [{ name: 'snap ${vars.iteration}', client: 'vm.snapshot', args: { vm: 'web-1', name: 'r${vars.iteration}' } }] } })
      .expect('it all happened', [
        { objects: { type: 'VirtualMachine', filter: 'name == web-1 && numCPU == 2 && memoryMB == 512 && powerState == poweredOff', count: 1 } },
        { objects: { type: 'VirtualMachine', filter: 'name in (web-2, web-3)', count: 0 } },
        { objects: { type: 'Datastore', filter: 'name == LocalDS_0 && freeSpace > 0', count: 1 } },
        { objects: { type: 'HostSystem', filter: 'name == DC0_H0 && connectionState == connected', count: 1 } },
        { events: { types: ['VmReconfiguredEvent', 'VmPoweredOnEvent', 'VmPoweredOffEvent'], ordered: true, count: { min: 3 } } },
        { events: { types: ['VmClonedEvent'], entity: 'web-1', count: { min: 1 } } },
        { tasks: { task: '${vars.slowClone.task}', state: 'error', fault: 'RequestCanceled', count: 1 } },
        { tasks: { method: '*createSnapshot', state: 'success', count: 4 } },
        { exec: { of: 'ran', exitCode: 0, stdout: 'https://user:pass@127.0.0.1:*/sdk 1 user 00-*-01\n' } },
        { journal: { method: 'CreateSnapshot_Task', count: 4, trace: 'step' } },
        { journal: { during: 'rest', api: 'rest', path: '/api/vcenter/vm', status: 200, count: 1 } },
        { journal: { rule: 'slow', method: 'CloneVM_Task', count: 1 } },
        { journal: { method: 'CurrentTime', during: 'raw call', trace: 'same', count: 1 } },
      ])
      .build();
    const result = await run(model);
    expect(result.failure).toBeUndefined();
    expect(result.status).toBe('passed');
    expect(result.timeline.map((r) => r.kind)).toEqual([
      ...Array(11).fill('client'), 'fault', 'client', 'wait', 'client', 'wait', 'clear',
      ...Array(7).fill('action'), 'wait', 'wait', 'exec', 'parallel', 'repeat', 'expect',
    ]);
    const byName = new Map(result.timeline.map((r) => [r.name, r]));
    expect(byName.get('together')!.children!.map((c) => c.name)).toEqual(['p1', 'p2']);
    expect(byName.get('three times')!.children!.map((c) => c.name)).toEqual(['snap 0', 'snap 1', 'snap 2']);
    expect(byName.get('create')!.calls.map((c) => c.method)).toContain('CreateVM_Task');
    expect(byName.get('create')!.tasks).toEqual([expect.objectContaining({ name: 'Folder.createVm', state: 'success', entity: 'vm' })]);
    expect(byName.get('host fails')!.events.map((e) => e.type)).toContain('DasHostFailedEvent');
    expect(byName.get('slow clone')!.faultsFired).toEqual([expect.objectContaining({ rule: 'slow', method: 'CloneVM_Task' })]);
  });
});

describe('failures say which assertion, what was expected and what was found', () => {
  let sim: Simulator;
  let url: string;
  beforeAll(async () => {
    sim = await createSimulator({ seed: 1 });
    url = sim.urlWithCredentials;
  });
  afterAll(() => sim.close());

  const failure = async (model: Parameters<typeof run>[0]) => {
    const result = await run(model, { url });
    expect(result.status).toBe('failed');
    return result.failure!;
  };

  it('objects', async () => {
    expect(await failure(expecting([{ objects: { type: 'VirtualMachine', filter: 'name =~ DC0_H0_*', count: 1 } }]))).toEqual({
      phase: 'steps',
      step: 'check',
      assertion: 'objects VirtualMachine where name =~ DC0_H0_*',
      expected: 'count 1',
      actual: '2 (DC0_H0_VM0, DC0_H0_VM1)',
      message: 'objects VirtualMachine where name =~ DC0_H0_*: expected count 1, actual 2 (DC0_H0_VM0, DC0_H0_VM1)',
    });
  });

  it('events: count, and order', async () => {
    const model = {
      name: 'x',
      steps: [
        { name: 'off', client: 'vm.power' as const, args: { vm: 'DC0_H0_VM0', state: 'off' } },
        { name: 'on', client: 'vm.power' as const, args: { vm: 'DC0_H0_VM0', state: 'on' } },
        { name: 'count', expect: [{ name: 'restarts', events: { types: ['VmRestartedOnAlternateHostEvent'] } }] },
      ],
    };
    expect(await failure(model)).toMatchObject({ assertion: 'restarts', expected: 'count at least 1', actual: '0 (none)' });
    model.steps[2] = { name: 'order', expect: [{ events: { types: ['VmPoweredOnEvent', 'VmPoweredOffEvent'], ordered: true } }] } as never;
    expect(await failure(model)).toMatchObject({ assertion: 'events VmPoweredOnEvent, VmPoweredOffEvent in order', expected: 'VmPoweredOnEvent → VmPoweredOffEvent', actual: 'VmPoweredOffEvent → VmPoweredOnEvent' });
  });

  it('tasks', async () => {
    const model = { name: 'x', steps: [{ name: 'off', client: 'vm.power' as const, args: { vm: 'DC0_H0_VM1', state: 'off' } }, { name: 'check', expect: [{ tasks: { method: '*powerOff', state: 'error' as const } }] }] };
    expect(await failure(model)).toMatchObject({ assertion: 'tasks *powerOff', expected: 'at least 1 with state error', actual: '0 of 1 (VirtualMachine.powerOff success)' });
  });

  it('exec: exit code and output; an exec step fails on a non-zero exit unless told', async () => {
    const model = {
      name: 'x',
      steps: [
        { name: 'run', exec: { command: [process.execPath, '-e', 'console.error("boom"); process.exit(3)'], exitCode: 'any' as const }, save: 'r' },
        { name: 'check', expect: [{ exec: { of: 'r', exitCode: 0 } }] },
      ],
    };
    expect(await failure(model)).toMatchObject({ assertion: 'exec r exit code', expected: '0', actual: '3; stderr "boom\\n"' });
    model.steps[1] = { name: 'check', expect: [{ exec: { of: 'r', stderr: '*bang*' } }] } as never;
    expect(await failure(model)).toMatchObject({ assertion: 'exec r stderr', expected: 'to match "*bang*"', actual: '"boom\\n"' });
    const strict = { name: 'x', steps: [{ name: 'run', exec: { command: [process.execPath, '-e', 'process.exit(3)'] } }] };
    expect((await failure(strict)).message).toMatch(/-e process\.exit\(3\): exit code 3, expected 0/);
  });

  it('journal: count, retry gaps, trace ids', async () => {
    const model = { name: 'x', steps: [{ name: 'now', client: 'call' as const, args: { object: { type: 'ServiceInstance', value: 'ServiceInstance' }, method: 'CurrentTime' } }, { name: 'check', expect: [{ journal: { method: 'CurrentTime', count: 2 } }] }] };
    expect(await failure(model)).toMatchObject({ assertion: 'journal method=CurrentTime', expected: 'count 2', actual: expect.stringMatching(/^1 \(#\d+ CurrentTime ok\)$/) });
    model.steps[1] = { name: 'check', expect: [{ journal: { method: 'CurrentTime', retryGap: { min: '1s' } } }] } as never;
    expect(await failure(model)).toMatchObject({ expected: 'retry gaps >= 1000 ms', actual: 'no retries (no two calls with one trace id)' });
    model.steps[1] = { name: 'check', expect: [{ journal: { method: 'CurrentTime', during: 'now', count: 1, trace: 'step' } }, { journal: { during: 'nope' } }] } as never;
    expect(await failure(model)).toMatchObject({ expected: "a step named 'nope' that ran", actual: 'none' });
  });

  it('waits time out saying what they saw', async () => {
    const model = { name: 'x', steps: [{ name: 'w', wait: { event: 'HostConnectionLostEvent', timeout: '300ms' } }] };
    expect(await failure(model)).toMatchObject({ assertion: 'wait for event HostConnectionLostEvent (300 ms)', expected: 'posted', actual: expect.stringMatching(/^not posted/) });
  });

  it('client steps: a missing object, an expected error that does not come, a variable that is not there', async () => {
    expect((await failure({ name: 'x', steps: [{ name: 'p', client: 'vm.power', args: { vm: 'nope', state: 'on' } }] })).message).toBe("vm: no VirtualMachine named or with id 'nope'");
    expect(await failure({ name: 'x', steps: [{ name: 'p', client: 'vm.power', args: { vm: 'DC0_H0_VM0', state: 'on' }, expectError: 'INVALID_POWER_STATE' }, { name: 'q', client: 'vm.snapshot', args: { vm: 'DC0_H0_VM0' }, expectError: 'INVALID_POWER_STATE' }] })).toMatchObject({
      step: 'q',
      assertion: 'expectError',
      expected: 'INVALID_POWER_STATE',
      actual: expect.stringMatching(/^success: /),
    });
    expect((await failure({ name: 'x', steps: [{ name: 'p', client: 'vm.power', args: { vm: '${vars.missing}', state: 'on' } }] })).message).toBe('${vars.missing} is not defined (missing is missing)');
  });

  it('fault and clear: unknown names, and a bad rule, fail the step', async () => {
    expect((await failure({ name: 'x', steps: [{ name: 'c', clear: 'ghost' }] })).message).toBe("no active fault rule named 'ghost' (active: none)");
    const bad = { name: 'x', steps: [{ name: 'f', fault: { name: 'r', match: { moid: '${vars.none}' }, action: { kind: 'reset' as const } } }] };
    expect((await failure(bad)).message).toBe('${vars.none} is not defined (none is missing)');
    expect(sim.faults.list()).toEqual([]);
  });

  it('parallel and repeat fail with their failing step', async () => {
    const par = await failure({ name: 'x', steps: [{ name: 'g', parallel: [{ name: 'ok', action: 'clock-advance', args: { seconds: 1 } }, { name: 'bad', clear: 'ghost' }] }] });
    expect(par).toMatchObject({ step: 'bad', message: "no active fault rule named 'ghost' (active: none)" });
    const rep = await failure({ name: 'x', steps: [{ name: 'r', repeat: { times: 3, steps: [{ name: 'i${vars.iteration}', expect: [{ objects: { type: 'VirtualMachine', filter: 'name == DC0_H0_VM0' } }] }, { name: 'stop', client: 'vm.power', args: { vm: 'DC0_H0_VM0', state: 'off' }, expectError: 'INVALID_POWER_STATE' }] } }] });
    expect(rep).toMatchObject({ step: 'stop', assertion: 'expectError' });
  });

  it('host.maintenance enters and exits maintenance mode; a host still running VMs times out', async () => {
    const model = scenario('maintenance', { simulator: { flags: { cluster: 0, standaloneHost: 1, vm: 1 } } })
      .step('busy host', { client: 'host.maintenance', args: { host: 'DC0_H0', timeout: 1 }, expectError: 'TIMEOUT' })
      .step('power off', { client: 'vm.power', args: { vm: 'DC0_H0_VM0', state: 'off' } })
      .step('enter', { client: 'host.maintenance', args: { host: 'DC0_H0' } })
      .expect('in maintenance', [{ objects: { type: 'HostSystem', filter: 'name == DC0_H0 && runtime.inMaintenanceMode == true', count: 1 } }])
      .step('exit', { client: 'host.maintenance', args: { host: 'DC0_H0', enter: false } })
      .expect('out again', [
        { objects: { type: 'HostSystem', filter: 'runtime.inMaintenanceMode == true', count: 0 } },
        { events: { types: ['EnteredMaintenanceModeEvent', 'ExitMaintenanceModeEvent'], ordered: true, count: 2 } },
      ])
      .build();
    const result = await run(model);
    expect(result.failure).toBeUndefined();
    expect(result.status).toBe('passed');
  });

  it("a scenario's fault rules leave the runner's own reads alone: its assertions see the world, its client the faults", async () => {
    const model = scenario('reads', {})
      .fault('no reads', 'no-reads', { match: { method: 'RetrievePropertiesEx' }, action: { kind: 'fault', fault: 'SystemError' } })
      .step('the client is refused', { client: 'find', args: { type: 'VirtualMachine' }, expectError: 'SystemError' })
      .expect('the runner still reads', [{ objects: { type: 'VirtualMachine', filter: 'name == DC0_H0_VM0', count: 1 } }])
      .build();
    const result = await run(model);
    expect(result.failure).toBeUndefined();
    expect(result.status).toBe('passed');
  });

  it('a step that takes too long fails', async () => {
    const slow = { name: 'x', steps: [{ name: 'sleep', exec: { command: [process.execPath, '-e', 'setTimeout(() => {}, 5000)'] }, timeout: '300ms' }] };
    expect((await failure(slow)).message).toBe("step 'sleep' did not finish within 300 ms");
  });
  it("the scenario's timeout stops its steps; teardown still runs", async () => {
    const model = { name: 'x', timeout: '400ms', steps: [
      { name: 'quick', action: 'clock-advance' as const, args: { seconds: 1 } },
      { name: 'sleep', exec: { command: [process.execPath, '-e', 'setTimeout(() => {}, 5000)'] } },
      { name: 'never', action: 'clock-advance' as const, args: { seconds: 1 } },
    ], teardown: [{ name: 'clean', action: 'clock-advance' as const, args: { seconds: 1 } }] };
    const result = await run(model);
    expect(result.failure).toMatchObject({ step: 'sleep', phase: 'steps', message: 'the scenario did not finish within its timeout of 400 ms' });
    expect(result.timeline.map((r) => [r.name, r.status])).toEqual([['quick', 'passed'], ['sleep', 'failed']]);
    expect(result.teardown.map((r) => [r.name, r.status])).toEqual([['clean', 'passed']]);
    expect(result.durationMs).toBeLessThan(4000);
  });
});

describe('rollbacks, teardown, steady state, requirements', () => {
  it('rollbacks and teardown run after a failed step; the steady state is checked after them', async () => {
    const model = scenario('rb', { simulator: { flags: { cluster: 0, standaloneHost: 1, vm: 2 } } })
      .probe({ name: 'VMs on', objects: { type: 'VirtualMachine', filter: 'powerState == poweredOn' }, tolerance: 0 })
      .fault('break power-on', 'no-power', { match: { method: 'PowerOnVM_Task' }, action: { kind: 'fault', fault: 'InvalidState' } })
      .step('power off', { client: 'vm.power', args: { vm: 'DC0_H0_VM0', state: 'off' } })
      .step('power on fails', { client: 'vm.power', args: { vm: 'DC0_H0_VM0', state: 'on' } })
      .step('never runs', { action: 'clock-advance', args: { seconds: 1 } })
      .rollback('faults off', { clear: 'all' })
      .rollback('power on again', { client: 'vm.power', args: { vm: 'DC0_H0_VM0', state: 'on' } })
      .teardown('teardown too', { expect: [{ objects: { type: 'VirtualMachine', filter: 'powerState == poweredOn', count: 2 } }] })
      .build();
    const result = await run(model);
    expect(result.failure).toMatchObject({ phase: 'steps', step: 'power on fails', message: expect.stringMatching(/^INVALID_STATE \(InvalidState\)/) });
    expect(result.timeline.map((r) => r.status)).toEqual(['passed', 'passed', 'failed']);
    expect(result.rollbacks.map((r) => [r.name, r.status])).toEqual([['faults off', 'passed'], ['power on again', 'passed']]);
    expect(result.teardown.map((r) => r.status)).toEqual(['passed']);
    expect(result.steadyState).toEqual([{ name: 'VMs on', before: 2, after: 2 }]);
  });

  it('a steady state that does not hold after the steps fails the scenario', async () => {
    const model = scenario('ss', { simulator: { flags: { cluster: 0, standaloneHost: 1, vm: 2 } } })
      .probe({ name: 'VMs on', objects: { type: 'VirtualMachine', filter: 'powerState == poweredOn' }, tolerance: 0 })
      .step('power off', { client: 'vm.power', args: { vm: 'DC0_H0_VM0', state: 'off' } })
      .build();
    const result = await run(model);
    expect(result.failure).toEqual({
      phase: 'steady state',
      assertion: "steady state 'VMs on' after the steps (objects VirtualMachine where powerState == poweredOn)",
      expected: 'count 2 ± 0 (the count before)',
      actual: '1',
      message: "steady state 'VMs on' after the steps (objects VirtualMachine where powerState == poweredOn): expected count 2 ± 0 (the count before), actual 1",
    });
  });

  it('a missing requirement skips with a warning, and fails under CI', async () => {
    const model = { name: 'needs', requires: [{ name: 'thing', command: [process.execPath, '-e', 'process.exit(1)'], hint: 'install thing' }], steps: [{ name: 's', action: 'clock-advance' as const, args: { seconds: 1 } }] };
    const warnings: string[] = [];
    const skipped = await run(model, { ci: false, onWarning: (_, m) => warnings.push(m) });
    expect(skipped).toMatchObject({ status: 'skipped', skipped: 'thing is missing (exit 1); install thing' });
    expect(warnings).toEqual(['SKIPPING needs: thing is missing (exit 1); install thing']);
    const failed = await run(model, { ci: true });
    expect(failed).toMatchObject({ status: 'failed', failure: { phase: 'setup', message: 'thing is missing (exit 1); install thing (CI=true: a missing requirement is a failure)' } });
  });
});

describe('the simulator a scenario gets', () => {
  const counting = (simulator: object) => ({
    name: 'topology',
    simulator,
    steps: [{ name: 'check', expect: [{ objects: { type: 'HostSystem', filter: 'name == esx-a', count: 1 } }, { objects: { type: 'VirtualMachine', count: 1 } }] }],
  });

  it('an inline topology, or a topology file relative to the scenario file', async () => {
    expect((await run(counting({ topology: { datacenters: [{ name: 'LAB', hosts: [{ name: 'esx-a', vms: 1 }] }] } }))).failure).toBeUndefined();
    const { runScenario, scenarioSchema } = await import('../../scenarios/index.js');
    const file = new URL('../fixtures/scenarios/drill.yaml', import.meta.url).pathname; // need not exist: only its directory counts
    const result = await runScenario(scenarioSchema.parse(counting({ topologyFile: 'small-topology.yaml' })), file);
    expect(result.failure).toBeUndefined();
  });

  it('a missing topology file fails the setup with a message', async () => {
    const result = await run(counting({ topologyFile: '/nonexistent/topology.yaml' }));
    expect(result.failure).toMatchObject({ phase: 'setup', message: expect.stringContaining('/nonexistent/topology.yaml') });
  });
});
