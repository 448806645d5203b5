/**
 * The OAuth 2.0 authorization server of a federated vCenter (vCenter 8's VMware Identity Broker):
 * configured clients, the token endpoint's grants (RFC 6749: client_credentials, password,
 * refresh_token), revocation (RFC 7009), and the checks `/api` makes of a bearer token (RFC 6750).
 *
 * Access tokens are JWTs signed with the instance's RSA key (RS256, published as a JWKS); refresh
 * tokens are opaque and rotate on every use. Times are the simulator's clock, so a clock-advance
 * expires them. No HTTP here: the adapter (simulator/oauth/) maps `OAuthError`s to responses.
 */
import { generateKeyPairSync, randomBytes, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { Session } from '../core/session.js';
import type { OAuthSettings } from '../inventory/topology.js';

/** RFC 6749 §5.2 error codes, as the token and revocation endpoints report them. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

/** How the server learns who users are: the vCenter's identity directory. */
export interface OAuthIdentities {
  /** The canonical principal when the password is right. */
  authenticate(name: string, password: string): string | undefined;
  /** The canonical principal of a known user given in any form. */
  principal(name: string): string | undefined;
}

/** The token endpoint's parameters (RFC 6749 §4), already separated from the client's credentials. */
export interface TokenRequest {
  grant_type?: string;
  scope?: string;
  username?: string;
  password?: string;
  refresh_token?: string;
}

/** The token endpoint's success answer (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

/** What a verified access token says: who calls, through which client, until when. */
export interface AccessGrant {
  readonly jti: string;
  readonly principal: string;
  readonly clientId: string;
  readonly scope: string[];
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

type ClientSpec = OAuthSettings['clients'][number];

/** One authorization: the tokens issued from one grant share its fate (a revoked refresh token ends them all). */
interface Authorization {
  clientId: string;
  principal: string;
  scope: string[];
  revoked: boolean;
}

interface AccessRecord extends AccessGrant {
  authorization: Authorization;
  revoked: boolean;
}

interface RefreshRecord {
  authorization: Authorization;
  expiresAt: number;
  /** Rotated away: using it again is a replay, which revokes its authorization (OAuth 2.0 Security BCP §4.14). */
  used: boolean;
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: JWK;
}

const ALGORITHM = 'RS256';

export class OAuthServer {
  private readonly clients: Map<string, ClientSpec>;
  /** Issued access tokens by jti, until they expire. */
  private readonly accessTokens = new Map<string, AccessRecord>();
  /** Token strings whose signature was verified once: later requests with them skip the crypto. */
  private readonly verified = new Map<string, AccessRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  /** The stand-in session of each token's calls (see `sessionFor`). */
  private readonly sessions = new WeakMap<AccessGrant, Session>();
  private key?: SigningKey;
  private sweptAt = -Infinity;

  constructor(
    readonly settings: OAuthSettings,
    private readonly identities: OAuthIdentities,
    /** The simulator's clock. */
    private readonly clock: () => Date,
    /** The `aud` of every access token: this vCenter (its instance UUID). */
    readonly audience: string,
  ) {
    this.clients = new Map(settings.clients.map((client) => [client.id, client]));
  }

  get tenant(): string {
    return this.settings.tenant;
  }

  /** A configured client acting as a user nobody configured is a mistake in the topology: say so at start. */
  checkClients(): void {
    this.settings.clients.forEach((client, i) => {
      if (client.user !== undefined && this.identities.principal(client.user) === undefined) {
        throw new Error(`oauth.clients[${i}] (${client.id}): user '${client.user}' is not a configured user`);
      }
    });
  }

  /** The client these credentials authenticate, or `invalid_client`. */
  authenticateClient(id: string, secret: string): ClientSpec {
    const client = this.clients.get(id);
    if (!client || !sameSecret(client.secret, secret)) throw new OAuthError('invalid_client', 'Client authentication failed.');
    return client;
  }

  /** The token endpoint: one grant for an authenticated client. `issuer` is the `iss` of the tokens (the endpoint's base URL). */
  async token(client: ClientSpec, request: TokenRequest, issuer: string): Promise<TokenResponse> {
    switch (request.grant_type) {
      case 'client_credentials':
        return this.clientCredentials(client, request, issuer);
      case 'password':
        return this.passwordGrant(client, request, issuer);
      case 'refresh_token':
        return this.refresh(client, request, issuer);
      case undefined:
      case '':
        throw new OAuthError('invalid_request', "Missing parameter 'grant_type'.");
      default:
        throw new OAuthError('unsupported_grant_type', `Grant type '${request.grant_type}' is not supported.`);
    }
  }

  /**
   * RFC 7009: the token (access or refresh, whatever the hint says) stops working. Unknown and
   * malformed tokens are no error; another client's token is refused.
   */
  async revoke(client: ClientSpec, token: string): Promise<void> {
    const refresh = this.refreshTokens.get(token);
    if (refresh) {
      this.ownedBy(client, refresh.authorization);
      refresh.authorization.revoked = true;
      return;
    }
    const access = await this.verifiedRecord(token);
    if (!access) return;
    this.ownedBy(client, access.authorization);
    access.revoked = true;
  }

  /**
   * The grant a bearer token carries, or undefined when it is malformed, forged, tampered with,
   * expired or revoked. A token seen before is checked without crypto (`verifyCached`); only a new
   * one costs a signature check, so callers can try the cache first and await this only on a miss.
   */
  async verify(token: string): Promise<AccessGrant | undefined> {
    return this.verifiedRecord(token);
  }

  private async verifiedRecord(token: string): Promise<AccessRecord | undefined> {
    const cached = this.verified.get(token);
    if (cached) return this.live(cached);
    const key = this.key;
    if (!key) return undefined; // no token was ever issued
    let jti: unknown;
    try {
      const { payload } = await jwtVerify(token, key.publicKey, { algorithms: [ALGORITHM], audience: this.audience, currentDate: this.clock() });
      jti = payload.jti;
    } catch {
      return undefined;
    }
    const record = typeof jti === 'string' ? this.accessTokens.get(jti) : undefined;
    if (!record) return undefined;
    this.verified.set(token, record);
    return this.live(record);
  }

  /** `verify` for a token already verified once: no crypto, no await. Undefined for any other token. */
  verifyCached(token: string): AccessGrant | undefined {
    const cached = this.verified.get(token);
    return cached && this.live(cached);
  }

  /** Whether `verifyCached` would know the token (live or not): a miss means the signature must be checked. */
  seen(token: string): boolean {
    return this.verified.has(token);
  }

  /**
   * The session a bearer token's calls run in, one per token: its user is the token's principal.
   * It is not a SessionManager session (no sessionList entry, no idle timeout): the token's
   * lifetime and revocation govern it. POST /api/session with the token opens a real one.
   */
  sessionFor(grant: AccessGrant, remote: { address: string; userAgent: string }): Session {
    let session = this.sessions.get(grant);
    if (!session) {
      session = new Session(`oauth-${grant.jti}`, grant.principal, grant.issuedAt, remote.address, remote.userAgent);
      this.sessions.set(grant, session);
    }
    return session;
  }

  /** The public keys that verify the access tokens (RFC 7517 JWK Set). */
  async jwks(): Promise<{ keys: JWK[] }> {
    const key = await this.signingKey();
    return { keys: [key.jwk] };
  }

  private clientCredentials(client: ClientSpec, request: TokenRequest, issuer: string): Promise<TokenResponse> {
    if (client.user === undefined) throw new OAuthError('unauthorized_client', `Client '${client.id}' has no user to act as; it may use the password grant only.`);
    const principal = this.identities.principal(client.user);
    if (principal === undefined) throw new OAuthError('unauthorized_client', `Client '${client.id}' acts as an unknown user.`);
    // RFC 6749 §4.4.3: no refresh token for client credentials; the client asks again.
    return this.issue({ clientId: client.id, principal, scope: this.grantedScope(client, request.scope), revoked: false }, issuer, false);
  }

  private passwordGrant(client: ClientSpec, request: TokenRequest, issuer: string): Promise<TokenResponse> {
    if (!request.username) throw new OAuthError('invalid_request', "Missing parameter 'username'.");
    if (request.password === undefined) throw new OAuthError('invalid_request', "Missing parameter 'password'.");
    const principal = this.identities.authenticate(request.username, request.password);
    if (principal === undefined) throw new OAuthError('invalid_grant', 'Invalid user name or password.');
    return this.issue({ clientId: client.id, principal, scope: this.grantedScope(client, request.scope), revoked: false }, issuer, true);
  }

  private refresh(client: ClientSpec, request: TokenRequest, issuer: string): Promise<TokenResponse> {
    if (!request.refresh_token) throw new OAuthError('invalid_request', "Missing parameter 'refresh_token'.");
    const record = this.refreshTokens.get(request.refresh_token);
    const invalid = () => new OAuthError('invalid_grant', 'The refresh token is invalid, expired or revoked.');
    if (!record || record.authorization.clientId !== client.id) throw invalid();
    if (record.used) {
      record.authorization.revoked = true;
      throw invalid();
    }
    if (record.authorization.revoked || record.expiresAt <= this.clock().getTime()) throw invalid();
    const authorization = record.authorization;
    const asked = request.scope === undefined ? authorization.scope : scopes(request.scope);
    const beyond = asked.filter((s) => !authorization.scope.includes(s));
    if (beyond.length > 0) throw new OAuthError('invalid_scope', `Scope '${beyond.join(' ')}' exceeds the original grant.`);
    record.used = true;
    // A narrower access token, perhaps; the authorization (and the next refresh token) keeps its scope.
    return this.issue({ ...authorization, scope: asked }, issuer, true, authorization);
  }

  /**
   * The scopes granted: the ones asked for that the client has (vIDB ignores the others), or all
   * of the client's when none are asked for; `invalid_scope` when none of those asked for is the client's.
   */
  private grantedScope(client: ClientSpec, requested: string | undefined): string[] {
    if (requested === undefined || requested.trim() === '') return [...client.scopes];
    const granted = scopes(requested).filter((s) => client.scopes.includes(s));
    if (granted.length === 0) throw new OAuthError('invalid_scope', `None of the scopes '${requested}' is granted to client '${client.id}'.`);
    return granted;
  }

  private async issue(grant: Authorization, issuer: string, withRefresh: boolean, authorization = grant): Promise<TokenResponse> {
    const key = await this.signingKey();
    const now = this.clock().getTime();
    this.forgetExpired(now);
    const iat = Math.floor(now / 1000);
    const lifetime = this.settings.accessTokenLifetime;
    const jti = randomUUID();
    const record: AccessRecord = {
      jti,
      principal: grant.principal,
      clientId: grant.clientId,
      scope: grant.scope,
      issuedAt: new Date(iat * 1000),
      expiresAt: new Date((iat + lifetime) * 1000),
      authorization,
      revoked: false,
    };
    const accessToken = await new SignJWT({ client_id: grant.clientId, scope: grant.scope.join(' ') })
      .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setSubject(grant.principal)
      .setAudience(this.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetime)
      .setJti(jti)
      .sign(key.privateKey);
    this.accessTokens.set(jti, record);
    // Signed here: no need to check its signature when it comes back.
    this.verified.set(accessToken, record);
    const response: TokenResponse = { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope: grant.scope.join(' ') };
    if (withRefresh) {
      const refreshToken = randomBytes(32).toString('base64url');
      this.refreshTokens.set(refreshToken, { authorization, expiresAt: now + this.settings.refreshTokenLifetime * 1000, used: false });
      response.refresh_token = refreshToken;
    }
    return response;
  }

  private live(record: AccessRecord): AccessRecord | undefined {
    if (record.revoked || record.authorization.revoked) return undefined;
    return record.expiresAt.getTime() > this.clock().getTime() ? record : undefined;
  }

  private ownedBy(client: ClientSpec, authorization: Authorization): void {
    if (authorization.clientId !== client.id) throw new OAuthError('invalid_request', 'The token was issued to another client.');
  }

  /**
   * Expired tokens go, so the maps hold about the live tokens. Checked on issue, at most once a
   * minute of the simulator's clock: a client fetching tokens in a loop does not pay a sweep each.
   */
  private forgetExpired(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [jti, record] of this.accessTokens) if (record.expiresAt.getTime() <= now) this.accessTokens.delete(jti);
    for (const [token, record] of this.verified) if (record.expiresAt.getTime() <= now) this.verified.delete(token);
    for (const [token, record] of this.refreshTokens) if (record.expiresAt <= now) this.refreshTokens.delete(token);
  }

  /** The instance's RSA key, made on first use (the key pair takes tens of ms: most simulators never need one). */
  private async signingKey(): Promise<SigningKey> {
    if (this.key) return this.key;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    // Another request may have made one meanwhile: the first one stays, so tokens already signed keep verifying.
    this.key ??= { kid, privateKey, publicKey, jwk: { ...jwk, kid, use: 'sig', alg: ALGORITHM } };
    return this.key;
  }
}

function scopes(value: string): string[] {
  return value.split(' ').filter(Boolean);
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
