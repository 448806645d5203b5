/**
 * The STS over HTTP: WS-Trust Issue, Renew and Validate with their faults, lifetimes by the
 * simulator's clock, and the tokens it issues logging in on /sdk (LoginByToken) and /api/session.
 */
import { X509Certificate } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, VimError } from '../../client/index.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { http } from '../support/control.js';
import { selfSigned } from '../../simulator/tls.js';
import { assertionOf, bearerToken, callSts, signRequest, stsFault, stsUrl, tokenRequest } from '../support/sts.js';

describe('STS', () => {
  let sim: Simulator;
  const alice = { username: 'alice@vsphere.local', password: 'Alice-pw1' };

  beforeAll(async () => {
    sim = await createSimulator({ topology: { ...topologyFromFlags({}), users: [alice] } });
  });
  afterAll(async () => {
    await sim?.close();
  });

  const loginByToken = (token: string) => connect(sim.url, { token, insecure: true });
  const restLogin = (token: string) =>
    http(sim.url.replace(/\/sdk$/, '/api/session'), { method: 'POST', headers: { authorization: `SIGN token="${gzipSync(token).toString('base64')}"` } });

  it('issues a bearer token whose subject logs in on /sdk as the user, with a login event', async () => {
    const token = await bearerToken(sim, alice.username, alice.password);
    expect(token).toContain('<saml2:NameID Format="http://schemas.xmlsoap.org/claims/UPN">alice@VSPHERE.LOCAL</saml2:NameID>');
    const client = await loginByToken(token);
    try {
      expect(client.session?.userName).toBe('VSPHERE.LOCAL\\alice');
    } finally {
      await client.close();
    }
  });

  it('answers wrong credentials with wst:FailedAuthentication, and requests it cannot serve with wst:InvalidRequest', async () => {
    expect(stsFault(await callSts(sim, { username: alice.username, password: 'wrong' }))).toEqual({ status: 500, code: 'wst:FailedAuthentication', message: 'Invalid credentials' });
    expect(stsFault(await callSts(sim, {}))).toMatchObject({ status: 500, code: 'wst:FailedAuthentication' });
    expect(stsFault(await callSts(sim, { ...alice, keyType: 'PublicKey' }))).toMatchObject({ code: 'wst:InvalidRequest' });
    const notTrust = '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><Login/></soapenv:Body></soapenv:Envelope>';
    expect(stsFault(await callSts(sim, notTrust))).toMatchObject({ code: 'wst:InvalidRequest' });
    expect(stsFault(await callSts(sim, '<not xml'))).toMatchObject({ status: 500, code: 'wsse:InvalidSecurity' });
    const backwards = tokenRequest({ ...alice, lifetimeMs: -60_000 });
    expect(stsFault(await callSts(sim, backwards))).toMatchObject({ code: 'wst:InvalidTimeRange' });
  });

  it('honours the requested lifetime up to the policy maximum (5 minutes for bearer tokens)', async () => {
    const lifetime = (reply: { text: string }) => {
      const [, created, expires] = /<wsu:Created[^>]*>([^<]*)<\/wsu:Created><wsu:Expires[^>]*>([^<]*)</.exec(reply.text)!;
      return (Date.parse(expires!) - Date.parse(created!)) / 1000;
    };
    expect(lifetime(await callSts(sim, { ...alice, lifetimeMs: 60_000 }))).toBe(60);
    expect(lifetime(await callSts(sim, { ...alice, lifetimeMs: 3600_000 }))).toBe(300);
    expect(lifetime(await callSts(sim, alice))).toBe(300);
  });

  it('issues a token for the subject of a valid token in the Security header (Issue by token)', async () => {
    const first = await bearerToken(sim, alice.username, alice.password);
    const second = assertionOf(await callSts(sim, { assertion: first }));
    expect(second).not.toBe(first);
    expect(second).toContain('alice@VSPHERE.LOCAL');
    const tampered = first.replace('alice@', 'Administrator@');
    expect(stsFault(await callSts(sim, { assertion: tampered }))).toMatchObject({ code: 'wst:FailedAuthentication' });
  });

  it('validates its tokens (status valid / invalid) and renews no bearer token', async () => {
    const token = await bearerToken(sim, alice.username, alice.password);
    const valid = await callSts(sim, { kind: 'Validate', target: token });
    expect(valid.status).toBe(200);
    expect(valid.text).toContain('<Code>http://docs.oasis-open.org/ws-sx/ws-trust/200512/status/valid</Code>');
    const invalid = await callSts(sim, { kind: 'Validate', target: token.replace('alice@', 'bob@') });
    expect(invalid.text).toContain('<Code>http://docs.oasis-open.org/ws-sx/ws-trust/200512/status/invalid</Code>');
    expect(stsFault(await callSts(sim, { kind: 'Renew', target: token, renewable: true }))).toMatchObject({ code: 'wst:RequestFailed', message: 'Only holder-of-key tokens can be renewed' });
  });

  it('logs in on /api/session with a bearer token (Authorization: SIGN token=...), 401 for a tampered one', async () => {
    const token = await bearerToken(sim, alice.username, alice.password);
    const created = await restLogin(token);
    expect(created.status).toBe(201);
    const info = await http(sim.url.replace(/\/sdk$/, '/api/session'), { headers: { 'vmware-api-session-id': created.json } });
    expect(info.json.user).toBe('VSPHERE.LOCAL\\alice');
    const refused = await restLogin(token.replace('alice@', 'bob@'));
    expect(refused.status).toBe(401);
    expect(refused.json.error_type).toBe('UNAUTHENTICATED');
    expect((await http(sim.url.replace(/\/sdk$/, '/api/session'), { method: 'POST', headers: { authorization: 'SIGN token="bm90IGEgdG9rZW4="' } })).status).toBe(401);
  });

  it('refuses a token once the simulator clock passes its end (clock-advance), on /sdk with InvalidLogin and on /api with 401', async () => {
    const token = await bearerToken(sim, alice.username, alice.password, 60_000);
    const before = await loginByToken(token);
    await before.close();
    sim.actions.clockAdvance({ seconds: 61 });
    const after = await loginByToken(token).catch((e: unknown) => e);
    expect(after).toBeInstanceOf(VimError);
    expect((after as VimError).faultType).toBe('InvalidLogin');
    expect((await restLogin(token)).status).toBe(401);
    const fresh = await bearerToken(sim, alice.username, alice.password);
    const again = await loginByToken(fresh);
    await again.close();
  });

  it('serves the STS under both /sts/STSService and the domain path the settings give', async () => {
    expect(stsUrl(sim)).toMatch(/\/sts\/STSService\/vsphere\.local$/);
    const plain = await http(stsUrl(sim).replace(/\/vsphere\.local$/, ''), { method: 'POST', body: tokenRequest(alice) });
    expect(plain.status).toBe(200);
  });

  it('refuses a SIGN token that inflates past any token (a gzip bomb, here a valid token padded with 8 MB) and reads a long header in one pass', async () => {
    const token = await bearerToken(sim, alice.username, alice.password);
    expect((await restLogin(token)).status).toBe(201);
    const padded = gzipSync(token + ' '.repeat(8 * 1024 * 1024)).toString('base64');
    const bomb = await sim.app.inject({ method: 'POST', url: '/api/session', headers: { authorization: `SIGN token="${padded}"` } });
    expect(bomb.statusCode).toBe(401);
    // 100 KB with no quote to end a value: the old parameter regex took seconds over it.
    const started = performance.now();
    const long = await sim.app.inject({ method: 'POST', url: '/api/session', headers: { authorization: `SIGN ${'x'.repeat(100_000)}` } });
    expect(long.statusCode).toBe(401);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('answers a BinarySecurityToken whose certificate parses but whose key does not decode with wsse:InvalidSecurity', async () => {
    const holder = selfSigned('holder', 'rsa');
    const der = new X509Certificate(holder.cert).raw;
    der[der.indexOf(Buffer.from([0x02, 0x82, 0x01, 0x01, 0x00]))] = 0x04; // the modulus INTEGER retagged as an OCTET STRING
    const signed = signRequest(tokenRequest({ ...alice, keyType: 'PublicKey' }), holder);
    const broken = signed.replace(/(<wsse:BinarySecurityToken[^>]*>)[^<]*/, `$1${der.toString('base64')}`);
    expect(stsFault(await callSts(sim, broken))).toMatchObject({ status: 500, code: 'wsse:InvalidSecurity' });
    expect((await callSts(sim, signed)).status).toBe(200);
  });

  it('refuses a request of more elements than any token request holds (4,096) before its signatures are looked for', async () => {
    const token = await bearerToken(sim, alice.username, alice.password);
    const padded = tokenRequest({ assertion: token }).replace('</wsse:Security>', `${'<x/>'.repeat(4096)}</wsse:Security>`);
    expect(stsFault(await callSts(sim, padded))).toEqual({ status: 500, code: 'wsse:InvalidSecurity', message: 'Malformed XML: More than 4096 elements' });
    expect((await callSts(sim, tokenRequest({ assertion: token }))).status).toBe(200);
  });
});
