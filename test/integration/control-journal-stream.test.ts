/** The journal's stream (SSE), coverage, trace file and traceparent. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { basic, control, serviceInstance } from '../support/control.js';
import { RestTestClient } from './rest-support.js';

/** Opens /_sim/journal/stream; `events` fills as events arrive; `close()` leaves. */
function openStream(sim: Simulator, query = '', headers: Record<string, string> = {}) {
  const events: { id?: string; event?: string; data: any }[] = [];
  let buffer = '';
  let status = 0;
  let contentType = '';
  let leave = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    const req = request(
      `${sim.controlUrl}/journal/stream${query}`,
      { headers: { authorization: basic(sim.username, sim.password), ...headers }, rejectUnauthorized: false, agent: false },
      (res) => {
        status = res.statusCode ?? 0;
        contentType = String(res.headers['content-type']);
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields: Record<string, string> = {};
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) continue;
              const colon = line.indexOf(': ');
              fields[line.slice(0, colon)] = line.slice(colon + 2);
            }
            if (fields.data !== undefined) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
          }
        });
        resolve();
      },
    );
    req.on('error', reject);
    req.end();
    leave = () => req.destroy();
  });
  const stream = { events, ready, close: () => leave(), status: () => status, contentType: () => contentType };
  return stream;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('journal stream, coverage, trace file', () => {
  let sim: Simulator;
  let soap: SoapClient;
  let traceFile: string;

  beforeAll(async () => {
    traceFile = join(mkdtempSync(join(tmpdir(), 'vcsim-trace-')), 'trace.jsonl');
    sim = await createSimulator({ journalFile: traceFile });
    soap = new SoapClient({ url: sim.url });
    await soap.login('user', 'pass');
  });
  beforeEach(() => sim.journal.clear());
  afterAll(async () => {
    soap?.close();
    await sim?.close();
  });

  it('GET /_sim/journal/stream sends each new call as an event, filtered by the query', async () => {
    const stream = openStream(sim, '?api=soap&method=CurrentTime');
    await stream.ready;
    expect(stream.status()).toBe(200);
    expect(stream.contentType()).toMatch(/^text\/event-stream/);
    await soap.call('RetrieveServiceContent', serviceInstance);
    await soap.call('CurrentTime', serviceInstance);
    await soap.call('CurrentTime', serviceInstance);
    await until(() => stream.events.length >= 2);
    stream.close();
    expect(stream.events.map((e) => [e.event, e.data.method, e.data.outcome])).toEqual([
      ['call', 'CurrentTime', 'ok'],
      ['call', 'CurrentTime', 'ok'],
    ]);
    expect(stream.events[0]!.id).toBe(String(stream.events[0]!.data.seq));
    expect(Number(stream.events[1]!.id)).toBeGreaterThan(Number(stream.events[0]!.id));
  });

  it('resumes after ?after= or Last-Event-ID: the recorded calls past it first, then new ones', async () => {
    await soap.call('CurrentTime', serviceInstance);
    await soap.call('CurrentTime', serviceInstance);
    await soap.call('CurrentTime', serviceInstance);
    const [first, second, third] = sim.journal.entries({ method: 'CurrentTime' }).map((e) => e.seq);
    const byQuery = openStream(sim, `?method=CurrentTime&after=${first}`);
    const byHeader = openStream(sim, '?method=CurrentTime', { 'last-event-id': String(second) });
    await Promise.all([byQuery.ready, byHeader.ready]);
    await until(() => byQuery.events.length >= 2 && byHeader.events.length >= 1);
    await soap.call('CurrentTime', serviceInstance);
    await until(() => byQuery.events.length >= 3 && byHeader.events.length >= 2);
    byQuery.close();
    byHeader.close();
    const fourth = sim.journal.entries({ method: 'CurrentTime' }).at(-1)!.seq;
    expect(byQuery.events.map((e) => e.data.seq)).toEqual([second, third, fourth]);
    expect(byHeader.events.map((e) => e.data.seq)).toEqual([third, fourth]);
  });

  it('the stream needs credentials and refuses a bad query with 400', async () => {
    expect((await control(sim, null).get('/journal/stream')).status).toBe(401);
    const bad = await control(sim).get('/journal/stream?api=ftp');
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('api');
  });

  it('the stream is in the OpenAPI document as text/event-stream', async () => {
    const doc = (await control(sim).get('/openapi.json')).json;
    const op = doc.paths['/_sim/journal/stream'].get;
    expect(op.operationId).toBe('streamJournal');
    expect(Object.keys(op.responses['200'].content)).toEqual(['text/event-stream']);
    expect(doc.paths['/_sim/coverage'].get.operationId).toBe('getCoverage');
  });

  it('GET /_sim/coverage counts methods and routes, and names those not implemented', async () => {
    const rest = new RestTestClient(sim);
    try {
      await soap.call('CurrentTime', serviceInstance);
      await soap.call('CurrentTime', serviceInstance);
      await soap.call('NoSuchMethod', serviceInstance);
      const token = await rest.login();
      await rest.get('/api/vcenter/vm', token);
      await rest.get('/api/vcenter/no-such-thing', token);
      await rest.get('/api/vcenter/vm/vm-999999', token); // a known route, an unknown VM: implemented
      const coverage = (await control(sim).get('/coverage')).json;
      const find = (api: string, method: string) => coverage.methods.find((m: any) => m.api === api && m.method === method);
      expect(find('soap', 'CurrentTime')).toEqual({ api: 'soap', method: 'CurrentTime', calls: 2, faults: 0, notImplemented: false });
      expect(find('soap', 'NoSuchMethod')).toMatchObject({ calls: 1, faults: 1, notImplemented: true });
      expect(find('rest', 'GET /api/vcenter/vm')).toMatchObject({ calls: 1, notImplemented: false });
      expect(find('rest', 'GET /api/vcenter/vm/{vm}')).toMatchObject({ calls: 1, faults: 1, notImplemented: false });
      expect(coverage.notImplemented.map((m: any) => `${m.api} ${m.method}`).sort()).toEqual(['rest GET /api/vcenter/no-such-thing', 'soap NoSuchMethod']);
      expect(coverage.calls).toBe(coverage.methods.reduce((sum: number, m: any) => sum + m.calls, 0));
      expect(sim.journal.coverage()).toEqual(coverage);
      sim.journal.clear();
      expect(sim.journal.coverage()).toEqual({ calls: 0, methods: [], notImplemented: [] });
    } finally {
      rest.close();
    }
  });

  it('records the client\'s traceparent on SOAP and REST calls', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const body =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
      '<CurrentTime xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></CurrentTime></soapenv:Body></soapenv:Envelope>';
    await soap.post(body, { traceparent });
    const rest = new RestTestClient(sim);
    try {
      await rest.send('GET', '/api/vcenter/vm', { headers: { traceparent } });
    } finally {
      rest.close();
    }
    const entries = sim.journal.entries();
    expect(entries.map((e) => [e.api, e.traceparent])).toEqual([
      ['soap', traceparent],
      ['rest', traceparent],
    ]);
  });

  it('records the operationID a SOAP client sends in its header (as govmomi does)', async () => {
    const body =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><operationID>op-1234-abcd</operationID></soapenv:Header>' +
      '<soapenv:Body><CurrentTime xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></CurrentTime></soapenv:Body></soapenv:Envelope>';
    expect((await soap.post(body)).status).toBe(200);
    await soap.call('CurrentTime', serviceInstance);
    expect(sim.journal.entries().map((e) => e.operationId)).toEqual(['op-1234-abcd', undefined]);
  });

  it('--trace-file appends every call as a JSON line', async () => {
    const own = join(mkdtempSync(join(tmpdir(), 'vcsim-trace-')), 'calls.jsonl');
    const traced = await createSimulator({ journalFile: own });
    const client = new SoapClient({ url: traced.url });
    try {
      await client.call('RetrieveServiceContent', serviceInstance);
      await client.call('CurrentTime', serviceInstance);
    } finally {
      client.close();
      await traced.close();
    }
    const lines = readFileSync(own, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.seq, l.api, l.method, l.outcome])).toEqual([
      [1, 'soap', 'RetrieveServiceContent', 'ok'],
      [2, 'soap', 'CurrentTime', 'fault'],
    ]);
  });
});
