/**
 * The disk transfers of HttpNfcLeases: `PUT/POST /nfc/<lease>/<file>` takes an imported disk's
 * bytes (counted, not kept), `GET` serves an exported disk (zeros of its size: the simulator keeps
 * no disk contents). Callers prove themselves as for /folder (session cookie, ticket, Basic).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallContext } from '../../models/core/managed-object.js';
import { HttpNfcLease, NFC_PREFIX } from '../../models/vm/http-nfc-lease.js';
import type { VCenter } from '../../models/vcenter.js';
import type { CallInterceptor } from '../control/interceptor.js';
import { InjectedAnswer } from '../faults/answer.js';
import { sendInjected } from '../faults/transport.js';
import { authenticate, HttpRefusal, readWithin, zeros } from './folder-routes.js';

type Request = FastifyRequest<{ Params: { lease: string; file: string } }>;

export function nfcRoutes(vc: VCenter, interceptor?: CallInterceptor) {
  return async function nfcPlugin(app: FastifyInstance): Promise<void> {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    const url = `${NFC_PREFIX}/:lease/:file`;
    const handler = (request: Request, reply: FastifyReply) => serve(vc, interceptor, request, reply);
    app.route({ method: ['GET', 'PUT', 'POST'], url, handler } as never);
  };
}

/** Like every REST call, a transfer meets the fault rules (`match.path: "/nfc/*"`) and goes into the journal. */
async function serve(vc: VCenter, interceptor: CallInterceptor | undefined, request: Request, reply: FastifyReply): Promise<FastifyReply> {
  const path = `${NFC_PREFIX}/${request.params.lease}/${request.params.file}`;
  const call = interceptor?.open('rest', request.raw.socket, request.headers.traceparent as string | undefined);
  let injected: InjectedAnswer | undefined;
  try {
    if (call) {
      call.path = path;
      call.method = `${request.method} ${NFC_PREFIX}/{lease}/{file}`;
    }
    const { user, session } = authenticate(vc, request, path);
    if (call) {
      call.user = user;
      call.session = session?.key;
      const held = interceptor!.before(call);
      if (held) await held;
    }
    const ctx: CallContext = { vc, session };
    const lease = vc.registry.byId(request.params.lease);
    const device = lease instanceof HttpNfcLease ? lease.device(request.params.file) : undefined;
    if (!(lease instanceof HttpNfcLease) || !device) throw new HttpRefusal(404, 'No such lease or file');
    if (request.method === 'GET') {
      if (lease.mode !== 'pull') throw new HttpRefusal(405, 'An import lease takes uploads');
      const size = Number(device.fileSize ?? 0);
      return reply.code(200).header('content-type', 'application/octet-stream').header('content-length', size).send(zeros(size));
    }
    if (lease.mode !== 'push') throw new HttpRefusal(405, 'An export lease serves downloads');
    const body = await readWithin(request, 0);
    if (!body) return reply;
    lease.receive(ctx, request.params.file, body.size);
    return reply.code(200).send();
  } catch (thrown) {
    if (thrown instanceof InjectedAnswer) {
      injected = thrown;
      return sendInjected(request, reply, thrown);
    }
    if (!(thrown instanceof HttpRefusal)) throw thrown;
    if (thrown.status === 401) reply.header('www-authenticate', 'Basic realm="VMware HTTP server"');
    return reply.code(thrown.status).type('text/plain').send(thrown.message);
  } finally {
    if (call) interceptor!.close(call, { status: reply.statusCode, injected });
  }
}
