/**
 * The content library's transfer endpoints: `PUT /cls-data/<update session>/<file>` receives the
 * bytes of a file added to an update session, `GET /cls-data/<download session>/<file>` serves a
 * prepared file. Outside `/api` and `/rest`, as on vCenter; the caller proves itself with its REST
 * session token (`vmware-api-session-id` header or cookie), which govmomi's upload and download
 * helpers send. Bodies arrive as raw bytes (no text parsing) and are bounded: an upload too large
 * for memory is refused, in the vAPI error form, without being kept. Like every REST call, a
 * transfer meets the fault rules (`match.path: "/cls-data/*"`) and goes into the journal, as
 * `PUT /cls-data/{session}/{file}` or `GET ...`.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ContentLibraryError, MAX_FILE_BYTES, TRANSFER_PREFIX } from '../../../models/rest/content-library.js';
import type { VCenter } from '../../../models/vcenter.js';
import type { CallInterceptor } from '../../control/interceptor.js';
import { InjectedAnswer } from '../../faults/answer.js';
import type { ApiCall } from '../../faults/call.js';
import { sendInjected } from '../../faults/transport.js';
import { sessionToken } from '../auth.js';
import { asVapiError, message, vapiErrors, VapiError } from '../errors.js';
import { flavours } from '../flavours.js';

type Params = { session: string; name: string };

/** A fastify plugin serving the transfer endpoints of `vc`'s content libraries. */
export function contentTransferRoutes(vc: VCenter, interceptor?: CallInterceptor) {
  return async function transferPlugin(app: FastifyInstance): Promise<void> {
    // The body stays a stream: bytes are read (and bounded) by the upload handler itself.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    const path = `${TRANSFER_PREFIX}/:session/:name`;
    app.put<{ Params: Params }>(path, (request, reply) => answer(vc, interceptor, request, reply, () => upload(vc, request, reply)));
    app.get<{ Params: Params }>(path, (request, reply) => answer(vc, interceptor, request, reply, () => download(vc, request, reply)));
  };
}

async function upload(vc: VCenter, request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) {
  authenticate(vc, request);
  const { session, name } = request.params;
  // Fails (not_found, not active, unknown file) before any byte is read.
  vc.contentLibrary.getUpdateFile(session, name);
  const declared = Number(request.headers['content-length'] ?? 0);
  if (!vc.contentLibrary.canHold(declared)) throw tooLarge(declared);
  const bytes = await readBounded(request.body as Readable | undefined, (size) => vc.contentLibrary.canHold(size));
  if (!bytes) throw tooLarge(MAX_FILE_BYTES + 1);
  vc.contentLibrary.receiveUpload(session, name, bytes);
  return reply.code(200).send();
}

async function download(vc: VCenter, request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) {
  authenticate(vc, request);
  const bytes = vc.contentLibrary.download(request.params.session, request.params.name);
  return reply.code(200).header('content-type', 'application/octet-stream').send(bytes);
}

function authenticate(vc: VCenter, request: FastifyRequest): void {
  if (!vc.sessionManager.lookup(sessionToken(request.headers))) throw vapiErrors.authenticationRequired();
}

/** The whole body, or `undefined` once it grows past what `fits` allows (the rest is drained, not kept). */
async function readBounded(body: Readable | undefined, fits: (size: number) => boolean): Promise<Buffer | undefined> {
  if (!body || typeof body.on !== 'function') return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (overflow || !fits(size)) {
      overflow = true;
      chunks.length = 0;
      continue;
    }
    chunks.push(chunk as Buffer);
  }
  return overflow ? undefined : Buffer.concat(chunks, size);
}

function tooLarge(size: number): VapiError {
  return new VapiError('unable_to_allocate_resource', [message('com.vmware.vdcs.cls-main.file_too_large', `A file of ${size} bytes does not fit in the simulator's memory.`, [String(size)])], 413);
}

/**
 * Runs a transfer handler inside the interceptor (rules, journal); its refusals go out as `/api`
 * vAPI errors with their status.
 */
async function answer(
  vc: VCenter,
  interceptor: CallInterceptor | undefined,
  request: FastifyRequest<{ Params: Params }>,
  reply: FastifyReply,
  handler: () => Promise<FastifyReply>,
): Promise<FastifyReply> {
  const call = interceptor?.open('rest', request.raw.socket, request.headers.traceparent as string | undefined);
  let fault: string | undefined;
  let injected: InjectedAnswer | undefined;
  try {
    if (call) {
      describe(vc, call, request);
      const held = interceptor!.before(call);
      if (held) await held;
    }
    return await handler();
  } catch (thrown) {
    if (thrown instanceof InjectedAnswer) {
      injected = thrown;
      return sendInjected(request, reply, thrown);
    }
    const error = thrown instanceof ContentLibraryError ? new VapiError(thrown.kind, [message(thrown.id, thrown.message, thrown.args)]) : asVapiError(thrown);
    fault = error.kind;
    return reply.code(error.status).header('content-type', 'application/json').send(flavours.api.error(error));
  } finally {
    if (call) interceptor!.close(call, { status: reply.statusCode, fault, injected });
  }
}

function describe(vc: VCenter, call: ApiCall, request: FastifyRequest<{ Params: Params }>): void {
  const queryAt = request.url.indexOf('?');
  call.path = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
  call.method = `${request.method} ${TRANSFER_PREFIX}/{session}/{file}`;
  const session = vc.sessionManager.lookup(sessionToken(request.headers));
  call.user = session?.userName;
  call.session = session?.key;
}
