/** REST calls through the fault rules and the journal: /api and /rest alike, vAPI error forms for injected faults. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { control, http } from '../support/control.js';
import { RestTestClient } from './rest-support.js';

describe('REST through the control plane', () => {
  let sim: Simulator;
  let rest: RestTestClient;
  let token: string;
  let vm: string;

  beforeAll(async () => {
    sim = await createSimulator();
    rest = new RestTestClient(sim);
    token = await rest.login('user', 'pass');
    vm = (sim.vc.registry.ofType('VirtualMachine')[0] as unknown as { self: { value: string } }).self.value;
  });
  beforeEach(() => {
    sim.faults.clear();
    sim.journal.clear();
  });
  afterAll(async () => {
    rest?.close();
    await sim?.close();
  });

  const lastCall = () => sim.journal.entries({ limit: 1 })[0]!;
  /** A GET whose answer may not be JSON (injected http bodies are text). */
  const raw = (path: string, withToken = true) =>
    http(`${sim.url.replace(/\/sdk$/, '')}${path}`, { headers: withToken ? { 'vmware-api-session-id': token } : {} });

  describe('journal', () => {
    it('records /api and /rest calls: operation, concrete path, moid, user, session, outcome, status, duration', async () => {
      expect((await rest.get(`/api/vcenter/vm/${vm}`, token)).status).toBe(200);
      expect((await rest.get(`/rest/vcenter/vm/${vm}`, token)).status).toBe(200);
      expect((await rest.send('POST', `/api/vcenter/vm/${vm}/power?action=stop`, { token })).status).toBe(204);
      expect((await rest.get('/api/vcenter/vm/vm-999999', token)).status).toBe(404);
      expect((await rest.get('/api/vcenter/vm')).status).toBe(401);
      expect((await rest.get('/api/no/such/route', token)).status).toBe(404);
      const entries = sim.journal.entries();
      expect(entries).toHaveLength(6);
      expect(entries[0]).toMatchObject({
        api: 'rest',
        method: 'GET /api/vcenter/vm/{vm}',
        path: `/api/vcenter/vm/${vm}`,
        type: 'VirtualMachine',
        moid: vm,
        user: 'user',
        session: token,
        outcome: 'ok',
        status: 200,
      });
      expect(entries[0]!.durationMs).toBeGreaterThanOrEqual(0);
      expect(entries[0]!.entityName).toEqual(expect.any(String));
      expect(entries[1]).toMatchObject({ method: 'GET /rest/vcenter/vm/{vm}', path: `/rest/vcenter/vm/${vm}`, moid: vm, outcome: 'ok', status: 200 });
      expect(entries[2]).toMatchObject({ method: 'POST /api/vcenter/vm/{vm}/power?action=stop', moid: vm, outcome: 'ok', status: 204 });
      expect(entries[3]).toMatchObject({ method: 'GET /api/vcenter/vm/{vm}', moid: 'vm-999999', outcome: 'fault', fault: 'not_found', status: 404 });
      expect(entries[4]).toMatchObject({ method: 'GET /api/vcenter/vm', outcome: 'fault', fault: 'unauthenticated', status: 401 });
      expect(entries[4]!.user).toBeUndefined();
      expect(entries[5]).toMatchObject({ method: 'GET /api/no/such/route', path: '/api/no/such/route', outcome: 'fault', status: 404 });
      const seqs = entries.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      await rest.send('POST', `/api/vcenter/vm/${vm}/power?action=start`, { token });
    });

    it('records a login with the user it logged in', async () => {
      const fresh = await rest.login('user', 'pass', 'rest');
      expect(lastCall()).toMatchObject({ method: 'POST /rest/com/vmware/cis/session', user: 'user', session: fresh, outcome: 'ok', status: 200 });
    });

    it('filters by api, method, moid and user, over HTTP and TypeScript; control calls are not journaled', async () => {
      await rest.get(`/api/vcenter/vm/${vm}`, token);
      await rest.get('/api/vcenter/host', token);
      await http(sim.url, { method: 'POST', body: 'not xml' }); // a SOAP call
      await control(sim).get('/faults');
      expect(sim.journal.entries().map((e) => e.api)).toEqual(['rest', 'rest', 'soap']);
      expect(sim.journal.entries({ api: 'rest' })).toHaveLength(2);
      expect(sim.journal.entries({ api: 'soap' })).toHaveLength(1);
      expect(sim.journal.entries({ method: 'GET /api/vcenter/host' })).toHaveLength(1);
      expect(sim.journal.entries({ method: 'GET /api/vcenter/*' })).toHaveLength(2);
      expect(sim.journal.entries({ moid: vm }).map((e) => e.method)).toEqual(['GET /api/vcenter/vm/{vm}']);
      expect(sim.journal.entries({ user: 'user', api: 'rest' })).toHaveLength(2);
      const reply = await control(sim).get(`/journal?api=rest&moid=${vm}`);
      expect(reply.status).toBe(200);
      expect(reply.json.map((e: any) => e.path)).toEqual([`/api/vcenter/vm/${vm}`]);
    });
  });

  describe('rules on REST calls', () => {
    it('match on api, path, method, moid and user', async () => {
      const add = (match: object) => sim.faults.add({ match, action: { kind: 'http', status: 503 } }).id;
      const ids = [
        add({ api: 'soap', path: '/api/*' }), // wrong api: never fires
        add({ api: 'rest', path: '/api/vcenter/host' }),
      ];
      expect((await raw('/api/vcenter/host')).status).toBe(503);
      expect((await raw('/rest/vcenter/host')).status).toBe(200);
      sim.faults.clear();
      sim.faults.add({ match: { method: 'GET /api/vcenter/vm/{vm}', moid: vm, user: 'user' }, action: { kind: 'http', status: 429, retryAfter: 3 } });
      const limited = await raw(`/api/vcenter/vm/${vm}`);
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('3');
      expect((await rest.get(`/api/vcenter/vm/${vm}/power`, token)).status).toBe(200); // other method
      sim.faults.clear();
      sim.faults.add({ match: { path: '/api/vcenter/*', user: 'nobody' }, action: { kind: 'http', status: 503 } });
      expect((await rest.get('/api/vcenter/host', token)).status).toBe(200);
      expect(ids).toHaveLength(2);
    });

    it('a rule on a VM matches its hardware sub-resources too; the journal names the VM', async () => {
      sim.faults.add({ match: { api: 'rest', moid: vm, type: 'VirtualMachine' }, action: { kind: 'http', status: 503 } });
      expect((await raw(`/api/vcenter/vm/${vm}/hardware/disk`)).status).toBe(503);
      sim.faults.clear();
      const [disk] = (await rest.get(`/api/vcenter/vm/${vm}/hardware/disk`, token)).json as { disk: string }[];
      sim.journal.clear();
      sim.faults.add({ match: { api: 'rest', moid: vm }, action: { kind: 'http', status: 503 } });
      expect((await raw(`/api/vcenter/vm/${vm}/hardware/disk/${disk!.disk}`)).status).toBe(503);
      expect(sim.journal.entries({ api: 'rest' }).map((e) => [e.moid, e.type])).toEqual([[vm, 'VirtualMachine']]);
      sim.faults.clear();
    });

    it('fires on calls the server would refuse (no session): the rule comes first', async () => {
      sim.faults.add({ match: { api: 'rest', path: '/api/vcenter/vm' }, action: { kind: 'http', status: 503 } });
      expect((await raw('/api/vcenter/vm', false)).status).toBe(503);
      expect(lastCall()).toMatchObject({ outcome: 'http', status: 503, rules: [expect.any(String)] });
    });

    it('delay: waits, then answers normally', async () => {
      sim.faults.add({ match: { api: 'rest', path: '/api/vcenter/host' }, action: { kind: 'delay', ms: 150 } });
      const started = Date.now();
      const reply = await rest.get('/api/vcenter/host', token);
      expect(reply.status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(lastCall()).toMatchObject({ outcome: 'ok', status: 200 });
      expect(lastCall().durationMs).toBeGreaterThanOrEqual(140);
    });

    it('http: the status, headers and body of the rule', async () => {
      const id = sim.faults.add({
        match: { api: 'rest', method: 'GET /rest/vcenter/vm' },
        action: { kind: 'http', status: 503, retryAfter: 7, body: '{"busy":true}', contentType: 'application/json' },
      }).id;
      const reply = await rest.get('/rest/vcenter/vm', token);
      expect(reply.status).toBe(503);
      expect(reply.headers['retry-after']).toBe('7');
      expect(reply.json).toEqual({ busy: true });
      expect(lastCall()).toMatchObject({ api: 'rest', outcome: 'http', status: 503, rules: [id] });
    });

    it('reset: the connection closes with no answer, and the server goes on', async () => {
      sim.faults.add({ match: { api: 'rest', path: '/api/vcenter/host' }, action: { kind: 'reset' }, times: 1 });
      const base = sim.url.replace(/\/sdk$/, '');
      await expect(http(`${base}/api/vcenter/host`, { headers: { 'vmware-api-session-id': token } })).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE|socket hang up/) });
      expect(lastCall()).toMatchObject({ outcome: 'reset', status: 0 });
      expect((await rest.get('/api/vcenter/host', token)).status).toBe(200);
    });

    it('hang: answers nothing until the client gives up; the server stays healthy', async () => {
      sim.faults.add({ match: { api: 'rest', path: '/api/vcenter/datastore' }, action: { kind: 'hang' } });
      const base = sim.url.replace(/\/sdk$/, '');
      await expect(http(`${base}/api/vcenter/datastore`, { headers: { 'vmware-api-session-id': token }, timeoutMs: 200 })).rejects.toMatchObject({ code: 'TIMEOUT' });
      expect((await rest.get('/api/vcenter/host', token)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sim.journal.entries({ outcome: 'abandoned' })).toEqual([expect.objectContaining({ path: '/api/vcenter/datastore', status: 0 })]);
    });
  });

  describe('fault action: the vAPI error of the vSphere fault, in the flavour of the request', () => {
    const cases: [fault: string, errorType: string, status: number][] = [
      ['NotAuthenticated', 'UNAUTHENTICATED', 401],
      ['NoPermission', 'UNAUTHORIZED', 403],
      ['ManagedObjectNotFound', 'NOT_FOUND', 404],
      ['NotFound', 'NOT_FOUND', 404],
      ['InvalidArgument', 'INVALID_ARGUMENT', 400],
      ['InvalidRequest', 'INVALID_ARGUMENT', 400],
      ['InvalidState', 'NOT_ALLOWED_IN_CURRENT_STATE', 400],
      ['InvalidPowerState', 'NOT_ALLOWED_IN_CURRENT_STATE', 400],
      ['InsufficientResourcesFault', 'UNABLE_TO_ALLOCATE_RESOURCE', 400],
      ['InsufficientCpuResourcesFault', 'UNABLE_TO_ALLOCATE_RESOURCE', 400],
      ['TaskInProgress', 'ERROR', 500],
    ];

    it.each(cases)('%s → %s %i on /api', async (fault, errorType, status) => {
      sim.faults.add({ match: { api: 'rest', moid: vm }, action: { kind: 'fault', fault, message: `injected ${fault}` } });
      const reply = await rest.get(`/api/vcenter/vm/${vm}`, token);
      expect(reply.status).toBe(status);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(reply.json).toEqual({
        error_type: errorType,
        messages: [{ id: `com.vmware.vim.fault.${fault}`, default_message: `injected ${fault}`, args: [] }],
      });
      expect(lastCall()).toMatchObject({ api: 'rest', outcome: 'fault', fault, status });
    });

    it.each(cases)('%s → %s %i on /rest', async (fault, errorType, status) => {
      sim.faults.add({ match: { api: 'rest', moid: vm }, action: { kind: 'fault', fault } });
      const reply = await rest.send('POST', `/rest/vcenter/vm/${vm}/power/start`, { token });
      expect(reply.status).toBe(status);
      expect(reply.json).toEqual({
        type: `com.vmware.vapi.std.errors.${errorType.toLowerCase()}`,
        value: { error_type: errorType, messages: [{ id: `com.vmware.vim.fault.${fault}`, default_message: fault, args: [] }] },
      });
      expect(lastCall()).toMatchObject({ method: 'POST /rest/vcenter/vm/{vm}/power/start', outcome: 'fault', fault, status });
    });

    it('the effect is not applied, and the rule fires only `times` times', async () => {
      expect((await rest.get(`/api/vcenter/vm/${vm}/power`, token)).json.state).toBe('POWERED_ON');
      sim.faults.add({ match: { method: 'POST /api/vcenter/vm/{vm}/power?action=stop' }, action: { kind: 'fault', fault: 'InsufficientResourcesFault' }, times: 1 });
      expect((await rest.send('POST', `/api/vcenter/vm/${vm}/power?action=stop`, { token })).status).toBe(400);
      expect((await rest.get(`/api/vcenter/vm/${vm}/power`, token)).json.state).toBe('POWERED_ON');
      expect((await rest.send('POST', `/api/vcenter/vm/${vm}/power?action=stop`, { token })).status).toBe(204);
      expect((await rest.get(`/api/vcenter/vm/${vm}/power`, token)).json.state).toBe('POWERED_OFF');
      await rest.send('POST', `/api/vcenter/vm/${vm}/power?action=start`, { token });
    });
  });
});
