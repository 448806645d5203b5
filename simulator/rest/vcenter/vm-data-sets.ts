/**
 * VM data sets (vSphere 8.0, `/api` only): `/api/vcenter/vm/{vm}/data-sets[/{data_set}]` (list,
 * create, get, update, delete with `?force=`) and their entries,
 * `.../data-sets/{data_set}/entries[/{key}]` (list keys, get, set with the value as a JSON
 * string, delete). State in models/rest/vm-data-sets.ts.
 */
import { z } from 'zod';
import { queryBoolean } from '../query.js';
import { defineRoute, type RestRoute } from '../route.js';

const access = z.enum(['NONE', 'READ_ONLY', 'READ_WRITE']);

const createSpec = z.object({
  name: z.string().min(1),
  description: z.string(),
  host: access,
  guest: access,
  omit_from_snapshot_and_clone: z.boolean().optional(),
});

const updateSpec = z.object({
  description: z.string().optional(),
  host: access.optional(),
  guest: access.optional(),
  omit_from_snapshot_and_clone: z.boolean().optional(),
});

const sets = { api: '/vcenter/vm/:vm/data-sets' };
const set = { api: '/vcenter/vm/:vm/data-sets/:set' };
const entries = { api: '/vcenter/vm/:vm/data-sets/:set/entries' };
const entry = { api: '/vcenter/vm/:vm/data-sets/:set/entries/:key' };

export const vmDataSetRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: sets, handle: ({ vc, params }) => vc.dataSets.list(params.vm!) }),
  defineRoute({ method: 'POST', path: sets, body: createSpec, created: true, handle: ({ vc, params, body }) => vc.dataSets.create(params.vm!, body) }),
  defineRoute({ method: 'GET', path: set, handle: ({ vc, params }) => vc.dataSets.get(params.vm!, params.set!) }),
  defineRoute({ method: 'PATCH', path: set, body: updateSpec, handle: ({ vc, params, body }) => void vc.dataSets.update(params.vm!, params.set!, body) }),
  defineRoute({
    method: 'DELETE',
    path: set,
    query: z.object({ force: queryBoolean() }),
    handle: ({ vc, params, query }) => void vc.dataSets.delete(params.vm!, params.set!, query.force ?? false),
  }),
  defineRoute({ method: 'GET', path: entries, handle: ({ vc, params }) => vc.dataSets.keys(params.vm!, params.set!) }),
  defineRoute({ method: 'GET', path: entry, handle: ({ vc, params }) => vc.dataSets.getEntry(params.vm!, params.set!, params.key!) }),
  defineRoute({ method: 'PUT', path: entry, body: z.string(), handle: ({ vc, params, body }) => void vc.dataSets.setEntry(params.vm!, params.set!, params.key!, body) }),
  defineRoute({ method: 'DELETE', path: entry, handle: ({ vc, params }) => void vc.dataSets.deleteEntry(params.vm!, params.set!, params.key!) }),
];
