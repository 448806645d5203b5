/**
 * Clusters and standalone compute resources being made and changed: CreateClusterEx, AddHost_Task,
 * AddStandaloneHost_Task, MoveInto_Task, MoveHostInto_Task, the reconfiguration tasks, and the
 * answers DRS gives (PlaceVm, RecommendHostsForVm, GetResourceUsage).
 */
import { entityArguments } from '../core/event-manager.js';
import { VimFault, faults } from '../core/fault.js';
import type { Folder } from '../core/folder.js';
import { addRef, checkChildName, datacenterOf, removeRef, type ManagedEntity } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { Datacenter } from '../core/datacenter.js';
import { hostThumbprint, mountDatastore, newHost } from '../host/host-factory.js';
import { leastLoaded, poweredOnCount } from '../host/host-maintenance.js';
import type { HostSystem } from '../host/host-system.js';
import type { VirtualMachine } from '../vm/virtual-machine.js';
import { ClusterComputeResource } from './cluster-compute-resource.js';
import { legacyConfiguration, reconfigured } from './cluster-config.js';
import { ComputeResource } from './compute-resource.js';
import { EnvironmentBrowser } from './environment-browser.js';
import { ResourcePool, rootAllocation } from './resource-pool.js';

/** The folder must hold compute resources (a datacenter's host folder or one under it) of a vCenter, and the name be free there. */
function checkComputeFolder(ctx: CallContext, folder: Folder, name: string): void {
  // An ESX host manages itself alone: no clusters, no other hosts.
  if (!ctx.vc.isVpx || !folder.childType.includes('ComputeResource')) throw faults.notSupported();
  checkChildName(ctx.vc.registry, folder.childEntity, name, folder.self);
}

/** Gives a new compute resource its environment browser and root pool. */
function equip(ctx: CallContext, cr: ComputeResource, browser: EnvironmentBrowser, pool: ResourcePool): void {
  cr.environmentBrowser = browser.self;
  pool.configure('Resources', rootAllocation('cpu'), rootAllocation('memory'));
  pool.owner = cr.self;
  pool.parent = cr.self;
  cr.resourcePool = pool.self;
  ctx.vc.registry.changed(pool);
}

/** Folder.CreateClusterEx (and CreateCluster, with a ClusterConfigSpec): an empty cluster with `spec` applied over vcsim's defaults. */
export function createCluster(ctx: CallContext, folder: Folder, name: string, spec: DataObject = {}): MoRef {
  const { registry } = ctx.vc;
  checkComputeFolder(ctx, folder, name);
  const probe = new ClusterComputeResource();
  const config = reconfigured(ctx, probe.configurationEx, spec, true, `${folder.self.value}/${name}`);
  const browser = registry.addNew(new EnvironmentBrowser(), 'EnvironmentBrowser', 'envbrowser');
  const pool = registry.addNew(new ResourcePool(), 'ResourcePool', 'resgroup');
  const cluster = registry.addNew(probe, 'ClusterComputeResource', 'clustercomputeresource');
  cluster.name = name;
  equip(ctx, cluster, browser, pool);
  installConfig(cluster, config);
  folder.addChild(cluster);
  registry.structureChanged(folder);
  ctx.vc.events.post(ctx, {
    _type: 'ClusterCreatedEvent',
    parent: { _type: 'FolderEventArgument', folder: folder.self, name: folder.name },
    fullFormattedMessage: `Created cluster ${name} in ${datacenterName(ctx, folder)}`,
    ...entityArguments(registry, cluster.self),
  });
  return cluster.self;
}

function installConfig(cluster: ClusterComputeResource, config: DataObject): void {
  cluster.configurationEx = config;
  cluster.configuration = legacyConfiguration(config);
}

function datacenterName(ctx: CallContext, entity: ManagedEntity): string {
  const ref = datacenterOf(ctx.vc.registry, entity);
  return ref ? ((ctx.vc.registry.get(ref) as ManagedEntity | undefined)?.name ?? '') : '';
}

/** ReconfigureComputeResource_Task / ReconfigureCluster_Task of a cluster: the whole spec applies, or nothing does. */
export function reconfigureTask(ctx: CallContext, cluster: ClusterComputeResource, method: string, spec: DataObject, modify: boolean): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method,
    descriptionId: 'ClusterComputeResource.reconfigureEx',
    entity: cluster,
    run: () => {
      if (!spec) throw faults.invalidArgument('spec');
      installConfig(cluster, reconfigured(ctx, cluster.configurationEx, spec, modify, cluster.self.value));
      ctx.vc.registry.changed(cluster);
      ctx.vc.events.post(ctx, {
        _type: 'ClusterReconfiguredEvent',
        fullFormattedMessage: `Reconfigured cluster ${cluster.name} in datacenter ${datacenterName(ctx, cluster)}`,
        ...entityArguments(ctx.vc.registry, cluster.self),
      });
      return undefined;
    },
  });
}

// --- adding hosts ------------------------------------------------------------------------------

/** What checking a HostConnectSpec gives: the host's name; AlreadyConnected, SSLVerifyFault as vCenter. */
function checkConnectSpec(ctx: CallContext, spec: DataObject | undefined): string {
  const name = (spec?.hostName as string | undefined)?.trim();
  if (!name) throw faults.invalidArgument('spec.hostName');
  if (ctx.vc.registry.ofType<HostSystem>('HostSystem').some((h) => h.name === name)) {
    throw new VimFault('AlreadyConnected', { name }, `The host ${name} is already managed by this vCenter Server.`);
  }
  const expected = hostThumbprint(ctx, name);
  const given = spec!.sslThumbprint as string | undefined;
  // vcsim takes any host without a thumbprint; a wrong one is what vCenter refuses, telling the right one.
  if (given && given.toUpperCase() !== expected) throw new VimFault('SSLVerifyFault', { selfSigned: true, thumbprint: expected }, `Authenticity of the host's SSL certificate is not verified.`);
  return name;
}

/**
 * A new host in `cr` (a cluster, or a new standalone compute resource): made like the topology's
 * hosts, with the datacenter's datastores mounted and its 'VM Network', HostAddedEvent posted.
 */
function addNewHost(ctx: CallContext, cr: ComputeResource, name: string, connected: boolean): HostSystem {
  const { registry } = ctx.vc;
  const host = newHost(ctx, name, cr);
  const dc = registry.get(datacenterOf(registry, cr)!) as Datacenter;
  for (const ref of dc.datastore) mountDatastore(registry, registry.require(ref), host);
  for (const ref of dc.network) {
    const net = registry.require<ManagedEntity & { host: MoRef[] }>(ref);
    if (ref.type !== 'Network') continue;
    addRef(net.host, host.self);
    addRef(host.network, ref);
    addRef(cr.network, ref);
    registry.changed(net);
  }
  if (!connected) host.runtime.connectionState = 'disconnected';
  cr.refreshSummary(registry);
  ctx.vc.events.post(ctx, { _type: 'HostAddedEvent', fullFormattedMessage: `Added host ${name} to datacenter ${dc.name}`, ...entityArguments(registry, host.self) });
  return host;
}

/** ClusterComputeResource.AddHost_Task: its result is the new HostSystem. */
export function addHostTask(ctx: CallContext, cluster: ClusterComputeResource, args: { spec: DataObject; asConnected: boolean; resourcePool?: MoRef }): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method: 'AddHost_Task',
    descriptionId: 'ClusterComputeResource.addHost',
    entity: cluster,
    run: () => {
      const name = checkConnectSpec(ctx, args.spec);
      if (args.resourcePool) requireOwnPool(ctx, cluster, args.resourcePool);
      return addNewHost(ctx, cluster, name, args.asConnected !== false).self;
    },
  });
}

/** Folder.AddStandaloneHost_Task: a new ComputeResource of one host; its result is the ComputeResource. */
export function addStandaloneHostTask(ctx: CallContext, folder: Folder, args: { spec: DataObject; addConnected: boolean; compResSpec?: DataObject }): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method: 'AddStandaloneHost_Task',
    descriptionId: 'Folder.addStandaloneHost',
    entity: folder,
    run: () => {
      const { registry } = ctx.vc;
      const name = checkConnectSpec(ctx, args.spec);
      checkComputeFolder(ctx, folder, name);
      const browser = registry.addNew(new EnvironmentBrowser(), 'EnvironmentBrowser', 'envbrowser');
      const pool = registry.addNew(new ResourcePool(), 'ResourcePool', 'resgroup');
      const cr = registry.addNew(new ComputeResource(), 'ComputeResource', 'computeresource');
      cr.name = name;
      equip(ctx, cr, browser, pool);
      if (args.compResSpec?.vmSwapPlacement) cr.configurationEx.vmSwapPlacement = args.compResSpec.vmSwapPlacement;
      folder.addChild(cr);
      registry.structureChanged(folder);
      addNewHost(ctx, cr, name, args.addConnected !== false);
      return cr.self;
    },
  });
}

function requireOwnPool(ctx: CallContext, cluster: ClusterComputeResource, ref: MoRef): ResourcePool {
  const pool = ctx.vc.registry.require<ResourcePool>(ref);
  if (pool.owner?.value !== cluster.self.value) throw faults.invalidArgument('resourcePool');
  return pool;
}

// --- moving hosts in ---------------------------------------------------------------------------

/**
 * Moves hosts of the same datacenter into the cluster: a host of another cluster must be in
 * maintenance mode; a standalone host's compute resource (and its pools) goes away. Its VMs come
 * along, into `pool` (the cluster's root pool by default). Everything is checked before anything moves.
 */
export function moveHostsTask(ctx: CallContext, cluster: ClusterComputeResource, method: string, hosts: MoRef[], pool?: MoRef): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method,
    descriptionId: `ClusterComputeResource.${method === 'MoveInto_Task' ? 'moveInto' : 'moveHostInto'}`,
    entity: cluster,
    run: () => {
      const { registry } = ctx.vc;
      const target = pool ? requireOwnPool(ctx, cluster, pool) : registry.require<ResourcePool>(cluster.resourcePool!);
      const moving = (hosts ?? []).map((ref) => registry.require<HostSystem>(ref));
      for (const host of moving) checkMove(ctx, cluster, host);
      for (const host of moving) moveHost(ctx, cluster, host, target);
      return undefined;
    },
  });
}

function checkMove(ctx: CallContext, cluster: ClusterComputeResource, host: HostSystem): void {
  const { registry } = ctx.vc;
  if (host.parent?.value === cluster.self.value) throw faults.invalidArgument('host');
  if (datacenterOf(registry, host)?.value !== datacenterOf(registry, cluster)?.value) throw faults.invalidArgument('host');
  const from = registry.get(host.parent!);
  if (from instanceof ClusterComputeResource && host.runtime.inMaintenanceMode !== true) {
    throw new VimFault('InvalidState', {}, `The host ${host.name} must be in maintenance mode to leave its cluster.`);
  }
}

function moveHost(ctx: CallContext, cluster: ComputeResource, host: HostSystem, pool: ResourcePool): void {
  const { registry } = ctx.vc;
  const from = registry.require<ComputeResource>(host.parent!);
  for (const vm of host.vm.map((ref) => registry.get(ref) as VirtualMachine | undefined)) {
    if (!vm) continue;
    const old = vm.resourcePool && (registry.get(vm.resourcePool) as ResourcePool | undefined);
    if (old) removeRef(old.vm, vm.self);
    vm.resourcePool = pool.self;
    vm.environmentBrowser = cluster.environmentBrowser!;
    addRef(pool.vm, vm.self);
    registry.changed(vm);
  }
  host.leaveComputeResource(ctx);
  host.parent = cluster.self;
  addRef(cluster.host, host.self);
  for (const ref of host.datastore) addRef(cluster.datastore, ref);
  for (const ref of host.network) addRef(cluster.network, ref);
  cluster.refreshSummary(registry);
  registry.structureChanged(host);
  registry.changed(pool);
  if (!(from instanceof ClusterComputeResource)) from.destroy(ctx); // the standalone compute resource, now without its host
}

/**
 * A host of a cluster moved into a host folder (MoveIntoFolder_Task) becomes a standalone host:
 * in maintenance mode, it leaves the cluster with its VMs for a new compute resource of its name.
 */
export function checkHostToFolder(ctx: CallContext, folder: Folder, host: HostSystem): void {
  const from = ctx.vc.registry.get(host.parent!);
  if (!(from instanceof ClusterComputeResource)) throw faults.invalidArgument('list');
  if (datacenterOf(ctx.vc.registry, host)?.value !== datacenterOf(ctx.vc.registry, folder)?.value) throw faults.invalidArgument('list');
  if (host.runtime.inMaintenanceMode !== true) throw new VimFault('InvalidState', {}, `The host ${host.name} must be in maintenance mode to leave its cluster.`);
  checkChildName(ctx.vc.registry, folder.childEntity, host.name, host.self);
}

export function hostToFolder(ctx: CallContext, folder: Folder, host: HostSystem): void {
  const { registry } = ctx.vc;
  const browser = registry.addNew(new EnvironmentBrowser(), 'EnvironmentBrowser', 'envbrowser');
  const pool = registry.addNew(new ResourcePool(), 'ResourcePool', 'resgroup');
  const cr = registry.addNew(new ComputeResource(), 'ComputeResource', 'computeresource');
  cr.name = host.name;
  equip(ctx, cr, browser, pool);
  folder.addChild(cr);
  registry.structureChanged(folder);
  moveHost(ctx, cr, host, pool);
}

// --- DRS answers -------------------------------------------------------------------------------

/** The cluster's hosts that can run VMs. */
function effectiveHosts(ctx: CallContext, cluster: ClusterComputeResource): HostSystem[] {
  return cluster.hosts(ctx.vc.registry).filter((h) => h.isEffective());
}

/** PlaceVm: one recommendation for a create, clone or relocate: the least-loaded host (of those asked) and a datastore it has. */
export function placeVm(ctx: CallContext, cluster: ClusterComputeResource, spec: DataObject): DataObject {
  const type = spec?.placementType as string | undefined;
  if (!type || !['create', 'clone', 'relocate', 'reconfigure'].includes(type)) throw faults.invalidArgument('placementSpec.placementType');
  const wanted = (spec.hosts as MoRef[] | undefined)?.map((r) => r.value);
  const hosts = effectiveHosts(ctx, cluster).filter((h) => !wanted?.length || wanted.includes(h.self.value));
  const host = leastLoaded(ctx, hosts);
  if (!host) throw new VimFault('InvalidState', {}, `The cluster ${cluster.name} has no host to place a virtual machine on.`);
  const wantedDs = (spec.datastores as MoRef[] | undefined)?.map((r) => r.value);
  const datastore = host.datastore.find((ds) => !wantedDs?.length || wantedDs.includes(ds.value));
  const relocateSpec: DataObject = { _type: 'VirtualMachineRelocateSpec', host: host.self, pool: cluster.resourcePool, datastore };
  return {
    recommendations: [
      {
        key: '1',
        type: 'V1',
        time: ctx.vc.now(),
        rating: 1,
        reason: 'xvmotionPlacement',
        reasonText: 'xvmotionPlacement',
        target: cluster.self,
        action: [{ _type: 'PlacementAction', target: host.self, vm: spec.vm, targetHost: host.self, relocateSpec }],
      },
    ],
  };
}

/** RecommendHostsForVm: the cluster's effective hosts, least loaded first, rated 5 down to 1. */
export function recommendHosts(ctx: CallContext, cluster: ClusterComputeResource, vm: MoRef, pool?: MoRef): DataObject[] {
  ctx.vc.registry.require(vm);
  if (pool) requireOwnPool(ctx, cluster, pool);
  const ranked = [...effectiveHosts(ctx, cluster)].sort((a, b) => poweredOnCount(ctx, a) - poweredOnCount(ctx, b));
  return ranked.map((host, i) => ({ host: host.self, rating: Math.max(1, 5 - i) }));
}

/** GetResourceUsage: the cluster's capacity and what its powered-on VMs use of it. */
export function resourceUsage(ctx: CallContext, cluster: ClusterComputeResource): DataObject {
  const { registry } = ctx.vc;
  const summary = cluster.summary as Record<string, number>;
  let cpuUsed = 0;
  let memUsed = 0;
  for (const host of cluster.hosts(registry)) {
    for (const ref of host.vm) {
      const vm = registry.get(ref) as VirtualMachine | undefined;
      if (vm?.powerState !== 'poweredOn') continue;
      const stats = (vm.summary.quickStats as Record<string, number> | undefined) ?? {};
      cpuUsed += stats.overallCpuUsage ?? 0;
      memUsed += stats.hostMemoryUsage ?? 0;
    }
  }
  const storage = cluster.datastore.map((ref) => registry.get(ref) as ManagedEntity & { summary: Record<string, number> } | undefined);
  const capacity = storage.reduce((n, ds) => n + (ds?.summary.capacity ?? 0), 0);
  const free = storage.reduce((n, ds) => n + (ds?.summary.freeSpace ?? 0), 0);
  return {
    cpuUsedMHz: cpuUsed,
    cpuCapacityMHz: summary.totalCpu ?? 0,
    memUsedMB: memUsed,
    memCapacityMB: Math.floor((summary.totalMemory ?? 0) / (1024 * 1024)),
    pMemAvailableMB: 0,
    pMemCapacityMB: 0,
    storageUsedMB: Math.floor((capacity - free) / (1024 * 1024)),
    storageCapacityMB: Math.floor(capacity / (1024 * 1024)),
  };
}
