import { decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { Directory } from '../../models/core/directory.js';
import { OAuthError, OAuthServer, type TokenRequest } from '../../models/admin/oauth-server.js';
import { oauthSchema, topologyFromFlags } from '../../models/inventory/topology.js';
import { VCenter } from '../../models/vcenter.js';

const issuer = 'https://vc.example/acs/t/CUSTOMER';
const audience = 'vcenter-under-test';
const directory = new Directory({ topology: { users: [{ username: 'alice', password: 'a-pass' }, { username: 'svc-backup', password: 'unused' }] } });
const settings = oauthSchema.parse({
  accessTokenLifetime: 300,
  refreshTokenLifetime: 3600,
  clients: [
    { id: 'backup', secret: 'backup-secret', user: 'svc-backup@vsphere.local', scopes: ['openid', 'vcenter'] },
    { id: 'portal', secret: 'portal-secret' },
  ],
});

/** The OAuthError code `promise` rejects with. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OAuthError) return error.code;
    throw error;
  }
  throw new Error('expected an OAuthError');
}

describe('OAuthServer', () => {
  let now: number;
  let server: OAuthServer;
  const backup = () => server.authenticateClient('backup', 'backup-secret');
  const portal = () => server.authenticateClient('portal', 'portal-secret');
  const token = (client: ReturnType<typeof backup>, request: TokenRequest) => server.token(client, request, issuer);
  const advance = (seconds: number) => (now += seconds * 1000);

  beforeEach(() => {
    now = Date.parse('2026-01-01T00:00:00Z');
    server = new OAuthServer(settings, directory, () => new Date(now), audience);
  });

  it('authenticates clients by id and secret, refusing unknown ids and wrong secrets alike', () => {
    expect(backup().id).toBe('backup');
    for (const [id, secret] of [['backup', 'wrong'], ['backup', 'backup-secre'], ['nobody', 'backup-secret'], ['backup', '']]) {
      expect(() => server.authenticateClient(id!, secret!)).toThrow(expect.objectContaining({ code: 'invalid_client' }));
    }
  });

  it('issues a signed JWT for client_credentials, acting as the client\'s user, with no refresh token', async () => {
    const out = await token(backup(), { grant_type: 'client_credentials' });
    expect(out).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'openid vcenter' });
    expect(out.refresh_token).toBeUndefined();
    const claims = decodeJwt(out.access_token);
    expect(claims).toMatchObject({ iss: issuer, sub: 'VSPHERE.LOCAL\\svc-backup', aud: audience, client_id: 'backup', scope: 'openid vcenter' });
    expect(claims.iat).toBe(now / 1000);
    expect(claims.exp).toBe(now / 1000 + 300);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    // The JWKS verifies it, as a resource server or client library would.
    const { keys } = await server.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: decodeProtectedHeader(out.access_token).kid });
    const verified = await jwtVerify(out.access_token, await importJWK(keys[0]!, 'RS256'), { currentDate: new Date(now), issuer, audience });
    expect(verified.payload.sub).toBe('VSPHERE.LOCAL\\svc-backup');
    expect((await server.verify(out.access_token))?.principal).toBe('VSPHERE.LOCAL\\svc-backup');
  });

  it('grants the scopes asked for that the client has, ignoring the others; invalid_scope when none is its own', async () => {
    expect((await token(backup(), { grant_type: 'client_credentials', scope: 'vcenter admin' })).scope).toBe('vcenter');
    expect(await codeOf(token(backup(), { grant_type: 'client_credentials', scope: 'admin' }))).toBe('invalid_scope');
  });

  it('refuses client_credentials to a client with no user, and unknown or missing grant types', async () => {
    expect(await codeOf(token(portal(), { grant_type: 'client_credentials' }))).toBe('unauthorized_client');
    expect(await codeOf(token(portal(), { grant_type: 'authorization_code' }))).toBe('unsupported_grant_type');
    expect(await codeOf(token(portal(), {}))).toBe('invalid_request');
  });

  it('issues tokens for a user\'s password, in any login form; invalid_grant for a wrong one, invalid_request for a missing one', async () => {
    const out = await token(portal(), { grant_type: 'password', username: 'alice@vsphere.local', password: 'a-pass' });
    expect(decodeJwt(out.access_token).sub).toBe('VSPHERE.LOCAL\\alice');
    expect(out.refresh_token).toMatch(/^[\w-]{43}$/);
    expect(await codeOf(token(portal(), { grant_type: 'password', username: 'alice', password: 'nope' }))).toBe('invalid_grant');
    expect(await codeOf(token(portal(), { grant_type: 'password', username: 'alice' }))).toBe('invalid_request');
    expect(await codeOf(token(portal(), { grant_type: 'password', password: 'a-pass' }))).toBe('invalid_request');
  });

  it('rotates refresh tokens: each is good once, and a replayed one revokes everything issued from the grant', async () => {
    const first = await token(portal(), { grant_type: 'password', username: 'alice', password: 'a-pass' });
    const second = await token(portal(), { grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.access_token).sub).toBe('VSPHERE.LOCAL\\alice');
    const third = await token(portal(), { grant_type: 'refresh_token', refresh_token: second.refresh_token });
    expect(await server.verify(third.access_token)).toBeDefined();

    expect(await codeOf(token(portal(), { grant_type: 'refresh_token', refresh_token: first.refresh_token }))).toBe('invalid_grant');
    // The replay ended the whole grant: the live tokens and the latest refresh token.
    expect(await server.verify(third.access_token)).toBeUndefined();
    expect(await codeOf(token(portal(), { grant_type: 'refresh_token', refresh_token: third.refresh_token }))).toBe('invalid_grant');
  });

  it('refuses another client\'s, an unknown or a missing refresh token, and a wider scope than granted', async () => {
    const out = await token(backup(), { grant_type: 'password', username: 'alice', password: 'a-pass' });
    expect(await codeOf(token(portal(), { grant_type: 'refresh_token', refresh_token: out.refresh_token }))).toBe('invalid_grant');
    expect(await codeOf(token(backup(), { grant_type: 'refresh_token', refresh_token: 'made-up' }))).toBe('invalid_grant');
    expect(await codeOf(token(backup(), { grant_type: 'refresh_token' }))).toBe('invalid_request');
    expect(await codeOf(token(backup(), { grant_type: 'refresh_token', refresh_token: out.refresh_token, scope: 'openid admin' }))).toBe('invalid_scope');
    const narrower = await token(backup(), { grant_type: 'refresh_token', refresh_token: out.refresh_token, scope: 'vcenter' });
    expect(narrower.scope).toBe('vcenter');
    // The grant keeps its scope: the next refresh may ask for all of it again.
    expect((await token(backup(), { grant_type: 'refresh_token', refresh_token: narrower.refresh_token })).scope).toBe('openid vcenter');
  });

  it('expires access and refresh tokens on the simulator\'s clock', async () => {
    const out = await token(portal(), { grant_type: 'password', username: 'alice', password: 'a-pass' });
    expect(await server.verify(out.access_token)).toBeDefined();
    advance(299);
    expect(server.verifyCached(out.access_token)).toBeDefined();
    advance(1);
    expect(server.verifyCached(out.access_token)).toBeUndefined();
    expect(await server.verify(out.access_token)).toBeUndefined();
    // Once expired tokens are forgotten (at the next issue), the signature check refuses it too.
    await token(backup(), { grant_type: 'client_credentials' });
    expect(server.seen(out.access_token)).toBe(false);
    expect(await server.verify(out.access_token)).toBeUndefined();
    advance(3600 - 300);
    expect(await codeOf(token(portal(), { grant_type: 'refresh_token', refresh_token: out.refresh_token }))).toBe('invalid_grant');
  });

  it('revokes an access token alone, or a refresh token with every access token of its grant (RFC 7009)', async () => {
    const a = await token(portal(), { grant_type: 'password', username: 'alice', password: 'a-pass' });
    const b = await token(portal(), { grant_type: 'password', username: 'alice', password: 'a-pass' });
    await server.revoke(portal(), a.access_token);
    expect(await server.verify(a.access_token)).toBeUndefined();
    expect(await server.verify(b.access_token)).toBeDefined();
    // The revoked access token's refresh token still works (its grant lives on).
    const a2 = await token(portal(), { grant_type: 'refresh_token', refresh_token: a.refresh_token });
    await server.revoke(portal(), a2.refresh_token!);
    expect(await server.verify(a2.access_token)).toBeUndefined();
    expect(await codeOf(token(portal(), { grant_type: 'refresh_token', refresh_token: a2.refresh_token }))).toBe('invalid_grant');
    // Unknown and malformed tokens are no error; another client's token is refused.
    await server.revoke(portal(), 'not-a-token');
    await server.revoke(portal(), b.access_token.slice(0, -4));
    expect(await codeOf(server.revoke(backup(), b.access_token))).toBe('invalid_request');
    expect(await server.verify(b.access_token)).toBeDefined();
  });

  it('refuses tampered, re-signed and foreign tokens', async () => {
    const out = await token(backup(), { grant_type: 'client_credentials' });
    const [header, payload, signature] = out.access_token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'VSPHERE.LOCAL\\Administrator' })).toString('base64url');
    expect(await server.verify(`${header}.${forged}.${signature}`)).toBeUndefined();
    const unsigned = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    expect(await server.verify(`${unsigned}.${payload}.`)).toBeUndefined();
    const flipped = signature!.slice(0, 10) + (signature![10] === 'A' ? 'B' : 'A') + signature!.slice(11);
    expect(await server.verify(`${header}.${payload}.${flipped}`)).toBeUndefined();
    // The same claims signed by another server's key.
    const other = new OAuthServer(settings, directory, () => new Date(now), audience);
    const foreign = await other.token(other.authenticateClient('backup', 'backup-secret'), { grant_type: 'client_credentials' }, issuer);
    expect(await server.verify(foreign.access_token)).toBeUndefined();
    expect(await server.verify('garbage')).toBeUndefined();
    expect(await server.verify(out.access_token)).toBeDefined();
  });

  it('refuses at start a client acting as a user the directory does not know', () => {
    const topology = { ...topologyFromFlags({}), users: [{ username: 'alice', password: 'a-pass' }] };
    const oauth = oauthSchema.parse({ clients: [{ id: 'x', secret: 's', user: 'mallory' }] });
    expect(() => new VCenter({ topology: { ...topology, oauth } })).toThrow("oauth.clients[0] (x): user 'mallory' is not a configured user");
    const known = oauthSchema.parse({ clients: [{ id: 'x', secret: 's', user: 'VSPHERE.LOCAL\\alice' }] });
    expect(new VCenter({ topology: { ...topology, oauth: known } }).oauth.tenant).toBe('CUSTOMER');
  });

  it('refuses duplicate client ids in the topology', () => {
    const parsed = oauthSchema.safeParse({ clients: [{ id: 'x', secret: 'a' }, { id: 'x', secret: 'b' }] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['clients', 1, 'id'], message: "duplicate client id 'x'" });
  });
});
