/**
 * Datastore files over HTTP, as vCenter serves them: `GET/HEAD/PUT/POST/DELETE
 * /folder/<path>?dcPath=<datacenter>&dsName=<datastore>`, over the datastore file system of
 * models/storage/datastore-files.ts. The caller proves itself with its SOAP session cookie
 * (`vmware_soap_session`), a ticket from SessionManager.AcquireGenericServiceTicket (the
 * `vmware_cgi_ticket` cookie) or HTTP Basic credentials; otherwise 401.
 *
 * Uploads are streamed, never buffered past the instance's content budget: while it lasts the
 * bytes are kept, beyond it only the size. An upload the client abandons leaves nothing behind.
 * Like REST calls, these meet the fault rules (`match.path: "/folder/*"`) and go into the journal.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Datacenter } from '../../models/core/datacenter.js';
import { VimFault } from '../../models/core/fault.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { MoRef } from '../../models/core/moref.js';
import type { SearchIndex } from '../../models/core/search-index.js';
import type { Session } from '../../models/core/session.js';
import type { Datastore } from '../../models/storage/datastore.js';
import { contentBytesHeld, DatastoreFiles, DEFAULT_CONTENT_BUDGET, normalize, type FileEntry } from '../../models/storage/datastore-files.js';
import type { VCenter } from '../../models/vcenter.js';
import type { CallInterceptor } from '../control/interceptor.js';
import { InjectedAnswer } from '../faults/answer.js';
import { sendInjected } from '../faults/transport.js';

export const FOLDER_PREFIX = '/folder';
const soapCookie = /vmware_soap_session="?([^";,\s]+)/;
const ticketCookie = /vmware_cgi_ticket="?([^";,\s]+)/;
const ZEROS = Buffer.alloc(64 * 1024);

type Request = FastifyRequest<{ Querystring: { dcPath?: string; dsName?: string } }>;

/** An HTTP refusal: status and a short text body. */
export class HttpRefusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function folderRoutes(vc: VCenter, interceptor?: CallInterceptor) {
  return async function folderPlugin(app: FastifyInstance): Promise<void> {
    // The body stays a stream: the upload handler reads (and bounds) it.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    const handler = (request: Request, reply: FastifyReply) => answer(vc, interceptor, request, reply);
    for (const url of [FOLDER_PREFIX, `${FOLDER_PREFIX}/*`]) {
      app.route({ method: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'], url, handler, exposeHeadRoute: false } as never);
    }
  };
}

async function answer(vc: VCenter, interceptor: CallInterceptor | undefined, request: Request, reply: FastifyReply): Promise<FastifyReply> {
  const path = filePath(request);
  const call = interceptor?.open('rest', request.raw.socket, request.headers.traceparent as string | undefined);
  let injected: InjectedAnswer | undefined;
  try {
    if (call) {
      call.path = `${FOLDER_PREFIX}/${path}`;
      call.method = `${request.method} ${FOLDER_PREFIX}/{path}`;
    }
    const { user, session } = authenticate(vc, request, path);
    if (call) {
      call.user = user;
      call.session = session?.key;
      const held = interceptor!.before(call);
      if (held) await held;
    }
    const ctx: CallContext = { vc, session };
    const ds = datastore(vc, ctx, request);
    if (!ds) return listDatastores(vc, request, reply);
    checkPrivilege(ctx, user, ds, request.method);
    return await serve(ctx, new DatastoreFiles(ctx, ds), path, request, reply);
  } catch (thrown) {
    if (thrown instanceof InjectedAnswer) {
      injected = thrown;
      return sendInjected(request, reply, thrown);
    }
    const refusal = thrown instanceof HttpRefusal ? thrown : refusalOf(thrown);
    if (refusal.status === 401) reply.header('www-authenticate', 'Basic realm="VMware HTTP server"');
    return reply.code(refusal.status).type('text/plain').send(refusal.message);
  } finally {
    if (call) interceptor!.close(call, { status: reply.statusCode, injected });
  }
}

async function serve(ctx: CallContext, files: DatastoreFiles, path: string, request: Request, reply: FastifyReply): Promise<FastifyReply> {
  switch (request.method) {
    case 'PUT':
    case 'POST':
      return upload(ctx, files, path, request, reply);
    case 'DELETE': {
      if (!files.stat(path)) throw new HttpRefusal(404, `${path} not found`);
      files.remove(path);
      return reply.code(204).send();
    }
    default: {
      const entry = files.stat(path);
      if (!entry) throw new HttpRefusal(404, `${path} not found`);
      if (entry.folder) return reply.code(200).type('text/html').send(request.method === 'HEAD' ? undefined : listing(files, entry, request));
      return download(files, entry, request, reply);
    }
  }
}

function download(files: DatastoreFiles, entry: FileEntry, request: Request, reply: FastifyReply): FastifyReply {
  const content = files.content(entry);
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const size = bytes ? bytes.byteLength : entry.size;
  reply.code(200).header('content-type', 'application/octet-stream').header('content-length', size).header('last-modified', entry.modified.toUTCString());
  if (request.method === 'HEAD') return reply.send();
  return reply.send(bytes ? Buffer.from(bytes) : zeros(size));
}

/** `size` zero bytes, streamed: a file the simulator keeps no bytes of reads as zeros. */
export function zeros(size: number): Readable {
  let left = size;
  return new Readable({
    read() {
      const n = Math.min(left, ZEROS.length);
      left -= n;
      this.push(n > 0 ? ZEROS.subarray(0, n) : null);
    },
  });
}

async function upload(ctx: CallContext, files: DatastoreFiles, path: string, request: Request, reply: FastifyReply): Promise<FastifyReply> {
  if (!path) throw new HttpRefusal(400, 'A file path is needed');
  const existing = files.stat(path);
  if (existing && request.method === 'POST') throw new HttpRefusal(409, `${path} exists`);
  if (existing?.vm) throw new HttpRefusal(403, `${path} is locked by the VM ${existing.vm.name}`);
  if (existing?.folder) throw new HttpRefusal(409, `${path} is a directory`);
  const declared = Number(request.headers['content-length'] ?? 0);
  files.requireSpace(declared - (existing?.size ?? 0));
  const budget = ctx.vc.options.datastoreContentBudget ?? DEFAULT_CONTENT_BUDGET;
  const room = budget - contentBytesHeld(ctx.vc.registry.ofType<Datastore>('Datastore')) + (existing?.stored?.content?.byteLength ?? 0);
  const body = await readWithin(request, room);
  if (!body) return reply; // the client left mid-upload: nothing is written
  files.write(path, { size: body.size, ...(body.bytes ? { content: body.bytes } : {}) });
  return reply.code(existing ? 200 : 201).send();
}

/** The body's size, and its bytes while they fit in `room`; undefined when the client left before the end. */
export async function readWithin(request: FastifyRequest, room: number): Promise<{ size: number; bytes?: Buffer } | undefined> {
  const body = request.body as Readable | undefined;
  if (!body || typeof body.on !== 'function') return { size: 0, bytes: Buffer.alloc(0) };
  let chunks: Buffer[] | undefined = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (chunks && size <= room) chunks.push(chunk as Buffer);
      else chunks = undefined;
    }
  } catch {
    return undefined;
  }
  if (!request.raw.complete) return undefined;
  return { size, bytes: chunks ? Buffer.concat(chunks, size) : undefined };
}

/** The caller: the session of its SOAP cookie or service ticket cookie, or a user of valid Basic credentials (no session). */
export function authenticate(vc: VCenter, request: FastifyRequest, path: string): { user: string; session?: Session } {
  const cookies = String(request.headers.cookie ?? '');
  const session =
    vc.sessionManager.lookup(soapCookie.exec(cookies)?.[1]) ??
    vc.sessionManager.serviceTicketSession(ticketCookie.exec(cookies)?.[1], request.method, `${FOLDER_PREFIX}/${path}`);
  if (session) return { user: session.userName, session };
  const basic = /^Basic\s+(.+)$/i.exec(String(request.headers.authorization ?? ''))?.[1];
  if (basic) {
    const text = Buffer.from(basic, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    const [user, password] = colon < 0 ? [text, ''] : [text.slice(0, colon), text.slice(colon + 1)];
    const principal = vc.directory.authenticate(user, password);
    if (principal !== undefined) return { user: principal };
  }
  throw new HttpRefusal(401, 'Authentication required');
}

/** As vCenter: reading a datastore's files needs Datastore.Browse on it, changing them Datastore.FileManagement (403 otherwise). */
function checkPrivilege(ctx: CallContext, user: string, ds: Datastore, method: string): void {
  const privilege = method === 'GET' || method === 'HEAD' ? 'Datastore.Browse' : 'Datastore.FileManagement';
  const { access } = ctx.vc;
  const allowed = ctx.session ? access.allows(ctx, ds, privilege) : !access.enforced || access.privilegesOn(user, ds).has(privilege);
  if (!allowed) throw new HttpRefusal(403, `Permission to perform this operation was denied: ${privilege} on ${ds.name}`);
}

/** The path after /folder/, decoded, without the query. */
function filePath(request: FastifyRequest): string {
  const raw = request.url.slice(FOLDER_PREFIX.length).split('?')[0] ?? '';
  try {
    return normalize(decodeURIComponent(raw));
  } catch {
    return normalize(raw);
  }
}

/** The datastore `dsName` of datacenter `dcPath` (an inventory path; on ESX it may be left out); 404 when unknown. */
function datastore(vc: VCenter, ctx: CallContext, request: Request): Datastore | undefined {
  const { dcPath, dsName } = request.query;
  const dc = datacenter(vc, ctx, dcPath);
  if (dsName === undefined) return undefined;
  const ds = dc.datastore.map((ref) => vc.registry.get(ref) as Datastore | undefined).find((d) => d?.name === dsName);
  if (!ds) throw new HttpRefusal(404, `No datastore ${dsName} in ${dc.name}`);
  return ds;
}

function datacenter(vc: VCenter, ctx: CallContext, dcPath: string | undefined): Datacenter {
  const all = vc.registry.ofType<Datacenter>('Datacenter');
  if (!dcPath) {
    if (!vc.isVpx && all.length === 1) return all[0]!;
    throw new HttpRefusal(404, 'dcPath is needed');
  }
  const found = vc.registry.require<SearchIndex>(vc.content.searchIndex as MoRef).FindByInventoryPath(ctx, { inventoryPath: dcPath });
  const dc = found && all.find((d) => d.self.value === found.value);
  if (!dc) throw new HttpRefusal(404, `No datacenter ${dcPath}`);
  return dc;
}

function listDatastores(vc: VCenter, request: Request, reply: FastifyReply): FastifyReply {
  const dcPath = request.query.dcPath ?? '';
  const dc = datacenter(vc, { vc }, dcPath || undefined);
  const names = dc.datastore.map((ref) => (vc.registry.get(ref) as Datastore | undefined)?.name).filter(Boolean) as string[];
  const links = names.map((name) => `<tr><td><a href="/folder?dcPath=${encodeURIComponent(dcPath)}&amp;dsName=${encodeURIComponent(name)}">${escape(name)}</a></td></tr>`);
  return reply.code(200).type('text/html').send(page(`Datastores of ${dc.name}`, links));
}

function listing(files: DatastoreFiles, dir: FileEntry, request: Request): string {
  const query = new URL(request.url, 'https://localhost').search.replace(/&/g, '&amp;');
  const rows = files.list(dir.path).map((e) => {
    const href = `/folder/${[dir.path, e.path.slice(e.path.lastIndexOf('/') + 1)].filter(Boolean).map(encodeURIComponent).join('/')}${query}`;
    const name = escape(e.path.slice(e.path.lastIndexOf('/') + 1)) + (e.folder ? '/' : '');
    return `<tr><td><a href="${href}">${name}</a></td><td>${e.modified.toUTCString()}</td><td align="right">${e.folder ? '-' : e.size}</td></tr>`;
  });
  return page(`Index of ${files.ds.name}/${dir.path}`, rows);
}

function page(title: string, rows: string[]): string {
  return `<html><head><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1><table>${rows.join('')}</table></body></html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** A model refusal as HTTP: locked or undeletable files 403, missing ones 404, a full datastore 507. */
function refusalOf(thrown: unknown): HttpRefusal {
  if (!(thrown instanceof VimFault)) throw thrown;
  const status: Record<string, number> = { FileNotFound: 404, CannotDeleteFile: 403, FileLocked: 403, FileAlreadyExists: 409, NoDiskSpace: 507, ManagedObjectNotFound: 404 };
  return new HttpRefusal(status[thrown.type] ?? 400, thrown.message);
}
