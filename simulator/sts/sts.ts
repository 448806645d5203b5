/**
 * vCenter's Security Token Service (SSO's STS): WS-Trust 1.3 Issue, Renew and Validate of SAML
 * 2.0 bearer and holder-of-key tokens, and the token checks LoginByToken (/sdk) and a SAML login
 * on /api/session need. Times are the simulator's (clock-advance expires tokens); the token
 * policy is vCenter's default one.
 */
import { type X509Certificate, createHash, verify as verifySignature } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { VCenter } from '../../models/vcenter.js';
import { escapeXml } from '../soap/encode.js';
import type { XmlLimits } from '../soap/xml.js';
import { selfSigned } from '../tls.js';
import { SamlTokens, TokenError, type VerifiedToken } from './saml.js';
import { SecurityError, checkRequestSignature, checkTimestamp, readSecurityHeader, type SecurityHeader } from './ws-security.js';
import { MalformedXml, child, ns, parseDom, text } from './xml.js';
import { StsFault, stsFaults } from './faults.js';

/** vCenter's default SSO token policy. */
export const tokenPolicy = {
  maxBearerLifetimeMs: 5 * 60_000,
  maxHolderOfKeyLifetimeMs: 30 * 24 * 3600_000,
};

/**
 * A token request holds about 60 elements, a token of a user in a thousand groups about 1,100.
 * xml-crypto finds each signed reference by an XPath over the whole document, a few µs per
 * element: a request of 100,000 elements would take half a second to refuse.
 */
export const maxDomElements = 4096;

const trust = `${ns.wst}/`;
const keyTypes = { bearer: `${trust}Bearer`, publicKey: `${trust}PublicKey` };

/** What a REST request signed for a holder-of-key login consists of. */
export interface SignedHttpRequest {
  method: string;
  path: string;
  /** The Host header: `host[:port]`. */
  host: string;
  body: string;
  tls: boolean;
}

export class Sts {
  private tokensOnce?: SamlTokens;
  private signingCert?: string;

  /** The SOAP limits, with at most `maxDomElements` elements: what the STS parses goes through a DOM and XPath. */
  private readonly limits: XmlLimits;

  constructor(
    private readonly vc: VCenter,
    limits: XmlLimits = {},
  ) {
    this.limits = { ...limits, maxElements: Math.min(limits.maxElements ?? maxDomElements, maxDomElements) };
  }

  /** The signing certificate (PEM), as the lookup service publishes it. */
  get certificate(): string {
    this.tokens();
    return this.signingCert!;
  }

  /** The RSA key is made on first use: most instances never issue a token, and RSA keys take a while to make. */
  private tokens(): SamlTokens {
    if (!this.tokensOnce) {
      const material = selfSigned('ssoserverSign', 'rsa');
      this.signingCert = material.cert;
      this.tokensOnce = new SamlTokens(material, `https://vcenter-sim/websso/SAML2/Metadata/${this.vc.directory.domain}`);
    }
    return this.tokensOnce;
  }

  /** One WS-Trust request to /sts/STSService: the response body, or an StsFault. */
  handle(document: string): string {
    let header: SecurityHeader;
    try {
      header = readSecurityHeader(document, this.limits);
    } catch (error) {
      throw error instanceof SecurityError ? stsFaults.invalidSecurity(error.message) : error;
    }
    const request = header.call;
    if (!request || request.localName !== 'RequestSecurityToken' || request.namespaceURI !== ns.wst) throw stsFaults.invalidRequest('The Body holds no wst:RequestSecurityToken');
    this.checkFreshness(header);
    switch (text(child(request, ns.wst, 'RequestType'))) {
      case `${trust}Issue`:
        return this.issue(header, request);
      case `${trust}Renew`:
        return this.renew(header, request);
      case `${trust}Validate`:
        return this.validate(header, request);
      default:
        throw stsFaults.invalidRequest('Unsupported RequestType');
    }
  }

  /**
   * The subject of the token in a LoginByToken request's Security header, once it checks out
   * (our signature, its window, and for holder-of-key the request signed by its key); undefined
   * otherwise.
   */
  loginSubject(document: string): string | undefined {
    try {
      const header = readSecurityHeader(document, this.limits);
      if (!header.assertion) return undefined;
      const token = this.tokens().verify(document, header.assertion, this.vc.now());
      if (token.holderOfKey) checkRequestSignature(header, token.holderOfKey);
      checkTimestamp(header, this.hostNow());
      return token.subject;
    } catch (error) {
      if (error instanceof TokenError || error instanceof SecurityError) return undefined;
      throw error;
    }
  }

  /**
   * The subject of the token in an `Authorization: SIGN token="<base64 gzip SAML>"` header, as
   * govmomi's vapi/rest sends it (with `signature`, `nonce` and `bodyhash` for holder-of-key);
   * undefined when the header, the token or the request's signature does not check out.
   */
  restLoginSubject(authorization: string, request: SignedHttpRequest): string | undefined {
    const params = signParams(authorization);
    const xml = params && inflate(params.token ?? '');
    if (!params || !xml) return undefined;
    try {
      const dom = parseDom(xml, this.limits);
      const token = this.tokens().verify(xml, dom.documentElement as unknown as Element, this.vc.now());
      if (token.holderOfKey && !signedByHolder(params, request, token.holderOfKey)) return undefined;
      return token.subject;
    } catch (error) {
      if (error instanceof TokenError || error instanceof MalformedXml) return undefined;
      throw error;
    }
  }

  /** A bearer token for `principal` at the policy's longest lifetime (vCenter's token exchange hands these out). */
  bearerToken(principal: string): { xml: string; expires: Date } {
    return this.mint(principal, tokenPolicy.maxBearerLifetimeMs, false);
  }

  private issue(header: SecurityHeader, request: Element): string {
    if (child(request, ns.wst, 'ActAs')) throw stsFaults.requestFailed('ActAs tokens are not issued by the simulator (no solution users)');
    const keyType = text(child(request, ns.wst, 'KeyType')) ?? keyTypes.bearer;
    if (keyType !== keyTypes.bearer && keyType !== keyTypes.publicKey) throw stsFaults.invalidRequest(`Unsupported KeyType ${keyType}`);
    const holderOfKey = keyType === keyTypes.publicKey;
    if (holderOfKey && !header.binaryToken) throw stsFaults.invalidRequest('A holder-of-key token needs the request signed with the certificate in a BinarySecurityToken');
    const principal = this.requester(header);
    const lifetime = this.lifetime(request, holderOfKey);
    const renewable = child(request, ns.wst, 'Renewing')?.getAttribute('Allow') === 'true';
    const token = this.mint(principal, lifetime, renewable, holderOfKey ? header.binaryToken : undefined);
    return `<RequestSecurityTokenResponseCollection xmlns="${ns.wst}"><RequestSecurityTokenResponse>${issued(token, keyType, renewable)}</RequestSecurityTokenResponse></RequestSecurityTokenResponseCollection>`;
  }

  /** Only a holder-of-key token renews, by a request its key signed (proof of possession), as vCenter's STS. */
  private renew(header: SecurityHeader, request: Element): string {
    const target = this.target(header, request, 'RenewTarget');
    if (!target.holderOfKey) throw stsFaults.requestFailed('Only holder-of-key tokens can be renewed');
    if (!target.renewable) throw stsFaults.requestFailed('The token is not renewable');
    if (header.binaryToken && !header.binaryToken.raw.equals(target.holderOfKey.raw)) throw stsFaults.failedAuthentication('The request is not signed with the token\'s key');
    this.checkSignature(header, target.holderOfKey);
    const principal = this.vc.directory.principal(target.subject);
    if (principal === undefined) throw stsFaults.failedAuthentication('The token\'s subject is no longer a user');
    const token = this.mint(principal, this.lifetime(request, true), true, target.holderOfKey);
    return `<RequestSecurityTokenResponse xmlns="${ns.wst}">${issued(token, keyTypes.publicKey, true)}</RequestSecurityTokenResponse>`;
  }

  private validate(header: SecurityHeader, request: Element): string {
    let code = 'valid';
    let reason = '';
    try {
      this.target(header, request, 'ValidateTarget');
    } catch (error) {
      if (!(error instanceof StsFault)) throw error;
      code = 'invalid';
      reason = `<Reason>${escapeXml(error.message)}</Reason>`;
    }
    return `<RequestSecurityTokenResponse xmlns="${ns.wst}"><TokenType>${trust}RSTR/Status</TokenType><Status><Code>${trust}status/${code}</Code>${reason}</Status></RequestSecurityTokenResponse>`;
  }

  /** The token a Renew or Validate names, checked. */
  private target(header: SecurityHeader, request: Element, name: string): VerifiedToken {
    const assertion = child(child(request, ns.wst, name), ns.saml2, 'Assertion');
    if (!assertion) throw stsFaults.invalidRequest(`${name} holds no SAML 2.0 assertion`);
    try {
      return this.tokens().verify(header.document, assertion, this.vc.now());
    } catch (error) {
      if (error instanceof TokenError) throw stsFaults.invalidRequest(error.message);
      throw error;
    }
  }

  /** Who asks: a UsernameToken's user, or the subject of the token the header carries (an Issue by token). */
  private requester(header: SecurityHeader): string {
    const signer = header.binaryToken;
    if (header.signature && signer) this.checkSignature(header, signer);
    if (header.username) {
      const principal = this.vc.directory.authenticate(header.username.name, header.username.password);
      if (principal === undefined) throw stsFaults.failedAuthentication('Invalid credentials');
      return principal;
    }
    if (!header.assertion) throw stsFaults.failedAuthentication('The request carries no credentials (a UsernameToken or a SAML token)');
    let token: VerifiedToken;
    try {
      token = this.tokens().verify(header.document, header.assertion, this.vc.now());
    } catch (error) {
      if (error instanceof TokenError) throw stsFaults.failedAuthentication(error.message);
      throw error;
    }
    if (token.holderOfKey && !signer) this.checkSignature(header, token.holderOfKey);
    const principal = this.vc.directory.principal(token.subject);
    if (principal === undefined) throw stsFaults.failedAuthentication('The token\'s subject is no longer a user');
    return principal;
  }

  private checkSignature(header: SecurityHeader, key: X509Certificate): void {
    try {
      checkRequestSignature(header, key);
    } catch (error) {
      if (error instanceof SecurityError) throw stsFaults.failedCheck(error.message);
      throw error;
    }
  }

  private checkFreshness(header: SecurityHeader): void {
    try {
      checkTimestamp(header, this.hostNow());
    } catch (error) {
      if (error instanceof SecurityError) throw stsFaults.messageExpired(error.message);
      throw error;
    }
  }

  /** The requested lifetime (its length: the window starts now, by the simulator's clock), capped by the policy. */
  private lifetime(request: Element, holderOfKey: boolean): number {
    const max = holderOfKey ? tokenPolicy.maxHolderOfKeyLifetimeMs : tokenPolicy.maxBearerLifetimeMs;
    const lifetime = child(request, ns.wst, 'Lifetime');
    if (!lifetime) return max;
    const created = Date.parse(text(child(lifetime, ns.wsu, 'Created')) ?? '');
    const expires = Date.parse(text(child(lifetime, ns.wsu, 'Expires')) ?? '');
    if (Number.isNaN(expires)) return max;
    const length = expires - (Number.isNaN(created) ? this.hostNow().getTime() : created);
    if (length <= 0) throw stsFaults.invalidTimeRange('The requested lifetime ends before it starts');
    return Math.min(length, max);
  }

  private mint(principal: string, lifetimeMs: number, renewable: boolean, holderOfKey?: X509Certificate): { xml: string; created: Date; expires: Date } {
    const created = this.vc.now();
    const expires = new Date(created.getTime() + lifetimeMs);
    const xml = this.tokens().issue({
      subject: upn(principal),
      groups: this.vc.directory.groupsOf(principal).map(samlGroup),
      issued: created,
      notOnOrAfter: expires,
      holderOfKey: holderOfKey?.raw.toString('base64'),
      renewable,
    });
    return { xml, created, expires };
  }

  /** The host's own clock, which the client shares: the simulator's runs ahead after clock-advance. */
  private hostNow(): Date {
    return new Date(this.vc.now().getTime() - this.vc.clockOffsetMs);
  }
}

/** The content of a RequestSecurityTokenResponse holding a new token. */
function issued(token: { xml: string; created: Date; expires: Date }, keyType: string, renewable: boolean): string {
  return (
    `<TokenType>${ns.saml2}</TokenType>` +
    `<Lifetime><wsu:Created xmlns:wsu="${ns.wsu}">${token.created.toISOString()}</wsu:Created><wsu:Expires xmlns:wsu="${ns.wsu}">${token.expires.toISOString()}</wsu:Expires></Lifetime>` +
    `<RequestedSecurityToken>${token.xml}</RequestedSecurityToken>` +
    `<Renewing Allow="${renewable}" OK="false"></Renewing><Delegatable>false</Delegatable><KeyType>${keyType}</KeyType>` +
    `<SignatureAlgorithm>http://www.w3.org/2001/04/xmldsig-more#rsa-sha256</SignatureAlgorithm>`
  );
}

/** `VSPHERE.LOCAL\alice` as the UPN a token names, `alice@VSPHERE.LOCAL`; an open-login name stays as it is. */
function upn(principal: string): string {
  const slash = principal.indexOf('\\');
  return slash < 0 ? principal : `${principal.slice(slash + 1)}@${principal.slice(0, slash)}`;
}

/** A group principal as vCenter's tokens list it: `vsphere.local\Administrators`. */
function samlGroup(principal: string): string {
  const slash = principal.indexOf('\\');
  return slash < 0 ? principal : `${principal.slice(0, slash).toLowerCase()}${principal.slice(slash)}`;
}

/** The `key="value"` parameters of an `Authorization: SIGN ...` header. */
function signParams(authorization: string): Record<string, string> | undefined {
  const match = /^\s*SIGN\s/i.exec(authorization);
  if (!match) return undefined;
  // One pass, no regex over the parameters: a long header without quotes or `=` costs no rescans.
  const params: Record<string, string> = {};
  let at = match[0].length;
  while (at < authorization.length) {
    const equals = authorization.indexOf('=', at);
    const open = equals < 0 ? -1 : authorization.indexOf('"', equals);
    const close = open < 0 ? -1 : authorization.indexOf('"', open + 1);
    if (close < 0) break;
    const key = authorization.slice(at, equals).replace(/^[\s,]+|\s+$/g, '').toLowerCase();
    if (/^[a-z_]+$/.test(key) && authorization.slice(equals + 1, open).trim() === '') params[key] = authorization.slice(open + 1, close);
    at = close + 1;
  }
  return params;
}

/** A token is a few KB; one inflating past this is a bomb, not a token. */
const maxTokenBytes = 256 * 1024;

/** The token text: base64 of its gzip (govmomi), or of the XML itself; undefined when it inflates to nothing or too much. */
function inflate(base64: string): string | undefined {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) return undefined;
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes, { maxOutputLength: maxTokenBytes }).toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * Whether the holder of `key` signed this request as govmomi's Signer.SignRequest does: RSA-SHA256
 * over the SHA-256 of nonce, method, path, host, port and the body's hash, one per line.
 */
function signedByHolder(params: Record<string, string>, request: SignedHttpRequest, key: X509Certificate): boolean {
  if (params.signature_alg?.toUpperCase() !== 'RSA-SHA256' || !params.signature || !params.nonce) return false;
  const bodyHash = createHash('sha256').update(request.body).digest();
  if (params.bodyhash && params.bodyhash !== bodyHash.toString('base64')) return false;
  const { hostname, port } = hostAndPort(request.host, request.tls);
  const lines = [params.nonce, request.method, request.path, hostname, port].map((line) => `${line}\n`).join('');
  const message = Buffer.concat([Buffer.from(lines), bodyHash, Buffer.from('\n')]);
  try {
    return verifySignature('sha256', message, key.publicKey, Buffer.from(params.signature, 'base64'));
  } catch {
    return false;
  }
}

function hostAndPort(host: string, tls: boolean): { hostname: string; port: string } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(host.trim());
  return { hostname: (match?.[1] ?? host).replace(/^\[|\]$/g, '').toLowerCase(), port: match?.[2] ?? (tls ? '443' : '80') };
}
