/**
 * The REST adapter: serves one route table under `/api` and `/rest`. Per request it picks the
 * operation (method, path, action), authenticates, validates query and body with the route's
 * schemas, calls the handler, and writes the result or the error in the request's flavour.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { VimFault } from '../../models/core/fault.js';
import type { VCenter } from '../../models/vcenter.js';
import type { Sts } from '../sts/sts.js';
import type { CallInterceptor } from '../control/interceptor.js';
import { InjectedAnswer } from '../faults/answer.js';
import type { ApiCall } from '../faults/call.js';
import { sendInjected } from '../faults/transport.js';
import type { Session } from '../../models/core/session.js';
import { authorizeRest, visibleItems } from './access.js';
import { authenticate, basicCredentials, bearerUser, sessionToken } from './auth.js';
import { asVapiError, message, vapiErrors, VapiError } from './errors.js';
import { flavours, type FlavourCodec, type RawQuery, type Reply } from './flavours.js';
import type { Flavour, HttpMethod, RestContext, RestRoute } from './route.js';

const JSON_TYPE = 'application/json';
/**
 * The largest JSON body an /api or /rest operation takes (larger: 413 in vAPI form). The biggest
 * real ones are a VM data set entry (a value of up to 1 MiB, quoted) and a tag attached to
 * thousands of objects (a few hundred KB); parsing JSON cannot yield, so the bound is what keeps
 * one body from holding other clients up.
 */
export const restBodyLimit = 2 * 1024 * 1024;

/** The operations sharing one method and path, told apart by their action ('' for none). */
interface RouteGroup {
  method: HttpMethod;
  path: string;
  byAction: Map<string, RestRoute>;
}

/**
 * A fastify plugin serving `routes` for `vc` under `/api` and `/rest`. With an interceptor, every
 * call goes through the fault rules and into the journal (see control/interceptor.ts).
 */
export function createRestPlugin(vc: VCenter, routes: RestRoute[], interceptor?: CallInterceptor, sts?: Sts) {
  return async function restPlugin(app: FastifyInstance): Promise<void> {
    for (const flavour of ['api', 'rest'] as const) {
      await app.register(async (scope) => registerFlavour(scope, vc, flavours[flavour], routes, interceptor, sts), { prefix: `/${flavour}` });
    }
  };
}

function registerFlavour(scope: FastifyInstance, vc: VCenter, codec: FlavourCodec, routes: RestRoute[], interceptor?: CallInterceptor, sts?: Sts): void {
  // Inside the prefix, fastify's own 404s and request errors (body too large, ...) take the vAPI form too.
  scope.setNotFoundHandler((request, reply) =>
    intercepted(vc, codec, interceptor, request, reply, undefined, () => {
      throw vapiErrors.routeNotFound();
    }),
  );
  scope.setErrorHandler((error, request, reply) => {
    // Refused before any handler ran: journaled, but no rule applies (there is no call to hold).
    const call = interceptor?.open('rest');
    if (call) describe(vc, call, request, undefined, undefined);
    const vapi = fromFastifyError(vc, error);
    sendError(reply, codec, vapi);
    if (call) interceptor!.close(call, { status: reply.statusCode, fault: vapiFaultName(vapi) });
    return reply;
  });
  const bodyLimit = Math.min(scope.initialConfig.bodyLimit ?? restBodyLimit, restBodyLimit);
  for (const group of groupRoutes(routes, codec.name)) {
    const handler = (request: FastifyRequest, reply: FastifyReply) =>
      intercepted(vc, codec, interceptor, request, reply, group, (call) => serve(vc, codec, group, request, reply, call, sts));
    // Both spellings answer directly: vCenter never redirects a missing or extra trailing slash.
    scope.route({ method: group.method, url: group.path, handler, bodyLimit });
    scope.route({ method: group.method, url: `${group.path}/`, handler, bodyLimit });
  }
}

function groupRoutes(routes: RestRoute[], flavour: Flavour): RouteGroup[] {
  const groups = new Map<string, RouteGroup>();
  for (const route of routes) {
    const path = typeof route.path === 'string' ? route.path : route.path[flavour];
    if (path === undefined) continue;
    const key = `${route.method} ${path}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { method: route.method, path, byAction: new Map() }));
    const action = route.action ?? '';
    if (group.byAction.has(action)) throw new Error(`duplicate REST route ${key} action '${action}'`);
    group.byAction.set(action, route);
  }
  return [...groups.values()];
}

/**
 * Runs `body` (which answers the call or throws) inside the interceptor: the call is described,
 * the rules applied (a `fault` rule's vSphere fault goes out as its vAPI error, `http`/`reset`/
 * `hang` as on SOAP), and the call journaled with its outcome. Without an interceptor, just `body`.
 */
async function intercepted(
  vc: VCenter,
  codec: FlavourCodec,
  interceptor: CallInterceptor | undefined,
  request: FastifyRequest,
  reply: FastifyReply,
  group: RouteGroup | undefined,
  body: (call: ApiCall | undefined) => unknown,
): Promise<FastifyReply> {
  const call = interceptor?.open('rest', request.raw.socket, request.headers.traceparent as string | undefined);
  let fault: string | undefined;
  let injected: InjectedAnswer | undefined;
  try {
    if (call) {
      describe(vc, call, request, codec, group);
      const held = interceptor!.before(call);
      if (held) await held; // no await (and no extra turn) when no rule holds the call
    }
    await body(call);
    return reply;
  } catch (error) {
    if (error instanceof InjectedAnswer) {
      injected = error;
      return sendInjected(request, reply, error);
    }
    const vapi = asVapiError(error, reportTo(vc));
    fault = error instanceof VimFault ? error.type : vapiFaultName(vapi);
    return sendError(reply, codec, vapi);
  } finally {
    if (call) interceptor!.close(call, { status: reply.statusCode, fault, injected });
  }
}

/**
 * What the rules and the journal know of a REST call. `method` is the operation:
 * `METHOD /prefix/path-template`, with `?action=<name>` (`?~action=` on /rest) for actions,
 * e.g. `POST /api/vcenter/vm/{vm}/power?action=start`; unknown routes get the concrete path.
 * `moid` is the route's object: the last path parameter naming a managed object ({vm} of
 * .../hardware/disk/{disk}), else the last path parameter (a tag or library id).
 */
function describe(vc: VCenter, call: ApiCall, request: FastifyRequest, codec: FlavourCodec | undefined, group: RouteGroup | undefined): void {
  const url = request.url;
  const queryAt = url.indexOf('?');
  call.path = queryAt < 0 ? url : url.slice(0, queryAt);
  if (group && codec) {
    const prefix = `/${codec.name}`;
    const query = (request.query ?? {}) as RawQuery;
    const plain = codec.action(query) === undefined ? plainRestAction(codec, group, query) : undefined;
    const action = codec.action(query) ?? plain;
    const actionKey = codec.name === 'api' || plain ? 'action' : '~action';
    call.method = `${group.method} ${prefix}${group.path.replace(/:(\w+)/g, '{$1}')}${action ? `?${actionKey}=${action}` : ''}`;
    const params = codec.params((request.params ?? {}) as Record<string, string>);
    // The object a sub-resource belongs to ({vm} of .../hardware/disk/{disk}) is what rules and the journal name.
    const ids = Object.values(params);
    const object = ids.filter((id) => vc.registry.byId(id) !== undefined).at(-1);
    call.moid = object ?? ids.at(-1);
    if (object !== undefined) call.type = vc.registry.byId(object)!.self.type;
  } else {
    call.method = `${request.method} ${call.path}`;
  }
  // Who calls: the session the token names, or a known bearer token's user (not refused here: a rule fires even on calls the server would refuse).
  const session = vc.sessionManager.lookup(sessionToken(request.headers));
  call.user = session?.userName ?? bearerUser(vc, request.headers);
  call.session = session?.key;
}

/** The journal's `fault` for a vAPI error that no vSphere fault caused: its vAPI type (`not_found`). */
function vapiFaultName(error: VapiError): string {
  return error.kind;
}

async function serve(vc: VCenter, codec: FlavourCodec, group: RouteGroup, request: FastifyRequest, reply: FastifyReply, call?: ApiCall, sts?: Sts) {
  const rawQuery = request.query as RawQuery;
  const action = codec.action(rawQuery) ?? plainRestAction(codec, group, rawQuery);
  const route = group.byAction.get(action ?? '');
  if (!route) throw action ? vapiErrors.operationNotFound(action) : vapiErrors.routeNotFound();
  const remote = { address: request.ip, userAgent: String(request.headers['user-agent'] ?? '') };
  const caller = route.auth === 'none' ? undefined : authenticate(vc, request.headers, remote);
  const session = caller instanceof Promise ? await caller : caller; // no extra turn unless a new token is being verified
  const ctx = context(vc, codec, route, request, reply, rawQuery, session, remote);
  ctx.call = call;
  ctx.sts = sts;
  authorizeRest(ctx, route, codec.name, ctx.params);
  const result = visibleItems(ctx, route, await route.handle(ctx));
  if (call && route.auth === 'none' && call.user === undefined) {
    // A login: the journal names the user it logged in (its token is the result).
    const session = typeof result === 'string' ? vc.sessionManager.lookup(result) : undefined;
    call.user = session?.userName ?? basicCredentials(request.headers)?.userName;
    call.session = session?.key;
  }
  return sendReply(reply, codec.success(result, route));
}

/** A `/rest` route that takes `?action=` (not `?~action=`) names its action that way. */
function plainRestAction(codec: FlavourCodec, group: RouteGroup, rawQuery: RawQuery): string | undefined {
  const action = Array.isArray(rawQuery.action) ? rawQuery.action[0] : rawQuery.action;
  if (codec.name !== 'rest' || action === undefined) return undefined;
  return group.byAction.get(action)?.plainRestAction ? action : undefined;
}

function context(
  vc: VCenter,
  codec: FlavourCodec,
  route: RestRoute,
  request: FastifyRequest,
  reply: FastifyReply,
  rawQuery: RawQuery,
  session: Session | undefined,
  remote: RestContext['remote'],
): RestContext {
  // A query field is one parameter however many times it repeats: name it without the item index.
  const query = validate(route.query, codec.query(rawQuery, route), (path) => codec.field(path.replace(/\.\d+$/, ''), 'query', route));
  const body = route.body
    ? validate(route.body, codec.body(parseJson(request.body, request.headers['content-type']), route), (path) => codec.field(path, 'body', route))
    : undefined;
  return {
    vc,
    flavour: codec.name,
    session,
    params: codec.params(request.params as Record<string, string>),
    query,
    body,
    headers: request.headers,
    remote,
    origin: `${request.protocol}://${request.host}`,
    http: { method: request.method, path: request.url.split('?')[0]!, host: request.host, body: typeof request.body === 'string' ? request.body : '', tls: request.protocol === 'https' },
    setHeader: (name, value) => void reply.header(name, value),
  };
}

/** The schema's output for `input`, or `invalid_argument` naming the first bad field. */
function validate(schema: z.ZodType | undefined, input: unknown, fieldName: (path: string) => string): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw vapiErrors.invalidField(fieldName(issue.path.map(String).join('.')), issue.message);
}

/**
 * The body as JSON; none at all is `undefined` (the route's schema decides whether that will do).
 * A body declared as anything but JSON (a form, text) is 415, as vCenter answers; none declared is read as JSON.
 */
function parseJson(body: unknown, contentType: string | undefined): unknown {
  if (typeof body !== 'string' || body.trim() === '') return undefined;
  if (contentType && !/^\s*application\/([\w.+-]+\+)?json\b/i.test(contentType)) throw vapiErrors.unsupportedMediaType(contentType);
  try {
    return JSON.parse(body);
  } catch (error) {
    throw vapiErrors.invalidJson((error as Error).message);
  }
}

/** Where a bug of ours met while serving REST goes: the instance's internal-error hook. */
function reportTo(vc: VCenter): ((error: unknown) => void) | undefined {
  const report = vc.options.onInternalError;
  return report && ((error) => report('serving a REST call', error));
}

function sendReply(reply: FastifyReply, out: Reply) {
  reply.code(out.status);
  if (out.body === undefined) return reply.send();
  return reply.header('content-type', JSON_TYPE).send(out.body);
}

function sendError(reply: FastifyReply, codec: FlavourCodec, error: VapiError) {
  reply.code(error.status).header('content-type', JSON_TYPE);
  if (error.status === 401) reply.header('www-authenticate', error.challenge ?? 'Basic realm="VAPI endpoint"');
  return reply.send(codec.error(error));
}

/** A request fastify rejected before any handler ran (body too large, ...), in vAPI form with its status. */
function fromFastifyError(vc: VCenter, error: unknown): VapiError {
  const status = (error as { statusCode?: number }).statusCode ?? 500;
  if (status >= 500) return asVapiError(error, reportTo(vc));
  return new VapiError('invalid_request', [message('com.vmware.vapi.rest.bad_request', (error as Error).message)], status);
}
