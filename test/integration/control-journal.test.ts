/** The journal: every SOAP call recorded, filtered over /_sim/journal and sim.journal alike, bounded. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { control, serviceInstance, sessionManager } from '../support/control.js';

const login = (user: string) => `<userName>${user}</userName><password>pass</password>`;

describe('journal', () => {
  let sim: Simulator;
  let alice: SoapClient;
  let bob: SoapClient;
  let vm: { type: string; value: string; name: string };

  beforeAll(async () => {
    sim = await createSimulator();
    alice = new SoapClient({ url: sim.url });
    bob = new SoapClient({ url: sim.url });
    const first = sim.vc.registry.ofType('VirtualMachine')[0]! as unknown as { self: { value: string }; name: string };
    vm = { type: 'VirtualMachine', value: first.self.value, name: first.name };
  });
  beforeEach(() => {
    sim.journal.clear();
    sim.faults.clear();
  });
  afterAll(async () => {
    alice?.close();
    bob?.close();
    await sim?.close();
  });

  it('records every SOAP call: time, api, method, object, entity name, user, session, outcome, status, duration', async () => {
    const before = Date.now();
    await alice.call('RetrieveServiceContent', serviceInstance);
    await alice.call('Login', sessionManager, login('alice'));
    await alice.call('CurrentTime', serviceInstance);
    await alice.call('NoSuchMethod', vm);
    await alice.call('Reload', { type: 'VirtualMachine', value: 'vm-999999' });
    await alice.post('<not-xml');
    const entries = sim.journal.entries();
    expect(entries.map((e) => [e.method, e.outcome, e.fault, e.status])).toEqual([
      ['RetrieveServiceContent', 'ok', undefined, 200],
      ['Login', 'ok', undefined, 200],
      ['CurrentTime', 'ok', undefined, 200],
      ['NoSuchMethod', 'fault', 'MethodNotFound', 500],
      ['Reload', 'fault', 'ManagedObjectNotFound', 500],
      ['', 'fault', 'InvalidRequest', 500],
    ]);
    const seqs = entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    for (const entry of entries) {
      expect(entry.api).toBe('soap');
      expect(Date.parse(entry.time)).toBeGreaterThanOrEqual(before - 1);
      expect(Date.parse(entry.time)).toBeLessThanOrEqual(Date.now());
      expect(entry.durationMs).toBeGreaterThanOrEqual(0);
      expect(entry.rules).toBeUndefined();
    }
    const [content, loginCall, time, reload, missing] = entries;
    expect(content).toMatchObject({ type: 'ServiceInstance', moid: 'ServiceInstance' });
    expect(content!.user).toBeUndefined();
    expect(loginCall).toMatchObject({ type: 'SessionManager', moid: 'SessionManager', user: 'alice' });
    expect(time).toMatchObject({ user: 'alice', session: expect.any(String) });
    expect(reload).toMatchObject({ type: 'VirtualMachine', moid: vm.value, entityName: vm.name, user: 'alice' });
    expect(missing!.entityName).toBeUndefined();
  });

  it('is the same over GET /_sim/journal', async () => {
    await alice.call('CurrentTime', serviceInstance);
    const reply = await control(sim).get('/journal');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.json).toEqual(sim.journal.entries());
    expect(reply.json.length).toBeGreaterThan(0);
  });

  it('records the rules that fired', async () => {
    const { id } = sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'fault', fault: 'InvalidState' } });
    await alice.call('CurrentTime', serviceInstance);
    expect(sim.journal.entries({ method: 'CurrentTime' })).toMatchObject([{ outcome: 'fault', fault: 'InvalidState', rules: [id] }]);
  });

  describe('filters', () => {
    beforeEach(async () => {
      // New connections: a session logs in once (a second Login on it is refused).
      for (const client of [alice, bob]) client.close();
      alice = new SoapClient({ url: sim.url });
      bob = new SoapClient({ url: sim.url });
      await alice.call('Login', sessionManager, login('alice'));
      await bob.call('Login', sessionManager, login('bob'));
      await alice.call('CurrentTime', serviceInstance);
      await bob.call('CurrentTime', serviceInstance);
      await bob.call('NoSuchMethod', vm);
      await alice.call('RetrieveServiceContent', serviceInstance);
    });

    /** The filter over HTTP and in TypeScript, checked to agree; the methods and users found. */
    const both = async (query: string, filter: Parameters<Simulator['journal']['entries']>[0]) => {
      const reply = await control(sim).get(`/journal${query}`);
      expect(reply.status, reply.text).toBe(200);
      const local = sim.journal.entries(filter);
      expect(reply.json).toEqual(local);
      return local.map((e) => `${e.method}:${e.user ?? '-'}`);
    };

    it('by method, exactly or by glob', async () => {
      expect(await both('?method=CurrentTime', { method: 'CurrentTime' })).toEqual(['CurrentTime:alice', 'CurrentTime:bob']);
      expect(await both('?method=Retrieve*', { method: 'Retrieve*' })).toEqual(['RetrieveServiceContent:alice']);
    });

    it('by user, moid, api and outcome', async () => {
      expect(await both('?user=bob', { user: 'bob' })).toEqual(['Login:bob', 'CurrentTime:bob', 'NoSuchMethod:bob']);
      expect(await both(`?moid=${vm.value}`, { moid: vm.value })).toEqual(['NoSuchMethod:bob']);
      expect(await both('?api=rest', { api: 'rest' })).toEqual([]);
      expect(await both('?api=soap&outcome=fault', { api: 'soap', outcome: 'fault' })).toEqual(['NoSuchMethod:bob']);
    });

    it('since a time, and the newest `limit`', async () => {
      const all = sim.journal.entries();
      expect(all).toHaveLength(6);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const since = new Date().toISOString();
      await alice.call('CurrentTime', serviceInstance);
      expect(await both(`?since=${encodeURIComponent(since)}`, { since })).toEqual(['CurrentTime:alice']);
      expect(await both('?limit=2', { limit: 2 })).toEqual(['RetrieveServiceContent:alice', 'CurrentTime:alice']);
      expect(await both('?user=bob&limit=1', { user: 'bob', limit: 1 })).toEqual(['NoSuchMethod:bob']);
    });

    it('refuses bad queries with 400 naming the parameter', async () => {
      for (const [query, field] of [
        ['?limit=0', 'limit'],
        ['?limit=many', 'limit'],
        ['?api=corba', 'api'],
        ['?outcome=meh', 'outcome'],
        ['?since=yesterday', 'since'],
        ['?methd=CurrentTime', 'methd'],
      ] as const) {
        const reply = await control(sim).get(`/journal${query}`);
        expect(reply.status, query).toBe(400);
        expect(reply.json, query).toMatchObject({ error: 'invalid_argument', field });
      }
    });
  });

  it('DELETE /_sim/journal forgets every call; sequence numbers go on', async () => {
    await alice.call('CurrentTime', serviceInstance);
    const last = sim.journal.entries().at(-1)!.seq;
    expect((await control(sim).delete('/journal')).status).toBe(204);
    expect(sim.journal.entries()).toEqual([]);
    await alice.call('CurrentTime', serviceInstance);
    expect(sim.journal.entries().map((e) => e.seq)).toEqual([last + 1]);
  });

  it('keeps only the newest journalSize calls', async () => {
    const small = await createSimulator({ journalSize: 5 });
    const client = new SoapClient({ url: small.url });
    try {
      for (let i = 0; i < 8; i++) await client.call('RetrieveServiceContent', serviceInstance);
      expect(small.journal.entries().map((e) => e.seq)).toEqual([4, 5, 6, 7, 8]);
    } finally {
      client.close();
      await small.close();
    }
  });

  it('does not record control API calls', async () => {
    await control(sim).get('/faults');
    await control(sim).get('/journal');
    expect(sim.journal.entries()).toEqual([]);
  });
});
