/**
 * `content/library/item`: list (`?library_id=`), find, get, create, update, delete, copy; and
 * publish; `content/library/subscribed-item` (sync, evict); `content/library/item/storage`; and
 * `content/library/item/file`: the files of an item (`/api`: `item/{item}/file[/{name}]`;
 * `/rest`: `item/file?library_item_id=` and `item/file/id:{item}?~action=get`).
 */
import { z } from 'zod';
import { defineRoute, type RestRoute } from '../route.js';
import { contentPath, creation, guarded, identifier } from './common.js';

const createSpec = z.object({
  library_id: identifier,
  name: z.string().min(1),
  description: z.string().optional(),
  type: z.string().optional(),
});

const updateSpec = z.object({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  type: z.string().optional(),
});

/** Where a copy goes and what it is called; unset fields are the source's. */
const copySpec = z.object({
  library_id: identifier.optional(),
  name: z.string().min(1).optional(),
  description: z.string().optional(),
});

const findSpec = z.object({
  name: z.string().optional(),
  library_id: z.string().optional(),
  type: z.string().optional(),
  source_id: z.string().optional(),
  cached: z.boolean().optional(),
});

const collection = contentPath('library/item');
const item = contentPath('library/item/:item');
const subscribedItem = contentPath('library/subscribed-item/:item');

export const itemRoutes: RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: collection,
    query: z.object({ library_id: identifier }),
    handle: guarded(({ vc, query }) => vc.contentLibrary.listItems(query.library_id)),
  }),
  ...creation(collection, createSpec, ({ vc }, spec, token) => vc.contentLibrary.createItem(spec, token)),
  defineRoute({
    method: 'POST',
    path: collection,
    action: 'find',
    body: findSpec,
    restBodyKey: 'spec',
    handle: guarded(({ vc, body }) => vc.contentLibrary.findItems(body)),
  }),
  defineRoute({ method: 'GET', path: item, handle: guarded(({ vc, params }) => ({ ...vc.contentLibrary.getItem(params.item!) })) }),
  defineRoute({
    method: 'PATCH',
    path: item,
    body: updateSpec,
    restBodyKey: 'update_spec',
    handle: guarded(({ vc, params, body }) => void vc.contentLibrary.updateItem(params.item!, body)),
  }),
  defineRoute({ method: 'DELETE', path: item, handle: guarded(({ vc, params }) => void vc.contentLibrary.deleteItem(params.item!)) }),
  defineRoute({
    method: 'POST',
    path: item,
    action: 'copy',
    body: z.object({ destination_create_spec: copySpec, client_token: z.string().optional() }),
    handle: guarded(({ vc, params, body }) => vc.contentLibrary.copyItem(params.item!, body.destination_create_spec, body.client_token)),
  }),
  defineRoute({
    method: 'POST',
    path: item,
    action: 'publish',
    body: z.object({ force_sync_content: z.boolean().optional(), subscriptions: z.array(z.object({ subscription: identifier })).optional() }),
    handle: guarded(({ vc, params, body }) =>
      void vc.contentLibrary.publishItem(params.item!, body.force_sync_content ?? false, body.subscriptions?.map((s: { subscription: string }) => s.subscription)),
    ),
  }),
  // Items of subscribed libraries.
  defineRoute({
    method: 'POST',
    path: subscribedItem,
    action: 'sync',
    body: z.object({ force_sync_content: z.boolean(), sync_optional_files: z.boolean().optional() }),
    handle: guarded(({ vc, params, body }) => void vc.contentLibrary.syncItem(params.item!, body.force_sync_content)),
  }),
  defineRoute({ method: 'POST', path: subscribedItem, action: 'evict', handle: guarded(({ vc, params }) => void vc.contentLibrary.evictItem(params.item!)) }),
  // Where an item's files are stored.
  defineRoute({
    method: 'GET',
    path: { api: '/content/library/item/:item/storage' },
    handle: guarded(({ vc, params }) => vc.contentLibrary.itemStorage(params.item!)),
  }),
  defineRoute({
    method: 'GET',
    path: { api: '/content/library/item/:item/storage/:name' },
    handle: guarded(({ vc, params }) => vc.contentLibrary.itemStorage(params.item!, params.name!)),
  }),
  defineRoute({
    method: 'GET',
    path: { rest: '/com/vmware/content/library/item/storage' },
    query: z.object({ library_item_id: identifier }),
    handle: guarded(({ vc, query }) => vc.contentLibrary.itemStorage(query.library_item_id)),
  }),
  defineRoute({
    method: 'POST',
    path: { rest: '/com/vmware/content/library/item/storage/:item' },
    action: 'get',
    body: z.object({ file_name: z.string().min(1) }),
    handle: guarded(({ vc, params, body }) => vc.contentLibrary.itemStorage(params.item!, body.file_name)),
  }),
  // Item files.
  defineRoute({
    method: 'GET',
    path: { api: '/content/library/item/:item/file' },
    handle: guarded(({ vc, params }) => vc.contentLibrary.listFiles(params.item!)),
  }),
  defineRoute({
    method: 'GET',
    path: { api: '/content/library/item/:item/file/:name' },
    handle: guarded(({ vc, params }) => vc.contentLibrary.getFile(params.item!, params.name!)),
  }),
  defineRoute({
    method: 'GET',
    path: { rest: '/com/vmware/content/library/item/file' },
    query: z.object({ library_item_id: identifier }),
    handle: guarded(({ vc, query }) => vc.contentLibrary.listFiles(query.library_item_id)),
  }),
  defineRoute({
    method: 'POST',
    path: { rest: '/com/vmware/content/library/item/file/:item' },
    action: 'get',
    body: z.object({ name: z.string().min(1) }),
    handle: guarded(({ vc, params, body }) => vc.contentLibrary.getFile(params.item!, body.name)),
  }),
];
