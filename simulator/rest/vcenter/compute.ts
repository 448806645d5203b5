/** `vcenter/host`, `vcenter/cluster` and `vcenter/resource-pool`: lists with their FilterSpecs, and get where vCenter has it. */
import { z } from 'zod';
import { ClusterComputeResource } from '../../../models/cluster/cluster-compute-resource.js';
import { ComputeResource } from '../../../models/cluster/compute-resource.js';
import type { HostSystem } from '../../../models/host/host-system.js';
import type { DataObject } from '../../../models/core/moref.js';
import { ResourcePool } from '../../../models/cluster/resource-pool.js';
import type { VCenter } from '../../../models/vcenter.js';
import { enumSet, queryBoolean, stringSet } from '../query.js';
import { defineRoute, type RestRoute } from '../route.js';
import { allows, containedIn, filterSet, inPoolChain, listOf, lookup, objectsOf } from './filters.js';

// --- hosts ------------------------------------------------------------------------------------

const CONNECTION_STATES = ['CONNECTED', 'DISCONNECTED', 'NOT_RESPONDING'] as const;
const connectionStateOf: Record<string, string> = { connected: 'CONNECTED', disconnected: 'DISCONNECTED', notResponding: 'NOT_RESPONDING' };
const hostPowerStateOf: Record<string, string> = { poweredOn: 'POWERED_ON', poweredOff: 'POWERED_OFF', standBy: 'STANDBY' };

const hostFilter = z.object({
  hosts: stringSet(),
  names: stringSet(),
  folders: stringSet(),
  datacenters: stringSet(),
  standalone: queryBoolean(),
  clusters: stringSet(),
  connection_states: enumSet(CONNECTION_STATES),
});

const connectionState = (host: HostSystem) => connectionStateOf[String(host.runtime.connectionState)] ?? 'CONNECTED';

function hostMatcher(vc: VCenter, filter: z.output<typeof hostFilter>) {
  const [hosts, names, folders, datacenters, clusters, states] = [
    filter.hosts, filter.names, filter.folders, filter.datacenters, filter.clusters, filter.connection_states,
  ].map(filterSet);
  return (host: HostSystem) => {
    const cluster = vc.registry.byId(host.parent?.value ?? '') instanceof ClusterComputeResource ? host.parent!.value : undefined;
    return (
      allows(hosts, host.self.value) &&
      allows(names, host.name) &&
      allows(states, connectionState(host)) &&
      (filter.standalone === undefined || filter.standalone === (cluster === undefined)) &&
      allows(clusters, cluster) &&
      containedIn(vc, host.parent, folders) &&
      containedIn(vc, host.parent, datacenters)
    );
  };
}

/** A disconnected host's power state is unknown to vCenter, so the summary leaves it out. */
function hostSummary(host: HostSystem) {
  const connection = connectionState(host);
  const power = connection === 'CONNECTED' ? hostPowerStateOf[String(host.runtime.powerState)] ?? 'POWERED_ON' : undefined;
  return { host: host.self.value, name: host.name, connection_state: connection, power_state: power };
}

// --- clusters ---------------------------------------------------------------------------------

const clusterFilter = z.object({ clusters: stringSet(), names: stringSet(), folders: stringSet(), datacenters: stringSet() });

function clusterMatcher(vc: VCenter, filter: z.output<typeof clusterFilter>) {
  const [clusters, names, folders, datacenters] = [filter.clusters, filter.names, filter.folders, filter.datacenters].map(filterSet);
  return (cluster: ClusterComputeResource) =>
    allows(clusters, cluster.self.value) &&
    allows(names, cluster.name) &&
    containedIn(vc, cluster.parent, folders) &&
    containedIn(vc, cluster.parent, datacenters);
}

function clusterSummary(cluster: ClusterComputeResource) {
  const config = cluster.configurationEx as { dasConfig?: DataObject; drsConfig?: DataObject };
  return {
    cluster: cluster.self.value,
    name: cluster.name,
    ha_enabled: Boolean(config.dasConfig?.enabled),
    drs_enabled: Boolean(config.drsConfig?.enabled),
  };
}

// --- resource pools ---------------------------------------------------------------------------

const poolFilter = z.object({
  resource_pools: stringSet(),
  names: stringSet(),
  parent_resource_pools: stringSet(),
  datacenters: stringSet(),
  hosts: stringSet(),
  clusters: stringSet(),
});

/** A pool belongs to a host only through a standalone host's compute resource; cluster pools belong to the cluster. */
function poolMatcher(vc: VCenter, filter: z.output<typeof poolFilter>) {
  const [pools, names, parents, datacenters, hosts, clusters] = [
    filter.resource_pools, filter.names, filter.parent_resource_pools, filter.datacenters, filter.hosts, filter.clusters,
  ].map(filterSet);
  return (pool: ResourcePool) => {
    const owner = vc.registry.byId(pool.owner?.value ?? '');
    const cluster = owner instanceof ClusterComputeResource ? owner : undefined;
    const standaloneHosts = owner instanceof ComputeResource && !cluster ? owner.host : [];
    return (
      allows(pools, pool.self.value) &&
      allows(names, pool.name) &&
      inPoolChain(vc, pool.parent, parents) &&
      allows(clusters, cluster?.self.value) &&
      (hosts === undefined || standaloneHosts.some((h) => hosts.has(h.value))) &&
      containedIn(vc, pool.parent, datacenters)
    );
  };
}

const SHARE_LEVELS: Record<string, string> = { low: 'LOW', normal: 'NORMAL', high: 'HIGH', custom: 'CUSTOM' };

function allocation(info: DataObject | undefined) {
  const shares = (info?.shares ?? {}) as DataObject;
  const level = SHARE_LEVELS[String(shares.level)] ?? 'NORMAL';
  return {
    reservation: info?.reservation ?? 0,
    expandable_reservation: Boolean(info?.expandableReservation),
    limit: info?.limit ?? -1,
    shares: level === 'CUSTOM' ? { level, shares: shares.shares } : { level },
  };
}

function poolInfo(pool: ResourcePool) {
  return {
    name: pool.name,
    resource_pools: pool.resourcePool.map((ref) => ref.value),
    cpu_allocation: allocation(pool.config.cpuAllocation as DataObject | undefined),
    memory_allocation: allocation(pool.config.memoryAllocation as DataObject | undefined),
  };
}

// --- routes -----------------------------------------------------------------------------------

export const computeRoutes: RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/vcenter/host',
    query: hostFilter,
    filterQuery: true,
    handle: ({ vc, query }) => listOf(vc.registry.ofType<HostSystem>('HostSystem'), hostMatcher(vc, query), hostSummary, 'host', 'hosts'),
  }),
  defineRoute({
    method: 'GET',
    path: '/vcenter/cluster',
    query: clusterFilter,
    filterQuery: true,
    handle: ({ vc, query }) =>
      listOf(vc.registry.ofType<ClusterComputeResource>('ClusterComputeResource'), clusterMatcher(vc, query), clusterSummary, 'cluster', 'clusters'),
  }),
  defineRoute({
    method: 'GET',
    path: '/vcenter/cluster/:cluster',
    handle({ vc, params }) {
      const cluster = lookup(vc, params.cluster!, ClusterComputeResource, 'cluster', 'Cluster');
      return { name: cluster.name, resource_pool: cluster.resourcePool?.value };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/vcenter/resource-pool',
    query: poolFilter,
    filterQuery: true,
    handle: ({ vc, query }) =>
      listOf(
        objectsOf<ResourcePool>(vc, 'ResourcePool', 'VirtualApp'),
        poolMatcher(vc, query),
        (pool) => ({ resource_pool: pool.self.value, name: pool.name }),
        'resource_pool',
        'resource pools',
      ),
  }),
  defineRoute({
    method: 'GET',
    path: '/vcenter/resource-pool/:pool',
    handle: ({ vc, params }) => poolInfo(lookup(vc, params.pool!, ResourcePool, 'resource_pool', 'Resource pool')),
  }),
];
