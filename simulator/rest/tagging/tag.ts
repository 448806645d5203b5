/**
 * `cis/tagging/tag`: list, list-tags-for-category, get, create, update, delete, add-to-used-by,
 * remove-from-used-by. `/rest` names the category of list-tags-for-category in the path
 * (`tag/id:<category>?~action=list-tags-for-category`, as govmomi sends it); `/api` in the body.
 */
import { z } from 'zod';
import { defineRoute, type RestRoute } from '../route.js';
import { guarded, taggingPath } from './common.js';

const createSpec = z.object({
  name: z.string().min(1),
  description: z.string(),
  category_id: z.string().min(1),
});

const updateSpec = z.object({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
});

const usedBy = z.object({ used_by_entity: z.string().min(1) });

const collection = taggingPath('tag');
const item = taggingPath('tag/:tag');

export const tagRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: collection, handle: ({ vc }) => vc.tagging.listTags() }),
  defineRoute({
    method: 'POST',
    path: collection,
    body: createSpec,
    restBodyKey: 'create_spec',
    created: true,
    handle: guarded(({ vc, body }) => vc.tagging.createTag(body)),
  }),
  defineRoute({
    method: 'POST',
    path: collection,
    action: 'list-tags-for-category',
    body: z.object({ category_id: z.string().min(1) }),
    handle: guarded(({ vc, body }) => vc.tagging.listTagsForCategory(body.category_id)),
  }),
  defineRoute({
    method: 'POST',
    path: { rest: item.rest },
    action: 'list-tags-for-category',
    // The category is the path's id; a body, when sent, repeats it.
    body: z.object({ category_id: z.string().optional() }).optional(),
    handle: guarded(({ vc, params }) => vc.tagging.listTagsForCategory(params.tag!)),
  }),
  defineRoute({ method: 'GET', path: item, handle: guarded(({ vc, params }) => ({ ...vc.tagging.getTag(params.tag!) })) }),
  defineRoute({
    method: 'PATCH',
    path: item,
    body: updateSpec,
    restBodyKey: 'update_spec',
    handle: guarded(({ vc, params, body }) => void vc.tagging.updateTag(params.tag!, body)),
  }),
  defineRoute({ method: 'DELETE', path: item, handle: guarded(({ vc, params }) => void vc.tagging.deleteTag(params.tag!)) }),
  defineRoute({
    method: 'POST',
    path: item,
    action: 'add-to-used-by',
    body: usedBy,
    handle: guarded(({ vc, params, body }) => void vc.tagging.addTagUsedBy(params.tag!, body.used_by_entity)),
  }),
  defineRoute({
    method: 'POST',
    path: item,
    action: 'remove-from-used-by',
    body: usedBy,
    handle: guarded(({ vc, params, body }) => void vc.tagging.removeTagUsedBy(params.tag!, body.used_by_entity)),
  }),
];
