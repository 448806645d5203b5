/**
 * "The API's form" of each endpoint the fuzzer calls: what every answer, success or error, must
 * look like. Each check returns what is wrong (undefined when nothing is) and whether the answer
 * admits an internal error.
 *
 * - /sdk (vim25): text/xml, a soapenv Envelope; 200 holds `<XResponse xmlns="urn:vim25">`, anything
 *   else a soapenv:Fault with a faultcode.
 * - /api and /rest: JSON; errors are vAPI errors (`error_type` and `messages`; /rest wraps them in
 *   `value` under a `com.vmware.vapi.std.errors.*` type).
 * - /sts/STSService (WS-Trust 1.3): text/xml, a SOAP 1.1 Envelope; 200 holds a
 *   RequestSecurityTokenResponse (or its Collection), anything else is HTTP 500 with a Fault whose
 *   faultcode is a WS-Trust or WS-Security fault name (`wst:InvalidRequest`, `wsse:FailedCheck`, ...).
 * - /lookupservice/sdk: text/xml, a SOAP Envelope; 200 holds `<XResponse xmlns="urn:lookup">`,
 *   anything else a soapenv:Fault (HTTP 500, or the status of a request refused before it was read).
 * - /acs/t/<tenant>/ and the token exchange: JSON; 200 token answers carry `access_token` and
 *   `token_type` and are not to be cached; errors are RFC 6749 §5.2 objects (`error` from its list,
 *   `error_description` a string), 401 with a challenge; an unknown tenant or route is 404 `not_found`.
 * - /folder (datastore files): a refusal is a short text/plain message with a 4xx status (401
 *   with a Basic challenge) or 507 for a full datastore; a success a listing, a file or nothing.
 */
import type { LightMyRequestResponse } from 'fastify';

export interface FormCheck {
  problem?: string;
  internal?: boolean;
}

const contentType = (reply: Pick<LightMyRequestResponse, 'headers'>) => String(reply.headers['content-type'] ?? '');

export function vimForm(reply: LightMyRequestResponse): FormCheck {
  const body = reply.body;
  const envelope = body.includes('<soapenv:Envelope') && body.includes('</soapenv:Envelope>');
  const form = reply.statusCode === 200 ? /Response xmlns="urn:vim25">/.test(body) : body.includes('<soapenv:Fault><faultcode>');
  return {
    problem: contentType(reply).startsWith('text/xml') && envelope && form ? undefined : 'not a vim25 SOAP answer',
    internal: body.includes('<reason>Internal error</reason>'),
  };
}

export function vapiForm(reply: LightMyRequestResponse, flavour: 'api' | 'rest'): FormCheck {
  const json = contentType(reply).startsWith('application/json');
  if (reply.statusCode < 400) return { problem: reply.body && !json ? 'a success that is not JSON' : undefined };
  const error = parseJson(reply.body) as any;
  if (error === undefined) return { problem: 'an error whose body is not JSON' };
  const vapi = flavour === 'api' ? error : error?.value;
  const shaped = json && typeof vapi?.error_type === 'string' && Array.isArray(vapi.messages) && (flavour === 'api' || String(error.type).startsWith('com.vmware.vapi.std.errors.'));
  return { problem: shaped ? undefined : 'not a vAPI error', internal: reply.statusCode >= 500 && vapi?.messages?.[0]?.id === 'com.vmware.vapi.rest.internal_error' };
}

const trustFaults = /<faultcode[^>]*>(wst:(InvalidRequest|FailedAuthentication|RequestFailed|InvalidTimeRange)|wsse:(FailedCheck|InvalidSecurity|MessageExpired))<\/faultcode>/;

export function wsTrustForm(reply: LightMyRequestResponse): FormCheck {
  const body = reply.body;
  const envelope = /^<\?xml[^>]*\?><S:Envelope xmlns:S="http:\/\/schemas\.xmlsoap\.org\/soap\/envelope\/">[\s\S]*<\/S:Envelope>$/.test(body);
  const form = reply.statusCode === 200 ? /<RequestSecurityTokenResponse(Collection)? xmlns="http:\/\/docs\.oasis-open\.org\/ws-sx\/ws-trust\/200512">/.test(body) : reply.statusCode === 500 && trustFaults.test(body);
  return {
    problem: contentType(reply).startsWith('text/xml') && envelope && form ? undefined : 'not a WS-Trust answer',
    internal: body.includes('<faultstring>Internal error</faultstring>'),
  };
}

export function lookupForm(reply: LightMyRequestResponse): FormCheck {
  const body = reply.body;
  const envelope = body.includes('<soapenv:Envelope') && body.includes('</soapenv:Envelope>');
  const form = reply.statusCode === 200 ? /Response xmlns="urn:lookup">/.test(body) : body.includes('<soapenv:Fault><faultcode>');
  return {
    problem: contentType(reply).startsWith('text/xml') && envelope && form ? undefined : 'not a lookup service SOAP answer',
    internal: body.includes('<faultstring>Internal error</faultstring>'),
  };
}

export function folderForm(reply: Pick<LightMyRequestResponse, 'statusCode' | 'headers' | 'body'>): FormCheck {
  const status = reply.statusCode;
  if (status < 400) return {};
  if (status >= 500 && status !== 507) return { problem: `status ${status}`, internal: true };
  if (!contentType(reply).startsWith('text/plain')) return { problem: 'a refusal that is not text/plain' };
  return { problem: status === 401 && !reply.headers['www-authenticate'] ? '401 without a challenge' : undefined };
}

const oauthErrors = new Set(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope']);

export type OAuthEndpoint = 'token' | 'revoke' | 'jwks' | 'discovery' | 'exchange';

export function oauthForm(reply: LightMyRequestResponse, endpoint: OAuthEndpoint): FormCheck {
  const status = reply.statusCode;
  const json = /^application\/(jwk-set\+)?json/.test(contentType(reply));
  const body = parseJson(reply.body) as any;
  if (status === 200) {
    if (endpoint === 'revoke') return {};
    if (!json || typeof body !== 'object' || body === null) return { problem: 'a success that is not a JSON object' };
    if ((endpoint === 'token' || endpoint === 'exchange') && (typeof body.access_token !== 'string' || body.token_type !== 'Bearer' || reply.headers['cache-control'] !== 'no-store')) {
      return { problem: 'a token answer without access_token, token_type or no-store' };
    }
    return {};
  }
  if (!json || typeof body?.error !== 'string' || (body.error_description !== undefined && typeof body.error_description !== 'string')) return { problem: 'not an RFC 6749 error', internal: status >= 500 };
  if (status === 404) return { problem: body.error === 'not_found' ? undefined : 'a 404 that is not not_found' };
  if (status === 400 || status === 401 || status === 413) {
    if (!oauthErrors.has(body.error)) return { problem: `an error outside RFC 6749's list (${body.error})` };
    if (status === 401 && !reply.headers['www-authenticate']) return { problem: '401 without a challenge' };
    return {};
  }
  return { problem: `status ${status}`, internal: status >= 500 };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
