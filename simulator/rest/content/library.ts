/**
 * `content/library` (list, get, find, update across library types), `content/local-library`
 * (create, list, get, update, delete, publish) and `content/subscribed-library` (create, list,
 * get, update, delete, sync, evict, probe). Subscriptions reach only libraries of this simulator
 * (see models/rest/content-library-sync.ts).
 */
import { z } from 'zod';
import type { Library } from '../../../models/rest/content-library.js';
import { isSecurityPolicy } from '../../../models/rest/trusted-certificates.js';
import { defineRoute, type RestContext, type RestRoute } from '../route.js';
import { contentPath, creation, guarded } from './common.js';

const backing = z.object({
  type: z.enum(['DATASTORE', 'OTHER']),
  datastore_id: z.string().min(1).optional(),
  storage_uri: z.string().min(1).optional(),
});

const authentication = z.enum(['NONE', 'BASIC']);

const publishInfo = z.object({
  authentication_method: authentication.optional(),
  published: z.boolean().optional(),
  persist_json_enabled: z.boolean().optional(),
  user_name: z.string().optional(),
  password: z.string().optional(),
  current_password: z.string().optional(),
  publish_url: z.string().optional(),
});

const subscriptionInfo = z.object({
  authentication_method: authentication.optional(),
  automatic_sync_enabled: z.boolean().optional(),
  on_demand: z.boolean().optional(),
  subscription_url: z.string().min(1).optional(),
  user_name: z.string().optional(),
  password: z.string().optional(),
  ssl_thumbprint: z.string().optional(),
  source_info: z.object({ source_library: z.string().optional(), subscription: z.string().optional() }).optional(),
});

const securityPolicy = z.string().refine(isSecurityPolicy, 'no such security policy');

const createSpec = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  type: z.literal('LOCAL').optional(),
  storage_backings: z.array(backing),
  publish_info: publishInfo.optional(),
  security_policy_id: securityPolicy.optional(),
});

const subscribedSpec = createSpec.omit({ type: true, publish_info: true }).extend({
  type: z.literal('SUBSCRIBED').optional(),
  subscription_info: subscriptionInfo.extend({ subscription_url: z.string().min(1) }),
});

const updateSpec = z.object({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  publish_info: publishInfo.optional(),
  subscription_info: subscriptionInfo.optional(),
  security_policy_id: securityPolicy.optional(),
});

const findSpec = z.object({ name: z.string().optional(), type: z.enum(['LOCAL', 'SUBSCRIBED']).optional() });

const publishSpec = z.object({ subscriptions: z.array(z.object({ subscription: z.string().min(1) })).optional() });

const library = contentPath('library');
const libraryId = contentPath('library/:library');
const local = contentPath('local-library');
const localId = contentPath('local-library/:library');
const subscribed = contentPath('subscribed-library');
const subscribedId = contentPath('subscribed-library/:library');

/** A library as vCenter answers it: the publish URL on this server's origin, no passwords. */
function wire(ctx: RestContext, library: Library) {
  const { publish_info, subscription_info, ...rest } = library;
  const out: Record<string, unknown> = { ...rest };
  if (publish_info) {
    const { password: _password, publish_url, ...publish } = publish_info;
    out.publish_info = publish_url ? { ...publish, publish_url: `${ctx.origin}${publish_url}` } : publish;
  }
  if (subscription_info) {
    const { password: _password, ...subscription } = subscription_info;
    out.subscription_info = subscription;
  }
  return out;
}

const ofType = (ctx: RestContext, type: Library['type']) => ctx.vc.contentLibrary.listLibraries().filter((id) => ctx.vc.contentLibrary.getLibrary(id).type === type);
const update = (check: (ctx: RestContext) => unknown) =>
  guarded((ctx: RestContext<unknown, z.output<typeof updateSpec>>) => {
    check(ctx);
    ctx.vc.contentLibrary.updateLibrary(ctx.params.library!, ctx.body);
  });
const isLocal = (ctx: RestContext) => ctx.vc.contentLibrary.localLibrary(ctx.params.library!);
const isSubscribed = (ctx: RestContext) => ctx.vc.contentLibrary.subscribedLibrary(ctx.params.library!);

const action = (path: { api: string; rest: string }, name: string, body: z.ZodType | undefined, run: (ctx: RestContext<unknown, any>) => unknown) =>
  defineRoute({ method: 'POST', path, action: name, body, handle: guarded(run) });

export const libraryRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: library, handle: ({ vc }) => vc.contentLibrary.listLibraries() }),
  defineRoute({ method: 'GET', path: libraryId, handle: guarded((ctx) => wire(ctx, ctx.vc.contentLibrary.getLibrary(ctx.params.library!))) }),
  defineRoute({ method: 'PATCH', path: libraryId, body: updateSpec, restBodyKey: 'update_spec', handle: update(() => undefined) }),
  defineRoute({
    method: 'POST',
    path: library,
    action: 'find',
    body: findSpec,
    restBodyKey: 'spec',
    handle: guarded(({ vc, body }) => vc.contentLibrary.findLibraries(body)),
  }),
  // Local libraries.
  defineRoute({ method: 'GET', path: local, handle: (ctx) => ofType(ctx, 'LOCAL') }),
  ...creation(local, createSpec, ({ vc }, spec, token) => vc.contentLibrary.createLibrary(spec, token)),
  defineRoute({ method: 'GET', path: localId, handle: guarded((ctx) => wire(ctx, isLocal(ctx))) }),
  defineRoute({ method: 'PATCH', path: localId, body: updateSpec, restBodyKey: 'update_spec', handle: update(isLocal) }),
  defineRoute({ method: 'DELETE', path: localId, handle: guarded((ctx) => void ctx.vc.contentLibrary.deleteLibrary(isLocal(ctx).id)) }),
  action(localId, 'publish', publishSpec.optional(), (ctx) =>
    void ctx.vc.contentLibrary.publishLibrary(isLocal(ctx).id, ctx.body?.subscriptions?.map((s: { subscription: string }) => s.subscription)),
  ),
  // Subscribed libraries.
  defineRoute({ method: 'GET', path: subscribed, handle: (ctx) => ofType(ctx, 'SUBSCRIBED') }),
  ...creation(subscribed, subscribedSpec, ({ vc }, spec, token) => vc.contentLibrary.createSubscribedLibrary(spec, token)),
  defineRoute({ method: 'GET', path: subscribedId, handle: guarded((ctx) => wire(ctx, isSubscribed(ctx))) }),
  defineRoute({ method: 'PATCH', path: subscribedId, body: updateSpec, restBodyKey: 'update_spec', handle: update(isSubscribed) }),
  defineRoute({ method: 'DELETE', path: subscribedId, handle: guarded((ctx) => void ctx.vc.contentLibrary.deleteLibrary(isSubscribed(ctx).id)) }),
  action(subscribedId, 'sync', undefined, (ctx) => void ctx.vc.contentLibrary.syncLibrary(ctx.params.library!, false)),
  action(subscribedId, 'evict', undefined, (ctx) => void ctx.vc.contentLibrary.evictLibrary(ctx.params.library!)),
  defineRoute({
    method: 'POST',
    path: subscribed,
    action: 'probe',
    body: subscriptionInfo,
    restBodyKey: 'subscription_info',
    handle: ({ vc, body }) => vc.contentLibrary.probe(body),
  }),
];
