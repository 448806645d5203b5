/**
 * Errors raised by the HTTP framework itself (a URL that does not decode, a path parameter too
 * long, a body too large, an unknown route), answered in the form of the API the path belongs
 * to: a SOAP fault under /sdk and the lookup service, a WS-Trust fault from the STS, an RFC 6749
 * error from the OAuth endpoints (the token exchange under /api included), the vAPI error of its
 * flavour under /api and /rest, the control API's JSON under /_sim. A client never sees fastify's
 * own error shape.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { VapiError, message, type VapiErrorKind } from './rest/errors.js';
import { flavours } from './rest/flavours.js';
import { soapClientFault } from './soap/dispatch.js';
import { stsFaults } from './sts/faults.js';

export type PathApi = 'soap' | 'sts' | 'oauth' | 'api' | 'rest' | 'control' | 'other';

const oauthPaths = /^\/(acs\/|\.well-known\/openid-configuration|api\/vcenter\/authentication\/token(?:[?/]|$))/;

/** Which API answers at `url`. */
export function apiOfPath(url: string): PathApi {
  if (url === '/sdk' || url.startsWith('/sdk/') || url.startsWith('/sdk?') || url.startsWith('/lookupservice/')) return 'soap';
  if (url.startsWith('/sts/')) return 'sts';
  if (oauthPaths.test(url)) return 'oauth';
  if (url === '/api' || url.startsWith('/api/') || url.startsWith('/api?')) return 'api';
  if (url === '/rest' || url.startsWith('/rest/') || url.startsWith('/rest?')) return 'rest';
  if (url === '/_sim' || url.startsWith('/_sim/') || url.startsWith('/metrics')) return 'control';
  return 'other';
}

/** The control API's (and any other path's) JSON error names, by HTTP status. */
const controlErrorOf: Record<number, string> = {
  400: 'invalid_request',
  404: 'not_found',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
};

/** The vAPI error a framework failure is reported as; its HTTP status is kept. */
function vapiKindOf(status: number): VapiErrorKind {
  if (status === 404) return 'not_found';
  return status >= 500 ? 'error' : 'invalid_request';
}

/** Answers a request the framework refused with `status`, in its API's form. */
export function sendHttpError(request: FastifyRequest, reply: FastifyReply, status: number, text: string): FastifyReply {
  const api = apiOfPath(request.url);
  reply.code(status);
  if (api === 'soap') return reply.type('text/xml; charset=utf-8').send(soapClientFault(text));
  // WS-Trust faults are HTTP 500 whatever went wrong (a body too large is an invalid request).
  if (api === 'sts') return reply.code(500).type('text/xml; charset=utf-8').send(stsFaults.invalidRequest(text).envelope);
  if (api === 'oauth') {
    // RFC 6749 §5.2: a body that is no form (fastify's 415 for an empty Content-Type) is a 400 invalid_request.
    if (status === 415) reply.code(400);
    return reply.type('application/json;charset=UTF-8').send({ error: status === 404 ? 'not_found' : status >= 500 ? 'server_error' : 'invalid_request', error_description: text });
  }
  if (api === 'api' || api === 'rest') {
    const error = new VapiError(vapiKindOf(status), [message(`com.vmware.vapi.rest.http_${status}`, text)], status);
    return reply.type('application/json').send(flavours[api].error(error));
  }
  return reply.type('application/json; charset=utf-8').send({ error: controlErrorOf[status] ?? (status >= 500 ? 'internal' : 'invalid_request'), message: text });
}

/**
 * Fastify's own errors (FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH, FST_ERR_CTP_*, ...) carry a
 * status below 500 and a message fit for a client; anything else is a bug of ours, logged and
 * never shown.
 */
export function sendFrameworkError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = (error as FastifyError).statusCode ?? 500;
  if (status < 500) return sendHttpError(request, reply, status, clientMessage(error as FastifyError, status));
  request.log.error({ err: error }, 'internal error');
  return sendHttpError(request, reply, 500, 'Internal error');
}

/** Fastify's message, without the echoed URL (which may be megabytes long). */
function clientMessage(error: FastifyError, status: number): string {
  if (error.code === 'FST_ERR_BAD_URL') return 'The request URL is not validly percent-encoded';
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH' || status === 414) return 'A path parameter is longer than the server accepts';
  return error.message;
}
