/** `cis/tagging/category`: list, get, create, update, delete, add-to-used-by, remove-from-used-by. */
import { z } from 'zod';
import { defineRoute, type RestRoute } from '../route.js';
import { guarded, stringList, taggingPath } from './common.js';

const cardinality = z.enum(['SINGLE', 'MULTIPLE']);

const createSpec = z.object({
  name: z.string().min(1),
  description: z.string(),
  cardinality,
  associable_types: stringList,
});

const updateSpec = z.object({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  cardinality: cardinality.optional(),
  associable_types: stringList.optional(),
});

const usedBy = z.object({ used_by_entity: z.string().min(1) });

const collection = taggingPath('category');
const item = taggingPath('category/:category');

export const categoryRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: collection, handle: ({ vc }) => vc.tagging.listCategories() }),
  defineRoute({
    method: 'POST',
    path: collection,
    body: createSpec,
    restBodyKey: 'create_spec',
    created: true,
    handle: guarded(({ vc, body }) => vc.tagging.createCategory(body)),
  }),
  defineRoute({ method: 'GET', path: item, handle: guarded(({ vc, params }) => ({ ...vc.tagging.getCategory(params.category!) })) }),
  defineRoute({
    method: 'PATCH',
    path: item,
    body: updateSpec,
    restBodyKey: 'update_spec',
    handle: guarded(({ vc, params, body }) => void vc.tagging.updateCategory(params.category!, body)),
  }),
  defineRoute({ method: 'DELETE', path: item, handle: guarded(({ vc, params }) => void vc.tagging.deleteCategory(params.category!)) }),
  defineRoute({
    method: 'POST',
    path: item,
    action: 'add-to-used-by',
    body: usedBy,
    handle: guarded(({ vc, params, body }) => void vc.tagging.addCategoryUsedBy(params.category!, body.used_by_entity)),
  }),
  defineRoute({
    method: 'POST',
    path: item,
    action: 'remove-from-used-by',
    body: usedBy,
    handle: guarded(({ vc, params, body }) => void vc.tagging.removeCategoryUsedBy(params.category!, body.used_by_entity)),
  }),
];
