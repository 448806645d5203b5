/**
 * vSphere with Tanzu namespaces (`/api` only): `/api/vcenter/namespaces/instances` (create, list)
 * and `/api/vcenter/namespaces/instances/{namespace}` (get, update by PATCH, set by PUT, delete).
 * State in models/rest/namespaces.ts.
 */
import { z } from 'zod';
import type { Namespace } from '../../../models/rest/namespaces.js';
import { defineRoute, type RestRoute } from '../route.js';
import { isStoragePolicy } from './storage-policies.js';

const access = z.object({
  subject: z.string().min(1),
  subject_type: z.enum(['USER', 'GROUP']),
  domain: z.string().min(1),
  role: z.enum(['OWNER', 'EDIT', 'VIEW']),
});

const spec = z.object({
  description: z.string().optional(),
  access_list: z.array(access).optional(),
  storage_specs: z.array(z.object({ policy: z.string().refine(isStoragePolicy, 'no such storage policy'), limit: z.number().int().min(0).optional() })).optional(),
  resource_spec: z.record(z.string(), z.unknown()).optional(),
  vm_service_spec: z.object({ vm_classes: z.array(z.string()).optional(), content_libraries: z.array(z.string()).optional() }).optional(),
});

const instances = { api: '/vcenter/namespaces/instances' };
const instance = { api: '/vcenter/namespaces/instances/:namespace' };

/** Every namespace runs: the simulator creates it at once. */
function info(ns: Namespace) {
  const { namespace: _name, ...rest } = ns;
  return { ...rest, config_status: 'RUNNING', messages: [], stats: { cpu_used: 0, memory_used: 0, storage_used: 0 }, self_service_namespace: false };
}

export const namespaceRoutes: RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: instances,
    handle: ({ vc }) =>
      vc.namespaces.list().map((ns) => ({ namespace: ns.namespace, cluster: ns.cluster, description: ns.description, config_status: 'RUNNING', stats: { cpu_used: 0, memory_used: 0, storage_used: 0 }, self_service_namespace: false })),
  }),
  defineRoute({
    method: 'POST',
    path: instances,
    body: spec.extend({ cluster: z.string().min(1), namespace: z.string().min(1) }),
    handle: ({ vc, body }) => {
      const { cluster, namespace, ...rest } = body;
      vc.namespaces.create(cluster, namespace, rest);
    },
  }),
  defineRoute({ method: 'GET', path: instance, handle: ({ vc, params }) => info(vc.namespaces.get(params.namespace!)) }),
  defineRoute({ method: 'PATCH', path: instance, body: spec, handle: ({ vc, params, body }) => void vc.namespaces.update(params.namespace!, body) }),
  defineRoute({ method: 'PUT', path: instance, body: spec, handle: ({ vc, params, body }) => void vc.namespaces.set(params.namespace!, body) }),
  defineRoute({ method: 'DELETE', path: instance, handle: ({ vc, params }) => void vc.namespaces.delete(params.namespace!) }),
];
