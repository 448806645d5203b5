/** POST /_sim/actions/sessions-expire and sim.sessions.expire: sessions end, SOAP clients get NotAuthenticated, REST clients 401. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { control, http, serviceInstance, soapFault } from '../support/control.js';
import { RestTestClient } from './rest-support.js';

describe('sessions expire', () => {
  let sim: Simulator;
  let rest: RestTestClient;
  const soapClients: SoapClient[] = [];

  beforeAll(async () => {
    sim = await createSimulator();
    rest = new RestTestClient(sim);
  });
  afterEach(() => {
    sim.sessions.expire();
    for (const client of soapClients.splice(0)) client.close();
  });
  afterAll(async () => {
    rest?.close();
    await sim?.close();
  });

  const soapLogin = async (user: string) => {
    const client = new SoapClient({ url: sim.url });
    soapClients.push(client);
    await client.login(user, 'pass');
    return client;
  };
  /** Whether the SOAP client's session still works (else: NotAuthenticated). */
  const soapAlive = async (client: SoapClient) => {
    const reply = await client.call('CurrentTime', serviceInstance);
    if (reply.status === 200) return true;
    expect(soapFault(reply.body).type).toBe('NotAuthenticated');
    return false;
  };
  const restAlive = async (token: string) => {
    const reply = await rest.get('/api/session', token);
    if (reply.status === 200) return true;
    expect(reply.status).toBe(401);
    expect(reply.json).toMatchObject({ error_type: 'UNAUTHENTICATED' });
    return false;
  };
  const sessionKey = () => sim.journal.entries({ method: 'Login', limit: 1 })[0]!.session!;

  it('over HTTP without a body: every session ends, SOAP and REST alike; the count is returned', async () => {
    const alice = await soapLogin('alice');
    const bob = await soapLogin('bob');
    const token = await rest.login('alice', 'pass');
    const legacy = await rest.login('bob', 'pass', 'rest');
    expect(await soapAlive(alice)).toBe(true);
    expect(await restAlive(token)).toBe(true);

    const reply = await control(sim).post('/actions/sessions-expire');
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ expired: 4 });

    expect(await soapAlive(alice)).toBe(false);
    expect(await soapAlive(bob)).toBe(false);
    expect(await restAlive(token)).toBe(false);
    const old = await rest.send('POST', '/rest/com/vmware/cis/session?~action=get', { token: legacy });
    expect(old.status).toBe(401);
    expect(old.json).toMatchObject({ type: 'com.vmware.vapi.std.errors.unauthenticated' });
    // Nothing left to end; logging in again works.
    expect((await control(sim).post('/actions/sessions-expire', {})).json).toEqual({ expired: 0 });
    expect(await restAlive(await rest.login('alice', 'pass'))).toBe(true);
  });

  it('by user, over HTTP: only that user\'s sessions (SOAP and REST) end', async () => {
    const alice = await soapLogin('alice');
    const bob = await soapLogin('bob');
    const aliceToken = await rest.login('alice', 'pass');
    const bobToken = await rest.login('bob', 'pass');

    const reply = await control(sim).post('/actions/sessions-expire', { user: 'alice' });
    expect(reply.json).toEqual({ expired: 2 });
    expect(await soapAlive(alice)).toBe(false);
    expect(await restAlive(aliceToken)).toBe(false);
    expect(await soapAlive(bob)).toBe(true);
    expect(await restAlive(bobToken)).toBe(true);
  });

  it('by session id, over HTTP: a SOAP cookie or a REST token', async () => {
    const alice = await soapLogin('alice');
    const soapKey = sessionKey();
    const other = await soapLogin('alice');
    const token = await rest.login('alice', 'pass');
    const otherToken = await rest.login('alice', 'pass');

    expect((await control(sim).post('/actions/sessions-expire', { sessionId: soapKey })).json).toEqual({ expired: 1 });
    expect(await soapAlive(alice)).toBe(false);
    expect(await soapAlive(other)).toBe(true);

    expect((await control(sim).post('/actions/sessions-expire', { sessionId: token })).json).toEqual({ expired: 1 });
    expect(await restAlive(token)).toBe(false);
    expect(await restAlive(otherToken)).toBe(true);

    expect((await control(sim).post('/actions/sessions-expire', { sessionId: 'no-such-session' })).json).toEqual({ expired: 0 });
  });

  it('the same over TypeScript: all, by user, by session id', async () => {
    const alice = await soapLogin('alice');
    const bob = await soapLogin('bob');
    const bobKey = sessionKey();
    const token = await rest.login('carol', 'pass');

    expect(sim.sessions.expire({ sessionId: bobKey })).toEqual({ expired: 1 });
    expect(await soapAlive(bob)).toBe(false);
    expect(await soapAlive(alice)).toBe(true);

    expect(sim.sessions.expire({ user: 'car*' })).toEqual({ expired: 1 });
    expect(await restAlive(token)).toBe(false);
    expect(await soapAlive(alice)).toBe(true);

    const again = await rest.login('dave', 'pass');
    expect(sim.sessions.expire()).toEqual({ expired: 2 });
    expect(await soapAlive(alice)).toBe(false);
    expect(await restAlive(again)).toBe(false);
  });

  it('refuses bad bodies with 400 naming the field, and needs credentials', async () => {
    const unknown = await control(sim).post('/actions/sessions-expire', { usr: 'alice' });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ error: 'invalid_argument' });
    const wrongType = await control(sim).post('/actions/sessions-expire', { user: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json).toMatchObject({ error: 'invalid_argument', field: 'user' });
    expect((await control(sim).post('/actions/sessions-expire', 'not json')).status).toBe(400);
    expect((await control(sim, null).post('/actions/sessions-expire')).status).toBe(401);
  });

  it('is listed in the OpenAPI document, its body optional', async () => {
    const doc = (await http(`${sim.controlUrl}/openapi.json`)).json;
    const op = doc.paths['/_sim/actions/sessions-expire'].post;
    expect(op.operationId).toBe('expireSessions');
    expect(op.requestBody.required).toBe(false);
    expect(op.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SessionsExpire' });
    expect(Object.keys(doc.components.schemas.SessionsExpire.properties).sort()).toEqual(['sessionId', 'user']);
    expect(op.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SessionsExpired' });
    expect(op.responses['401']).toBeDefined();
  });
});
