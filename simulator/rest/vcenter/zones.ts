/**
 * Consumption-domain zones (vSphere 8.0, `/api` only): `/api/vcenter/consumption-domains/zones`
 * (create, list, get, delete) and their cluster associations,
 * `/api/vcenter/consumption-domains/zones/cluster/{zone}/associations` (list, add, remove).
 */
import { z } from 'zod';
import { stringSet } from '../query.js';
import { defineRoute, type RestRoute } from '../route.js';

const zones = { api: '/vcenter/consumption-domains/zones' };
const zone = { api: '/vcenter/consumption-domains/zones/:zone' };
const associations = { api: '/vcenter/consumption-domains/zones/cluster/:zone/associations' };

/** The clusters to add or remove: the set itself, or wrapped as `{"clusters": [...]}`. */
const clusterSet = z.union([z.array(z.string().min(1)), z.object({ clusters: z.array(z.string().min(1)) }).transform((body) => body.clusters)]);

export const zoneRoutes: RestRoute[] = [
  defineRoute({
    method: 'POST',
    path: zones,
    body: z.object({ zone: z.string().min(1), description: z.string().optional() }),
    handle: ({ vc, body }) => void vc.zones.create(body.zone, body.description),
  }),
  defineRoute({ method: 'GET', path: zones, query: z.object({ zones: stringSet() }), handle: ({ vc, query }) => ({ items: vc.zones.list(query.zones) }) }),
  defineRoute({ method: 'GET', path: zone, handle: ({ vc, params }) => vc.zones.get(params.zone!) }),
  defineRoute({ method: 'DELETE', path: zone, handle: ({ vc, params }) => void vc.zones.delete(params.zone!) }),
  defineRoute({ method: 'GET', path: associations, handle: ({ vc, params }) => vc.zones.clusters(params.zone!) }),
  defineRoute({ method: 'POST', path: associations, action: 'add', body: clusterSet, handle: ({ vc, params, body }) => vc.zones.addClusters(params.zone!, body) }),
  defineRoute({ method: 'POST', path: associations, action: 'remove', body: clusterSet, handle: ({ vc, params, body }) => void vc.zones.removeClusters(params.zone!, body) }),
];
