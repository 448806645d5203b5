/**
 * Observability: W3C trace context and SOAP operationID on every request, a pino-compatible
 * logger for request/response/retry events, and a wire log with credentials masked.
 */
import { randomBytes } from 'node:crypto';

/** The part of a pino (or console-like) logger the client uses: `logger.debug(obj, msg)`. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export type ClientEvent =
  | { event: 'request'; api: 'soap' | 'rest'; method: string; attempt: number; traceparent: string; operationId?: string }
  | { event: 'response'; api: 'soap' | 'rest'; method: string; attempt: number; status: number; durationMs: number; code?: string }
  | { event: 'retry'; api: 'soap' | 'rest'; method: string; attempt: number; delayMs: number; code: string; retryAfterMs?: number }
  | { event: 'relogin'; method: string }
  /** runTask looked in recentTask for the task of a call whose answer was lost: how many it found (undefined: it could not look). */
  | { event: 'lost-task'; method: string; found?: number }
  | { event: 'breaker'; endpoint: string; state: 'closed' | 'open' | 'half-open' };

export interface ObserveOptions {
  logger?: Logger;
  /** Called with each event, after the logger. */
  onEvent?: (event: ClientEvent) => void;
  /** Called with every request and response as sent and received, credentials masked (vcctl --debug). */
  wireLog?: (direction: 'request' | 'response', text: string) => void;
}

export function emit(options: ObserveOptions, event: ClientEvent): void {
  if (options.logger) {
    const level = event.event === 'retry' || event.event === 'lost-task' || (event.event === 'breaker' && event.state === 'open') ? 'warn' : 'debug';
    options.logger[level](event, `vsphere client ${event.event}`);
  }
  options.onEvent?.(event);
}

/** A new traceparent (version 00, sampled), or the caller's. */
export function traceparentFor(given?: string): string {
  if (given && /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/.test(given)) return given;
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/** The span (parent) id of a traceparent: the default SOAP operationID, tying the two together. */
export const spanId = (traceparent: string) => traceparent.split('-')[2]!;

const secretElements = /<((?:\w+:)?(?:password|token|cloneTicket|samlToken|Assertion|BinarySecurityToken)\b)([^>]*)>[\s\S]*?<\/\1>/g;
const secretHeaders = /^(cookie|set-cookie|authorization|vmware-api-session-id):.*$/gim;

/** Text with passwords, tokens, tickets, cookies and session ids replaced by `***`. */
export function maskSecrets(text: string): string {
  return text
    .replace(secretElements, '<$1$2>***</$1>')
    .replace(secretHeaders, '$1: ***')
    .replace(/(vmware_soap_session=)("[^"]*"|[^;\s]*)/g, '$1***')
    .replace(/("password"\s*:\s*)"[^"]*"/g, '$1"***"');
}
