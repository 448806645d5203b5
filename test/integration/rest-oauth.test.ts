/**
 * OAuth 2.0 over real HTTPS: the token service at /acs/t/<tenant>/ (grants, client
 * authentication, RFC 6749 errors, revocation, discovery and JWKS) and /api and /rest taking its
 * access tokens as `Authorization: Bearer`, or opening a session with one; the 401s of bad,
 * expired and revoked tokens.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthSchema, topologyFromFlags } from '../../models/inventory/topology.js';
import { connect } from '../../client/index.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { basic, RestTestClient, type RestReply } from './rest-support.js';

const topology = {
  ...topologyFromFlags({}),
  users: [
    { username: 'administrator@vsphere.local', password: 'Admin!23' },
    { username: 'alice', password: 'a-pass' },
    { username: 'svc-backup', password: 'unused' },
  ],
  oauth: oauthSchema.parse({
    accessTokenLifetime: 600,
    clients: [
      { id: 'backup', secret: 's3cret+/=', user: 'svc-backup', scopes: ['openid', 'vcenter'] },
      { id: 'portal', secret: 'portal-secret' },
    ],
  }),
};

const tenant = '/acs/t/CUSTOMER';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formType = { 'content-type': 'application/x-www-form-urlencoded' };
/** RFC 6749 §2.3.1: id and secret are form-encoded before they go into Basic. */
const clientBasic = (id: string, secret: string) => basic(encodeURIComponent(id), encodeURIComponent(secret));
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('OAuth 2.0 token service and bearer tokens on /api', () => {
  let sim: Simulator;
  let rest: RestTestClient;

  const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    rest.send('POST', path, { headers: { ...formType, ...headers }, body: form(fields) });
  const backupToken = async () => (await post(`${tenant}/token`, { grant_type: 'client_credentials' }, { authorization: clientBasic('backup', 's3cret+/=') })).json.access_token as string;
  const aliceTokens = async () => (await post(`${tenant}/token`, { grant_type: 'password', username: 'alice', password: 'a-pass', client_id: 'portal', client_secret: 'portal-secret' })).json;
  const advanceClock = async (seconds: number) => {
    const reply = await rest.send('POST', '/_sim/actions/clock-advance', { headers: { authorization: basic(sim.username, sim.password), 'content-type': 'application/json' }, body: JSON.stringify({ seconds }) });
    expect(reply.status).toBe(200);
  };
  const expectInvalidToken = (reply: RestReply) => {
    expect(reply.status).toBe(401);
    expect(reply.json).toMatchObject({ error_type: 'UNAUTHENTICATED' });
    expect(reply.headers['www-authenticate']).toMatch(/^Bearer realm="VAPI endpoint", error="invalid_token"/);
  };

  beforeAll(async () => {
    sim = await createSimulator({ topology });
    rest = new RestTestClient(sim);
  });
  afterAll(async () => {
    rest.close();
    await sim.close();
  });

  it('publishes its endpoints by OpenID discovery, at the tenant and at the root, and its keys as a JWKS', async () => {
    const discovery = await rest.get(`${tenant}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    const issuer = `${rest.base}${tenant}`;
    expect(discovery.json).toMatchObject({
      issuer,
      token_endpoint: `${issuer}/token`,
      revocation_endpoint: `${issuer}/revoke`,
      jwks_uri: `${issuer}/jwks`,
      grant_types_supported: ['client_credentials', 'password', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['openid', 'vcenter'],
    });
    expect((await rest.get('/.well-known/openid-configuration')).json).toEqual(discovery.json);
    const jwks = await rest.get(`${tenant}/jwks`);
    expect(jwks.headers['content-type']).toMatch(/^application\/jwk-set\+json/);
    expect(jwks.json.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String), n: expect.any(String), e: 'AQAB' })]);
    expect((await rest.get('/acs/t/other/jwks')).status).toBe(404);
  });

  it('issues a client_credentials token to a client authenticated by Basic; the JWKS verifies it', async () => {
    const reply = await post(`${tenant}/token`, { grant_type: 'client_credentials', scope: 'vcenter' }, { authorization: clientBasic('backup', 's3cret+/=') });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers.pragma).toBe('no-cache');
    expect(reply.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 600, scope: 'vcenter' });
    // What a resource server does with discovery: fetch the JWKS and check the token.
    const issuer = `${rest.base}${tenant}`;
    const keys = createLocalJWKSet((await rest.get(`${tenant}/jwks`)).json);
    const verified = await jwtVerify(reply.json.access_token, keys, { issuer, currentDate: sim.vc.now() });
    expect(verified.payload).toMatchObject({ sub: 'VSPHERE.LOCAL\\svc-backup', client_id: 'backup', scope: 'vcenter', iss: issuer });
  });

  it('takes the bearer token on /api and /rest: the token\'s user is the caller', async () => {
    const token = await backupToken();
    const api = await rest.send('GET', '/api/vcenter/vm', { headers: bearer(token) });
    expect(api.status).toBe(200);
    expect(api.json.length).toBe(sim.vc.registry.ofType('VirtualMachine').length);
    const legacy = await rest.send('GET', '/rest/vcenter/host', { headers: bearer(token) });
    expect(legacy.status).toBe(200);
    expect(legacy.json.value.length).toBe(sim.vc.registry.ofType('HostSystem').length);
    const [entry] = sim.journal.entries({ limit: 1 });
    expect(entry).toMatchObject({ method: 'GET /rest/vcenter/host', user: 'VSPHERE.LOCAL\\svc-backup', outcome: 'ok' });
    // A bearer token is not a session: the session routes want a session id.
    expect((await rest.send('GET', '/api/session', { headers: bearer(token) })).status).toBe(401);
  });

  it('opens an ordinary session with a bearer token (POST /api/session), as federated vCenter 8 does', async () => {
    const { access_token } = await aliceTokens();
    const created = await rest.send('POST', '/api/session', { headers: bearer(access_token) });
    expect(created.status).toBe(201);
    const info = await rest.get('/api/session', created.json);
    expect(info.json).toMatchObject({ user: 'VSPHERE.LOCAL\\alice' });
    const legacy = await rest.send('POST', '/rest/com/vmware/cis/session', { headers: { ...bearer(access_token), 'vmware-use-header-authn': 'true' } });
    expect(legacy.status).toBe(200);
    expect((await rest.get('/rest/com/vmware/cis/session', legacy.json.value)).json.value.user).toBe('VSPHERE.LOCAL\\alice');
    const journaled = sim.journal.entries().filter((e) => e.method === 'POST /api/session').at(-1);
    expect(journaled).toMatchObject({ user: 'VSPHERE.LOCAL\\alice', outcome: 'ok' });
    expectInvalidToken(await rest.send('POST', '/api/session', { headers: bearer('not-a-token') }));
  });

  it('issues tokens for a password with client_secret_post and rotates refresh tokens', async () => {
    const first = await aliceTokens();
    expect(first).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String), scope: 'openid' });
    const refreshed = await post(`${tenant}/token`, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, { authorization: clientBasic('portal', 'portal-secret') });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.refresh_token).not.toBe(first.refresh_token);
    expect((await rest.send('GET', '/api/vcenter/datacenter', { headers: bearer(refreshed.json.access_token) })).status).toBe(200);
    const replay = await post(`${tenant}/token`, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, { authorization: clientBasic('portal', 'portal-secret') });
    expect(replay.status).toBe(400);
    expect(replay.json).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
    // The replay revoked the grant: the token the good refresh gave is dead too.
    expectInvalidToken(await rest.send('GET', '/api/vcenter/datacenter', { headers: bearer(refreshed.json.access_token) }));
  });

  it('answers bad requests in RFC 6749\'s form: invalid_client 401, the others 400', async () => {
    const wrongSecret = await post(`${tenant}/token`, { grant_type: 'client_credentials' }, { authorization: clientBasic('backup', 'nope') });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect(wrongSecret.headers['cache-control']).toBe('no-store');
    expect(wrongSecret.json).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    const cases: [Record<string, string>, Record<string, string>, number, string][] = [
      [{ grant_type: 'client_credentials' }, {}, 401, 'invalid_client'],
      [{ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' }, {}, 401, 'invalid_client'],
      [{ grant_type: 'client_credentials', client_id: 'portal', client_secret: 'portal-secret' }, {}, 400, 'unauthorized_client'],
      [{ grant_type: 'authorization_code', code: 'x', client_id: 'portal', client_secret: 'portal-secret' }, {}, 400, 'unsupported_grant_type'],
      [{ client_id: 'portal', client_secret: 'portal-secret' }, {}, 400, 'invalid_request'],
      [{ grant_type: 'password', username: 'alice', password: 'wrong', client_id: 'portal', client_secret: 'portal-secret' }, {}, 400, 'invalid_grant'],
      [{ grant_type: 'client_credentials', scope: 'admin' }, { authorization: clientBasic('backup', 's3cret+/=') }, 400, 'invalid_scope'],
      [{ grant_type: 'client_credentials', client_secret: 's3cret+/=' }, { authorization: clientBasic('backup', 's3cret+/=') }, 400, 'invalid_request'],
    ];
    for (const [fields, headers, status, error] of cases) {
      const reply = await post(`${tenant}/token`, fields, headers);
      expect([reply.status, reply.json.error], JSON.stringify(fields)).toEqual([status, error]);
    }
    const repeated = await rest.send('POST', `${tenant}/token`, { headers: formType, body: 'grant_type=password&grant_type=client_credentials&client_id=portal&client_secret=portal-secret' });
    expect([repeated.status, repeated.json.error]).toEqual([400, 'invalid_request']);
    const json = await rest.send('POST', `${tenant}/token`, { headers: { 'content-type': 'application/json', authorization: clientBasic('backup', 's3cret+/=') }, body: '{"grant_type":"client_credentials"}' });
    expect([json.status, json.json.error]).toEqual([400, 'invalid_request']);
    expect((await post('/acs/t/other/token', { grant_type: 'client_credentials' })).status).toBe(404);
  });

  it('refuses tampered and made-up tokens with 401 unauthenticated and an RFC 6750 challenge', async () => {
    const token = await backupToken();
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'VSPHERE.LOCAL\\Administrator' })).toString('base64url');
    for (const bad of [`${header}.${forged}.${signature}`, `${header}.${payload}.`, 'garbage', token.slice(0, -2)]) {
      expectInvalidToken(await rest.send('GET', '/api/vcenter/vm', { headers: bearer(bad) }));
    }
    // No credentials at all: vCenter's own challenge, as before.
    const none = await rest.get('/api/vcenter/vm');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Basic realm="VAPI endpoint"');
    expect((await rest.send('GET', '/api/vcenter/vm', { headers: bearer(token) })).status).toBe(200);
  });

  it('revokes tokens (RFC 7009): a revoked access token, and the tokens of a revoked refresh token, get 401', async () => {
    const token = await backupToken();
    expect((await rest.send('GET', '/api/vcenter/vm', { headers: bearer(token) })).status).toBe(200);
    const revoked = await post(`${tenant}/revoke`, { token, token_type_hint: 'access_token' }, { authorization: clientBasic('backup', 's3cret+/=') });
    expect(revoked.status).toBe(200);
    expectInvalidToken(await rest.send('GET', '/api/vcenter/vm', { headers: bearer(token) }));

    const alice = await aliceTokens();
    expect((await post(`${tenant}/revoke`, { token: alice.refresh_token, client_id: 'portal', client_secret: 'portal-secret' })).status).toBe(200);
    expectInvalidToken(await rest.send('GET', '/api/vcenter/vm', { headers: bearer(alice.access_token) }));
    // Unknown tokens are fine; a missing one, or no client authentication, is not.
    expect((await post(`${tenant}/revoke`, { token: 'unknown', client_id: 'portal', client_secret: 'portal-secret' })).status).toBe(200);
    expect((await post(`${tenant}/revoke`, { client_id: 'portal', client_secret: 'portal-secret' })).json.error).toBe('invalid_request');
    expect((await post(`${tenant}/revoke`, { token: 'unknown' })).status).toBe(401);
  });

  it('puts token requests in the journal under the user they authenticate, and meets the fault rules', async () => {
    await backupToken();
    const [entry] = sim.journal.entries({ limit: 1 });
    expect(entry).toMatchObject({ api: 'rest', method: 'POST /acs/t/{tenant}/token', path: `${tenant}/token`, user: 'VSPHERE.LOCAL\\svc-backup', status: 200, outcome: 'ok' });
    const { id } = sim.faults.add({ match: { api: 'rest', path: '/acs/*' }, action: { kind: 'http', status: 503, retryAfter: 1, contentType: 'application/json', body: '{"error":"temporarily_unavailable"}' }, times: 1 });
    const refused = await post(`${tenant}/token`, { grant_type: 'client_credentials' }, { authorization: clientBasic('backup', 's3cret+/=') });
    expect([refused.status, refused.headers['retry-after'], refused.json.error]).toEqual([503, '1', 'temporarily_unavailable']);
    expect((await post(`${tenant}/token`, { grant_type: 'client_credentials' }, { authorization: clientBasic('backup', 'nope') })).status).toBe(401);
    expect(sim.journal.entries({ limit: 1 })[0]).toMatchObject({ outcome: 'fault', fault: 'invalid_client', status: 401 });
    sim.faults.remove(id);
  });

  it('expires tokens on the simulator\'s clock (the control API\'s clock-advance); a refresh gets a fresh one', async () => {
    const alice = await aliceTokens();
    const session = (await rest.send('POST', '/api/session', { headers: bearer(alice.access_token) })).json;
    await advanceClock(601);
    expectInvalidToken(await rest.send('GET', '/api/vcenter/vm', { headers: bearer(alice.access_token) }));
    // The session it opened lives by its own idle timeout, not the token's.
    expect((await rest.get('/api/session', session)).status).toBe(200);
    const refreshed = await post(`${tenant}/token`, { grant_type: 'refresh_token', refresh_token: alice.refresh_token, client_id: 'portal', client_secret: 'portal-secret' });
    expect(refreshed.status).toBe(200);
    expect((await rest.send('GET', '/api/vcenter/vm', { headers: bearer(refreshed.json.access_token) })).status).toBe(200);
  });

  it("exchanges an access token for a SAML bearer token (RFC 8693, vCenter's /api/vcenter/authentication/token) that logs in on /sdk", async () => {
    const exchange = (fields: Record<string, string>) => post('/api/vcenter/authentication/token', { grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', ...fields });
    const { access_token } = await aliceTokens();
    const reply = await exchange({ subject_token: access_token, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token', requested_token_type: 'urn:ietf:params:oauth:token-type:saml2' });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ issued_token_type: 'urn:ietf:params:oauth:token-type:saml2', token_type: 'Bearer', expires_in: 300 });
    const saml = Buffer.from(reply.json.access_token as string, 'base64').toString('utf8');
    expect(saml).toMatch(/^<saml2:Assertion /);
    const client = await connect(sim.url, { token: saml, insecure: true });
    try {
      expect(client.session?.userName).toBe('VSPHERE.LOCAL\\alice');
    } finally {
      await client.close();
    }
    const accessType = { subject_token_type: 'urn:ietf:params:oauth:token-type:access_token' };
    expect((await exchange({ subject_token: `${access_token}x`, ...accessType })).json).toMatchObject({ error: 'invalid_grant' });
    expect((await exchange({ ...accessType })).json).toMatchObject({ error: 'invalid_request' });
    expect((await exchange({ subject_token: access_token, subject_token_type: 'urn:ietf:params:oauth:token-type:saml2' })).json).toMatchObject({ error: 'invalid_request' });
    const wrongGrant = await post('/api/vcenter/authentication/token', { grant_type: 'password', subject_token: access_token, ...accessType });
    expect([wrongGrant.status, wrongGrant.json.error]).toEqual([400, 'unsupported_grant_type']);
  });
});
