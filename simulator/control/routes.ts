/** The control API under /_sim as a fastify plugin, made from the route table. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { authorized, challenge, type ControlCredentials } from './auth.js';
import { openApiDocument } from './openapi.js';
import type { ControlPlane } from './plane.js';
import { ControlError, controlRouteTable, invalidInput, type ControlRoute } from './route-table.js';

export interface ControlApiOptions {
  plane: ControlPlane;
  credentials: ControlCredentials;
}

export function controlRoutes({ plane, credentials }: ControlApiOptions) {
  let document: unknown;
  const table: ControlRoute[] = controlRouteTable(plane, () => (document ??= openApiDocument(table)));

  const guard = async (request: FastifyRequest, reply: FastifyReply) => {
    if (authorized(request.headers.authorization, credentials)) return;
    return reply
      .code(401)
      .header('www-authenticate', challenge(credentials))
      .send({ error: 'unauthenticated', message: 'The control API needs HTTP Basic with the simulator\'s credentials or a Bearer control token' });
  };

  return async function plugin(app: FastifyInstance): Promise<void> {
    for (const route of table) {
      app.route({
        method: route.method,
        url: route.path.replace(/\{(\w+)\}/g, ':$1'),
        onRequest: route.public ? undefined : guard,
        handler: (request, reply) => (route.text ? serveText(route, request, reply) : serve(route, request, reply)),
      });
    }
  };
}

function serve(route: ControlRoute, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  try {
    if (route.stream) return serveStream(route, request, reply);
    const output = route.handle!({
      params: validate(route.params, request.params, 'path'),
      query: validate(route.query, request.query, 'query'),
      body: route.body ? jsonBody(request.body, route.bodyOptional) : undefined,
    });
    reply.code(output.status);
    return output.body === undefined ? reply.send() : reply.type('application/json; charset=utf-8').send(output.body);
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    return reply.code(error.status).type('application/json; charset=utf-8').send(error.body);
  }
}

async function serveText(route: ControlRoute, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  try {
    const output = await route.text!({ params: undefined, query: validate(route.query, request.query, 'query'), body: undefined });
    return reply.code(200).type(output.contentType).send(output.body);
  } catch (error) {
    if (!(error instanceof ControlError)) throw error;
    return reply.code(error.status).type('application/json; charset=utf-8').send(error.body);
  }
}

/** Streams stop when a client reads this far behind: the simulator does not buffer without bound. */
const maxBacklogBytes = 8 * 1024 * 1024;
/** A comment line now and then keeps proxies and idle timeouts from closing a quiet stream. */
const keepAliveMs = 15_000;

/** A Server-Sent Events answer: the input validated first (a bad query still gets its 400), then events until the client leaves. */
function serveStream(route: ControlRoute, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // A reconnecting EventSource names the last event it got in Last-Event-ID: the stream resumes after it.
  const lastEventId = request.headers['last-event-id'];
  const query = { ...(request.query as object), ...(typeof lastEventId === 'string' && !('after' in (request.query as object)) ? { after: lastEventId } : {}) };
  const input = { params: validate(route.params, request.params, 'path'), query: validate(route.query, query, 'query'), body: undefined };
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
  out.write(': vcenter-sim\n\n');
  let stop: () => void = () => {};
  const end = () => {
    clearInterval(keepAlive);
    stop();
    if (!out.writableEnded) out.end();
  };
  const keepAlive = setInterval(() => out.write(': keep-alive\n\n'), keepAliveMs);
  keepAlive.unref();
  out.once('close', end);
  stop = route.stream!(input, (event) => {
    if (out.writableLength > maxBacklogBytes) return end();
    out.write(`${event.id !== undefined ? `id: ${event.id}\n` : ''}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
  });
  return reply;
}

function validate(schema: z.ZodObject | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw invalidInput(parsed.error, where);
  return parsed.data;
}

/** Bodies arrive as text (the app parses no content type itself): JSON whatever the Content-Type says. */
function jsonBody(body: unknown, optional = false): unknown {
  if (typeof body !== 'string' || body.trim() === '') {
    if (optional) return undefined;
    throw new ControlError(400, { error: 'invalid_argument', message: 'A JSON body is required', field: '' });
  }
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new ControlError(400, { error: 'invalid_argument', message: `The body is not JSON: ${(error as Error).message}`, field: '' });
  }
}
