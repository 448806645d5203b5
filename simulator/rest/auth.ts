/**
 * Who a REST request comes from. REST sessions are SOAP sessions (one SessionManager, one idle
 * timeout): the token a client sends is a session key.
 */
import type { IncomingHttpHeaders } from 'node:http';
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

/** The live session the request names (touched, so it stays alive), or `unauthenticated`. */
export function authenticate(vc: VCenter, headers: IncomingHttpHeaders): Session {
  const session = vc.sessionManager.lookup(sessionToken(headers));
  if (!session) throw vapiErrors.authenticationRequired();
  session.callCount++;
  return session;
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
