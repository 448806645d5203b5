/**
 * REST sessions over real HTTPS: both flavours, the token in header or cookie, a session made
 * from a SOAP session, the vAPI errors of missing, bad and expired credentials, and REST
 * sessions being SOAP sessions (sessionList).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { basic, RestTestClient } from './rest-support.js';

const sessionManager = { type: 'SessionManager', value: 'SessionManager' };
const collector = { type: 'PropertyCollector', value: 'propertyCollector' };
const sessionListSpec =
  '<specSet><propSet><type>SessionManager</type><pathSet>sessionList</pathSet></propSet>' +
  '<objectSet><obj type="SessionManager">SessionManager</obj></objectSet></specSet><options/>';

const unauthenticatedApi = {
  error_type: 'UNAUTHENTICATED',
  messages: [expect.objectContaining({ id: expect.any(String), default_message: expect.any(String), args: expect.any(Array) })],
};

describe('REST sessions', () => {
  let sim: Simulator;
  let rest: RestTestClient;

  beforeAll(async () => {
    sim = await createSimulator();
    rest = new RestTestClient(sim);
  });
  afterAll(async () => {
    rest.close();
    await sim.close();
  });

  describe('/api/session', () => {
    it('creates a session from Basic credentials: 201 and the token as a JSON string', async () => {
      const reply = await rest.send('POST', '/api/session', { headers: { authorization: basic('user', 'pass') } });
      expect(reply.status).toBe(201);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(typeof reply.json).toBe('string');
      expect(reply.text).toBe(JSON.stringify(reply.json));
      expect(reply.headers['set-cookie']).toBeUndefined();
    });

    it('accepts any body and content type on creation', async () => {
      const headers = { authorization: basic('user', 'pass'), 'content-type': 'text/plain' };
      const reply = await rest.send('POST', '/api/session', { headers, body: 'not json at all' });
      expect(reply.status).toBe(201);
    });

    it('reads the session: user, created_time, last_accessed_time', async () => {
      const before = Date.now();
      const token = await rest.login('alice', 'secret');
      const reply = await rest.get('/api/session', token);
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(reply.json).toEqual({ user: 'alice', created_time: expect.any(String), last_accessed_time: expect.any(String) });
      expect(Date.parse(reply.json.created_time)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(reply.json.last_accessed_time)).toBeGreaterThanOrEqual(Date.parse(reply.json.created_time));
    });

    it('takes the token from the vmware-api-session-id cookie too', async () => {
      const token = await rest.login();
      const reply = await rest.send('GET', '/api/session', { headers: { cookie: `other=1; vmware-api-session-id=${token}` } });
      expect(reply.status).toBe(200);
    });

    it('deletes the session with 204 and no body; the token is dead afterwards', async () => {
      const token = await rest.login();
      const deleted = await rest.send('DELETE', '/api/session', { token });
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      const after = await rest.get('/api/session', token);
      expect(after.status).toBe(401);
      expect(after.json).toEqual(unauthenticatedApi);
    });
  });

  describe('/rest/com/vmware/cis/session', () => {
    it('creates a session: {"value": token}, and sets the cookie vCenter sets', async () => {
      const reply = await rest.send('POST', '/rest/com/vmware/cis/session', { headers: { authorization: basic('user', 'pass') } });
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(reply.json).toEqual({ value: expect.any(String) });
      expect(String(reply.headers['set-cookie'])).toContain(`vmware-api-session-id=${reply.json.value}`);
    });

    it('sets no cookie when the client asks for header authentication', async () => {
      const headers = { authorization: basic('user', 'pass'), 'vmware-use-header-authn': 'true' };
      const reply = await rest.send('POST', '/rest/com/vmware/cis/session', { headers });
      expect(reply.status).toBe(200);
      expect(reply.headers['set-cookie']).toBeUndefined();
    });

    it('reads the session with GET and with POST ?~action=get', async () => {
      const token = await rest.login('bob', 'pw', 'rest');
      for (const reply of [
        await rest.get('/rest/com/vmware/cis/session', token),
        await rest.send('POST', '/rest/com/vmware/cis/session?~action=get', { token }),
      ]) {
        expect(reply.status).toBe(200);
        expect(reply.json.value).toEqual({ user: 'bob', created_time: expect.any(String), last_accessed_time: expect.any(String) });
      }
    });

    it('deletes the session with 200 and no body', async () => {
      const token = await rest.login('user', 'pass', 'rest');
      const deleted = await rest.send('DELETE', '/rest/com/vmware/cis/session', { token });
      expect(deleted.status).toBe(200);
      expect(deleted.text).toBe('');
      const after = await rest.send('POST', '/rest/com/vmware/cis/session?~action=get', { token });
      expect(after.status).toBe(401);
      expect(after.json).toEqual({
        type: 'com.vmware.vapi.std.errors.unauthenticated',
        value: { error_type: 'UNAUTHENTICATED', messages: [expect.objectContaining({ id: expect.any(String) })] },
      });
    });

    it('is the same session as /api: a token from one flavour works in the other', async () => {
      const token = await rest.login('carol', 'pw', 'rest');
      expect((await rest.get('/api/session', token)).json.user).toBe('carol');
    });
  });

  describe('authentication failures', () => {
    it('401 without credentials, in both forms, with a Basic challenge', async () => {
      const api = await rest.send('POST', '/api/session');
      expect(api.status).toBe(401);
      expect(api.headers['content-type']).toMatch(/^application\/json/);
      expect(api.headers['www-authenticate']).toMatch(/^Basic/);
      expect(api.json).toEqual(unauthenticatedApi);
      const legacy = await rest.send('POST', '/rest/com/vmware/cis/session');
      expect(legacy.status).toBe(401);
      expect(legacy.json.type).toBe('com.vmware.vapi.std.errors.unauthenticated');
    });

    it('401 for an empty user name or password under open login', async () => {
      for (const [user, password] of [['', 'pass'], ['user', '']]) {
        const reply = await rest.send('POST', '/api/session', { headers: { authorization: basic(user!, password!) } });
        expect(reply.status).toBe(401);
      }
    });

    it('401 for an unknown token and for a missing one', async () => {
      expect((await rest.get('/api/session', 'no-such-token')).status).toBe(401);
      expect((await rest.get('/api/vcenter/vm')).status).toBe(401);
      expect((await rest.get('/rest/vcenter/vm', 'no-such-token')).json.type).toBe('com.vmware.vapi.std.errors.unauthenticated');
    });

    it('Basic credentials open a session but do not authenticate other calls', async () => {
      const reply = await rest.send('GET', '/api/vcenter/vm', { headers: { authorization: basic('user', 'pass') } });
      expect(reply.status).toBe(401);
    });

    it('with configured credentials, only those log in', async () => {
      const strict = await createSimulator({ username: 'admin', password: 'VMware1!' });
      const client = new RestTestClient(strict);
      try {
        const bad = await client.send('POST', '/api/session', { headers: { authorization: basic('admin', 'wrong') } });
        expect(bad.status).toBe(401);
        expect(bad.json.error_type).toBe('UNAUTHENTICATED');
        // As over SOAP, the failed login is an event naming the user.
        const events = strict.vc.events.QueryEvents({ vc: strict.vc }, { filter: { eventTypeId: ['BadUsernameSessionEvent'] } });
        expect(events.map((e) => e.fullFormattedMessage)).toEqual(['Cannot login admin@127.0.0.1']);
        expect(await client.login('admin', 'VMware1!')).toEqual(expect.any(String));
      } finally {
        client.close();
        await strict.close();
      }
    });

    it('an idle session expires with the SOAP idle timeout', async () => {
      const short = await createSimulator({ sessionIdleTimeoutMs: 100 });
      const client = new RestTestClient(short);
      try {
        const token = await client.login();
        expect((await client.get('/api/session', token)).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 250));
        const expired = await client.get('/api/session', token);
        expect(expired.status).toBe(401);
        expect(expired.json.error_type).toBe('UNAUTHENTICATED');
      } finally {
        client.close();
        await short.close();
      }
    });
  });

  describe('REST sessions are SOAP sessions', () => {
    it('a REST session shows in SessionManager.sessionList over SOAP', async () => {
      const token = await rest.login('dave', 'pw');
      const soap = new SoapClient({ url: sim.url });
      try {
        await soap.login('user', 'pass');
        const reply = await soap.call('RetrievePropertiesEx', collector, sessionListSpec);
        expect(reply.status).toBe(200);
        expect(reply.body).toContain(`<key>${token}</key>`);
        expect(reply.body).toContain('<userName>dave</userName>');
        await rest.send('DELETE', '/api/session', { token });
        const after = await soap.call('RetrievePropertiesEx', collector, sessionListSpec);
        expect(after.body).not.toContain(`<key>${token}</key>`);
      } finally {
        soap.close();
      }
    });

    it('a live SOAP session cookie with vmware-use-header-authn opens a REST session for the same user', async () => {
      const soap = new SoapClient({ url: sim.url });
      try {
        const login = await soap.call('Login', sessionManager, '<userName>erin</userName><password>pw</password>');
        const cookie = String(login.headers['set-cookie']).split(';')[0]!;
        const headers = { cookie, 'vmware-use-header-authn': 'true' };
        const created = await rest.send('POST', '/rest/com/vmware/cis/session', { headers });
        expect(created.status).toBe(200);
        const token = created.json.value;
        expect(token).not.toBe(cookie.split('=')[1]!.replace(/"/g, ''));
        expect((await rest.get('/api/session', token)).json.user).toBe('erin');
        // Without the header, or with a dead SOAP session, the cookie is no credential.
        expect((await rest.send('POST', '/rest/com/vmware/cis/session', { headers: { cookie } })).status).toBe(401);
        await soap.logout();
        expect((await rest.send('POST', '/rest/com/vmware/cis/session', { headers })).status).toBe(401);
      } finally {
        soap.close();
      }
    });
  });
});
