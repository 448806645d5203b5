/** Failures the HTTP framework raises, each answered in the form of the API the path belongs to. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';

const basic = 'Basic ' + Buffer.from('user:pass').toString('base64');
const isSoapClientFault = (body: string) => /<soapenv:Fault><faultcode>ClientFaultCode<\/faultcode><faultstring>[^<]+<\/faultstring><\/soapenv:Fault>/.test(body);

describe('framework errors in each API form', () => {
  let sim: Simulator;
  let token: string;
  const send = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: string, headers: Record<string, string> = {}) =>
    sim.app.inject({ method, url, payload, headers: { 'vmware-api-session-id': token, ...headers } });

  beforeAll(async () => {
    sim = await createSimulator({});
    token = (await sim.app.inject({ method: 'POST', url: '/api/session', headers: { authorization: basic } })).json();
  });
  afterAll(() => sim.close());

  it('a URL that does not percent-decode: vAPI 400 on /api and /rest, a SOAP client fault on /sdk, control JSON on /_sim', async () => {
    const api = await send('GET', '/api/vcenter/vm/%E0%A4%A');
    expect(api.statusCode).toBe(400);
    expect(api.json()).toMatchObject({ error_type: 'INVALID_REQUEST', messages: [{ default_message: 'The request URL is not validly percent-encoded' }] });
    const rest = await send('GET', '/rest/vcenter/vm/%zz');
    expect(rest.statusCode).toBe(400);
    expect(rest.json()).toMatchObject({ type: 'com.vmware.vapi.std.errors.invalid_request', value: { error_type: 'INVALID_REQUEST' } });
    const soap = await send('POST', '/sdk/%zz', '<x/>');
    expect(soap.statusCode).toBe(400);
    expect(soap.headers['content-type']).toMatch(/^text\/xml/);
    expect(isSoapClientFault(soap.body)).toBe(true);
    const control = await send('GET', '/_sim/faults/%zz', undefined, { authorization: basic });
    expect(control.statusCode).toBe(400);
    expect(control.json()).toEqual({ error: 'invalid_request', message: 'The request URL is not validly percent-encoded' });
  });

  it('a path parameter longer than any identifier: 414 in vAPI form, without the URL echoed', async () => {
    const long = 'x'.repeat(5000);
    const api = await send('GET', `/api/vcenter/vm/${long}`);
    expect(api.statusCode).toBe(414);
    expect(api.json().error_type).toBe('INVALID_REQUEST');
    expect(api.body).not.toContain(long);
    const tagLike = await send('GET', `/api/vcenter/vm/urn:vmomi:InventoryServiceTag:${'a'.repeat(120)}:GLOBAL`);
    expect(tagLike.statusCode).toBe(404); // long, but an id vCenter could make: looked up, not refused
  });

  it('an unknown route outside the APIs and under /_sim answers the control JSON 404', async () => {
    for (const url of ['/nothing', '/_sim/nothing']) {
      const reply = await send('GET', url, undefined, { authorization: basic });
      expect(reply.statusCode).toBe(404);
      expect(reply.json()).toEqual({ error: 'not_found', message: `No route for GET ${url}` });
    }
  });

  it('a SOAP body over the size limit: 413 with a SOAP client fault', async () => {
    const small = await createSimulator({ bodyLimit: 4096 });
    try {
      const reply = await small.app.inject({ method: 'POST', url: '/sdk', payload: 'x'.repeat(8192), headers: { 'content-type': 'text/xml' } });
      expect(reply.statusCode).toBe(413);
      expect(isSoapClientFault(reply.body)).toBe(true);
    } finally {
      await small.close();
    }
  });

  it('a REST body declared as anything but JSON: 415 in vAPI form; JSON with a charset, or no type, is read', async () => {
    const form = await send('POST', '/api/vcenter/vm', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.statusCode).toBe(415);
    expect(form.json()).toMatchObject({ error_type: 'INVALID_REQUEST', messages: [{ id: 'com.vmware.vapi.rest.unsupported_media_type' }] });
    const legacy = await send('POST', '/rest/vcenter/vm', '{}', { 'content-type': 'text/plain' });
    expect(legacy.statusCode).toBe(415);
    expect(legacy.json().type).toBe('com.vmware.vapi.std.errors.invalid_request');
    for (const type of ['application/json; charset=utf-8', undefined]) {
      const reply = await send('POST', '/api/vcenter/vm', '{"name": 1}', type ? { 'content-type': type } : {});
      expect(reply.statusCode, type).toBe(400); // read as JSON, refused by the schema
      expect(reply.json().error_type).toBe('INVALID_ARGUMENT');
    }
  });

  it('a REST body over 2 MiB: 413 in vAPI form, though the SOAP limit is larger', async () => {
    const reply = await send('POST', '/api/vcenter/vm', JSON.stringify({ name: 'x'.repeat(2_200_000) }), { 'content-type': 'application/json' });
    expect(reply.statusCode).toBe(413);
    expect(reply.json().error_type).toBe('INVALID_REQUEST');
  });

  it('the SSO endpoints answer bodies too large or of no type in their own forms: a WS-Trust fault, a SOAP fault, an RFC 6749 error', async () => {
    const sts = await send('POST', '/sts/STSService', 'x'.repeat(600_000), { 'content-type': 'text/xml' });
    expect(sts.statusCode).toBe(500);
    expect(sts.body).toMatch(/<S:Fault><faultcode [^>]*>wst:InvalidRequest<\/faultcode><faultstring>Request body is too large<\/faultstring>/);
    const lookup = await send('POST', '/lookupservice/sdk', 'x'.repeat(100_000), { 'content-type': 'text/xml' });
    expect(lookup.statusCode).toBe(413);
    expect(isSoapClientFault(lookup.body)).toBe(true);
    const token = await send('POST', '/acs/t/CUSTOMER/token', `grant_type=${'x'.repeat(70_000)}`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect([token.statusCode, token.json()]).toEqual([413, { error: 'invalid_request', error_description: 'Request body is too large' }]);
    for (const url of ['/acs/t/CUSTOMER/token', '/api/vcenter/authentication/token']) {
      const untyped = await send('POST', url, 'grant_type=client_credentials', { 'content-type': '' });
      expect([untyped.statusCode, untyped.json().error], url).toEqual([400, 'invalid_request']);
    }
    const unknown = await send('GET', '/acs/t/CUSTOMER/nothing');
    expect([unknown.statusCode, unknown.json()]).toEqual([404, { error: 'not_found', error_description: 'No route for GET /acs/t/CUSTOMER/nothing' }]);
  });
});
