/**
 * `content/library/subscriptions`: a published library's subscriptions. `/api` names the
 * publisher in the query (`?library=`); `/rest` as govmomi's vapi/library calls it: list with
 * `?library=`, create, get and delete on `subscriptions/id:{library}` (`~action=get|delete`
 * with `{"subscription"}`).
 */
import { z } from 'zod';
import { defineRoute, type RestRoute } from '../route.js';
import { guarded, identifier } from './common.js';

const backing = z.object({ type: z.enum(['DATASTORE', 'OTHER']), datastore_id: z.string().min(1).optional(), storage_uri: z.string().min(1).optional() });

const createSpec = z.object({
  subscribed_library: z.object({
    target: z.enum(['CREATE_NEW', 'USE_EXISTING']),
    location: z.enum(['LOCAL', 'REMOTE']),
    subscribed_library: identifier.optional(),
    new_subscribed_library: z
      .object({ name: z.string().min(1), description: z.string().optional(), storage_backings: z.array(backing), automatic_sync_enabled: z.boolean(), on_demand: z.boolean() })
      .optional(),
    vcenter: z.unknown().optional(),
    placement: z.unknown().optional(),
  }),
});

const libraryQuery = z.object({ library: identifier });
const subscriptionId = z.object({ subscription: identifier });
const apiPath = '/content/library/subscriptions';
const restPath = '/com/vmware/content/library/subscriptions';

export const subscriptionRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: { api: apiPath, rest: restPath }, query: libraryQuery, handle: guarded(({ vc, query }) => vc.contentLibrary.listSubscriptions(query.library)) }),
  defineRoute({
    method: 'POST',
    path: { api: apiPath },
    query: libraryQuery,
    body: createSpec,
    created: true,
    handle: guarded(({ vc, query, body, origin }) => vc.contentLibrary.createSubscription(query.library, body.subscribed_library, origin)),
  }),
  defineRoute({
    method: 'POST',
    path: { rest: `${restPath}/:library` },
    body: createSpec,
    restBodyKey: 'spec',
    handle: guarded(({ vc, params, body, origin }) => vc.contentLibrary.createSubscription(params.library!, body.subscribed_library, origin)),
  }),
  defineRoute({
    method: 'GET',
    path: { api: `${apiPath}/:subscription` },
    query: libraryQuery,
    handle: guarded(({ vc, query, params }) => vc.contentLibrary.getSubscription(query.library, params.subscription!)),
  }),
  defineRoute({
    method: 'DELETE',
    path: { api: `${apiPath}/:subscription` },
    query: libraryQuery,
    handle: guarded(({ vc, query, params }) => void vc.contentLibrary.deleteSubscription(query.library, params.subscription!)),
  }),
  defineRoute({
    method: 'POST',
    path: { rest: `${restPath}/:library` },
    action: 'get',
    body: subscriptionId,
    handle: guarded(({ vc, params, body }) => vc.contentLibrary.getSubscription(params.library!, body.subscription)),
  }),
  defineRoute({
    method: 'POST',
    path: { rest: `${restPath}/:library` },
    action: 'delete',
    body: subscriptionId,
    handle: guarded(({ vc, params, body }) => void vc.contentLibrary.deleteSubscription(params.library!, body.subscription)),
  }),
];
