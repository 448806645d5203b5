/** Fault rules: the /_sim/faults routes and sim.faults, each match field and firing control over real SOAP calls. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import { InvalidRuleError } from '../../simulator/faults/invalid-rule.js';
import type { FaultRuleInput } from '../../simulator/faults/rule-schema.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { control, propertyCollector, serviceInstance, soapFault } from '../support/control.js';

const injected = (fault = 'InsufficientResourcesFault', message?: string): FaultRuleInput['action'] => ({ kind: 'fault', fault, message });

function vm(sim: Simulator, name: string) {
  const found = sim.vc.registry.ofType('VirtualMachine').find((o) => (o as unknown as { name: string }).name === name);
  if (!found) throw new Error(`no VM ${name}`);
  return { type: 'VirtualMachine', value: found.self.value };
}

async function loggedIn(sim: Simulator, user = 'user'): Promise<SoapClient> {
  const client = new SoapClient({ url: sim.url });
  await client.login(user, 'pass');
  return client;
}

describe('fault rules: the routes and the TypeScript API', () => {
  let sim: Simulator;
  const api = () => control(sim);

  beforeAll(async () => {
    sim = await createSimulator();
  });
  afterEach(() => sim.faults.clear());
  afterAll(async () => {
    await sim?.close();
  });

  it('POST adds a rule (201 with its id); GET lists it with hit counts; GET/DELETE by id; DELETE clears', async () => {
    const rule = { name: 'slow-time', match: { api: 'soap', method: 'CurrentTime' }, action: { kind: 'delay', ms: 1 }, times: 3 };
    const created = await api().post('/faults', rule);
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toMatch(/^application\/json/);
    expect(created.json).toEqual({ id: expect.stringMatching(/^rule-\d+$/) });
    const { id } = created.json;

    expect((await api().get('/faults')).json).toEqual([{ id, ...rule, matched: 0, hits: 0, exhausted: false }]);
    expect((await api().get(`/faults/${id}`)).json).toEqual({ id, ...rule, matched: 0, hits: 0, exhausted: false });
    expect(sim.faults.get(id)).toEqual((await api().get(`/faults/${id}`)).json);

    const second = sim.faults.add({ action: { kind: 'reset' }, match: { method: 'NoSuchMethod' } });
    expect(second.id).not.toBe(id);
    expect((await api().get('/faults')).json.map((r: { id: string }) => r.id)).toEqual([id, second.id]);

    expect((await api().delete(`/faults/${id}`)).status).toBe(204);
    expect((await api().get(`/faults/${id}`)).status).toBe(404);
    expect(sim.faults.list().map((r) => r.id)).toEqual([second.id]);

    expect((await api().delete('/faults')).status).toBe(204);
    expect((await api().get('/faults')).json).toEqual([]);
  });

  it('answers 404 in JSON for a rule that does not exist', async () => {
    for (const reply of [await api().get('/faults/rule-999'), await api().delete('/faults/rule-999')]) {
      expect(reply.status).toBe(404);
      expect(reply.json).toEqual({ error: 'not_found', message: "No fault rule 'rule-999'" });
    }
    expect(sim.faults.remove('rule-999')).toBe(false);
    expect(sim.faults.get('rule-999')).toBeUndefined();
  });

  const reset = { kind: 'reset' };
  const badRules: [string, unknown, string][] = [
    ['no action', {}, 'action'],
    ['an unknown action kind', { action: { kind: 'explode' } }, 'action.kind'],
    ['an unknown fault type', { action: { kind: 'fault', fault: 'NoSuchFault' } }, 'action.fault'],
    ['a data type that is not a fault', { action: { kind: 'fault', fault: 'VirtualMachineConfigSpec' } }, 'action.fault'],
    ['a managed type as the fault', { action: { kind: 'fault', fault: 'VirtualMachine' } }, 'action.fault'],
    ['a property the fault lacks', { action: { kind: 'fault', fault: 'InsufficientCpuResourcesFault', properties: { bogus: 1 } } }, 'action.properties.bogus'],
    ['a property of the wrong type', { action: { kind: 'fault', fault: 'InsufficientCpuResourcesFault', properties: { unreserved: 'lots' } } }, 'action.properties.unreserved'],
    ['a moref given as a string', { action: { kind: 'fault', fault: 'TaskInProgress', properties: { task: 'task-1' } } }, 'action.properties.task'],
    ['a moref of an unknown type', { action: { kind: 'fault', fault: 'TaskInProgress', properties: { task: { type: 'Nope', value: 'x' } } } }, 'action.properties.task.type'],
    ['an unknown field in the action', { action: { kind: 'fault', fault: 'InvalidState', mesage: 'typo' } }, 'action.mesage'],
    ['a delay without ms', { action: { kind: 'delay' } }, 'action.ms'],
    ['a negative delay', { action: { kind: 'delay', ms: -1 } }, 'action.ms'],
    ['a negative jitter', { action: { kind: 'delay', ms: 1, jitterMs: -5 } }, 'action.jitterMs'],
    ['an HTTP status out of range', { action: { kind: 'http', status: 99 } }, 'action.status'],
    ['a fractional Retry-After', { action: { kind: 'http', status: 503, retryAfter: 1.5 } }, 'action.retryAfter'],
    ['an unknown api', { match: { api: 'graphql' }, action: reset }, 'match.api'],
    ['an unknown match field', { match: { methd: 'CurrentTime' }, action: reset }, 'match.methd'],
    ['an empty pattern', { match: { method: '' }, action: reset }, 'match.method'],
    ['times 0', { times: 0, action: reset }, 'times'],
    ['fractional times', { times: 1.5, action: reset }, 'times'],
    ['a negative skip', { skip: -1, action: reset }, 'skip'],
    ['a probability above 1', { probability: 1.5, action: reset }, 'probability'],
    ['a probability that is not a number', { probability: 'often', action: reset }, 'probability'],
    ['a from that is not a time', { from: 'yesterday', action: reset }, 'from'],
    ['until before from', { from: '2030-01-02T00:00:00Z', until: '2030-01-01T00:00:00Z', action: reset }, 'until'],
    ['an unknown top-level field', { action: reset, extra: 1 }, 'extra'],
    ['an array body', [], ''],
  ];

  it.each(badRules)('answers 400 naming the field for %s', async (_what, body, field) => {
    const reply = await api().post('/faults', body);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: 'invalid_argument', field });
    expect(reply.json.message).toEqual(expect.any(String));
    expect(reply.json.issues[0].field).toBe(field);
    expect(() => sim.faults.add(body as FaultRuleInput)).toThrow(InvalidRuleError);
    try {
      sim.faults.add(body as FaultRuleInput);
    } catch (error) {
      expect((error as InvalidRuleError).field).toBe(field);
    }
    expect(sim.faults.list()).toEqual([]);
  });

  it('answers 400 for a body that is not JSON, or none', async () => {
    for (const body of ['{"action":', undefined]) {
      const reply = await api().call('POST', '/faults', body);
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ error: 'invalid_argument', field: '' });
    }
  });

  it('accepts a fault with morefs, nested data objects and enum values in its properties', () => {
    const { id } = sim.faults.add({
      action: {
        kind: 'fault',
        fault: 'TaskInProgress',
        properties: {
          task: { type: 'Task', value: 'task-7' },
          faultMessage: [{ key: 'com.example.busy', message: 'Busy' }],
          faultCause: { fault: { _type: 'InvalidPowerState', requestedState: 'poweredOn', existingState: 'poweredOff' } },
        },
      },
    });
    expect(sim.faults.get(id)!.action).toMatchObject({ fault: 'TaskInProgress' });
    expect(() =>
      sim.faults.add({ action: { kind: 'fault', fault: 'InvalidPowerState', properties: { existingState: 'melted' } } }),
    ).toThrow(/action\.properties\.existingState/);
  });
});

describe('fault rules: matching', () => {
  let sim: Simulator;
  let soap: SoapClient;

  beforeAll(async () => {
    sim = await createSimulator();
    soap = await loggedIn(sim);
  });
  afterEach(() => sim.faults.clear());
  afterAll(async () => {
    soap?.close();
    await sim?.close();
  });

  /** The injected fault type the call got, or undefined when it was not one of ours. */
  const faultOf = async (call: Promise<{ body: string }>) => {
    const { type, message } = soapFault((await call).body);
    return message === 'injected' ? type : undefined;
  };
  const rule = (match: FaultRuleInput['match'], fault = 'InsufficientResourcesFault') =>
    sim.faults.add({ match, action: injected(fault, 'injected') });
  const currentTime = (client = soap) => faultOf(client.call('CurrentTime', serviceInstance));
  const reload = (ref: { type: string; value: string }) => faultOf(soap.call('Reload', ref));

  it('matches the method exactly or by glob', async () => {
    rule({ method: 'CurrentTime' });
    expect(await currentTime()).toBe('InsufficientResourcesFault');
    expect(await faultOf(soap.call('RetrieveServiceContent', serviceInstance))).toBeUndefined();
    sim.faults.clear();
    rule({ method: 'Retrieve*Content' });
    expect(await faultOf(soap.call('RetrieveServiceContent', serviceInstance))).toBe('InsufficientResourcesFault');
    expect(await currentTime()).toBeUndefined();
    sim.faults.clear();
    rule({ method: 'Current?ime' });
    expect(await currentTime()).toBe('InsufficientResourcesFault');
  });

  it('matches the api: a REST rule leaves SOAP calls alone', async () => {
    rule({ api: 'rest', method: 'CurrentTime' });
    expect(await currentTime()).toBeUndefined();
    rule({ api: 'soap', method: 'CurrentTime' }, 'InvalidState');
    expect(await currentTime()).toBe('InvalidState');
  });

  it('matches the managed object type, its subtypes too, or by glob', async () => {
    const vm0 = vm(sim, 'DC0_H0_VM0');
    rule({ type: 'ManagedEntity' });
    expect(await reload(vm0)).toBe('InsufficientResourcesFault');
    expect(await currentTime()).toBeUndefined();
    sim.faults.clear();
    rule({ type: 'Virtual*' });
    expect(await reload(vm0)).toBe('InsufficientResourcesFault');
    sim.faults.clear();
    rule({ type: 'ServiceInstance' });
    expect(await currentTime()).toBe('InsufficientResourcesFault');
    expect(await reload(vm0)).toBeUndefined();
  });

  it('matches the moid, also when _this has no type attribute', async () => {
    const vm0 = vm(sim, 'DC0_H0_VM0');
    const vm1 = vm(sim, 'DC0_H0_VM1');
    rule({ moid: vm0.value, type: 'VirtualMachine' });
    expect(await reload(vm0)).toBe('InsufficientResourcesFault');
    expect(await reload(vm1)).toBeUndefined();
    const untyped = await soap.post(
      `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><Reload xmlns="urn:vim25"><_this>${vm0.value}</_this></Reload></soapenv:Body></soapenv:Envelope>`,
    );
    expect(soapFault(untyped.body)).toMatchObject({ type: 'InsufficientResourcesFault', message: 'injected' });
  });

  it('matches the entity name by glob', async () => {
    rule({ entityName: 'DC0_H0_*' });
    expect(await reload(vm(sim, 'DC0_H0_VM0'))).toBe('InsufficientResourcesFault');
    expect(await reload(vm(sim, 'DC0_H0_VM1'))).toBe('InsufficientResourcesFault');
    expect(await reload(vm(sim, 'DC0_C0_RP0_VM0'))).toBeUndefined();
    expect(await currentTime()).toBeUndefined(); // ServiceInstance is no entity
  });

  it("matches the session's user", async () => {
    const alice = await loggedIn(sim, 'alice');
    const bob = await loggedIn(sim, 'bob');
    try {
      rule({ user: 'al*' });
      expect(await currentTime(alice)).toBe('InsufficientResourcesFault');
      expect(await currentTime(bob)).toBeUndefined();
      const anonymous = new SoapClient({ url: sim.url });
      expect(soapFault((await anonymous.call('CurrentTime', serviceInstance)).body).type).toBe('NotAuthenticated');
      anonymous.close();
    } finally {
      alice.close();
      bob.close();
    }
  });

  it('never matches a REST path on a SOAP call', async () => {
    rule({ path: '*' });
    expect(await currentTime()).toBeUndefined();
  });

  it('needs every given field to match', async () => {
    const vm0 = vm(sim, 'DC0_H0_VM0');
    rule({ api: 'soap', method: 'Reload', type: 'VirtualMachine', moid: vm0.value, entityName: 'DC0_H0_VM0', user: 'user' });
    expect(await reload(vm0)).toBe('InsufficientResourcesFault');
    sim.faults.clear();
    rule({ api: 'soap', method: 'Reload', type: 'VirtualMachine', moid: vm0.value, entityName: 'DC0_H0_VM0', user: 'someone-else' });
    expect(await reload(vm0)).toBeUndefined();
  });

  it('fires before anything else can fail: unauthenticated calls, unknown methods, unknown objects', async () => {
    rule({ method: '*' });
    const anonymous = new SoapClient({ url: sim.url });
    try {
      expect(soapFault((await anonymous.call('CurrentTime', serviceInstance)).body).type).toBe('InsufficientResourcesFault');
      expect(await faultOf(soap.call('NoSuchMethod', serviceInstance))).toBe('InsufficientResourcesFault');
      expect(await reload({ type: 'VirtualMachine', value: 'vm-999999' })).toBe('InsufficientResourcesFault');
    } finally {
      anonymous.close();
    }
  });

  it('tries rules in the order they were added: the first that fires decides', async () => {
    rule({ method: 'CurrentTime' }, 'InvalidState');
    rule({ method: 'CurrentTime' }, 'NotSupported');
    expect(await currentTime()).toBe('InvalidState');
    const [first, second] = sim.faults.list();
    expect([first!.hits, second!.hits, second!.matched]).toEqual([1, 0, 0]);
  });
});

describe('fault rules: times, skip, probability, time window', () => {
  let sim: Simulator;
  let soap: SoapClient;

  beforeAll(async () => {
    sim = await createSimulator();
    soap = await loggedIn(sim);
  });
  afterEach(() => sim.faults.clear());
  afterAll(async () => {
    soap?.close();
    await sim?.close();
  });

  /** 'F' for an injected fault, '.' for a normal answer, per call. */
  const pattern = async (client: SoapClient, calls: number) => {
    let out = '';
    for (let i = 0; i < calls; i++) out += (await client.call('CurrentTime', serviceInstance)).status === 500 ? 'F' : '.';
    return out;
  };

  it('skips the first `skip` matching calls, then fires `times` times', async () => {
    const { id } = sim.faults.add({ match: { method: 'CurrentTime' }, action: injected(), skip: 1, times: 2 });
    expect(await pattern(soap, 5)).toBe('.FF..');
    expect(sim.faults.get(id)).toMatchObject({ matched: 5, hits: 2, exhausted: true });
    const { id: always } = sim.faults.add({ match: { method: 'CurrentTime' }, action: injected() });
    expect(await pattern(soap, 3)).toBe('FFF');
    expect(sim.faults.get(always)).toMatchObject({ matched: 3, hits: 3, exhausted: false });
  });

  it('fires with a probability drawn from the seed: the same seed gives the same sequence', async () => {
    const run = async (seed: number | undefined, ruleSeed?: number) => {
      const s = await createSimulator({ seed });
      const client = await loggedIn(s);
      try {
        s.faults.add({ match: { method: 'CurrentTime' }, action: injected(), probability: 0.5, seed: ruleSeed });
        return await pattern(client, 40);
      } finally {
        client.close();
        await s.close();
      }
    };
    const first = await run(7);
    expect(await run(7)).toBe(first);
    expect(first.split('F').length - 1).toBeGreaterThan(8);
    expect(first.split('F').length - 1).toBeLessThan(32);
    expect(await run(8)).not.toBe(first);
    expect(await run(undefined)).toBe(await run(0));
    // A rule's own seed overrides the simulator's.
    expect(await run(1, 99)).toBe(await run(2, 99));
  });

  it('never fires with probability 0, always with 1', async () => {
    sim.faults.add({ match: { method: 'CurrentTime' }, action: injected(), probability: 0 });
    expect(await pattern(soap, 5)).toBe('.....');
    sim.faults.clear();
    sim.faults.add({ match: { method: 'CurrentTime' }, action: injected(), probability: 1 });
    expect(await pattern(soap, 5)).toBe('FFFFF');
  });

  it('fires only inside its time window', async () => {
    const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
    sim.faults.add({ match: { method: 'CurrentTime' }, action: injected(), from: at(60_000) });
    sim.faults.add({ match: { method: 'CurrentTime' }, action: injected(), until: at(-60_000) });
    expect(await pattern(soap, 2)).toBe('..');
    expect(sim.faults.list().map((r) => r.matched)).toEqual([0, 0]);
    sim.faults.clear();
    sim.faults.add({ match: { method: 'CurrentTime' }, action: injected(), from: at(-60_000), until: at(60_000) });
    expect(await pattern(soap, 2)).toBe('FF');
    sim.faults.clear();
    const created = Date.now();
    sim.faults.add({ match: { method: 'CurrentTime' }, action: injected(), from: at(400), until: at(1400) });
    const waitUntil = (offsetMs: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, created + offsetMs - Date.now())));
    expect(await pattern(soap, 1)).toBe('.');
    await waitUntil(650);
    expect(await pattern(soap, 1)).toBe('F');
    await waitUntil(1650);
    expect(await pattern(soap, 1)).toBe('.');
  });
});
