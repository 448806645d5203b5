/**
 * What the content library routes share: their paths under both prefixes, the store's refusals as
 * vAPI errors, and the creation bodies whose `/rest` form carries a `client_token` beside the spec.
 */
import { z } from 'zod';
import { ContentLibraryError } from '../../../models/rest/content-library.js';
import { VapiError, message } from '../errors.js';
import { defineRoute, type RestContext, type RestRoute } from '../route.js';

/** `/api/content/<rest>` and `/rest/com/vmware/content/<rest>`. */
export const contentPath = (rest: string) => ({ api: `/content/${rest}`, rest: `/com/vmware/content/${rest}` });

/** Runs a content handler, turning the store's refusals into the vAPI errors vCenter answers with. */
export function guarded<C extends RestContext<any, any>, R>(handler: (ctx: C) => R): (ctx: C) => R {
  return (ctx) => {
    try {
      return handler(ctx);
    } catch (error) {
      if (error instanceof ContentLibraryError) throw new VapiError(error.kind, [message(error.id, error.message, error.args)]);
      throw error;
    }
  };
}

/** An identifier in a body or query: a non-empty string. */
export const identifier = z.string().min(1);

const clientToken = z.string().optional();

/**
 * The creation operation of a collection: `/api` takes the spec whole (`POST`, 201, its client
 * token in the query); `/rest` takes `{"create_spec": ..., "client_token": ...}` on `POST` or
 * `POST ?~action=create`.
 */
export function creation<S extends z.ZodType>(
  path: { api: string; rest: string },
  spec: S,
  create: (ctx: RestContext, spec: z.output<S>, clientToken: string | undefined) => unknown,
): RestRoute[] {
  // The checker cannot see through a generic spec inside z.object: name the output by hand.
  const restBody = z.object({ create_spec: spec, client_token: clientToken }) as unknown as z.ZodType<{ create_spec: z.output<S>; client_token?: string }>;
  const restCreate = guarded((ctx: RestContext<unknown, z.output<typeof restBody>>) => create(ctx, ctx.body.create_spec, ctx.body.client_token));
  return [
    defineRoute({
      method: 'POST',
      path: { api: path.api },
      query: z.object({ client_token: clientToken }),
      body: spec,
      created: true,
      handle: guarded((ctx) => create(ctx, ctx.body, ctx.query.client_token)),
    }),
    defineRoute({ method: 'POST', path: { rest: path.rest }, body: restBody, handle: restCreate }),
    defineRoute({ method: 'POST', path: { rest: path.rest }, action: 'create', body: restBody, handle: restCreate }),
  ];
}

/** A transfer endpoint as vCenter gives it: the full URI the client calls. */
export function endpoint(ctx: RestContext, path: string | undefined): { uri: string } | undefined {
  return path === undefined ? undefined : { uri: `${ctx.origin}${path}` };
}
