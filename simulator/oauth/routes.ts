/**
 * The token service of a federated vCenter over HTTP, where vCenter 8's VMware Identity Broker
 * serves it: `/acs/t/<tenant>/token` (RFC 6749), `/revoke` (RFC 7009), `/jwks` (RFC 7517) and
 * `/.well-known/openid-configuration` (OpenID Connect Discovery; also at the server's root for the
 * configured tenant). Forms in, JSON out; errors in RFC 6749 §5.2's form. Like REST calls, these
 * meet the fault rules and go into the journal (`match.path: "/acs/*"`). And vCenter's own token
 * exchange (RFC 8693, vSphere 7.0 U2+): `POST /api/vcenter/authentication/token` turns an access
 * token into a SAML bearer token for LoginByToken.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError, type TokenRequest } from '../../models/admin/oauth-server.js';
import type { VCenter } from '../../models/vcenter.js';
import type { CallInterceptor } from '../control/interceptor.js';
import { InjectedAnswer } from '../faults/answer.js';
import { sendInjected } from '../faults/transport.js';
import { basicCredentials } from '../rest/auth.js';
import type { Sts } from '../sts/sts.js';

/** Token requests are a few hundred bytes; a refresh token or JWT subject a few KB at most. */
const formBodyLimit = 64 * 1024;
const FORM_TYPE = /^\s*application\/x-www-form-urlencoded\b/i;

type Request = FastifyRequest<{ Params: { tenant?: string } }>;
type Handler = (vc: VCenter, request: Request, reply: FastifyReply, call: CallNote) => unknown;

/** What a handler tells the journal of the call (who it turned out to be). */
interface CallNote {
  user?: string;
}

export function oauthRoutes(vc: VCenter, interceptor?: CallInterceptor, sts?: Sts) {
  return async function oauthPlugin(app: FastifyInstance): Promise<void> {
    const tenantBase = '/acs/t/:tenant';
    const route = (method: 'GET' | 'POST', url: string, operation: string, handler: Handler) =>
      app.route({ method, url, bodyLimit: formBodyLimit, handler: (request: Request, reply) => answer(vc, interceptor, request, reply, `${method} ${operation}`, handler) });
    route('POST', `${tenantBase}/token`, '/acs/t/{tenant}/token', token);
    route('POST', `${tenantBase}/revoke`, '/acs/t/{tenant}/revoke', revoke);
    route('GET', `${tenantBase}/jwks`, '/acs/t/{tenant}/jwks', jwks);
    route('GET', `${tenantBase}/.well-known/openid-configuration`, '/acs/t/{tenant}/.well-known/openid-configuration', discovery);
    route('GET', '/.well-known/openid-configuration', '/.well-known/openid-configuration', discovery);
    if (sts) route('POST', '/api/vcenter/authentication/token', '/api/vcenter/authentication/token', (v, request, reply, note) => exchange(v, sts, request, reply, note));
  };
}

async function answer(vc: VCenter, interceptor: CallInterceptor | undefined, request: Request, reply: FastifyReply, method: string, handler: Handler) {
  const call = interceptor?.open('rest', request.raw.socket, request.headers.traceparent as string | undefined);
  const note: CallNote = {};
  let fault: string | undefined;
  let injected: InjectedAnswer | undefined;
  try {
    if (call) {
      call.method = method;
      call.path = request.url.split('?')[0];
      const held = interceptor!.before(call);
      if (held) await held;
    }
    if (request.params.tenant !== undefined && request.params.tenant !== vc.oauth.tenant) {
      return reply.code(404).type('application/json').send({ error: 'not_found', error_description: `No tenant '${request.params.tenant.slice(0, 100)}'.` });
    }
    await handler(vc, request, reply, note);
    return reply;
  } catch (thrown) {
    if (thrown instanceof InjectedAnswer) {
      injected = thrown;
      return sendInjected(request, reply, thrown);
    }
    if (!(thrown instanceof OAuthError)) throw thrown; // a bug: the app's error handler logs it and answers 500
    fault = thrown.code;
    return sendOAuthError(reply, thrown);
  } finally {
    if (call) {
      call.user = note.user;
      interceptor!.close(call, { status: reply.statusCode, fault, injected });
    }
  }
}

/** RFC 6749 §5.2: 401 for a client that failed to authenticate, 400 otherwise; JSON either way. */
function sendOAuthError(reply: FastifyReply, error: OAuthError) {
  const status = error.code === 'invalid_client' ? 401 : 400;
  if (status === 401) reply.header('www-authenticate', 'Basic realm="oauth"');
  return reply.code(status).headers(noStore).type('application/json;charset=UTF-8').send({ error: error.code, error_description: error.message });
}

const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };

async function token(vc: VCenter, request: Request, reply: FastifyReply, note: CallNote) {
  const form = formOf(request);
  const client = authenticatedClient(vc, request, form);
  const out = await vc.oauth.token(client, form as TokenRequest, issuerOf(vc, request));
  note.user = vc.oauth.verifyCached(out.access_token)?.principal;
  return reply.headers(noStore).type('application/json;charset=UTF-8').send(out);
}

const tokenTypes = {
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
  saml2: 'urn:ietf:params:oauth:token-type:saml2',
};

/**
 * RFC 8693 as vCenter renders it: an access token of the token service (`subject_token`) for a
 * SAML 2.0 bearer token of the same user, base64 in `access_token`, good for LoginByToken on /sdk
 * and `SIGN` logins on /api for the STS's bearer lifetime.
 */
async function exchange(vc: VCenter, sts: Sts, request: Request, reply: FastifyReply, note: CallNote) {
  const form = formOf(request);
  if (form.grant_type !== 'urn:ietf:params:oauth:grant-type:token-exchange') throw new OAuthError('unsupported_grant_type', `Unsupported grant_type '${String(form.grant_type ?? '').slice(0, 100)}'.`);
  if (!form.subject_token) throw new OAuthError('invalid_request', "Missing parameter 'subject_token'.");
  if (form.subject_token_type !== tokenTypes.accessToken) throw new OAuthError('invalid_request', `subject_token_type must be ${tokenTypes.accessToken}.`);
  if (form.requested_token_type !== undefined && form.requested_token_type !== tokenTypes.saml2) throw new OAuthError('invalid_request', `requested_token_type must be ${tokenTypes.saml2}.`);
  const grant = await vc.oauth.verify(form.subject_token);
  if (!grant) throw new OAuthError('invalid_grant', 'The subject token is not valid.');
  note.user = grant.principal;
  const token = sts.bearerToken(grant.principal);
  return reply.headers(noStore).type('application/json;charset=UTF-8').send({
    access_token: Buffer.from(token.xml).toString('base64'),
    issued_token_type: tokenTypes.saml2,
    token_type: 'Bearer',
    expires_in: Math.round((token.expires.getTime() - vc.now().getTime()) / 1000),
  });
}

async function revoke(vc: VCenter, request: Request, reply: FastifyReply) {
  const form = formOf(request);
  const client = authenticatedClient(vc, request, form);
  if (!form.token) throw new OAuthError('invalid_request', "Missing parameter 'token'.");
  await vc.oauth.revoke(client, form.token);
  return reply.code(200).send();
}

async function jwks(vc: VCenter, _request: Request, reply: FastifyReply) {
  return reply.type('application/jwk-set+json').send(await vc.oauth.jwks());
}

/** OpenID Connect Discovery 1.0 §3 (what vIDB's OIDCDiscovery publishes that applies here). */
function discovery(vc: VCenter, request: Request, reply: FastifyReply) {
  const issuer = issuerOf(vc, request);
  return reply.type('application/json').send({
    issuer,
    token_endpoint: `${issuer}/token`,
    revocation_endpoint: `${issuer}/revoke`,
    jwks_uri: `${issuer}/jwks`,
    grant_types_supported: ['client_credentials', 'password', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    response_types_supported: ['token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: [...new Set(vc.oauth.settings.clients.flatMap((c) => c.scopes))],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope'],
  });
}

/** The tokens' issuer: the tenant's base URL as the client reached the server. */
function issuerOf(vc: VCenter, request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/acs/t/${vc.oauth.tenant}`;
}

/**
 * The form parameters (RFC 6749 §3.2: `application/x-www-form-urlencoded`, each at most once).
 * Anything else is `invalid_request`.
 */
function formOf(request: FastifyRequest): Record<string, string> {
  const type = request.headers['content-type'];
  if (!type || !FORM_TYPE.test(type)) throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
  const form: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(typeof request.body === 'string' ? request.body : '')) {
    if (Object.hasOwn(form, name)) throw new OAuthError('invalid_request', `Parameter '${name.slice(0, 100)}' is repeated.`);
    form[name] = value;
  }
  return form;
}

/**
 * The client, authenticated by HTTP Basic (RFC 6749 §2.3.1: id and secret form-encoded, then
 * Basic) or by `client_id`/`client_secret` in the form; using both is `invalid_request`.
 */
function authenticatedClient(vc: VCenter, request: FastifyRequest, form: Record<string, string>) {
  const basic = basicCredentials(request.headers);
  if (basic) {
    if (form.client_secret !== undefined || (form.client_id !== undefined && form.client_id !== formDecoded(basic.userName))) {
      throw new OAuthError('invalid_request', 'Use one client authentication method: HTTP Basic or form parameters.');
    }
    return vc.oauth.authenticateClient(formDecoded(basic.userName), formDecoded(basic.password));
  }
  if (form.client_id === undefined) throw new OAuthError('invalid_client', 'Client authentication is required.');
  return vc.oauth.authenticateClient(form.client_id, form.client_secret ?? '');
}

function formDecoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError('invalid_client', 'Malformed client credentials.');
  }
}
