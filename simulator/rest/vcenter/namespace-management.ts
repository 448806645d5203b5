/**
 * vSphere with Tanzu's namespace management (`/api` only, as govmomi's vapi/namespace calls it):
 * `vcenter/namespace-management/clusters` (list, get, `enable` and `disable` as tasks, support
 * bundle), `cluster-size-info`, `distributed-switch-compatibility`, `edge-cluster-compatibility`
 * and `virtual-machine-classes`. State in models/rest/supervisors.ts.
 */
import { z } from 'zod';
import { MoRef, type DataObject } from '../../../models/core/moref.js';
import type { Task } from '../../../models/core/task.js';
import type { VCenter } from '../../../models/vcenter.js';
import type { Supervisor } from '../../../models/rest/supervisors.js';
import { vapiErrors } from '../errors.js';
import { queryBoolean } from '../query.js';
import { defineRoute, VapiMap, type RestContext, type RestRoute } from '../route.js';
import { isStoragePolicy } from './storage-policies.js';
import { callContext, taskQuery } from './task-calls.js';

const policy = z.string().refine(isStoragePolicy, 'no such storage policy');
const cidr = z.object({ address: z.string().min(1), prefix: z.number().int().min(0).max(32) });

const enableSpec = z.object({
  size_hint: z.enum(['TINY', 'SMALL', 'MEDIUM', 'LARGE']),
  network_provider: z.enum(['NSXT_CONTAINER_PLUGIN', 'VSPHERE_NETWORK']),
  image_storage: z.object({ storage_policy: policy }),
  master_storage_policy: policy.optional(),
  ephemeral_storage_policy: policy.optional(),
  master_management_network: z
    .object({ mode: z.enum(['DHCP', 'STATICRANGE']), network: z.string().min(1), floating_IP: z.string().optional(), address_range: z.record(z.string(), z.unknown()).optional() })
    .nullish()
    .transform((v) => v ?? undefined),
  service_cidr: cidr.nullish().transform((v) => v ?? undefined),
  ncp_cluster_network_spec: z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? undefined),
  default_kubernetes_service_content_library: z.string().optional(),
  login_banner: z.string().optional(),
});

const clusters = { api: '/vcenter/namespace-management/clusters' };
const cluster = { api: '/vcenter/namespace-management/clusters/:cluster' };

/** Kubernetes is READY once the Supervisor runs; the cluster name is the inventory's. */
function summary(vc: VCenter, supervisor: Supervisor) {
  return {
    cluster: supervisor.cluster,
    cluster_name: String((vc.registry.byId(supervisor.cluster) as { name?: string } | undefined)?.name ?? supervisor.cluster),
    kubernetes_status: supervisor.config_status === 'RUNNING' ? 'READY' : 'WARNING',
    config_status: supervisor.config_status,
  };
}

function info(vc: VCenter, supervisor: Supervisor) {
  const clusterSummary = ((vc.registry.byId(supervisor.cluster) as { summary?: DataObject } | undefined)?.summary ?? {}) as DataObject;
  const { cluster: _id, cluster_name: _name, ...status } = summary(vc, supervisor);
  return {
    ...status,
    ...supervisor.spec,
    messages: [],
    kubernetes_status_messages: [],
    api_server_management_endpoint: supervisor.endpoint,
    api_server_cluster_endpoint: supervisor.endpoint,
    api_servers: [supervisor.endpoint],
    stat_summary: {
      cpu_used: 0,
      cpu_capacity: Number(clusterSummary.effectiveCpu ?? clusterSummary.totalCpu ?? 0),
      memory_used: 0,
      memory_capacity: Math.floor(Number(clusterSummary.effectiveMemory ?? 0)),
      storage_used: 0,
      storage_capacity: 0,
    },
  };
}

/**
 * Runs a Supervisor change as a task on the cluster: vCenter answers at once (or with the task
 * id for `?vmw-task=true`) and the status shows CONFIGURING or REMOVING until the task ends.
 */
function startTask(ctx: RestContext<z.output<typeof taskQuery>, unknown>, method: string, operation: string, done: (ok: boolean) => void) {
  const entity = ctx.vc.registry.byId(ctx.params.cluster!)!;
  const ref: MoRef = ctx.vc.tasks.start(callContext(ctx), { method, descriptionId: `ClusterComputeResource.${operation}`, entity, run: () => done(true) });
  void ctx.vc.registry.require<Task>(ref).completion().then((result) => result.state === 'error' && done(false));
  return ctx.query['vmw-task'] ? ref.value : undefined;
}

const SIZES = {
  TINY: { pods: 1000, services: 2000, cpus: 2, memory: 8192 },
  SMALL: { pods: 2000, services: 3000, cpus: 4, memory: 16384 },
  MEDIUM: { pods: 4000, services: 5000, cpus: 8, memory: 16384 },
  LARGE: { pods: 8000, services: 10000, cpus: 16, memory: 32768 },
};

function sizeInfo() {
  const out = new VapiMap<unknown>();
  for (const [size, s] of Object.entries(SIZES)) {
    out.set(size, {
      description: `${size.charAt(0)}${size.slice(1).toLowerCase()} Supervisor`,
      num_supported_pods: s.pods,
      num_supported_services: s.services,
      default_service_cidr: { address: '10.96.0.0', prefix: 23 },
      master_vm_info: { num_cpus: s.cpus, memory: s.memory, storage: 16384 },
    });
  }
  return out;
}

/** The simulator has no NSX: one edge cluster stands for NSX's, compatible with every switch. */
const EDGE_CLUSTER = { edge_cluster: 'edge-cluster-1', display_name: 'Edge Cluster 1', compatible: true, incompatibility_reasons: [] };

const compatibilityQuery = z.object({ cluster: z.string().min(1), compatible: queryBoolean(), distributed_switch: z.string().optional() });

const vmClass = z.object({
  id: z.string().min(1),
  cpu_count: z.number().int().min(1),
  memory_MB: z.number().int().min(1),
  description: z.string().optional(),
  cpu_reservation: z.number().int().min(0).max(100).optional(),
  memory_reservation: z.number().int().min(0).max(100).optional(),
});
const classes = { api: '/vcenter/namespace-management/virtual-machine-classes' };
const vmClassPath = { api: '/vcenter/namespace-management/virtual-machine-classes/:id' };
const classInfo = (vc: VCenter, id: string) => ({
  ...vc.supervisors.getClass(id),
  namespaces: vc.namespaces.list().filter((ns) => ns.vm_service_spec.vm_classes?.includes(id)).map((ns) => ns.namespace),
  vms: [],
  config_status: 'READY',
  messages: [],
});

export const namespaceManagementRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: clusters, handle: ({ vc }) => vc.supervisors.list().map((s) => summary(vc, s)) }),
  defineRoute({ method: 'GET', path: cluster, handle: ({ vc, params }) => info(vc, vc.supervisors.get(params.cluster!)) }),
  defineRoute({
    method: 'POST',
    path: cluster,
    action: 'enable',
    query: taskQuery,
    body: enableSpec,
    handle: (ctx) => {
      ctx.vc.supervisors.beginEnable(ctx.params.cluster!, ctx.body);
      return startTask(ctx, 'EnableSupervisor', 'enableSupervisor', (ok) => ctx.vc.supervisors.configured(ctx.params.cluster!, ok));
    },
  }),
  defineRoute({
    method: 'POST',
    path: cluster,
    action: 'disable',
    query: taskQuery,
    handle: (ctx) => {
      ctx.vc.supervisors.beginDisable(ctx.params.cluster!);
      return startTask(ctx, 'DisableSupervisor', 'disableSupervisor', (ok) => {
        if (ok) ctx.vc.namespaces.clusterDisabled(ctx.params.cluster!);
        ctx.vc.supervisors.removed(ctx.params.cluster!, ok);
      });
    },
  }),
  defineRoute({
    method: 'POST',
    path: { api: '/vcenter/namespace-management/clusters/:cluster/support-bundle' },
    handle: ({ vc, params, origin }) => {
      vc.supervisors.get(params.cluster!);
      const expiry = new Date(vc.now().getTime() + 60 * 60_000).toISOString();
      return { url: `${origin}/wcp/support-bundle/${params.cluster}`, wcp_support_bundle_token: { token: `bundle-${params.cluster}`, expiry } };
    },
  }),
  defineRoute({ method: 'GET', path: { api: '/vcenter/namespace-management/cluster-size-info' }, handle: () => sizeInfo() }),
  defineRoute({
    method: 'GET',
    path: { api: '/vcenter/namespace-management/distributed-switch-compatibility' },
    query: compatibilityQuery,
    handle: ({ vc, query }) => {
      requireCluster(vc, query.cluster);
      const switches = vc.registry.ofType('VmwareDistributedVirtualSwitch').map((dvs) => ({ distributed_switch: dvs.self.value, compatible: true, incompatibility_reasons: [] }));
      return query.compatible === false ? [] : switches;
    },
  }),
  defineRoute({
    method: 'GET',
    path: { api: '/vcenter/namespace-management/edge-cluster-compatibility' },
    query: compatibilityQuery,
    handle: ({ vc, query }) => {
      requireCluster(vc, query.cluster);
      return query.compatible === false ? [] : [EDGE_CLUSTER];
    },
  }),
  defineRoute({ method: 'GET', path: classes, handle: ({ vc }) => vc.supervisors.listClasses().map((c) => classInfo(vc, c.id)) }),
  defineRoute({ method: 'POST', path: classes, body: vmClass, handle: ({ vc, body }) => void vc.supervisors.createClass({ ...body, description: body.description ?? '' }) }),
  defineRoute({ method: 'GET', path: vmClassPath, handle: ({ vc, params }) => classInfo(vc, params.id!) }),
  defineRoute({
    method: 'PATCH',
    path: vmClassPath,
    body: vmClass.omit({ id: true }).partial(),
    handle: ({ vc, params, body }) => void vc.supervisors.updateClass(params.id!, body),
  }),
  defineRoute({ method: 'DELETE', path: vmClassPath, handle: ({ vc, params }) => void vc.supervisors.deleteClass(params.id!, vc.namespaces.classInUse(params.id!)) }),
];

/** Compatibility is asked of a cluster, with a Supervisor or not: it must exist. */
function requireCluster(vc: VCenter, id: string): void {
  if (!vc.registry.get(new MoRef('ClusterComputeResource', id))) throw vapiErrors.notFound('cluster', 'Cluster', id);
}
