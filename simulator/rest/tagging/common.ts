/**
 * What the tagging routes share: their paths under both prefixes, the object-id schema, and the
 * mapping of the tag store's refusals to vAPI errors.
 */
import { z } from 'zod';
import { TaggingError } from '../../../models/rest/tagging.js';
import { VapiError, message } from '../errors.js';
import type { RestContext } from '../route.js';

/** `/api/cis/tagging/<rest>` and `/rest/com/vmware/cis/tagging/<rest>`. */
export const taggingPath = (rest: string) => ({ api: `/cis/tagging/${rest}`, rest: `/com/vmware/cis/tagging/${rest}` });

/** A vSphere object as tagging names it: `{"type": "VirtualMachine", "id": "vm-42"}`. */
export const objectId = z.object({ type: z.string().min(1), id: z.string().min(1) });

export const stringList = z.array(z.string());

/** Runs a tagging handler, turning the store's refusals into the vAPI errors vCenter answers with. */
export function guarded<C extends RestContext<any, any>, R>(handler: (ctx: C) => R): (ctx: C) => R {
  return (ctx) => {
    try {
      return handler(ctx);
    } catch (error) {
      if (error instanceof TaggingError) throw new VapiError(error.kind, [message(error.id, error.message, error.args)]);
      throw error;
    }
  };
}
