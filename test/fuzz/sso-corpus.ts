/**
 * The SSO requests the fuzzer mutates: WS-Trust envelopes for the STS, LoginByToken envelopes,
 * lookup service calls, `Authorization: SIGN` headers, OAuth token and revocation forms, token
 * exchange forms and bearer JWTs. Each request says whether it was built to be refused whatever
 * else happens to it (`forged`): a forged one that succeeds is a security hole, not a quirk.
 */
import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { SignJWT, importPKCS8 } from 'jose';
import { signRequest, tokenRequest } from '../support/sts.js';
import { Dice, edgeTexts, mutateBytes, mutateElements } from './mutate.js';
import { forgedSubject, forgeries, hostileXml } from './xml-attacks.js';

/** What a fuzzing session holds to build valid requests from: a reader's tokens and an OAuth client's. */
export interface SsoMaterial {
  reader: { username: string; password: string };
  /** The NameID of the reader's tokens. */
  readerSubject: string;
  /** A bearer and a holder-of-key token of the reader, and the key of the latter. */
  bearer: string;
  holderOfKey: string;
  holder: { key: string; cert: string };
  /** Another key pair: what an attacker signs with. */
  attacker: { key: string; cert: string };
  /** Forgeries of the bearer and the holder-of-key token (xml-attacks.ts), made once per refresh. */
  forged: string[];
  /** Signed requests, made once per refresh (signing each case would cost more than the case). */
  signed: { issueHolderOfKey: string; renew: string; issueByHolderOfKey: string; loginHolderOfKey: string };
  oauth: { tenant: string; client: { id: string; secret: string }; passwordClient: { id: string; secret: string }; access: string; refresh: string };
}

export interface FuzzRequest {
  body: string;
  forged: boolean;
}

const soapEnvelope = (header: string, body: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
  `<soapenv:Header>${header}</soapenv:Header><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
const security = (content: string) => `<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">${content}</wsse:Security>`;
const loginByTokenCall = '<LoginByToken xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><locale>en_US</locale></LoginByToken>';

/** A LoginByToken request with `token` in its Security header. */
export const loginByTokenRequest = (token: string) => soapEnvelope(security(token), loginByTokenCall);

/** The forgeries of the reader's tokens the cases pick from. */
export function forgedTokens(m: Pick<SsoMaterial, 'bearer' | 'holderOfKey' | 'readerSubject' | 'attacker'>): string[] {
  return [...forgeries(m.bearer, m.readerSubject, m.attacker), ...forgeries(m.holderOfKey, m.readerSubject, m.attacker)];
}

/** The requests signed with the holder's key, as govmomi's sts.Signer sends them. */
export function signedRequests(m: Pick<SsoMaterial, 'reader' | 'holder' | 'holderOfKey'>): SsoMaterial['signed'] {
  return {
    issueHolderOfKey: signRequest(tokenRequest({ ...m.reader, keyType: 'PublicKey', renewable: true }), m.holder),
    renew: signRequest(tokenRequest({ kind: 'Renew', target: m.holderOfKey, lifetimeMs: 3600_000 }), m.holder),
    issueByHolderOfKey: signRequest(tokenRequest({ assertion: m.holderOfKey }), m.holder),
    loginHolderOfKey: signRequest(loginByTokenRequest(m.holderOfKey), m.holder),
  };
}

/** One mutation of an XML request: of its elements, of its bytes, or an attack on its structure. */
function mutateXml(dice: Dice, xml: string): string {
  const roll = dice.below(10);
  if (roll < 2) return hostileXml(dice, xml);
  return roll < 6 ? mutateElements(dice, xml) : mutateBytes(dice, xml);
}

/** Mostly one mutation, sometimes none or a few (as the SOAP cases). */
function mutated(dice: Dice, xml: string): string {
  const mutations = dice.chance(0.1) ? 0 : dice.chance(0.7) ? 1 : 2 + dice.below(2);
  for (let n = mutations; n > 0; n--) xml = mutateXml(dice, xml);
  return xml;
}

export function stsRequest(dice: Dice, m: SsoMaterial): FuzzRequest {
  if (dice.chance(0.2)) {
    // A forged token where the STS reads one: the requester's, a Validate's or a Renew's target.
    const forged = dice.pick(m.forged);
    const body = dice.pick([
      () => tokenRequest({ assertion: forged }),
      () => tokenRequest({ kind: 'Validate', target: forged }),
      () => signRequest(tokenRequest({ kind: 'Renew', target: forged }), m.attacker),
      () => signRequest(tokenRequest({ assertion: forged }), m.attacker),
    ])();
    return { body, forged: true };
  }
  const seeds = [
    tokenRequest({ ...m.reader, lifetimeMs: 60_000 }),
    tokenRequest({ ...m.reader, renewable: true }),
    tokenRequest({ assertion: m.bearer }),
    tokenRequest({ kind: 'Validate', target: m.bearer }),
    tokenRequest({ kind: 'Validate', target: m.holderOfKey }),
    m.signed.issueHolderOfKey,
    m.signed.renew,
    m.signed.issueByHolderOfKey,
  ];
  return { body: mutated(dice, dice.pick(seeds)), forged: false };
}

export function loginByTokenCase(dice: Dice, m: SsoMaterial): FuzzRequest {
  if (dice.chance(0.25)) {
    const forged = dice.pick(m.forged);
    return { body: dice.chance(0.5) ? loginByTokenRequest(forged) : signRequest(loginByTokenRequest(forged), m.attacker), forged: true };
  }
  // A holder-of-key token without the proof its key signed the request is no login either.
  if (dice.chance(0.1)) return { body: loginByTokenRequest(m.holderOfKey), forged: true };
  return { body: mutated(dice, dice.pick([loginByTokenRequest(m.bearer), m.signed.loginHolderOfKey])), forged: false };
}

const lookupCall = (method: string, args = '') =>
  soapEnvelope('', `<${method} xmlns="urn:lookup"><_this type="${method === 'RetrieveServiceContent' ? 'LookupServiceInstance' : 'LookupServiceRegistration'}">${method === 'RetrieveServiceContent' ? 'ServiceInstance' : 'ServiceRegistration'}</_this>${args}</${method}>`);

const lookupSeeds = [
  lookupCall('RetrieveServiceContent'),
  lookupCall('GetSiteId'),
  lookupCall('List'),
  lookupCall('List', '<filterCriteria><serviceType><product>com.vmware.cis</product><type>cs.identity</type></serviceType><endpointType><protocol>wsTrust</protocol><type>com.vmware.cis.cs.identity.sso</type></endpointType></filterCriteria>'),
  lookupCall('List', '<filterCriteria><siteId>vcsim</siteId><nodeId>x</nodeId><serviceType><type>vcenterserver</type></serviceType></filterCriteria>'),
];

export function lookupRequest(dice: Dice): FuzzRequest {
  return { body: mutated(dice, dice.pick(lookupSeeds)), forged: false };
}

/** 16 MB of zeros in 16 KB of gzip: what fits in a real request's headers. */
const gzipBomb = gzipSync(Buffer.alloc(16 * 1024 * 1024)).toString('base64');
/** A bomb that inflates to an endless but well-formed-looking token. */
const xmlBomb = gzipSync(`<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">${'<a>x</a>'.repeat(1_000_000)}</saml2:Assertion>`).toString('base64');

/** An `Authorization: SIGN token="..."` header, as govmomi's vapi/rest LoginByToken sends it, or one of its ruins. */
export function signHeader(dice: Dice, m: SsoMaterial): FuzzRequest {
  const gzipped = (xml: string) => gzipSync(xml).toString('base64');
  const header = (token: string, extra = '') => `SIGN token="${token}"${extra}`;
  switch (dice.below(9)) {
    case 0:
      return { body: header(gzipped(m.bearer)), forged: false };
    case 1:
      return { body: header(Buffer.from(m.bearer).toString('base64')), forged: false };
    case 2:
      return { body: header(gzipped(dice.pick(m.forged))), forged: true };
    case 3:
      return { body: header(dice.chance(0.5) ? gzipBomb : xmlBomb), forged: true };
    case 4: // holder-of-key without (or with a made-up) proof of possession
      return { body: header(gzipped(m.holderOfKey), dice.chance(0.5) ? '' : `, signature_alg="RSA-SHA256", signature="${dice.pick(edgeTexts)}", nonce="1", bodyhash="x"`), forged: true };
    case 5:
      return { body: header(gzipped(mutated(dice, m.bearer))), forged: false };
    case 6:
      return { body: header(mutateBytes(dice, gzipped(m.bearer))), forged: false };
    case 7:
      return { body: header(gzipped(hostileXml(dice, m.bearer))), forged: false };
    default:
      return { body: dice.pick(['SIGN', 'SIGN token=', 'SIGN token="', 'sign   TOKEN="eA=="', `SIGN token="${gzipped(m.bearer)}", token="x"`, `SIGN ${'x'.repeat(100_000)}`, `SIGN token="${'A'.repeat(200_000)}"`]), forged: false };
  }
}

/** A form as ordered name/value pairs, so a parameter can be repeated. */
type Form = [string, string][];

export interface OAuthCall {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  forged: boolean;
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const badBasics = ['Basic', 'Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, `Basic ${Buffer.from('%zz:%').toString('base64')}`, `Basic ${'A'.repeat(70_000)}`, 'basic  a b', 'Bearer x', `Basic ${Buffer.from(':').toString('base64')}`];
const formType = 'application/x-www-form-urlencoded';
const otherTypes = ['application/json', 'text/plain', `${formType}; charset=utf-16`, 'multipart/form-data; boundary=x', '', `${formType}x`];

/** A token, revocation, key set or discovery request to the token service, mutated. */
export function oauthCall(dice: Dice, m: SsoMaterial): OAuthCall {
  const { tenant, client, passwordClient, access, refresh } = m.oauth;
  const base = dice.chance(0.95) ? `/acs/t/${tenant}` : `/acs/t/${encodeURIComponent(dice.pick(edgeTexts) || 'x')}`;
  if (dice.chance(0.1)) {
    const url = dice.pick([`${base}/jwks`, `${base}/.well-known/openid-configuration`, '/.well-known/openid-configuration']);
    return { method: dice.chance(0.9) ? 'GET' : 'POST', url, headers: {}, forged: false };
  }
  const seeds: [string, Form, boolean][] = [
    ['token', [['grant_type', 'client_credentials']], true],
    ['token', [['grant_type', 'password'], ['username', m.reader.username], ['password', m.reader.password], ['scope', 'openid']], false],
    ['token', [['grant_type', 'refresh_token'], ['refresh_token', refresh]], false],
    ['revoke', [['token', access], ['token_type_hint', 'access_token']], true],
    ['revoke', [['token', refresh]], false],
  ];
  const [endpoint, seedForm, byBasic] = dice.pick(seeds);
  let form: Form = [...seedForm];
  const headers: Record<string, string> = { 'content-type': dice.chance(0.9) ? formType : dice.pick(otherTypes) };
  if (byBasic) headers.authorization = basic(client.id, client.secret);
  else form.push(['client_id', passwordClient.id], ['client_secret', passwordClient.secret]);
  if (!dice.chance(0.1)) form = mutateForm(dice, form);
  if (dice.chance(0.15)) headers.authorization = dice.chance(0.8) ? dice.pick(badBasics) : basic(dice.pick(edgeTexts), client.secret);
  let body = new URLSearchParams(form).toString();
  if (dice.chance(0.1)) body = mutateBytes(dice, body);
  return { method: 'POST', url: `${base}/${endpoint}`, headers, body, forged: false };
}

function mutateForm(dice: Dice, form: Form): Form {
  const at = dice.below(form.length);
  const [name, value] = form[at]!;
  switch (dice.below(7)) {
    case 0:
      return form.filter((_, i) => i !== at);
    case 1: // repeated (RFC 6749 §3.2: at most once)
      return [...form, [name, dice.chance(0.5) ? value : 'other']];
    case 2:
      return form.map((p, i) => (i === at ? [name, dice.pick(edgeTexts)] : p));
    case 3: // huge: under and over the token endpoint's body limit
      return form.map((p, i) => (i === at ? [name, 'x'.repeat(dice.pick([10_000, 70_000]))] : p));
    case 4:
      return form.map((p, i) => (i === at ? [name, dice.pick(['authorization_code', 'implicit', 'urn:ietf:params:oauth:grant-type:token-exchange', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'CLIENT_CREDENTIALS', ''])] : p));
    case 5:
      return [...form, [dice.pick(['scope', 'username', 'password', 'client_id', 'client_secret', 'refresh_token', 'x', '']), dice.pick(edgeTexts)]];
    default:
      return form.map((p, i) => (i === at ? [dice.pick(['grant_type', 'Grant_Type', 'grant_type ', 'token', 'scope']), value] : p));
  }
}

/** A bearer token for `/api`: the session's access token, one of its ruins, or a forgery naming `forgedSubject`. */
export async function bearerJwt(dice: Dice, m: SsoMaterial): Promise<FuzzRequest> {
  const token = m.oauth.access;
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const kid = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string }).kid;
  const forged = { ...claims, sub: `VSPHERE.LOCAL\\administrator`, upn: forgedSubject };
  // The genuine token often enough that calls get past authentication into the routes.
  if (dice.chance(0.3)) return { body: token, forged: false };
  switch (dice.below(10)) {
    case 0:
    case 1: // alg none
      return { body: `${encode({ alg: dice.pick(['none', 'None', 'NONE']), typ: 'JWT' })}.${encode(forged)}.`, forged: true };
    case 2: // HS256 keyed with the public key's modulus (algorithm confusion)
      return { body: hs256(encode({ alg: 'HS256', kid }), encode(forged), kid), forged: true };
    case 3: // signed by another key under our key id
      return { body: await new SignJWT(forged).setProtectedHeader({ alg: 'RS256', kid }).sign(await importPKCS8(m.attacker.key, 'RS256')), forged: true };
    case 4: // our header and signature over forged claims
      return { body: `${header}.${encode(forged)}.${signature}`, forged: true };
    case 5: // another key id, or a header asking for what the server does not do
      return { body: `${encode(dice.pick([{ alg: 'RS256', kid: 'x' }, { alg: 'RS256', kid, crit: ['exp'] }, { alg: 'RS256', jku: 'http://127.0.0.1:1/jwks' }, { alg: 'ES256', kid }]))}.${payload}.${signature}`, forged: true };
    case 6: // bad base64 and wrong segment counts
      return { body: dice.pick([`${header}!.${payload}.${signature}`, `${header}.${payload}`, `${token}.x`, '..', '.', 'a.b.c', `${header}.${encode([])}.${signature}`, `${header}.bnVsbA.${signature}`, `${header}.${encode('x'.repeat(10))}.${signature}`]), forged: false };
    case 7: // huge
      return { body: `${header}.${'A'.repeat(dice.pick([20_000, 1_000_000]))}.${signature}`, forged: false };
    case 8: // deeply nested claims
      return { body: `${header}.${Buffer.from('['.repeat(50_000) + ']'.repeat(50_000)).toString('base64url')}.${signature}`, forged: false };
    default:
      return { body: mutateBytes(dice, token), forged: false };
  }
}

function hs256(header: string, payload: string, secret: string): string {
  return `${header}.${payload}.${createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')}`;
}

/** A token exchange form (RFC 8693) for `/api/vcenter/authentication/token`. */
export async function exchangeForm(dice: Dice, m: SsoMaterial): Promise<FuzzRequest & { contentType: string }> {
  const subject = dice.chance(0.6) ? { body: m.oauth.access, forged: false } : await bearerJwt(dice, m);
  let form: Form = [
    ['grant_type', 'urn:ietf:params:oauth:grant-type:token-exchange'],
    ['subject_token', subject.body],
    ['subject_token_type', 'urn:ietf:params:oauth:token-type:access_token'],
    ['requested_token_type', 'urn:ietf:params:oauth:token-type:saml2'],
  ];
  if (dice.chance(0.6)) form = mutateForm(dice, form);
  let body = new URLSearchParams(form).toString();
  if (dice.chance(0.1)) body = mutateBytes(dice, body);
  return { body, forged: subject.forged, contentType: dice.chance(0.9) ? formType : dice.pick(otherTypes) };
}
