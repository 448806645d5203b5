/**
 * The REST adapter: serves one route table under `/api` and `/rest`. Per request it picks the
 * operation (method, path, action), authenticates, validates query and body with the route's
 * schemas, calls the handler, and writes the result or the error in the request's flavour.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { VCenter } from '../../models/vcenter.js';
import { authenticate } from './auth.js';
import { asVapiError, message, vapiErrors, VapiError } from './errors.js';
import { flavours, type FlavourCodec, type RawQuery, type Reply } from './flavours.js';
import type { Flavour, HttpMethod, RestContext, RestRoute } from './route.js';

const JSON_TYPE = 'application/json';

/** The operations sharing one method and path, told apart by their action ('' for none). */
interface RouteGroup {
  method: HttpMethod;
  path: string;
  byAction: Map<string, RestRoute>;
}

/** A fastify plugin serving `routes` for `vc` under `/api` and `/rest`. */
export function createRestPlugin(vc: VCenter, routes: RestRoute[]) {
  return async function restPlugin(app: FastifyInstance): Promise<void> {
    for (const flavour of ['api', 'rest'] as const) {
      await app.register(async (scope) => registerFlavour(scope, vc, flavours[flavour], routes), { prefix: `/${flavour}` });
    }
  };
}

function registerFlavour(scope: FastifyInstance, vc: VCenter, codec: FlavourCodec, routes: RestRoute[]): void {
  // Inside the prefix, fastify's own 404s and request errors (body too large, ...) take the vAPI form too.
  scope.setNotFoundHandler((_request, reply) => sendError(reply, codec, vapiErrors.routeNotFound()));
  scope.setErrorHandler((error, _request, reply) => sendError(reply, codec, fromFastifyError(error)));
  for (const group of groupRoutes(routes, codec.name)) {
    const handler = (request: FastifyRequest, reply: FastifyReply) => serve(vc, codec, group, request, reply);
    // Both spellings answer directly: vCenter never redirects a missing or extra trailing slash.
    scope.route({ method: group.method, url: group.path, handler });
    scope.route({ method: group.method, url: `${group.path}/`, handler });
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

async function serve(vc: VCenter, codec: FlavourCodec, group: RouteGroup, request: FastifyRequest, reply: FastifyReply) {
  try {
    const rawQuery = request.query as RawQuery;
    const action = codec.action(rawQuery);
    const route = group.byAction.get(action ?? '');
    if (!route) throw action ? vapiErrors.operationNotFound(action) : vapiErrors.routeNotFound();
    const ctx = context(vc, codec, route, request, reply, rawQuery);
    const result = await route.handle(ctx);
    return sendReply(reply, codec.success(result, route));
  } catch (error) {
    return sendError(reply, codec, asVapiError(error));
  }
}

function context(
  vc: VCenter,
  codec: FlavourCodec,
  route: RestRoute,
  request: FastifyRequest,
  reply: FastifyReply,
  rawQuery: RawQuery,
): RestContext {
  const session = route.auth === 'none' ? undefined : authenticate(vc, request.headers);
  // A query field is one parameter however many times it repeats: name it without the item index.
  const query = validate(route.query, codec.query(rawQuery, route), (path) => codec.field(path.replace(/\.\d+$/, ''), 'query', route));
  const body = route.body
    ? validate(route.body, codec.body(parseJson(request.body), route), (path) => codec.field(path, 'body', route))
    : undefined;
  return {
    vc,
    flavour: codec.name,
    session,
    params: codec.params(request.params as Record<string, string>),
    query,
    body,
    headers: request.headers,
    remote: { address: request.ip, userAgent: String(request.headers['user-agent'] ?? '') },
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

/** The body as JSON; none at all is `undefined` (the route's schema decides whether that will do). */
function parseJson(body: unknown): unknown {
  if (typeof body !== 'string' || body.trim() === '') return undefined;
  try {
    return JSON.parse(body);
  } catch (error) {
    throw vapiErrors.invalidJson((error as Error).message);
  }
}

function sendReply(reply: FastifyReply, out: Reply) {
  reply.code(out.status);
  if (out.body === undefined) return reply.send();
  return reply.header('content-type', JSON_TYPE).send(out.body);
}

function sendError(reply: FastifyReply, codec: FlavourCodec, error: VapiError) {
  reply.code(error.status).header('content-type', JSON_TYPE);
  if (error.status === 401) reply.header('www-authenticate', 'Basic realm="VAPI endpoint"');
  return reply.send(codec.error(error));
}

/** A request fastify rejected before any handler ran (body too large, ...), in vAPI form with its status. */
function fromFastifyError(error: unknown): VapiError {
  const status = (error as { statusCode?: number }).statusCode ?? 500;
  if (status >= 500) return asVapiError(error);
  return new VapiError('invalid_request', [message('com.vmware.vapi.rest.bad_request', (error as Error).message)], status);
}
