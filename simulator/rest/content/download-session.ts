/**
 * `content/library/item/download-session` (create, list, get, cancel, fail, keep-alive, delete)
 * and its files, `content/library/item/downloadsession/file` (list, get, prepare). A prepared file
 * has a `download_endpoint` the client GETs the bytes from (transfer.ts).
 */
import { z } from 'zod';
import type { DownloadFile } from '../../../models/rest/content-library.js';
import { defineRoute, type RestContext, type RestRoute } from '../route.js';
import { contentPath, creation, endpoint, guarded, identifier } from './common.js';

const sessionSpec = z.object({ library_item_id: identifier });
const fileName = z.object({ file_name: z.string().min(1) });

const collection = contentPath('library/item/download-session');
const session = contentPath('library/item/download-session/:session');
const apiFiles = '/content/library/item/downloadsession/:session/file';
const restFiles = '/com/vmware/content/library/item/downloadsession/file';

/** A download file as vCenter writes it: the download endpoint as a full URI. */
function wire(ctx: RestContext, file: DownloadFile) {
  const { download_path, ...rest } = file;
  const download = endpoint(ctx, download_path);
  return download ? { ...rest, download_endpoint: download } : rest;
}

function sessionAction(action: string, body: z.ZodType | undefined, run: (ctx: RestContext<unknown, any>) => void): RestRoute {
  return defineRoute({ method: 'POST', path: session, action, body: body?.optional(), handle: guarded((ctx) => void run(ctx)) });
}

export const downloadSessionRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: collection, handle: ({ vc }) => vc.contentLibrary.listDownloadSessions() }),
  ...creation(collection, sessionSpec, ({ vc }, spec, token) => vc.contentLibrary.createDownloadSession(spec.library_item_id, token)),
  defineRoute({ method: 'GET', path: session, handle: guarded(({ vc, params }) => vc.contentLibrary.getDownloadSession(params.session!)) }),
  defineRoute({ method: 'DELETE', path: session, handle: guarded(({ vc, params }) => void vc.contentLibrary.deleteDownloadSession(params.session!)) }),
  sessionAction('cancel', undefined, ({ vc, params }) => vc.contentLibrary.endDownloadSession(params.session!, 'CANCELED')),
  sessionAction('fail', z.object({ client_error_message: z.string() }), ({ vc, params, body }) =>
    vc.contentLibrary.endDownloadSession(params.session!, 'ERROR', body?.client_error_message ?? ''),
  ),
  sessionAction('keep-alive', z.object({ progress: z.number().int().min(0).max(100).optional() }), ({ vc, params, body }) =>
    vc.contentLibrary.keepAliveDownloadSession(params.session!, body?.progress),
  ),
  // Files of a session.
  defineRoute({
    method: 'GET',
    path: { api: apiFiles },
    handle: guarded((ctx) => ctx.vc.contentLibrary.listDownloadFiles(ctx.params.session!).map((file) => wire(ctx, file))),
  }),
  defineRoute({
    method: 'GET',
    path: { rest: restFiles },
    query: z.object({ download_session_id: identifier }),
    handle: guarded((ctx) => ctx.vc.contentLibrary.listDownloadFiles(ctx.query.download_session_id).map((file) => wire(ctx, file))),
  }),
  defineRoute({
    method: 'GET',
    path: { api: `${apiFiles}/:name` },
    handle: guarded((ctx) => wire(ctx, ctx.vc.contentLibrary.getDownloadFile(ctx.params.session!, ctx.params.name!))),
  }),
  defineRoute({
    method: 'POST',
    path: { rest: `${restFiles}/:session` },
    action: 'get',
    body: fileName,
    handle: guarded((ctx) => wire(ctx, ctx.vc.contentLibrary.getDownloadFile(ctx.params.session!, ctx.body.file_name))),
  }),
  defineRoute({
    method: 'POST',
    path: { api: apiFiles, rest: `${restFiles}/:session` },
    action: 'prepare',
    body: fileName.extend({ storage_uri: z.string().optional() }),
    handle: guarded((ctx) => wire(ctx, ctx.vc.contentLibrary.prepareDownloadFile(ctx.params.session!, ctx.body.file_name))),
  }),
];
