/**
 * Who may use the control API. It changes what every client of the simulator sees, so it is never
 * open: even when SOAP login is open to any user, the control API takes only
 *  - HTTP Basic with the credentials the simulator reports (`sim.username` / `sim.password`: the
 *    configured -username/-password, else the first topology user, else user / pass), or
 *  - `Authorization: Bearer <token>` when a control token is set (--control-token).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface ControlCredentials {
  username: string;
  password: string;
  /** Bearer token; when unset, only Basic is accepted. */
  token?: string;
}

export function authorized(header: string | undefined, credentials: ControlCredentials): boolean {
  if (!header) return false;
  const space = header.indexOf(' ');
  if (space < 0) return false;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return credentials.token !== undefined && credentials.token !== '' && same(value, credentials.token);
  if (scheme === 'basic') return same(decodeBase64(value) ?? '', `${credentials.username}:${credentials.password}`);
  return false;
}

/** Strict base64: node's decoder skips stray characters, which would let a mangled header through. */
function decodeBase64(value: string): string | undefined {
  const bytes = Buffer.from(value, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') === value.replace(/=+$/, '') ? bytes.toString('utf8') : undefined;
}

/** Constant-time comparison of digests, so neither contents nor lengths leak through timing. */
function same(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** What a 401 advertises. */
export function challenge(credentials: ControlCredentials): string {
  const basic = 'Basic realm="vcenter-sim control API", charset="UTF-8"';
  return credentials.token ? `${basic}, Bearer realm="vcenter-sim control API"` : basic;
}
