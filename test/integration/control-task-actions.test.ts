/** taskError and taskDelay fault rules: the call returns its Task, the task then fails (effect not applied) or runs longer. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import { MoRef } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { control } from '../support/control.js';
import { RestTestClient } from './rest-support.js';

describe('task actions in fault rules', () => {
  let sim: Simulator;
  let soap: SoapClient;

  beforeAll(async () => {
    sim = await createSimulator();
    soap = new SoapClient({ url: sim.url });
    await soap.login('user', 'pass');
  });
  afterEach(() => sim.faults.clear());
  afterAll(async () => {
    soap?.close();
    await sim?.close();
  });

  const vmNamed = (name: string) => sim.vc.registry.ofType('VirtualMachine').find((v) => (v as unknown as { name: string }).name === name)! as unknown as {
    self: MoRef;
    runtime: { powerState: string };
  };
  /** Calls a *_Task method over SOAP; returns the Task object the answer names. */
  const startTask = async (method: string, ref: MoRef): Promise<Task> => {
    const reply = await soap.call(method, { type: ref.type, value: ref.value });
    expect(reply.status).toBe(200);
    const id = /<returnval type="Task">([^<]+)<\/returnval>/.exec(reply.body)?.[1];
    expect(id, reply.body).toBeDefined();
    return sim.vc.registry.require<Task>(new MoRef('Task', id!));
  };

  it('taskError (over HTTP): PowerOffVM_Task returns its task, which ends in the fault; the VM stays on', async () => {
    const vm = vmNamed('DC0_H0_VM0');
    expect(vm.runtime.powerState).toBe('poweredOn');
    const created = await control(sim).post('/faults', {
      match: { method: 'PowerOffVM_Task', entityName: 'DC0_H0_VM0' },
      action: { kind: 'taskError', fault: 'InsufficientResourcesFault', message: 'no room', properties: {} },
      times: 1,
    });
    expect(created.status).toBe(201);

    const info = await (await startTask('PowerOffVM_Task', vm.self)).completion();
    expect(info.state).toBe('error');
    expect(info.error).toMatchObject({ fault: { _type: 'InsufficientResourcesFault' }, localizedMessage: 'no room' });
    expect(vm.runtime.powerState).toBe('poweredOn');
    expect((await control(sim).get(`/faults/${created.json.id}`)).json).toMatchObject({ hits: 1, exhausted: true });

    // Used up: the next power-off works.
    expect((await (await startTask('PowerOffVM_Task', vm.self)).completion()).state).toBe('success');
    expect(vm.runtime.powerState).toBe('poweredOff');
    expect((await (await startTask('PowerOnVM_Task', vm.self)).completion()).state).toBe('success');
  });

  it('taskError matches as other rules do: another VM is not affected', async () => {
    sim.faults.add({ match: { method: 'PowerOffVM_Task', moid: 'no-such-vm' }, action: { kind: 'taskError', fault: 'InvalidState' } });
    const vm = vmNamed('DC0_H0_VM1');
    expect((await (await startTask('PowerOffVM_Task', vm.self)).completion()).state).toBe('success');
    expect((await (await startTask('PowerOnVM_Task', vm.self)).completion()).state).toBe('success');
  });

  it('taskDelay keeps the task running that much longer, with progress visible, then does its work', async () => {
    sim.faults.add({ match: { method: 'PowerOffVM_Task' }, action: { kind: 'taskDelay', ms: 300 } });
    const vm = vmNamed('DC0_H0_VM0');
    const started = Date.now();
    const task = await startTask('PowerOffVM_Task', vm.self);
    const seen = new Set<number>();
    const sample = setInterval(() => {
      if (typeof task.info.progress === 'number') seen.add(task.info.progress);
    }, 5);
    await new Promise((r) => setTimeout(r, 100));
    expect(task.info.state).toBe('running');
    expect(vm.runtime.powerState).toBe('poweredOn');
    const info = await task.completion();
    clearInterval(sample);
    expect(info.state).toBe('success');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect([...seen].some((p) => p > 0 && p < 100)).toBe(true);
    expect(vm.runtime.powerState).toBe('poweredOff');
    sim.faults.clear();
    expect((await (await startTask('PowerOnVM_Task', vm.self)).completion()).state).toBe('success');
  });

  it('task rules do not act on calls; one naming a method that starts no task, or an unknown fault type, gets 400 naming the field', async () => {
    const noTask = await control(sim).post('/faults', { match: { method: 'CurrentTime' }, action: { kind: 'taskError', fault: 'InvalidState' } });
    expect(noTask.status).toBe(400);
    expect(noTask.json.field).toBe('match.method');
    sim.faults.add({ match: { method: 'Current*' }, action: { kind: 'taskError', fault: 'InvalidState' } });
    const reply = await soap.call('CurrentTime', { type: 'ServiceInstance', value: 'ServiceInstance' });
    expect(reply.status).toBe(200);
    const unknown = await control(sim).post('/faults', { action: { kind: 'taskError', fault: 'NoSuchFault' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.field).toBe('action.fault');
  });

  it('task rules match the api and path of the call that started the task; the journal names the rule on that call', async () => {
    const vm = vmNamed('DC0_H0_VM1');
    const rest = new RestTestClient(sim);
    try {
      const token = await rest.login();
      sim.journal.clear();
      const { id } = sim.faults.add({
        match: { api: 'rest', path: '/api/vcenter/vm/*/power' },
        action: { kind: 'taskError', fault: 'InvalidState', message: 'stuck' },
      });
      // Over SOAP the rule does not match: the VM powers off and on.
      expect((await (await startTask('PowerOffVM_Task', vm.self)).completion()).state).toBe('success');
      expect((await (await startTask('PowerOnVM_Task', vm.self)).completion()).state).toBe('success');
      const soapCalls = sim.journal.entries({ api: 'soap', method: 'Power*' });
      expect(soapCalls.every((e) => e.rules === undefined)).toBe(true);

      // Over REST it does: the power operation fails and the VM stays on.
      const stop = await rest.send('POST', `/api/vcenter/vm/${vm.self.value}/power?action=stop`, { token });
      expect(stop.status).toBeGreaterThanOrEqual(400);
      expect(vm.runtime.powerState).toBe('poweredOn');
      const [entry] = sim.journal.entries({ api: 'rest', method: 'POST /api/vcenter/vm/*', limit: 1 });
      expect(entry).toMatchObject({ path: `/api/vcenter/vm/${vm.self.value}/power`, rules: [id] });
      // A path the rule does not name is not affected.
      sim.faults.clear();
      sim.faults.add({ match: { api: 'rest', path: '/rest/*' }, action: { kind: 'taskError', fault: 'InvalidState' } });
      const again = await rest.send('POST', `/api/vcenter/vm/${vm.self.value}/power?action=stop`, { token });
      expect(again.status).toBeLessThan(300);
      expect(vm.runtime.powerState).toBe('poweredOff');
      expect((await (await startTask('PowerOnVM_Task', vm.self)).completion()).state).toBe('success');
    } finally {
      rest.close();
    }
  });

  it('a task rule on api rest reaches the tasks REST routes start through the SOAP task engine (VM delete)', async () => {
    const vm = vmNamed('DC0_C0_RP0_VM1');
    const rest = new RestTestClient(sim);
    try {
      const token = await rest.login();
      expect((await (await startTask('PowerOffVM_Task', vm.self)).completion()).state).toBe('success');
      const { id } = sim.faults.add({ match: { api: 'rest', method: 'Destroy_Task' }, action: { kind: 'taskError', fault: 'InvalidState', message: 'kept' } });
      const removed = await rest.send('DELETE', `/api/vcenter/vm/${vm.self.value}`, { token });
      expect(removed.status).toBeGreaterThanOrEqual(400);
      expect(sim.vc.registry.byId(vm.self.value)).toBeDefined();
      expect(sim.journal.entries({ api: 'rest', method: 'DELETE /api/vcenter/vm/*', limit: 1 })[0]!.rules).toEqual([id]);
      sim.faults.clear();
      expect((await (await startTask('PowerOnVM_Task', vm.self)).completion()).state).toBe('success');
    } finally {
      rest.close();
    }
  });
});
