/**
 * The client's resilience, proven through our simulator's fault rules, control actions and
 * journal (govmomi's vcsim has no fault injection): Retry-After, connection resets, hangs against
 * per-call timeouts, one transparent re-login, the circuit breaker, failing and aborted tasks,
 * and the trace context the journal records.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CircuitBreaker, connect, VimError, type ClientEvent, type ConnectOptions, type VimClient } from '../../client/index.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { control } from '../support/control.js';

const serviceInstance = { type: 'ServiceInstance', value: 'ServiceInstance' } as const;

describe('client resilience against injected faults', () => {
  let sim: Simulator;
  const clients: VimClient[] = [];
  const open = async (options: ConnectOptions = {}) => {
    const c = await connect(sim.url, { username: sim.username, password: sim.password, insecure: true, ...options });
    clients.push(c);
    return c;
  };
  const vm = async (c: VimClient, name: string) => (await c.find('VirtualMachine', { paths: ['name'] })).find((v) => v.name === name)!.ref;

  beforeAll(async () => {
    sim = await createSimulator({ listen: '127.0.0.1:0' });
  });
  afterEach(async () => {
    sim.faults.clear();
    sim.journal.clear();
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('waits as Retry-After says on 503 and 429, then succeeds; the journal shows the waits', async () => {
    const events: ClientEvent[] = [];
    const c = await open({ onEvent: (e) => events.push(e) });
    sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'http', status: 503, retryAfter: 1 }, times: 1 });
    sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'http', status: 429, retryAfter: 0 }, times: 1 });
    sim.journal.clear();
    const now = await c.call(serviceInstance, 'CurrentTime', {});
    expect(typeof now).toBe('string');
    const calls = sim.journal.entries({ method: 'CurrentTime' });
    expect(calls.map((e) => [e.outcome, e.status])).toEqual([['http', 503], ['http', 429], ['ok', 200]]);
    expect(Date.parse(calls[1]!.time) - Date.parse(calls[0]!.time)).toBeGreaterThanOrEqual(950);
    expect(events.filter((e) => e.event === 'retry')).toMatchObject([
      { code: 'UNAVAILABLE', retryAfterMs: 1000, delayMs: 1000 },
      { code: 'RATE_LIMITED', retryAfterMs: 0, delayMs: 0 },
    ]);
    // One logical call: every attempt carries the same trace context.
    expect(new Set(calls.map((e) => e.traceparent)).size).toBe(1);
  });

  it('a call may retry on a client that does not, and the reverse', async () => {
    const noRetries = await open({ retry: false });
    sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'http', status: 503, retryAfter: 0 }, times: 1 });
    expect(typeof (await noRetries.call(serviceInstance, 'CurrentTime', {}, { retry: { retries: 1 } }))).toBe('string');
    const retrying = await open();
    sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'http', status: 503, retryAfter: 0 }, times: 1 });
    await expect(retrying.call(serviceInstance, 'CurrentTime', {}, { retry: false })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('fails at once when Retry-After is longer than the client will wait, saying how long', async () => {
    const c = await open({ retry: { maxRetryAfterMs: 500 } });
    sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'http', status: 503, retryAfter: 30 }, times: 1 });
    const error = await c.call(serviceInstance, 'CurrentTime', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 503, retryAfterMs: 30_000, retryable: true });
  });

  it('retries a read after a connection reset, but not a task method whose request was sent', async () => {
    const c = await open({ retry: { baseDelayMs: 1 } });
    const ref = await vm(c, 'DC0_H0_VM0');
    sim.journal.clear();
    sim.faults.add({ match: { method: 'RetrievePropertiesEx' }, action: { kind: 'reset' }, times: 1 });
    const [props] = await c.retrieve([ref], ['name']);
    expect(props!.name).toBe('DC0_H0_VM0');
    expect(sim.journal.entries({ method: 'RetrievePropertiesEx' }).map((e) => e.outcome)).toEqual(['reset', 'ok']);

    sim.faults.add({ match: { method: 'PowerOffVM_Task' }, action: { kind: 'reset' }, times: 1 });
    const error = await c.call(ref, 'PowerOffVM_Task', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VimError);
    expect(error).toMatchObject({ code: 'TRANSPORT', mayHaveExecuted: true, retryable: false, method: 'PowerOffVM_Task' });
    expect((error as VimError).message).toMatch(/may have happened/);
    expect(sim.journal.entries({ method: 'PowerOffVM_Task' })).toHaveLength(1);
    // Whether it happened, before calling again: no power-off task of this VM was started.
    expect(await c.recentTasks({ entity: ref, method: 'PowerOffVM_Task' })).toEqual([]);
    const task = await c.call(ref, 'PowerOffVM_Task', {});
    await c.waitForTask(task);
    const found = await c.recentTasks({ entity: ref, method: 'PowerOffVM_Task' });
    expect(found.map((t) => [t.ref.value, t.info.state])).toEqual([[task.value, 'success']]);
    await c.runTask(ref, 'PowerOnVM_Task', {});
  });

  it('runTask finds out from recentTask whether a call whose answer was lost ran: it waits for that task, or calls again', async () => {
    // Not run before the answer was lost (a reset before dispatch): called again, once.
    const events: ClientEvent[] = [];
    const c = await open({ onEvent: (e) => events.push(e) });
    const ref = await vm(c, 'DC0_H0_VM0');
    sim.faults.add({ match: { method: 'PowerOffVM_Task' }, action: { kind: 'reset' }, times: 1 });
    sim.journal.clear();
    await c.runTask(ref, 'PowerOffVM_Task', {});
    expect(sim.journal.entries({ method: 'PowerOffVM_Task' }).map((e) => e.outcome)).toEqual(['reset', 'ok']);
    expect(events.filter((e) => e.event === 'lost-task')).toEqual([{ event: 'lost-task', method: 'PowerOffVM_Task', found: 0 }]);

    // Run, its answer lost on the way back (a proxy drops it): the task is found and waited for, never called twice.
    const plain = await createSimulator({ listen: '127.0.0.1:0', tls: false });
    let dropped = false;
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const upstream = httpRequest(new URL(req.url!, plain.url), { method: req.method, headers: req.headers }, (answer) => {
          const drop = !dropped && body.includes('PowerOnVM_Task');
          answer.resume();
          answer.on('end', () => {
            if (drop) {
              dropped = true;
              req.socket.destroy();
            }
          });
          if (!drop) {
            res.writeHead(answer.statusCode!, answer.headers);
            answer.pipe(res);
          }
        });
        upstream.end(body);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const viaProxy = await connect(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/sdk`, { username: 'user', password: 'pass' });
      clients.push(viaProxy);
      const target = await vm(viaProxy, 'DC0_H0_VM1');
      await viaProxy.runTask(target, 'PowerOffVM_Task', {});
      const found: ClientEvent[] = [];
      const watched = await connect(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/sdk`, { username: 'user', password: 'pass', onEvent: (e) => found.push(e) });
      clients.push(watched);
      await watched.runTask(target, 'PowerOnVM_Task', {});
      expect(dropped).toBe(true);
      expect(found.filter((e) => e.event === 'lost-task')).toEqual([{ event: 'lost-task', method: 'PowerOnVM_Task', found: 1 }]);
      expect(plain.journal.entries({ method: 'PowerOnVM_Task' })).toHaveLength(1);
      expect((plain.vc.registry.get({ type: 'VirtualMachine', value: target.value } as never) as unknown as { runtime: { powerState: string } }).runtime.powerState).toBe('poweredOn');
    } finally {
      proxy.close();
      await plain.close();
    }
  });

  it('keeps an idle session alive with CurrentTime every keepAliveMs', async () => {
    await open({ keepAliveMs: 100 });
    sim.journal.clear();
    await new Promise((r) => setTimeout(r, 450));
    const pings = sim.journal.entries({ method: 'CurrentTime' });
    expect(pings.length).toBeGreaterThanOrEqual(2);
    expect(pings.every((e) => e.outcome === 'ok')).toBe(true);
  });

  it('gives up on a hung call after its per-call timeout; a read is retried, a task method is not', async () => {
    const c = await open({ retry: { baseDelayMs: 1 } });
    sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'hang' }, times: 1 });
    const started = Date.now();
    const timedOut = await c.call(serviceInstance, 'CurrentTime', {}, { timeoutMs: 300, retry: false }).catch((e: unknown) => e);
    expect(timedOut).toMatchObject({ code: 'TIMEOUT', mayHaveExecuted: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(5_000);

    sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'hang' }, times: 1 });
    expect(typeof (await c.call(serviceInstance, 'CurrentTime', {}, { timeoutMs: 300 }))).toBe('string');

    const ref = await vm(c, 'DC0_H0_VM0');
    const rule = sim.faults.add({ match: { method: 'PowerOffVM_Task' }, action: { kind: 'hang' } });
    const hung = await c.call(ref, 'PowerOffVM_Task', {}, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(hung).toMatchObject({ code: 'TIMEOUT', mayHaveExecuted: true, retryable: false });
    sim.faults.remove(rule.id);
  });

  it('aborts a call with its AbortSignal', async () => {
    const c = await open();
    sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'hang' }, times: 1 });
    const error = await c.call(serviceInstance, 'CurrentTime', {}, { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ABORTED' });
  });

  it('logs in again once, transparently, when the session expired', async () => {
    const events: ClientEvent[] = [];
    const c = await open({ onEvent: (e) => events.push(e) });
    const expired = await control(sim).post('/actions/sessions-expire', {});
    expect(expired.json.expired).toBeGreaterThanOrEqual(1);
    sim.journal.clear();
    expect(typeof (await c.call(serviceInstance, 'CurrentTime', {}))).toBe('string');
    expect(sim.journal.entries({}).map((e) => [e.method, e.outcome, e.fault])).toEqual([
      ['CurrentTime', 'fault', 'NotAuthenticated'],
      ['Login', 'ok', undefined],
      ['CurrentTime', 'ok', undefined],
    ]);
    expect(events.filter((e) => e.event === 'relogin')).toHaveLength(1);
  });

  it('logs in again when property retrieval answers NotAuthenticated in the missingSet, as servers do', async () => {
    const c = await open();
    const vm = (await c.find('VirtualMachine', { paths: ['name'] }))[0]!;
    await control(sim).post('/actions/sessions-expire', {});
    sim.journal.clear();
    const [again] = await c.retrieve(vm.ref, ['name']);
    expect(again).toEqual({ ref: vm.ref, name: vm.name });
    expect(sim.journal.entries({}).map((e) => [e.method, e.outcome])).toEqual([
      ['RetrievePropertiesEx', 'ok'],
      ['Login', 'ok'],
      ['RetrievePropertiesEx', 'ok'],
    ]);
  });

  it('keeps a watch going across a re-login: it starts over on a new collector, the current state first', async () => {
    const c = await open();
    const other = await open();
    const target = await vm(c, 'DC0_H0_VM1');
    const seen: string[] = [];
    const waiters: { count: number; resolve: () => void }[] = [];
    const seenAtLeast = (count: number) => new Promise<void>((resolve) => (seen.length >= count ? resolve() : waiters.push({ count, resolve })));
    const stop = new AbortController();
    const watching = (async () => {
      for await (const updates of c.watch([target], ['runtime.powerState'], { signal: stop.signal, maxWaitSeconds: 1 })) {
        for (const u of updates) for (const change of u.changeSet ?? []) seen.push(`${u.kind}:${change.val as string}`);
        for (const w of waiters) if (seen.length >= w.count) w.resolve();
      }
    })();
    await seenAtLeast(1);
    await control(sim).post('/actions/sessions-expire', {});
    await seenAtLeast(2);
    await other.call(target, 'PowerOffVM_Task', {}).then((t) => other.waitForTask(t));
    await seenAtLeast(3);
    stop.abort();
    await watching;
    expect(seen).toEqual(['enter:poweredOn', 'enter:poweredOn', 'modify:poweredOff']);
    await other.call(target, 'PowerOnVM_Task', {}).then((t) => other.waitForTask(t));
  });

  it('says so when a session cloned from a ticket expires (a ticket is good once)', async () => {
    const c = await open();
    const clone = await connect(sim.url, { cloneTicket: await c.cloneTicket(), insecure: true });
    clients.push(clone);
    await control(sim).post('/actions/sessions-expire', {});
    const error = await clone.call(serviceInstance, 'CurrentTime', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_AUTHENTICATED' });
    expect((error as VimError).message).toMatch(/clone ticket is good only once/);
  });

  it('does not loop when the re-login itself is refused', async () => {
    const c = await open();
    await control(sim).post('/actions/sessions-expire', {});
    sim.faults.add({ match: { method: 'Login' }, action: { kind: 'fault', fault: 'InvalidLogin' } });
    const error = await c.call(serviceInstance, 'CurrentTime', {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_LOGIN' });
    expect(sim.journal.entries({ method: 'Login' }).length).toBeLessThanOrEqual(2);
  });

  it('opens the circuit after N consecutive failures, fails fast, and closes after a good probe', async () => {
    const events: ClientEvent[] = [];
    const c = await open({ retry: false, breaker: { failureThreshold: 3, openMs: 300 }, onEvent: (e) => events.push(e) });
    const rule = sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'http', status: 503 } });
    for (let i = 0; i < 3; i++) await expect(c.call(serviceInstance, 'CurrentTime', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(c.breaker.state).toBe('open');
    await expect(c.call(serviceInstance, 'CurrentTime', {})).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(sim.journal.entries({ method: 'CurrentTime' })).toHaveLength(3); // the fourth never left
    sim.faults.remove(rule.id);
    await new Promise((r) => setTimeout(r, 350));
    expect(c.breaker.state).toBe('half-open');
    expect(typeof (await c.call(serviceInstance, 'CurrentTime', {}))).toBe('string');
    expect(c.breaker.state).toBe('closed');
    expect(events.filter((e) => e.event === 'breaker').map((e) => (e as { state: string }).state)).toEqual(['open', 'half-open', 'closed']);
  });

  it('shares a breaker among clients given the same breakers map', async () => {
    const breakers = new Map<string, CircuitBreaker>();
    const a = await open({ retry: false, breakers, breaker: { failureThreshold: 2, openMs: 60_000 } });
    const b = await open({ retry: false, breakers });
    expect(b.breaker).toBe(a.breaker);
    sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'http', status: 503 }, times: 2 });
    for (const c of [a, b]) await expect(c.call(serviceInstance, 'CurrentTime', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(b.call(serviceInstance, 'CurrentTime', {})).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    const own = await open({ retry: false });
    expect(typeof (await own.call(serviceInstance, 'CurrentTime', {}))).toBe('string'); // without the map: its own breaker
  });

  it('a task failing at 50 % becomes a VimError with its fault, after progress up to 50', async () => {
    const c = await open();
    const ref = await vm(c, 'DC0_C0_RP0_VM0');
    sim.faults.add({ match: { method: 'PowerOffVM_Task' }, action: { kind: 'taskError', fault: 'InvalidState', atProgress: 50 }, times: 1 });
    const progress: number[] = [];
    const error = await c.runTask(ref, 'PowerOffVM_Task', {}, { onProgress: (p) => progress.push(p) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_STATE', faultType: 'InvalidState', task: { type: 'Task' } });
    expect(progress.every((p) => p <= 50)).toBe(true);
    const [after] = await c.retrieve([ref], ['runtime.powerState']);
    expect(after!['runtime.powerState']).toBe('poweredOn');
  });

  it('a task that fails with a fault of no specific code is TASK_FAILED', async () => {
    const c = await open();
    const ref = await vm(c, 'DC0_C0_RP0_VM0');
    sim.faults.add({ match: { method: 'ReconfigVM_Task' }, action: { kind: 'taskError', fault: 'SystemError' }, times: 1 });
    const error = await c.runTask(ref, 'ReconfigVM_Task', { spec: { annotation: 'x' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TASK_FAILED', faultType: 'SystemError' });
  });

  it('waitForTask: a timeout leaves the task running; aborting cancels a cancelable task', async () => {
    const c = await open();
    const ref = await vm(c, 'DC0_C0_RP0_VM1');
    sim.faults.add({ match: { method: 'PowerOffVM_Task' }, action: { kind: 'taskDelay', ms: 1_000 }, times: 1 });
    const powerOff = await c.call(ref, 'PowerOffVM_Task', {});
    await expect(c.waitForTask(powerOff, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'TIMEOUT', task: powerOff });
    // A power-off is not cancelable (as in vCenter): aborting stops the wait and says so.
    const notCancelable = (await c.waitForTask(powerOff, { signal: AbortSignal.timeout(200) }).catch((e: unknown) => e)) as VimError;
    expect(notCancelable).toMatchObject({ code: 'ABORTED', task: powerOff });
    expect(notCancelable.message).toMatch(/not cancelable/);
    await c.waitForTask(powerOff);

    const [dc] = await c.find('Datacenter', { paths: ['vmFolder'] });
    sim.faults.add({ match: { method: 'CloneVM_Task' }, action: { kind: 'taskDelay', ms: 3_000 }, times: 1 });
    const clone = await c.call(ref, 'CloneVM_Task', { folder: dc!.vmFolder!, name: 'never-made', spec: { location: {}, powerOn: false, template: false } });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    await expect(c.waitForTask(clone, { signal: abort.signal })).rejects.toMatchObject({ code: 'ABORTED', task: clone });
    const [state] = await c.retrieve([clone], ['info.state', 'info.error']);
    expect(state!['info.state']).toBe('error');
    expect((state!['info.error'] as { fault: { _type: string } }).fault._type).toBe('RequestCanceled');
    await expect(c.waitForTask(clone)).rejects.toMatchObject({ code: 'TASK_CANCELED' });
    expect((await c.find('VirtualMachine', { paths: ['name'] })).map((v) => v.name)).not.toContain('never-made');
  });

  it('waits for tasks with one property collector reused, and one each for concurrent waits', async () => {
    sim.state.reset(); // every VM powered on, whatever earlier tests did
    const c = await open();
    const [a, b] = (await c.find('VirtualMachine', { paths: ['name'] })).filter((v) => v.name?.startsWith('DC0_H0_'));
    sim.journal.clear();
    await c.runTask(a!.ref, 'PowerOffVM_Task', {});
    await c.runTask(a!.ref, 'PowerOnVM_Task', {});
    // Four calls per waited task, as pyVmomi's WaitForTask: the method, CreateFilter, WaitForUpdatesEx, DestroyPropertyFilter.
    expect(sim.journal.entries({}).map((e) => e.method)).toEqual([
      'PowerOffVM_Task', 'CreatePropertyCollector', 'CreateFilter', 'WaitForUpdatesEx', 'DestroyPropertyFilter',
      'PowerOnVM_Task', 'CreateFilter', 'WaitForUpdatesEx', 'DestroyPropertyFilter',
    ]);
    sim.journal.clear();
    sim.faults.add({ match: { method: 'PowerOffVM_Task' }, action: { kind: 'taskDelay', ms: 300 } });
    await Promise.all([c.runTask(a!.ref, 'PowerOffVM_Task', {}), c.runTask(b!.ref, 'PowerOffVM_Task', {})]);
    expect(sim.journal.entries({ method: 'CreatePropertyCollector' })).toHaveLength(1); // the second wait reused the idle one
    const filters = new Set(sim.journal.entries({ method: 'CreateFilter' }).map((e) => e.moid));
    expect(filters.size).toBe(2); // on two collectors: neither wait saw the other's task
    sim.faults.clear();
    await Promise.all([c.runTask(a!.ref, 'PowerOnVM_Task', {}), c.runTask(b!.ref, 'PowerOnVM_Task', {})]);
  });

  it("sends the caller's traceparent and an operationID the journal records", async () => {
    const c = await open();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await c.call(serviceInstance, 'CurrentTime', {}, { traceparent });
    await c.call(serviceInstance, 'CurrentTime', {}, { operationId: 'op-42' });
    const [first, second] = sim.journal.entries({ method: 'CurrentTime' });
    expect(first).toMatchObject({ traceparent, operationId: 'b7ad6b7169203331' });
    expect(second!.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(second!.operationId).toBe('op-42');
  });

  it('logs events to a pino-style logger and the wire with credentials masked', async () => {
    const lines: string[] = [];
    const logged: { level: string; obj: ClientEvent }[] = [];
    const logger = {
      debug: (obj: object) => logged.push({ level: 'debug', obj: obj as ClientEvent }),
      info: (obj: object) => logged.push({ level: 'info', obj: obj as ClientEvent }),
      warn: (obj: object) => logged.push({ level: 'warn', obj: obj as ClientEvent }),
    };
    const c = await open({ wireLog: (_d, text) => lines.push(text), logger });
    await c.close();
    const wire = lines.join('\n');
    expect(wire).toContain('<password>***</password>');
    expect(wire).not.toContain(`<password>${sim.password}</password>`);
    expect(wire).toMatch(/set-cookie: \*\*\*/);
    expect(wire).not.toMatch(/vmware_soap_session="?[0-9a-f]/);
    expect(logged.some((l) => l.obj.event === 'request' && 'method' in l.obj && l.obj.method === 'Login')).toBe(true);
  });

  it('REST: the /rest flavour on request, a 503 retried, an expired session created again once', async () => {
    const legacy = await open({ restFlavour: 'rest' });
    expect((await legacy.rest.vcenter.vm.list({ names: ['DC0_H0_VM0'] })).map((v) => v.name)).toEqual(['DC0_H0_VM0']);
    expect(legacy.rest.flavour).toBe('rest');
    // The /rest error form ({type, value: {error_type, messages}}) decodes as the /api one does.
    await expect(legacy.rest.vcenter.vm.get('vm-99999')).rejects.toMatchObject({ code: 'NOT_FOUND', faultType: 'com.vmware.vapi.std.errors.not_found', status: 404 });
    const category = await legacy.rest.tagging.category.create({ name: 'legacy', description: '', cardinality: 'MULTIPLE', associable_types: [] });
    expect(await legacy.rest.tagging.category.get(category)).toMatchObject({ id: category, name: 'legacy' }); // /com/vmware/cis/..., id:<id>
    await legacy.rest.tagging.category.delete(category);

    const c = await open({ retry: { baseDelayMs: 1 } });
    await c.rest.login();
    sim.journal.clear();
    sim.faults.add({ match: { api: 'rest', path: '/api/vcenter/host' }, action: { kind: 'http', status: 503, retryAfter: 0 }, times: 1 });
    expect(await c.rest.vcenter.host.list()).toHaveLength(4);
    expect(sim.journal.entries({ api: 'rest' }).map((e) => e.status)).toEqual([503, 200]);

    await control(sim).post('/actions/sessions-expire', {});
    sim.journal.clear();
    expect(await c.rest.vcenter.cluster.list()).toHaveLength(1);
    expect(sim.journal.entries({ api: 'rest' }).map((e) => [e.method, e.status])).toEqual([
      ['GET /api/vcenter/cluster', 401],
      ['POST /api/session', 201],
      ['GET /api/vcenter/cluster', 200],
    ]);
  });
});
