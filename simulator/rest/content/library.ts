/**
 * `content/library` (list, get, find, update across library types) and `content/local-library`
 * (create, list, get, update, delete). Every library the simulator holds is a local one.
 */
import { z } from 'zod';
import { defineRoute, type RestRoute } from '../route.js';
import { contentPath, creation, guarded } from './common.js';

const backing = z.object({
  type: z.enum(['DATASTORE', 'OTHER']),
  datastore_id: z.string().min(1).optional(),
  storage_uri: z.string().min(1).optional(),
});

const createSpec = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  type: z.literal('LOCAL').optional(),
  storage_backings: z.array(backing),
});

const updateSpec = z.object({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
});

const findSpec = z.object({ name: z.string().optional(), type: z.enum(['LOCAL', 'SUBSCRIBED']).optional() });

const library = contentPath('library');
const libraryId = contentPath('library/:library');
const local = contentPath('local-library');
const localId = contentPath('local-library/:library');

const list = guarded(({ vc }) => vc.contentLibrary.listLibraries());
const get = guarded(({ vc, params }) => ({ ...vc.contentLibrary.getLibrary(params.library!) }));
const update = guarded(({ vc, params, body }) => void vc.contentLibrary.updateLibrary(params.library!, body as z.output<typeof updateSpec>));

export const libraryRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: library, handle: list }),
  defineRoute({ method: 'GET', path: libraryId, handle: get }),
  defineRoute({ method: 'PATCH', path: libraryId, body: updateSpec, restBodyKey: 'update_spec', handle: update }),
  defineRoute({
    method: 'POST',
    path: library,
    action: 'find',
    body: findSpec,
    restBodyKey: 'spec',
    handle: guarded(({ vc, body }) => vc.contentLibrary.findLibraries(body)),
  }),
  defineRoute({ method: 'GET', path: local, handle: list }),
  ...creation(local, createSpec, ({ vc }, spec, token) => vc.contentLibrary.createLibrary(spec, token)),
  defineRoute({ method: 'GET', path: localId, handle: get }),
  defineRoute({ method: 'PATCH', path: localId, body: updateSpec, restBodyKey: 'update_spec', handle: update }),
  defineRoute({ method: 'DELETE', path: localId, handle: guarded(({ vc, params }) => void vc.contentLibrary.deleteLibrary(params.library!)) }),
];
