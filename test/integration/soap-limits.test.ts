import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';

const envelope = (body: string) =>
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' + body + '</soapenv:Body></soapenv:Envelope>';
const call = (method: string, type: string, value: string, args = '') =>
  envelope(`<${method} xmlns="urn:vim25"><_this type="${type}">${value}</_this>${args}</${method}>`);
const login = call('Login', 'SessionManager', 'SessionManager', '<userName>user</userName><password>pass</password>');

function faultOf(body: string) {
  return { code: /<faultcode>([^<]*)</.exec(body)?.[1], type: /<detail><(\w+)Fault /.exec(body)?.[1], text: /<faultstring>([^<]*)</.exec(body)?.[1] };
}

describe('SOAP request limits', () => {
  let sim: Simulator;
  let cookie: string;
  const post = (payload: string, headers: Record<string, string> = {}) =>
    sim.app.inject({ method: 'POST', url: '/sdk', payload, headers: { 'content-type': 'text/xml', ...headers } });

  beforeAll(async () => {
    sim = await createSimulator({ maxXmlElements: 50_000 });
    const reply = await post(login);
    cookie = String(reply.headers['set-cookie']).split(';')[0]!;
  });
  afterAll(() => sim.close());

  it('refuses a large body from a caller without a session before parsing it', async () => {
    // Not even well-formed: the session check comes first, so it is never parsed.
    const reply = await post(`<soapenv:Envelope>${'<a>'.repeat(30_000)}`);
    expect(reply.statusCode).toBe(500);
    expect(faultOf(reply.body)).toMatchObject({ code: 'ServerFaultCode', type: 'NotAuthenticated' });
  });

  it('serves a large body from a session, parsed a slice at a time', async () => {
    const name = `n&amp;${'x'.repeat(200_000)}`;
    const time = await post(call('CurrentTime', 'ServiceInstance', 'ServiceInstance', `<unknown>${name}</unknown>`), { cookie });
    expect(time.statusCode).toBe(200);
    expect(time.body).toContain('<CurrentTimeResponse xmlns="urn:vim25"><returnval>');
  });

  it('answers a body with more elements than the limit with a client fault', async () => {
    const reply = await post(call('CurrentTime', 'ServiceInstance', 'ServiceInstance', '<a/>'.repeat(60_000)), { cookie });
    expect(reply.statusCode).toBe(500);
    expect(faultOf(reply.body)).toMatchObject({ code: 'ClientFaultCode', text: 'Malformed XML: More than 50000 elements' });
  });

  it('keeps serving small calls while a large body is parsed', async () => {
    const done: string[] = [];
    const big = post(call('CurrentTime', 'ServiceInstance', 'ServiceInstance', '<a>x</a>'.repeat(45_000)), { cookie });
    const small = post(call('CurrentTime', 'ServiceInstance', 'ServiceInstance'), { cookie });
    const [bigReply, smallReply] = await Promise.all([big.then((r) => (done.push('big'), r)), small.then((r) => (done.push('small'), r))]);
    expect([bigReply.statusCode, smallReply.statusCode]).toEqual([200, 200]);
    expect(done).toEqual(['small', 'big']); // sent second, answered first
  });
});
