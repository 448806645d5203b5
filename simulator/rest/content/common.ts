/**
 * What the content library routes share: their paths under both prefixes, the store's refusals as
 * vAPI errors, and the creation bodies whose `/rest` form carries a `client_token` beside the spec.
 */
import { z } from 'zod';
import { ContentLibraryError } from '../../../models/content-library.js';
import { VapiError, message } from '../errors.js';
import type { RestContext } from '../route.js';

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

/** The `/api` query of a creation: just its optional client token. */
export const clientTokenQuery = z.object({ client_token: z.string().optional() });

/** A transfer endpoint as vCenter gives it: the full URI the client calls. */
export function endpoint(ctx: RestContext, path: string | undefined): { uri: string } | undefined {
  return path === undefined ? undefined : { uri: `${ctx.origin}${path}` };
}
