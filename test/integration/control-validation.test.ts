/** The control API refuses at creation any rule, action or state document that cannot work, naming the field. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';

describe('control API input that cannot work', () => {
  let sim: Simulator;
  const headers = { authorization: 'Basic ' + Buffer.from('user:pass').toString('base64'), 'content-type': 'application/json' };
  const send = async (method: 'POST' | 'PUT', url: string, body: unknown) => {
    const reply = await sim.app.inject({ method, url, headers, payload: JSON.stringify(body) });
    return { status: reply.statusCode, json: reply.json() as { error?: string; field?: string; message?: string; id?: string } };
  };
  const rule = (action: unknown, match: unknown = { method: 'CurrentTime' }) => send('POST', '/_sim/faults', { match, action });

  beforeAll(async () => {
    sim = await createSimulator({});
  });
  afterAll(() => sim.close());

  it('an http action with a header Node would refuse, or one that frames the answer, names the header', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ headers: { 'bad name': 'x' } }, 'action.headers.bad name', /not a valid HTTP header name/],
      [{ headers: { 'x-a': 'one\r\ntwo' } }, 'action.headers.x-a', /CR, LF/],
      [{ headers: { 'Content-Length': '5' } }, 'action.headers.Content-Length', /frames the answer/],
      [{ headers: { 'transfer-encoding': 'chunked' } }, 'action.headers.transfer-encoding', /frames the answer/],
      [{ contentType: 'text/plain\n' }, 'action.contentType', /CR, LF/],
      [{ body: 'x'.repeat(1024 * 1024 + 1) }, 'action.body', /1048576/],
      [{ status: 103 }, 'action.status', /200/],
      [{ retryAfter: -1 }, 'action.retryAfter', /0/],
    ];
    for (const [extra, field, message] of cases) {
      const reply = await rule({ kind: 'http', status: 503, ...(extra as object) });
      expect(reply.status, field).toBe(400);
      expect(reply.json, field).toMatchObject({ error: 'invalid_argument', field, message: expect.stringMatching(message) });
    }
    expect(sim.faults.list()).toEqual([]);
    const good = await rule({ kind: 'http', status: 429, retryAfter: 2, headers: { 'x-trace': 'a b\tc' }, contentType: 'application/json' });
    expect(good.status).toBe(201);
    const answer = await sim.app.inject({ method: 'POST', url: '/sdk', payload: '<Envelope><Body><CurrentTime><_this type="ServiceInstance">ServiceInstance</_this></CurrentTime></Body></Envelope>' });
    expect(answer.statusCode).toBe(429);
    expect(answer.headers).toMatchObject({ 'x-trace': 'a b\tc', 'retry-after': '2', 'content-type': expect.stringMatching(/^application\/json/) });
    sim.faults.clear();
  });

  it('a fault message beyond 64 KiB, and a task rule on a method that starts no task, name their field', async () => {
    const long = await rule({ kind: 'fault', fault: 'InvalidState', message: 'x'.repeat(65_537) });
    expect(long).toMatchObject({ status: 400, json: { field: 'action.message' } });
    const noTask = await rule({ kind: 'taskError', fault: 'InvalidState' });
    expect(noTask).toMatchObject({ status: 400, json: { field: 'match.method', message: expect.stringMatching(/starts no task/) } });
    for (const match of [{ method: 'PowerOnVM_Task' }, { method: 'PowerOn*' }, { api: 'rest', path: '/api/vcenter/vm/*' }, {}]) {
      expect((await rule({ kind: 'taskDelay', ms: 10 }, match)).status, JSON.stringify(match)).toBe(201);
    }
    sim.faults.clear();
  });

  it('a vm-guest action with something no guest reports names the field', async () => {
    const cases: [unknown, string][] = [
      [{ ipAddress: 'not-an-ip' }, 'ipAddress'],
      [{ ipAddress: '10.0.0.1', hostName: 'bad host!' }, 'hostName'],
      [{ net: [{ ipAddress: ['10.0.0.1'], macAddress: 'zz' }] }, 'net.0.macAddress'],
      [{ net: [{ ipAddress: ['300.1.1.1'] }] }, 'net.0.ipAddress.0'],
    ];
    for (const [change, field] of cases) {
      const reply = await send('POST', '/_sim/actions/vm-guest', { vm: 'DC0_H0_VM0', ...(change as object) });
      expect(reply, field).toMatchObject({ status: 400, json: { error: 'invalid_argument', field } });
    }
    const ok = await send('POST', '/_sim/actions/vm-guest', { vm: 'DC0_H0_VM0', ipAddress: 'fe80::1', hostName: 'web-1.example' });
    expect(ok.status).toBe(200);
  });

  it('a state document that cannot be loaded names the field, and the world stays as it was', async () => {
    const objects = sim.vc.registry.size;
    const base = { format: 'vcenter-sim-world/1', idCounter: 1, stores: {} };
    const cases: [unknown, string][] = [
      [{ format: 'x' }, 'format'],
      [{ ...base, objects: 'x' }, 'objects'],
      [{ ...base, idCounter: 'x', objects: [] }, 'idCounter'],
      [{ ...base, objects: [{ $class: 'Nope' }] }, 'objects.0.$class'],
      [{ ...base, objects: [{ $class: 'Folder', self: { $ref: ['Folder', 'group-d1'] }, name: { $typed: null } }] }, 'objects'],
    ];
    for (const [document, field] of cases) {
      const reply = await send('PUT', '/_sim/state', document);
      expect(reply, field).toMatchObject({ status: 400, json: { error: 'invalid_argument', field } });
    }
    expect(sim.vc.registry.size).toBe(objects);
  });
});
