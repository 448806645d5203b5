/**
 * Builds the inventory of a topology into a world's registry.
 *
 * The VPX model is built in the order vcsim's model builder creates objects, and every object
 * (tasks included) that vcsim registers takes an id from the registry's shared counter here
 * too, so that the same topology gives the same moref ids as vcsim: DC0 is datacenter-2,
 * DC0_H0 host-21, DC0_C0 clustercomputeresource-27, DC0_H0_VM0 vm-57.
 */
import { CustomizationSpecManager } from '../admin/customization-spec-manager.js';
import { VCENTER_NEW_OPTION_PREFIX, vcenterSettings } from '../admin/vcenter-settings.js';
import { OptionManager } from '../host/option-manager.js';
import { LicenseAssignmentManager } from '../admin/license-assignment-manager.js';
import { ClusterComputeResource } from '../cluster/cluster-compute-resource.js';
import { addHostCapacity, ComputeResource } from '../cluster/compute-resource.js';
import { EnvironmentBrowser } from '../cluster/environment-browser.js';
import { Datacenter } from '../core/datacenter.js';
import { Datastore } from '../storage/datastore.js';
import { DistributedVirtualPortgroup } from '../network/distributed-virtual-portgroup.js';
import { VmwareDistributedVirtualSwitch } from '../network/distributed-virtual-switch.js';
import { addDatacenterFolders, Folder, StoragePod } from '../core/folder.js';
import { initHost, mountDatastore, registerHostManagers } from '../host/host-factory.js';
import { HostSystem } from '../host/host-system.js';
import { addRef } from '../core/managed-entity.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { TaskManager } from '../core/task-manager.js';
import { MoRef, type DataObject } from '../core/moref.js';
import { Network } from '../network/network.js';
import type { Registry } from '../core/registry.js';
import { childAllocation, ResourcePool, rootAllocation, vAppConfigInfo, VirtualApp } from '../cluster/resource-pool.js';
import type { World } from '../core/world.js';
import { VirtualMachine } from '../vm/virtual-machine.js';
import { ValueGenerator } from './generator.js';
import * as host from './host-data.js';
import { applyOverrides } from './overrides.js';
import { StartEvents } from './start-events.js';
import { VCENTER_ABOUT } from './service-content.js';
import { datacenterSchema, type ClusterSpec, type DatacenterSpec, type HostSpec, type Topology } from './topology.js';
import { VM_COMMITTED_BYTES, vmFiles, vmProperties, type VmNic } from './vm-data.js';

/** Times of the model's past (host boots, VM creation): fixed, so that inventories are reproducible. */
export const BASE_TIME = Date.parse('2024-01-01T00:00:00.000Z');
const at = (offsetMs: number) => new Date(BASE_TIME + offsetMs);
const HOST_BOOT = 0;
const VM_CREATED = 3_600_000;
const VM_BOOTED = VM_CREATED + 60_000;

const DATASTORE_CAPACITY = 1024 ** 4;
/** vcsim's ESX host keeps the hardware UUID of the machine its template was captured from. */
const ESX_HOST_UUID = '564d2f12-8041-639b-5018-05a835b72eaf';

/** Where a datacenter's children go: its own folders, or the sub-folders of a `folder` datacenter. */
interface DcFolders {
  vm: Folder;
  host: Folder;
  datastore: Folder;
  network: Folder;
}

interface DcContext {
  index: number;
  name: string;
  spec: DatacenterSpec;
  dc: Datacenter;
  folders: DcFolders;
  vmNetwork: Network;
  dvs?: VmwareDistributedVirtualSwitch;
  /** The portgroup VM NICs connect to: the first DVPG, or 'VM Network' without a switch. */
  vmPortgroup?: DistributedVirtualPortgroup;
  hosts: HostSystem[];
  datastores: Datastore[];
}

/** Where and how to create one VM. */
interface VmPlacement {
  name: string;
  pool: ResourcePool;
  /** Absent for cluster pools: a host of the cluster is picked, as vcsim does. */
  host?: HostSystem;
  candidates: HostSystem[];
}

export function buildInventory(vc: World): void {
  new InventoryBuilder(vc).build();
}

class InventoryBuilder {
  private readonly registry: Registry;
  private readonly topology: Topology;
  private readonly gen: ValueGenerator;
  /** VMs are created last, after every datastore, as vcsim does. */
  private readonly pendingVms: { ctx: DcContext; placement: VmPlacement }[] = [];
  private readonly events: StartEvents;
  private readonly taskManager: TaskManager;
  /** The context of what the build does as vcsim's builder would through the API: no session. */
  private readonly pastContext: CallContext;

  constructor(private readonly vc: World) {
    this.registry = vc.registry;
    this.topology = vc.options.topology;
    this.gen = new ValueGenerator(vc.options.seed);
    this.events = new StartEvents(vc);
    this.taskManager = vc.tasks;
    this.pastContext = { vc };
  }

  build(): void {
    const root = this.rootFolder();
    if (this.topology.model === 'ESX') this.buildEsx(root);
    else this.buildVpx(root);
    applyOverrides(this.registry, root, this.topology.overrides);
  }

  // --- registry helpers ---------------------------------------------------------------------

  /**
   * vcsim builds through the API, a task for each step: the task's id comes first (so later ids
   * match vcsim's), the finished task is recorded once its entity exists. Returns its event chain.
   */
  private taskId(): string {
    return this.registry.newId('task');
  }

  private pastTask(id: string, method: string, descriptionId: string, entity: ManagedObject & { name?: string }, time: Date, result?: MoRef): number {
    return this.taskManager.addPastTask(this.pastContext, id, { method, descriptionId, entity, at: time, result });
  }

  /** A managed object with no behaviour of its own yet (host managers, datastore browsers). */
  private plain(type: string, prefix: string, properties: DataObject): ManagedObject {
    return this.registry.addNew(Object.assign(new ManagedObject(), properties), type, prefix);
  }

  /** The root folder replaces the placeholder VCenter registered for ServiceContent.rootFolder. */
  private rootFolder(): Folder {
    const ref = this.vc.rootFolder;
    this.registry.remove(ref);
    const root = this.registry.add(new Folder(), ref.type, ref.value);
    const vpx = this.topology.model === 'VPX';
    root.name = vpx ? 'Datacenters' : 'ha-folder-root';
    root.childType = vpx ? ['Folder', 'Datacenter'] : ['Datacenter'];
    const principals: [string, boolean][] = vpx
      ? [['VSPHERE.LOCAL\\Administrator', false], ['VSPHERE.LOCAL\\Administrators', true]]
      : [['vpxuser', false], ['dcui', false], ['root', false]];
    root.permission = principals.map(([principal, group]) => ({ entity: ref, principal, group, roleId: -1, propagate: true }));
    return root;
  }

  // --- VPX ----------------------------------------------------------------------------------

  private buildVpx(root: Folder): void {
    this.licenseAssignmentManager();
    this.vcenterSettings();
    this.registry.require<CustomizationSpecManager>(this.vc.content.customizationSpecManager as MoRef).seed(new Date(BASE_TIME));
    const contexts = this.topology.datacenters.map((spec, index) => this.buildDatacenter(root, spec, index));
    for (const ctx of contexts) this.createDatastores(ctx);
    this.createPendingVms();
  }

  /** ServiceContent.setting: vCenter's advanced settings, new keys only under config. */
  private vcenterSettings(): void {
    const settings = this.registry.require<OptionManager>(this.vc.content.setting as MoRef);
    settings.setting = vcenterSettings as DataObject[];
    settings.newOptionPrefix = VCENTER_NEW_OPTION_PREFIX;
  }

  /** vcsim's LicenseManager registers its assignment manager first: it takes id 1. */
  private licenseAssignmentManager(): void {
    const manager = this.registry.addNew(new LicenseAssignmentManager(), 'LicenseAssignmentManager', 'licenseassignmentmanager');
    const licenseManager = this.vc.content.licenseManager;
    const owner = licenseManager instanceof MoRef ? (this.registry.get(licenseManager) as unknown as DataObject | undefined) : undefined;
    if (owner && owner.licenseAssignmentManager === undefined) owner.licenseAssignmentManager = manager.self;
  }

  private buildDatacenter(root: Folder, spec: DatacenterSpec, index: number): DcContext {
    const name = spec.name ?? `DC${index}`;
    const parent = spec.folder ? this.rootSubfolder(root, spec.folder) : root;
    const dc = this.registry.addNew(new Datacenter(), 'Datacenter', 'datacenter');
    dc.name = name;
    parent.addChild(dc);
    const folders = this.datacenterFolders(dc);
    this.events.datacenterCreated(dc, parent, at(HOST_BOOT));
    const vmNetwork = this.vmNetwork(dc, folders.network);
    this.createPods(name, spec.pods, folders.datastore);
    const ctx: DcContext = { index, name, spec, dc, folders, vmNetwork, hosts: [], datastores: [] };
    if (spec.folder) ctx.folders = this.subfolders(folders, spec.folder);
    this.createSwitch(ctx);
    this.createOpaqueNetworks(ctx);
    spec.hosts.forEach((hostSpec, i) => this.createStandaloneHost(ctx, hostSpec, i));
    spec.clusters.forEach((clusterSpec, i) => this.createCluster(ctx, clusterSpec, i));
    return ctx;
  }

  private rootSubfolder(root: Folder, name: string): Folder {
    const existing = root.childEntity.map((ref) => this.registry.get(ref)).find((f) => f instanceof Folder && f.name === name);
    if (existing) return existing as Folder;
    return this.folder(root, name, root.childType);
  }

  private folder(parent: Folder | Datacenter, name: string, childType: string[]): Folder {
    const folder = this.registry.addNew(new Folder(), 'Folder', 'folder');
    folder.name = name;
    folder.childType = [...childType];
    if (parent instanceof Folder) parent.addChild(folder);
    else folder.parent = parent.self;
    return folder;
  }

  private datacenterFolders(dc: Datacenter): DcFolders {
    return addDatacenterFolders(this.registry, dc);
  }

  /** vcsim's -folder: a sub-folder of the same name in each datacenter folder holds the datacenter's children. */
  private subfolders(top: DcFolders, name: string): DcFolders {
    const sub = (parent: Folder) => this.folder(parent, name, parent.childType);
    const datastore = sub(top.datastore);
    const host = sub(top.host);
    const network = sub(top.network);
    const vm = sub(top.vm);
    return { vm, host, datastore, network };
  }

  private vmNetwork(dc: Datacenter, folder: Folder): Network {
    const network = this.registry.addNew(new Network(), 'Network', 'network');
    network.name = 'VM Network';
    network.initSummary();
    folder.addChild(network);
    addRef(dc.network, network.self);
    return network;
  }

  private createPods(dcName: string, count: number, folder: Folder): void {
    for (let i = 0; i < count; i++) {
      const pod = this.registry.addNew(new StoragePod(), 'StoragePod', 'storagepod');
      pod.name = `${dcName}_POD${i}`;
      pod.childType = ['Datastore'];
      pod.summary = { name: pod.name, capacity: 0, freeSpace: 0 };
      folder.addChild(pod);
    }
  }

  // --- distributed switch -------------------------------------------------------------------

  private createSwitch(ctx: DcContext): void {
    const { spec } = ctx;
    if (spec.portgroups + spec.nsxPortgroups === 0) return;
    const task = this.taskId();
    const dvs = this.registry.addNew(new VmwareDistributedVirtualSwitch(), 'VmwareDistributedVirtualSwitch', 'dvs');
    // vcsim derives the switch UUID from its name alone; other datacenters' DVS0 must differ.
    const uuid = this.gen.uuid(ctx.index === 0 ? 'DVS0' : `${ctx.name}/DVS0`);
    dvs.configure('DVS0', uuid, VCENTER_ABOUT, at(HOST_BOOT));
    ctx.folders.network.addChild(dvs);
    ctx.dvs = dvs;
    this.pastTask(task, 'CreateDVS_Task', 'Folder.createDistributedVirtualSwitch', ctx.folders.network, at(HOST_BOOT), dvs.self);
    this.events.dvsCreated(dvs, ctx.folders.network, at(HOST_BOOT));
    this.createPortgroup(ctx, `DVS0-DVUplinks-${dvs.self.value.replace(/^dvs-/, '')}`, { uplink: true });
    for (let i = 0; i < spec.portgroups; i++) {
      const pg = this.createPortgroup(ctx, `${ctx.name}_DVPG${i}`, {});
      ctx.vmPortgroup ??= pg;
    }
    for (let i = 0; i < spec.nsxPortgroups; i++) {
      const name = `${ctx.name}_NSXPG${i}`;
      this.createPortgroup(ctx, name, { logicalSwitchUuid: this.gen.uuid(`${ctx.name}/${name}`) });
    }
  }

  private createPortgroup(ctx: DcContext, name: string, kind: { uplink?: boolean; logicalSwitchUuid?: string }): DistributedVirtualPortgroup {
    const dvs = ctx.dvs!;
    const task = this.taskId();
    const pg = this.registry.addNew(new DistributedVirtualPortgroup(), 'DistributedVirtualPortgroup', 'dvportgroup');
    this.pastTask(task, 'AddDVPortgroup_Task', 'DistributedVirtualSwitch.addPortgroups', dvs, at(HOST_BOOT));
    pg.name = name;
    pg.configure(dvs.self, kind);
    ctx.folders.network.addChild(pg);
    addRef(ctx.dc.network, pg.self);
    dvs.addPortgroup(pg.self, name, kind.uplink ?? false);
    this.events.portgroupCreated(dvs, pg, at(HOST_BOOT));
    return pg;
  }

  /** vcsim -nsx: opaque networks (nsx.LogicalSwitch) in the network folder, joined by no host. */
  private createOpaqueNetworks(ctx: DcContext): void {
    for (let i = 0; i < ctx.spec.opaqueNetworks; i++) {
      const network = this.registry.addNew(new Network(), 'OpaqueNetwork', 'opaquenetwork');
      network.name = `${ctx.name}_NSX${i}`;
      const opaqueNetworkId = this.gen.uuid(`${ctx.name}/${network.name}`);
      network.summary = { _type: 'OpaqueNetworkSummary', network: network.self, name: network.name, accessible: true, opaqueNetworkId, opaqueNetworkType: 'nsx.LogicalSwitch' };
      ctx.folders.network.addChild(network);
    }
  }

  /** Joins a new host to the datacenter's networks: 'VM Network' and, through the switch, every portgroup. */
  private connectHost(ctx: DcContext, hostSystem: HostSystem, cr: ComputeResource): void {
    this.linkNetwork(ctx.vmNetwork, hostSystem, cr);
    if (!ctx.dvs) return;
    this.pastTask(this.taskId(), 'ReconfigureDvs_Task', 'DistributedVirtualSwitch.reconfigure', ctx.dvs, at(HOST_BOOT));
    ctx.dvs.addHost(hostSystem.self);
    this.events.hostJoined(ctx.dvs, hostSystem, at(HOST_BOOT));
    for (const ref of ctx.dvs.portgroup) this.linkNetwork(this.registry.require<Network>(ref), hostSystem, cr);
  }

  private linkNetwork(network: Network, hostSystem: HostSystem, cr: ComputeResource): void {
    addRef(network.host, hostSystem.self);
    addRef(hostSystem.network, network.self);
    addRef(cr.network, network.self);
  }

  // --- hosts --------------------------------------------------------------------------------

  private createStandaloneHost(ctx: DcContext, spec: HostSpec, index: number): void {
    const name = spec.name ?? `${ctx.name}_H${index}`;
    this.pastTask(this.taskId(), 'AddStandaloneHost_Task', 'Folder.addStandaloneHost', ctx.folders.host, at(HOST_BOOT));
    const managers = this.hostManagers();
    const environmentBrowser = this.registry.addNew(new EnvironmentBrowser(), 'EnvironmentBrowser', 'envbrowser').self;
    const hostSystem = this.registry.addNew(new HostSystem(), 'HostSystem', 'host');
    const pool = this.registry.addNew(new ResourcePool(), 'ResourcePool', 'resgroup');
    const cr = this.registry.addNew(new ComputeResource(), 'ComputeResource', 'computeresource');
    cr.name = name;
    cr.environmentBrowser = environmentBrowser;
    this.initHost(hostSystem, name, this.gen.uuid(name), managers);
    this.attachHost(cr, hostSystem);
    this.attachRootPool(cr, pool);
    ctx.folders.host.addChild(cr);
    ctx.hosts.push(hostSystem);
    this.connectHost(ctx, hostSystem, cr);
    this.queueVms(ctx, name, spec.vms, pool, [hostSystem], hostSystem);
  }

  private createCluster(ctx: DcContext, spec: ClusterSpec, index: number): void {
    const name = spec.name ?? `${ctx.name}_C${index}`;
    const environmentBrowser = this.registry.addNew(new EnvironmentBrowser(), 'EnvironmentBrowser', 'envbrowser').self;
    const pool = this.registry.addNew(new ResourcePool(), 'ResourcePool', 'resgroup');
    const cluster = this.registry.addNew(new ClusterComputeResource(), 'ClusterComputeResource', 'clustercomputeresource');
    cluster.name = name;
    cluster.environmentBrowser = environmentBrowser;
    this.attachRootPool(cluster, pool);
    ctx.folders.host.addChild(cluster);
    const hostNames = spec.hostNames ?? Array.from({ length: spec.hosts }, (_, i) => `${name}_H${i}`);
    const hosts = hostNames.map((hostName) => this.createClusterHost(ctx, cluster, hostName));
    // As vcsim 0.38: the VMs go into the root pool, or with child pools into each of those.
    if (spec.pools === 0) this.queueVms(ctx, `${name}_RP0`, spec.vms, pool, hosts);
    for (let i = 1; i <= spec.pools; i++) {
      const child = this.childPool(cluster, pool, `${name}_RP${i}`);
      this.queueVms(ctx, child.name, spec.vms, child, hosts);
    }
    for (let i = 0; i < spec.apps; i++) {
      const app = this.vApp(ctx, cluster, pool, `${name}_APP${i}`);
      this.queueVms(ctx, app.name, spec.vms, app, hosts);
    }
  }

  private createClusterHost(ctx: DcContext, cluster: ClusterComputeResource, name: string): HostSystem {
    this.pastTask(this.taskId(), 'AddHost_Task', 'ClusterComputeResource.addHost', cluster, at(HOST_BOOT));
    const managers = this.hostManagers();
    const hostSystem = this.registry.addNew(new HostSystem(), 'HostSystem', 'host');
    this.initHost(hostSystem, name, this.gen.uuid(name), managers);
    this.attachHost(cluster, hostSystem);
    ctx.hosts.push(hostSystem);
    this.connectHost(ctx, hostSystem, cluster);
    return hostSystem;
  }

  private hostManagers(): host.HostManagers {
    return registerHostManagers(this.registry);
  }

  private initHost(hostSystem: HostSystem, name: string, uuid: string, managers: host.HostManagers): void {
    const macs: [string, string] = [this.gen.mac(uuid, 0), this.gen.mac(uuid, 1)];
    initHost(this.registry, hostSystem, { name, uuid, macs, bootTime: at(HOST_BOOT), esx: this.topology.model === 'ESX' }, managers);
  }

  private attachHost(cr: ComputeResource, hostSystem: HostSystem): void {
    addRef(cr.host, hostSystem.self);
    hostSystem.parent = cr.self;
    addHostCapacity(cr.summary, hostSystem.summary.hardware as DataObject);
    if (cr instanceof ClusterComputeResource) {
      const usage = cr.summary.usageSummary as Record<string, number>;
      usage.totalCpuCapacityMhz = cr.summary.totalCpu as number;
      usage.totalMemCapacityMB = cr.summary.effectiveMemory as number;
    }
  }

  private attachRootPool(cr: ComputeResource, pool: ResourcePool): void {
    pool.configure('Resources', rootAllocation('cpu'), rootAllocation('memory'));
    pool.owner = cr.self;
    pool.parent = cr.self;
    cr.resourcePool = pool.self;
  }

  private childPool(cr: ComputeResource, parent: ResourcePool, name: string): ResourcePool {
    const pool = this.registry.addNew(new ResourcePool(), 'ResourcePool', 'resgroup');
    this.linkChildPool(cr, parent, pool, name);
    return pool;
  }

  private linkChildPool(cr: ComputeResource, parent: ResourcePool, pool: ResourcePool, name: string): void {
    pool.configure(name, childAllocation('cpu'), childAllocation('memory'));
    pool.owner = cr.self;
    pool.parent = parent.self;
    addRef(parent.resourcePool, pool.self);
  }

  private vApp(ctx: DcContext, cr: ComputeResource, parent: ResourcePool, name: string): VirtualApp {
    const app = this.registry.addNew(new VirtualApp(), 'VirtualApp', 'virtualapp');
    this.linkChildPool(cr, parent, app, name);
    app.parentFolder = ctx.folders.vm.self;
    const product = { key: 0, classId: '', instanceId: '', name: 'vcsim', vendor: 'VMware', version: '0.1', fullVersion: '', vendorUrl: 'http://www.vmware.com/', productUrl: '', appUrl: '' };
    app.vAppConfig = vAppConfigInfo('vcsim', this.gen.uuid(`${ctx.name}/${name}`), [product]);
    return app;
  }

  // --- datastores ---------------------------------------------------------------------------

  /**
   * Every datastore of a datacenter is mounted on every host of it, one datastore browser per
   * mount, as vcsim; like vcsim's, a datacenter without hosts gets no datastore.
   */
  private createDatastores(ctx: DcContext): void {
    if (ctx.hosts.length === 0) return;
    for (let i = 0; i < ctx.spec.datastores; i++) {
      const ds = this.localDatastore(ctx, `LocalDS_${i}`);
      for (const hostSystem of ctx.hosts) this.mount(ds, hostSystem);
    }
  }

  private localDatastore(ctx: DcContext, name: string): Datastore {
    const folder = ctx.folders.datastore;
    // vcsim names a local datastore `<path>@<folder id>`; ours has no host path, so the name stands for it.
    const ds = this.registry.add(new Datastore(), 'Datastore', `${name}@${folder.self.value}`);
    const volume = vmfsId(this.gen.uuid(`${ctx.name}/${name}`));
    const url = `ds:///vmfs/volumes/${volume}/`;
    ds.name = name;
    ds.info = {
      _type: 'LocalDatastoreInfo',
      name,
      url,
      freeSpace: DATASTORE_CAPACITY,
      maxFileSize: 62 * 1024 ** 4,
      maxVirtualDiskCapacity: 62 * 1024 ** 4,
      maxMemoryFileSize: 62 * 1024 ** 4,
      timestamp: at(HOST_BOOT),
      path: `/vmfs/volumes/${volume}`,
    };
    ds.summary = {
      datastore: ds.self,
      name,
      url,
      capacity: DATASTORE_CAPACITY,
      freeSpace: DATASTORE_CAPACITY,
      uncommitted: 0,
      accessible: true,
      multipleHostAccess: ctx.hosts.length > 1,
      type: 'OTHER',
      maintenanceMode: 'normal',
    };
    folder.addChild(ds);
    addRef(ctx.dc.datastore, ds.self);
    ctx.datastores.push(ds);
    return ds;
  }

  private mount(ds: Datastore, hostSystem: HostSystem): void {
    mountDatastore(this.registry, ds, hostSystem);
  }

  // --- virtual machines ---------------------------------------------------------------------

  private queueVms(ctx: DcContext, prefix: string, count: number, pool: ResourcePool, candidates: HostSystem[], hostSystem?: HostSystem): void {
    for (let i = 0; i < count; i++) {
      this.pendingVms.push({ ctx, placement: { name: `${prefix}_VM${i}`, pool, host: hostSystem, candidates } });
    }
  }

  private createPendingVms(): void {
    for (const { ctx, placement } of this.pendingVms) this.createVm(ctx, placement);
  }

  /** A VM needs a datastore and a host; vcsim would fail to build without them, we leave the VM out. */
  private createVm(ctx: DcContext, placement: VmPlacement): void {
    const ds = ctx.datastores[0];
    if (!ds || placement.candidates.length === 0) return;
    const createTask = this.taskId();
    const vm = this.registry.addNew(new VirtualMachine(), 'VirtualMachine', 'vm');
    const hostSystem = placement.host ?? this.gen.pick(placement.candidates);
    const cr = this.registry.require<ComputeResource>(hostSystem.parent!);
    const files = vmFiles(ds.name, placement.name);
    const uuid = this.gen.uuid(files.vmx);
    const nic = this.vmNic(ctx, this.gen.mac(uuid));
    vm.name = placement.name;
    Object.assign(
      vm,
      vmProperties({
        self: vm.self,
        name: placement.name,
        uuid,
        instanceUuid: this.gen.uuid(files.vmx.toUpperCase()),
        datastore: { ref: ds.self, name: ds.name, url: (ds.info as { url: string }).url },
        host: hostSystem.self,
        hostCpuMhz: host.HOST_CPU_MHZ,
        nic,
        ip: this.gen.ipv4(uuid),
        diskUuid: diskUuid(uuid),
        createTime: at(VM_CREATED),
        bootTime: at(VM_BOOTED),
        cpuUsageMhz: this.gen.fromUuid(uuid, 0, 10, 200),
        memoryUsageMB: this.gen.fromUuid(uuid, 1, 4, 28),
      }),
    );
    vm.environmentBrowser = cr.environmentBrowser!;
    vm.resourcePool = placement.pool.self;
    if (placement.pool instanceof VirtualApp) vm.parentVApp = placement.pool.self;
    this.linkVm(ctx, vm, placement.pool, hostSystem, ds, nic.network);
    const created = this.pastTask(createTask, 'CreateVM_Task', 'Folder.createVm', ctx.folders.vm, at(VM_CREATED), vm.self);
    const autostart = this.topology.autostart;
    if (!autostart) vm.setPowerState(this.pastContext, 'poweredOff');
    const poweredOn = autostart ? this.pastTask(this.taskId(), 'PowerOnVM_Task', 'VirtualMachine.powerOn', vm, at(VM_BOOTED)) : undefined;
    this.events.vmCreated(vm, hostSystem, ctx.dc, { created: at(VM_CREATED), createChain: created, booted: at(VM_BOOTED), powerOnChain: poweredOn });
  }

  private vmNic(ctx: DcContext, mac: string): VmNic {
    const pg = ctx.vmPortgroup;
    if (pg && ctx.dvs) {
      return {
        backing: { _type: 'VirtualEthernetCardDistributedVirtualPortBackingInfo', port: { switchUuid: ctx.dvs.uuid, portgroupKey: pg.key } },
        summary: `DVSwitch: ${ctx.dvs.uuid}`,
        network: pg.self,
        networkName: pg.name,
        mac,
      };
    }
    const network = ctx.vmNetwork;
    return {
      backing: { _type: 'VirtualEthernetCardNetworkBackingInfo', deviceName: network.name, useAutoDetect: false, network: network.self, inPassthroughMode: false },
      summary: network.name,
      network: network.self,
      networkName: network.name,
      mac,
    };
  }

  /** A new VM is in none of these lists yet: plain pushes keep building thousands of VMs linear. */
  private linkVm(ctx: DcContext, vm: VirtualMachine, pool: ResourcePool, hostSystem: HostSystem, ds: Datastore, network: MoRef): void {
    ctx.folders.vm.addChild(vm);
    pool.vm.push(vm.self);
    hostSystem.vm.push(vm.self);
    ds.vm.push(vm.self);
    this.registry.require<Network>(network).vm.push(vm.self);
    if (ctx.dvs) (ctx.dvs.summary as { vm: MoRef[] }).vm.push(vm.self);
    for (const capacity of [ds.summary, ds.info] as Record<string, number>[]) capacity.freeSpace! -= VM_COMMITTED_BYTES;
    const cr = this.registry.require<ComputeResource>(hostSystem.parent!);
    if (cr instanceof ClusterComputeResource) (cr.summary.usageSummary as Record<string, number>).totalVmCount! += 1;
  }

  // --- ESX ----------------------------------------------------------------------------------

  /** vcsim's ESX model: fixed ha-* ids for the datacenter, its folders, the host, its compute resource and pool. */
  private buildEsx(root: Folder): void {
    const spec = this.topology.datacenters[0] ?? datacenterSchema.parse({ hosts: [{}] });
    const dc = this.registry.add(new Datacenter(), 'Datacenter', 'ha-datacenter');
    dc.name = 'ha-datacenter';
    root.addChild(dc);
    const folders = this.esxFolders(dc);
    const vmNetwork = this.registry.add(new Network(), 'Network', 'HaNetwork-VM Network');
    vmNetwork.name = 'VM Network';
    vmNetwork.initSummary();
    folders.network.addChild(vmNetwork);
    addRef(dc.network, vmNetwork.self);
    const ctx: DcContext = { index: 0, name: dc.name, spec, dc, folders, vmNetwork, hosts: [], datastores: [] };
    const { hostSystem, pool } = this.esxHost(ctx);
    this.createDatastores(ctx);
    this.queueVms(ctx, 'ha-host', spec.hosts[0]?.vms ?? 2, pool, [hostSystem], hostSystem);
    this.createPendingVms();
  }

  private esxFolders(dc: Datacenter): DcFolders {
    const folder = (name: string, childType: string) => {
      const f = this.registry.add(new Folder(), 'Folder', `ha-folder-${name}`);
      f.name = name;
      f.childType = [childType];
      f.parent = dc.self;
      return f;
    };
    const folders = { vm: folder('vm', 'VirtualMachine'), host: folder('host', 'ComputeResource'), datastore: folder('datastore', 'Datastore'), network: folder('network', 'Network') };
    dc.vmFolder = folders.vm.self;
    dc.hostFolder = folders.host.self;
    dc.datastoreFolder = folders.datastore.self;
    dc.networkFolder = folders.network.self;
    return folders;
  }

  private esxHost(ctx: DcContext): { hostSystem: HostSystem; pool: ResourcePool } {
    const name = 'localhost.localdomain';
    const managers = this.hostManagers();
    const environmentBrowser = this.registry.addNew(new EnvironmentBrowser(), 'EnvironmentBrowser', 'envbrowser').self;
    const hostSystem = this.registry.add(new HostSystem(), 'HostSystem', 'ha-host');
    const cr = this.registry.add(new ComputeResource(), 'ComputeResource', 'ha-compute-res');
    const pool = this.registry.add(new ResourcePool(), 'ResourcePool', 'ha-root-pool');
    cr.name = name;
    cr.environmentBrowser = environmentBrowser;
    this.initHost(hostSystem, name, this.gen.seed === undefined ? ESX_HOST_UUID : this.gen.uuid(name), managers);
    this.attachHost(cr, hostSystem);
    this.attachRootPool(cr, pool);
    pool.disabledMethod = ['CreateVApp', 'CreateChildVM_Task'];
    ctx.folders.host.addChild(cr);
    ctx.hosts.push(hostSystem);
    this.linkNetwork(ctx.vmNetwork, hostSystem, cr);
    return { hostSystem, pool };
  }
}

/** A VMFS-style volume id (8-8-4-12 hex digits) from a UUID. */
function vmfsId(uuid: string): string {
  const hex = uuid.replace(/-/g, '');
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A virtual disk UUID as ESX assigns them, VMware's 6000C29 prefix on the rest of the VM's UUID. */
function diskUuid(uuid: string): string {
  const hex = `6000C29${uuid.replace(/-/g, '').slice(7)}`.toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

