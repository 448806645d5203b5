/**
 * `content/library/item/update-session` (create, list, get, complete, fail, cancel, keep-alive,
 * delete) and its files, `content/library/item/updatesession/file` (add, get, list, remove,
 * validate). Adding a PUSH file answers an `upload_endpoint` the client PUTs the bytes to
 * (transfer.ts); completing the session gives the item those files.
 */
import { z } from 'zod';
import type { UpdateFile } from '../../../models/rest/content-library.js';
import { defineRoute, type RestContext, type RestRoute } from '../route.js';
import { contentPath, creation, endpoint, guarded, identifier } from './common.js';

const sessionSpec = z.object({ library_item_id: identifier });
const fileSpec = z.object({
  name: z.string().min(1),
  source_type: z.enum(['PUSH', 'PULL']),
  size: z.number().int().nonnegative().optional(),
  checksum_info: z.object({ algorithm: z.string().optional(), checksum: z.string() }).optional(),
  source_endpoint: z.object({ uri: z.string() }).passthrough().optional(),
});
const fileName = z.object({ file_name: z.string().min(1) });

const collection = contentPath('library/item/update-session');
const session = contentPath('library/item/update-session/:session');
/** `/api` names the session in the path; `/rest` as `id:{session}` after `file`. */
const apiFiles = '/content/library/item/updatesession/:session/file';
const restFiles = '/com/vmware/content/library/item/updatesession/file';

/** An update file as vCenter writes it: the upload endpoint as a full URI. */
function wire(ctx: RestContext, file: UpdateFile) {
  const { upload_path, ...rest } = file;
  const upload = endpoint(ctx, upload_path);
  return upload ? { ...rest, upload_endpoint: upload } : rest;
}

function sessionAction(action: string, body: z.ZodType | undefined, run: (ctx: RestContext<unknown, any>) => void): RestRoute {
  return defineRoute({ method: 'POST', path: session, action, body: body?.optional(), handle: guarded((ctx) => void run(ctx)) });
}

export const updateSessionRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: collection, handle: ({ vc }) => vc.contentLibrary.listUpdateSessions() }),
  ...creation(collection, sessionSpec, ({ vc }, spec, token) => vc.contentLibrary.createUpdateSession(spec.library_item_id, token)),
  defineRoute({ method: 'GET', path: session, handle: guarded(({ vc, params }) => vc.contentLibrary.getUpdateSession(params.session!)) }),
  defineRoute({ method: 'DELETE', path: session, handle: guarded(({ vc, params }) => void vc.contentLibrary.deleteUpdateSession(params.session!)) }),
  sessionAction('complete', undefined, ({ vc, params }) => vc.contentLibrary.completeUpdateSession(params.session!)),
  sessionAction('cancel', undefined, ({ vc, params }) => vc.contentLibrary.cancelUpdateSession(params.session!)),
  sessionAction('fail', z.object({ client_error_message: z.string() }), ({ vc, params, body }) =>
    vc.contentLibrary.failUpdateSession(params.session!, body?.client_error_message ?? ''),
  ),
  sessionAction('keep-alive', z.object({ client_progress: z.number().int().min(0).max(100).optional() }), ({ vc, params, body }) =>
    vc.contentLibrary.keepAliveUpdateSession(params.session!, body?.client_progress),
  ),
  // Files of a session.
  defineRoute({
    method: 'POST',
    path: { api: apiFiles, rest: `${restFiles}/:session` },
    action: 'add',
    body: fileSpec,
    restBodyKey: 'file_spec',
    handle: guarded((ctx) => wire(ctx, ctx.vc.contentLibrary.addUpdateFile(ctx.params.session!, ctx.body))),
  }),
  defineRoute({
    method: 'GET',
    path: { api: apiFiles },
    handle: guarded((ctx) => ctx.vc.contentLibrary.listUpdateFiles(ctx.params.session!).map((file) => wire(ctx, file))),
  }),
  defineRoute({
    method: 'GET',
    path: { rest: restFiles },
    query: z.object({ update_session_id: identifier }),
    handle: guarded((ctx) => ctx.vc.contentLibrary.listUpdateFiles(ctx.query.update_session_id).map((file) => wire(ctx, file))),
  }),
  defineRoute({
    method: 'GET',
    path: { api: `${apiFiles}/:name` },
    handle: guarded((ctx) => wire(ctx, ctx.vc.contentLibrary.getUpdateFile(ctx.params.session!, ctx.params.name!))),
  }),
  defineRoute({
    method: 'POST',
    path: { rest: `${restFiles}/:session` },
    action: 'get',
    body: fileName,
    handle: guarded((ctx) => wire(ctx, ctx.vc.contentLibrary.getUpdateFile(ctx.params.session!, ctx.body.file_name))),
  }),
  defineRoute({
    method: 'DELETE',
    path: { api: `${apiFiles}/:name` },
    handle: guarded(({ vc, params }) => void vc.contentLibrary.removeUpdateFile(params.session!, params.name!)),
  }),
  defineRoute({
    method: 'POST',
    path: { rest: `${restFiles}/:session` },
    action: 'remove',
    body: fileName,
    handle: guarded(({ vc, params, body }) => void vc.contentLibrary.removeUpdateFile(params.session!, body.file_name)),
  }),
  defineRoute({
    method: 'POST',
    path: { api: apiFiles, rest: `${restFiles}/:session` },
    action: 'validate',
    handle: guarded(({ vc, params }) => vc.contentLibrary.validateUpdateSession(params.session!)),
  }),
];
