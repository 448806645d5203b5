/**
 * Who a REST request comes from. REST sessions are SOAP sessions (one SessionManager, one idle
 * timeout): the token a client sends is a session key. With identity federation, an OAuth access
 * token (`Authorization: Bearer`) from the token service stands in for a session on every call.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AccessGrant } from '../../models/admin/oauth-server.js';
import type { Session } from '../../models/core/session.js';
import type { VCenter } from '../../models/vcenter.js';
import { vapiErrors } from './errors.js';

export const SESSION_HEADER = 'vmware-api-session-id';
/** Asks the server not to set the session cookie (govmomi sends it). */
export const HEADER_AUTHN = 'vmware-use-header-authn';

const restCookiePattern = /(?:^|[;,\s])vmware-api-session-id="?([^";,\s]+)/;
const soapCookiePattern = /vmware_soap_session="?([^";,\s]+)/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join('; ') : value;
}

/** The session token: the `vmware-api-session-id` header, else the cookie of that name. */
export function sessionToken(headers: IncomingHttpHeaders): string | undefined {
  return header(headers, SESSION_HEADER) || restCookiePattern.exec(header(headers, 'cookie') ?? '')?.[1];
}

/** The token of `Authorization: Bearer <token>` (RFC 6750 §2.1), if the request has one. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header(headers, 'authorization') ?? '');
  return match?.[1];
}

/**
 * The caller: the live session the request names (touched, so it stays alive), else the user of
 * its OAuth bearer token, else `unauthenticated`. A token seen before answers at once; only a new
 * one is awaited (its signature checked), so session and cached-token calls take no extra turn.
 */
export function authenticate(vc: VCenter, headers: IncomingHttpHeaders, remote: CallerAddress): Session | Promise<Session> {
  const session = vc.sessionManager.lookup(sessionToken(headers));
  if (session) {
    session.callCount++;
    return session;
  }
  const token = bearerToken(headers);
  if (token === undefined) throw vapiErrors.authenticationRequired();
  if (vc.oauth.seen(token)) return bearerSession(vc, vc.oauth.verifyCached(token), remote);
  return vc.oauth.verify(token).then((grant) => bearerSession(vc, grant, remote));
}

type CallerAddress = { address: string; userAgent: string };

function bearerSession(vc: VCenter, grant: AccessGrant | undefined, remote: CallerAddress): Session {
  if (!grant) throw vapiErrors.invalidBearerToken();
  const session = vc.oauth.sessionFor(grant, remote);
  session.callCount++;
  session.lastActiveTime = vc.now();
  return session;
}

/** The user a request's bearer token names, if the token was verified before (for the journal; no crypto). */
export function bearerUser(vc: VCenter, headers: IncomingHttpHeaders): string | undefined {
  const token = bearerToken(headers);
  return token === undefined ? undefined : vc.oauth.verifyCached(token)?.principal;
}

/** The SOAP session whose cookie the request carries, if it is live. */
export function soapSession(vc: VCenter, headers: IncomingHttpHeaders): Session | undefined {
  return vc.sessionManager.lookup(soapCookiePattern.exec(header(headers, 'cookie') ?? '')?.[1]);
}

/** HTTP Basic credentials, if the request has them. */
export function basicCredentials(headers: IncomingHttpHeaders): { userName: string; password: string } | undefined {
  const match = /^\s*basic\s+(\S+)\s*$/i.exec(header(headers, 'authorization') ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { userName: decoded, password: '' };
  return { userName: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function wantsHeaderAuthn(headers: IncomingHttpHeaders): boolean {
  return header(headers, HEADER_AUTHN)?.trim().toLowerCase() === 'true';
}
