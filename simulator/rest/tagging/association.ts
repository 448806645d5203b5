/**
 * `cis/tagging/tag-association`: attach, detach, list-attached-objects,
 * attach-tag-to-multiple-objects, detach-tag-from-multiple-objects (per tag);
 * attach-multiple-tags-to-object, detach-multiple-tags-from-object, list-attached-tags,
 * list-attached-tags-on-objects, list-attached-objects-on-tags (on the collection).
 * Batch operations answer `{success, error_messages}` rather than failing on the first item.
 */
import { z } from 'zod';
import { defineRoute, type RestRoute } from '../route.js';
import { guarded, objectId, stringList, taggingPath } from './common.js';

const collection = taggingPath('tag-association');
const item = taggingPath('tag-association/:tag');

const oneObject = z.object({ object_id: objectId });
const tagsOnObject = z.object({ object_id: objectId, tag_ids: stringList });
const manyObjects = z.object({ object_ids: z.array(objectId) });

export const associationRoutes: RestRoute[] = [
  defineRoute({
    method: 'POST',
    path: item,
    action: 'attach',
    body: oneObject,
    handle: guarded(({ vc, params, body }) => void vc.tagging.attach(params.tag!, body.object_id)),
  }),
  defineRoute({
    method: 'POST',
    path: item,
    action: 'detach',
    body: oneObject,
    handle: guarded(({ vc, params, body }) => void vc.tagging.detach(params.tag!, body.object_id)),
  }),
  defineRoute({
    method: 'POST',
    path: item,
    action: 'list-attached-objects',
    handle: guarded(({ vc, params }) => vc.tagging.listAttachedObjects(params.tag!)),
  }),
  defineRoute({
    method: 'POST',
    path: item,
    action: 'attach-tag-to-multiple-objects',
    body: manyObjects,
    handle: guarded(({ vc, params, body }) => vc.tagging.batchOnTag(params.tag!, body.object_ids, (t, o) => vc.tagging.attach(t, o))),
  }),
  defineRoute({
    method: 'POST',
    path: item,
    action: 'detach-tag-from-multiple-objects',
    body: manyObjects,
    handle: guarded(({ vc, params, body }) => vc.tagging.batchOnTag(params.tag!, body.object_ids, (t, o) => vc.tagging.detach(t, o))),
  }),
  defineRoute({
    method: 'POST',
    path: collection,
    action: 'attach-multiple-tags-to-object',
    body: tagsOnObject,
    handle: guarded(({ vc, body }) => vc.tagging.batchOnObject(body.tag_ids, body.object_id, (t, o) => vc.tagging.attach(t, o))),
  }),
  defineRoute({
    method: 'POST',
    path: collection,
    action: 'detach-multiple-tags-from-object',
    body: tagsOnObject,
    handle: guarded(({ vc, body }) => vc.tagging.batchOnObject(body.tag_ids, body.object_id, (t, o) => vc.tagging.detach(t, o))),
  }),
  defineRoute({
    method: 'POST',
    path: collection,
    action: 'list-attached-tags',
    body: oneObject,
    handle: ({ vc, body }) => vc.tagging.listAttachedTags(body.object_id),
  }),
  defineRoute({
    method: 'POST',
    path: collection,
    action: 'list-attached-tags-on-objects',
    body: manyObjects,
    handle: ({ vc, body }) =>
      body.object_ids.map((object) => ({ object_id: { type: object.type, id: object.id }, tag_ids: vc.tagging.listAttachedTags(object) })),
  }),
  defineRoute({
    method: 'POST',
    path: collection,
    action: 'list-attached-objects-on-tags',
    body: z.object({ tag_ids: stringList }),
    // Identifiers naming no tag are left out, not refused.
    handle: ({ vc, body }) =>
      body.tag_ids.filter((id) => vc.tagging.listTags().includes(id)).map((id) => ({ tag_id: id, object_ids: vc.tagging.listAttachedObjects(id) })),
  }),
];


