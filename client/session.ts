/**
 * How a client logs in, and again after its session expired: by password, by SAML token
 * (LoginByToken with the token in a WS-Security header) or by a clone ticket (CloneSession).
 * A clone ticket is good once, so a session made from one cannot be re-created.
 */
import { VimError } from './errors.js';

export type Credentials =
  | { kind: 'password'; username: string; password: string; locale?: string }
  | { kind: 'token'; token: string; locale?: string }
  | { kind: 'ticket'; ticket: string };

export interface LoginOptions {
  username?: string;
  password?: string;
  /** A SAML bearer token (the `<saml2:Assertion>` XML) from the vCenter STS: LoginByToken. */
  token?: string;
  /** A ticket from another session's AcquireCloneTicket: CloneSession. */
  cloneTicket?: string;
  locale?: string;
}

export function credentialsOf(options: LoginOptions, url: URL): Credentials {
  if (options.cloneTicket) return { kind: 'ticket', ticket: options.cloneTicket };
  if (options.token) return { kind: 'token', token: options.token, locale: options.locale };
  const username = options.username ?? decodeURIComponent(url.username);
  const password = options.password ?? decodeURIComponent(url.password);
  if (!username) throw new VimError({ code: 'INVALID_LOGIN', message: 'connect needs a username and password, a token or a cloneTicket' });
  return { kind: 'password', username, password, locale: options.locale };
}

/** The login call for `credentials`: method, arguments and the SOAP header it needs. */
export function loginCall(credentials: Credentials, again: boolean): { method: string; args: Record<string, unknown>; header?: string } {
  switch (credentials.kind) {
    case 'password':
      return { method: 'Login', args: { userName: credentials.username, password: credentials.password, locale: credentials.locale } };
    case 'token':
      return {
        method: 'LoginByToken',
        args: { locale: credentials.locale },
        header: `<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">${credentials.token}</wsse:Security>`,
      };
    case 'ticket':
      if (again) throw new VimError({ code: 'NOT_AUTHENTICATED', message: 'the session cloned from a ticket expired; a clone ticket is good only once, so connect again' });
      return { method: 'CloneSession', args: { cloneTicket: credentials.ticket } };
  }
}
