/**
 * Creating and cloning VMs (Folder.CreateVM_Task, VirtualMachine.CloneVM_Task): where the new VM
 * goes, its files, devices and identity, and linking it into the inventory the way the builder
 * links its model VMs. All checks run before anything changes, so a fault leaves the inventory as it was.
 */
import { createHash } from 'node:crypto';
import { ClusterComputeResource } from '../cluster/cluster-compute-resource.js';
import type { ComputeResource } from '../cluster/compute-resource.js';
import type { Datacenter } from '../core/datacenter.js';
import type { Datastore } from '../storage/datastore.js';
import { entityArguments } from '../core/event-manager.js';
import { VimFault, faults } from '../core/fault.js';
import type { Folder } from '../core/folder.js';
import type { HostSystem } from '../host/host-system.js';
import { ValueGenerator } from '../inventory/generator.js';
import { FILE_SIZES, VM_MEMORY_MB, vmProperties } from '../inventory/vm-data.js';
import { addRef, datacenterOf, type ManagedEntity } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import { MoRef, cloneData, type DataObject } from '../core/moref.js';
import type { Network } from '../network/network.js';
import { ResourcePool, VirtualApp } from '../cluster/resource-pool.js';
import type { Task } from '../core/task.js';
import { VirtualMachine } from './virtual-machine.js';
import { VirtualMachineSnapshot } from './virtual-machine-snapshot.js';
import { applyConfigSpec, type ConfigSpec } from './vm-reconfigure.js';

/** The VirtualMachineConfigSpec fields CreateVM_Task reads besides what applyConfigSpec applies. */
export interface CreateConfigSpec extends ConfigSpec {
  guestId?: string;
  /** The hardware version (`vmx-19`); the model VM's when unset. */
  version?: string;
  /** `bios` or `efi`. */
  firmware?: string;
  uuid?: string;
  instanceUuid?: string;
  files?: { vmPathName?: string };
}

export interface CloneSpec {
  location?: { pool?: MoRef; host?: MoRef; datastore?: MoRef; folder?: MoRef; diskMoveType?: string };
  template?: boolean;
  powerOn?: boolean;
  config?: ConfigSpec;
  customization?: DataObject;
  snapshot?: MoRef;
}

/** Device types every new VM has, as vcsim's CreateVM gives them (controllers, input, video, VMCI). */
const DEFAULT_DEVICES = new Set([
  'VirtualIDEController',
  'VirtualPS2Controller',
  'VirtualPCIController',
  'VirtualSIOController',
  'VirtualKeyboard',
  'VirtualPointingDevice',
  'VirtualMachineVideoCard',
  'VirtualMachineVMCIDevice',
]);
/** Bytes of a VM's own files (vmx, nvram, log) on its datastore, besides its disks. */
const VM_FILES_BYTES = FILE_SIZES.vmx + FILE_SIZES.nvram + FILE_SIZES.log;

interface Placement {
  folder: Folder;
  pool?: ResourcePool;
  host: HostSystem;
  ds: Datastore;
  dc: Datacenter;
  /** `[ds] dir/name.vmx` */
  vmx: string;
  /** `[ds] dir` */
  dir: string;
}

// --- CreateVM_Task ----------------------------------------------------------------------------

export function createVmTask(ctx: CallContext, folder: Folder, args: { config: CreateConfigSpec; pool: MoRef; host?: MoRef }): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method: 'CreateVM_Task',
    descriptionId: 'Folder.createVm',
    entity: folder,
    run: (task) => createVm(ctx, folder, args, task).self,
  });
}

export function createVm(ctx: CallContext, folder: Folder, { config, pool, host }: { config: CreateConfigSpec; pool: MoRef; host?: MoRef }, task: Task): VirtualMachine {
  const { registry, types } = ctx.vc;
  if (!folder.childType.includes('VirtualMachine')) throw faults.notSupported();
  if (!config) throw faults.invalidArgument('config');
  const name = config.name ?? '';
  if (!pool) throw faults.invalidArgument('pool');
  const target = registry.require<ResourcePool>(pool);
  checkName(ctx, folder, name, target);
  const hostSystem = host ? registry.require<HostSystem>(host) : pickHost(ctx, target);
  const dc = requireDatacenter(ctx, folder);
  const { ds, vmx, dir } = vmLocation(ctx, dc, config.files?.vmPathName ?? '', name);
  const place: Placement = { folder, pool: target, host: hostSystem, ds, dc, vmx, dir };
  const gen = new ValueGenerator(ctx.vc.options.seed);
  const uuid = config.uuid ?? gen.uuid(vmx);
  const self = new MoRef('VirtualMachine', registry.newId('vm'));
  const props = baseProperties(ctx, self, name, uuid, config.instanceUuid ?? gen.uuid(vmx.toUpperCase()), place, gen);
  const vmConfig = props.config as DataObject;
  const hardware = vmConfig.hardware as DataObject;
  hardware.device = defaultDevices(hardware.device as DataObject[]);
  vmConfig.extraConfig = [];
  if (config.guestId) {
    vmConfig.guestId = config.guestId;
    vmConfig.guestFullName = config.guestId;
  }
  if (config.version) vmConfig.version = config.version;
  if (config.firmware) vmConfig.firmware = config.firmware;
  const spec = cloneData(config);
  nameNewDisks(types, spec, dir, name, ds);
  const summaryConfig = props.summaryConfig as DataObject;
  Object.assign(summaryConfig, { numVirtualDisks: 0, numEthernetCards: 0 });
  applySpec(types, { ...spec, name: undefined, numCPUs: spec.numCPUs ?? 1, memoryMB: spec.memoryMB ?? VM_MEMORY_MB }, vmConfig, summaryConfig, ds.name);
  const networks = resolveNics(ctx, dc, hardware.device as DataObject[]);
  checkSpace(ds, diskBytes(types, hardware.device as DataObject[], ds) + VM_FILES_BYTES);
  const vm = finish(ctx, props, place, networks);
  postVmEvent(ctx, vm, 'VmBeingCreatedEvent', `Creating ${name} on host ${place.host.name} in ${dc.name}`, task, { configSpec: { _type: 'VirtualMachineConfigSpec', ...config } });
  postVmEvent(ctx, vm, 'VmCreatedEvent', `Created virtual machine ${name} on ${place.host.name} in ${dc.name}`, task);
  return vm;
}

// --- CloneVM_Task -----------------------------------------------------------------------------

export function cloneVmTask(ctx: CallContext, source: VirtualMachine, args: { folder: MoRef; name: string; spec: CloneSpec }): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method: 'CloneVM_Task',
    descriptionId: 'VirtualMachine.clone',
    entity: source,
    started: (task) => {
      const folder = ctx.vc.registry.require<Folder>(args.folder);
      const destHost = args.spec?.location?.host ?? (source.runtime.host as MoRef | undefined);
      const hostEntity = destHost && (ctx.vc.registry.get(destHost) as ManagedEntity | undefined);
      postVmEvent(ctx, source, 'VmBeingClonedEvent', `Cloning ${source.name} to ${args.name}`, task, {
        destFolder: { _type: 'FolderEventArgument', folder: folder.self, name: folder.name },
        destName: args.name,
        destHost: { _type: 'HostEventArgument', host: hostEntity?.self ?? destHost, name: hostEntity?.name ?? '' },
      });
    },
    run: (task) => cloneVm(ctx, source, args, task).self,
  });
}

export function cloneVm(ctx: CallContext, source: VirtualMachine, { folder: folderRef, name, spec = {} }: { folder: MoRef; name: string; spec: CloneSpec }, task: Task): VirtualMachine {
  const { registry, types } = ctx.vc;
  if (!source.config) throw faults.invalidState(`${source.name} has no configuration`);
  const folder = registry.require<Folder>(folderRef);
  if (!folder.childType.includes('VirtualMachine')) throw faults.notSupported();
  const location = spec.location ?? {};
  const template = spec.template === true;
  const host = location.host ? registry.require<HostSystem>(location.host) : undefined;
  let pool = location.pool ? registry.require<ResourcePool>(location.pool) : undefined;
  if (!pool && !location.host && source.resourcePool) pool = registry.get(source.resourcePool) as ResourcePool | undefined;
  const sourceHost = source.runtime.host ? (registry.get(source.runtime.host as MoRef) as HostSystem | undefined) : undefined;
  if (!pool && !template) {
    const owner = host ?? sourceHost;
    const cr = owner?.parent && (registry.get(owner.parent) as ComputeResource | undefined);
    pool = cr?.resourcePool ? (registry.get(cr.resourcePool) as ResourcePool | undefined) : undefined;
    if (!pool) throw faults.invalidArgument('spec.location.pool');
  }
  checkName(ctx, folder, name, template ? undefined : pool);
  const hostSystem = host ?? (location.pool && pool ? pickHost(ctx, pool) : sourceHost);
  if (!hostSystem) throw faults.invalidArgument('spec.location.host');
  const ds = location.datastore
    ? registry.require<Datastore>(location.datastore)
    : (registry.get(source.datastore[0]!) as Datastore | undefined);
  if (!ds) throw faults.invalidArgument('spec.location.datastore');
  const from = spec.snapshot ? snapshotOf(ctx, source, spec.snapshot) : undefined;
  const dc = requireDatacenter(ctx, folder);
  const { vmx, dir } = vmLocation(ctx, dc, `[${ds.name}]`, name);
  const place: Placement = { folder, pool: template ? undefined : pool, host: hostSystem, ds, dc, vmx, dir };
  const gen = new ValueGenerator(ctx.vc.options.seed);
  const uuid = gen.uuid(vmx);
  const self = new MoRef('VirtualMachine', registry.newId('vm'));
  const props = baseProperties(ctx, self, name, uuid, gen.uuid(vmx.toUpperCase()), place, gen);
  const base = props.config as DataObject;
  const config = cloneData(from?.config ?? source.config);
  // The clone's identity and files are its own; the rest of the configuration is the source's.
  Object.assign(config, {
    name,
    uuid,
    instanceUuid: base.instanceUuid,
    files: base.files,
    createDate: base.createDate,
    modified: ctx.vc.now(),
    changeVersion: ctx.vc.now().toISOString(),
    template,
    datastoreUrl: base.datastoreUrl,
  });
  renameDevices(types, config, source.name, name, dir, ds, gen, uuid, location.diskMoveType === 'createNewChildDiskBacking');
  props.config = config;
  const summaryConfig = props.summaryConfig as DataObject;
  Object.assign(summaryConfig, {
    template,
    guestId: config.guestId,
    guestFullName: config.guestFullName,
    annotation: config.annotation,
    numCpu: (config.hardware as DataObject).numCPU,
    memorySizeMB: (config.hardware as DataObject).memoryMB,
  });
  if (spec.config) {
    const change = cloneData(spec.config);
    nameNewDisks(types, change, dir, name, ds);
    applySpec(types, { ...change, name: undefined }, config, summaryConfig, ds.name);
  }
  const devices = (config.hardware as DataObject).device as DataObject[];
  summaryConfig.numVirtualDisks = devices.filter((d) => types.isSubtypeOf(d._type as string, 'VirtualDisk')).length;
  summaryConfig.numEthernetCards = devices.filter((d) => types.isSubtypeOf(d._type as string, 'VirtualEthernetCard')).length;
  const networks = resolveNics(ctx, dc, devices);
  checkSpace(ds, diskBytes(types, devices, ds) + VM_FILES_BYTES);
  const vm = finish(ctx, props, place, networks);
  ctx.vc.dataSets.vmCloned(source.self.value, vm.self.value);
  if (spec.powerOn && !template) {
    vm.setPowerState(ctx, 'poweredOn');
    postVmEvent(ctx, vm, 'VmStartingEvent', `${name} is starting`, task);
    postVmEvent(ctx, vm, 'VmPoweredOnEvent', `${name} is powered on`, task);
  }
  postVmEvent(ctx, vm, 'VmClonedEvent', `${source.name} cloned to ${name}`, task, {
    sourceVm: { _type: 'VmEventArgument', vm: source.self, name: source.name },
  });
  return vm;
}

// --- shared -----------------------------------------------------------------------------------

/**
 * applyConfigSpec, one device change at a time, so that devices of the spec can name each other
 * by the temporary (negative) keys clients give them: a disk on the controller added before it.
 */
function applySpec(types: CallContext['vc']['types'], spec: ConfigSpec, config: DataObject, summary: DataObject, datastoreName: string): void {
  const { deviceChange, ...rest } = spec;
  applyConfigSpec(types, rest, config, summary, datastoreName);
  const keys = new Map<number, number>();
  const hardware = config.hardware as DataObject;
  for (const change of deviceChange ?? []) {
    const device = { ...change.device };
    if (typeof device.controllerKey === 'number' && keys.has(device.controllerKey)) device.controllerKey = keys.get(device.controllerKey);
    if ((change.operation ?? 'add') !== 'add' && typeof device.key === 'number' && keys.has(device.key)) device.key = keys.get(device.key);
    const before = new Set(((hardware.device as DataObject[]) ?? []).map((d) => d.key as number));
    applyConfigSpec(types, { deviceChange: [{ ...change, device }] }, config, summary, datastoreName);
    if ((change.operation ?? 'add') === 'add' && typeof change.device.key === 'number') {
      const added = (hardware.device as DataObject[]).find((d) => !before.has(d.key as number));
      if (added) keys.set(change.device.key, added.key as number);
    }
  }
}

/** `ref`, a snapshot of `vm` (CloneSpec.snapshot), or InvalidArgument. */
function snapshotOf(ctx: CallContext, vm: VirtualMachine, ref: MoRef): VirtualMachineSnapshot {
  const snapshot = ctx.vc.registry.get(ref);
  if (!(snapshot instanceof VirtualMachineSnapshot) || snapshot.vm.value !== vm.self.value) throw faults.invalidArgument('spec.snapshot');
  return snapshot;
}

/** A VM's name must be new among its siblings: the folder's children, or a vApp's VMs (they live in the vApp, whatever folder lists them). */
function checkName(ctx: CallContext, folder: Folder, name: string, pool?: ResourcePool): void {
  if (!name || name.length > 80) throw faults.invalidName(name ?? '', folder.self);
  for (const ref of pool instanceof VirtualApp ? pool.vm : folder.childEntity) {
    const child = ctx.vc.registry.get(ref) as ManagedEntity | undefined;
    if (child?.name === name) throw faults.duplicateName(name, child.self);
  }
}

function requireDatacenter(ctx: CallContext, folder: Folder): Datacenter {
  const ref = datacenterOf(ctx.vc.registry, folder);
  if (!ref) throw faults.notSupported();
  return ctx.vc.registry.require<Datacenter>(ref);
}

/** The host a VM placed in `pool` runs on: the owner's host with the fewest VMs. */
function pickHost(ctx: CallContext, pool: ResourcePool): HostSystem {
  const { registry } = ctx.vc;
  const owner = pool.owner && (registry.get(pool.owner) as ComputeResource | undefined);
  // As DRS places a new VM: never on a host in maintenance mode, in standby or not connected.
  const hosts = (owner?.host ?? []).map((ref) => registry.get(ref) as HostSystem | undefined).filter((h): h is HostSystem => !!h && h.isEffective());
  if (hosts.length === 0) throw new VimFault('InvalidState', {}, `The resource pool ${pool.name} has no host to run a virtual machine on.`);
  return hosts.reduce((best, h) => (h.vm.length < best.vm.length ? h : best));
}

/**
 * The datastore and .vmx path of `vmPathName`: `[ds]` alone puts the VM in `[ds] name/name.vmx`
 * (`name_1/`, `name_2/`, ... when that is taken, as vCenter picks), a directory in
 * `[ds] dir/name.vmx`, a full path stays (FileAlreadyExists if taken). The datastore must be the datacenter's.
 */
function vmLocation(ctx: CallContext, dc: Datacenter, vmPathName: string, name: string): { ds: Datastore; vmx: string; dir: string } {
  const match = /^\s*\[([^\]]+)\]\s*(.*)$/.exec(vmPathName);
  if (!match) throw new VimFault('InvalidDatastorePath', { datastorePath: vmPathName }, `Invalid datastore path '${vmPathName}'.`);
  const [, dsName, rest] = match as unknown as [string, string, string];
  const ds = dc.datastore.map((ref) => ctx.vc.registry.get(ref) as Datastore | undefined).find((d) => d?.name === dsName);
  if (!ds) throw new VimFault('InvalidDatastore', { name: dsName }, `Invalid datastore: ${dsName}`);
  const taken = new Set(ctx.vc.registry.ofType<VirtualMachine>('VirtualMachine').map((vm) => (vm.config?.files as DataObject | undefined)?.vmPathName));
  let path = rest.replace(/\/+$/, '');
  if (!path) {
    path = `${name}/${name}.vmx`;
    for (let n = 1; taken.has(`[${dsName}] ${path}`); n++) path = `${name}_${n}/${name}.vmx`;
  } else if (!path.endsWith('.vmx')) {
    path = `${path}/${name}.vmx`;
  }
  const vmx = `[${dsName}] ${path}`;
  if (taken.has(vmx)) throw new VimFault('FileAlreadyExists', { file: vmx }, `Cannot complete the operation because the file or folder ${vmx} already exists`);
  const slash = path.lastIndexOf('/');
  const dir = `[${dsName}] ${slash >= 0 ? path.slice(0, slash) : ''}`.trimEnd();
  return { ds, vmx, dir };
}

/** vmProperties for the new VM (identity, files, datastore, host), before its devices are settled. */
function baseProperties(ctx: CallContext, self: MoRef, name: string, uuid: string, instanceUuid: string, place: Placement, gen: ValueGenerator): DataObject {
  const now = ctx.vc.now();
  const props = vmProperties({
    self,
    name,
    uuid,
    instanceUuid,
    datastore: { ref: place.ds.self, name: place.ds.name, url: (place.ds.info as { url: string }).url },
    host: place.host.self,
    hostCpuMhz: (place.host.summary.hardware as { cpuMhz?: number } | undefined)?.cpuMhz ?? 0,
    nic: { backing: {}, summary: '', network: new MoRef('Network', ''), networkName: '', mac: '' },
    ip: gen.ipv4(uuid),
    diskUuid: '',
    createTime: now,
    bootTime: now,
    cpuUsageMhz: 0,
    memoryUsageMB: 0,
  });
  const config = props.config as DataObject;
  config.files = { vmPathName: place.vmx, snapshotDirectory: place.dir, suspendDirectory: place.dir, logDirectory: place.dir };
  config.changeVersion = now.toISOString();
  const summary = props.summary as DataObject;
  props.summaryConfig = summary.config;
  Object.assign(summary.config as DataObject, { vmPathName: place.vmx });
  return props;
}

/** The default devices of vcsim's model VM, without its SCSI controller, CD-ROM, disk and NIC. */
function defaultDevices(devices: DataObject[]): DataObject[] {
  const kept = devices.filter((d) => DEFAULT_DEVICES.has(d._type as string));
  const keys = new Set(kept.map((d) => d.key as number));
  return kept.map((d) => (Array.isArray(d.device) ? { ...d, device: (d.device as number[]).filter((k) => keys.has(k)) } : d));
}

/** Disks added without a file name get one in the VM's directory, as vCenter names them (`name.vmdk`, `name_1.vmdk`). */
function nameNewDisks(types: CallContext['vc']['types'], spec: ConfigSpec, dir: string, name: string, ds: Datastore): void {
  let ordinal = 0;
  for (const change of spec.deviceChange ?? []) {
    const device = change.device;
    if ((change.operation ?? 'add') !== 'add' || !types.isSubtypeOf(device._type as string, 'VirtualDisk')) continue;
    const backing = (device.backing ??= { _type: 'VirtualDiskFlatVer2BackingInfo', diskMode: 'persistent', thinProvisioned: true }) as DataObject;
    const fileName = (backing.fileName as string | undefined) ?? '';
    if (!/^\s*(\[[^\]]*\])?\s*$/.test(fileName)) continue;
    backing.fileName = `${dir}/${ordinal === 0 ? name : `${name}_${ordinal}`}.vmdk`;
    backing.datastore ??= ds.self;
    ordinal++;
  }
}

/**
 * A clone's disks move under its own directory and get new UUIDs; its NICs get new MACs. A linked
 * clone's disks are child disks: each backed by the source's disk as its `parent` (shared, so it
 * takes no space of its own until written).
 */
function renameDevices(types: CallContext['vc']['types'], config: DataObject, sourceName: string, name: string, dir: string, ds: Datastore, gen: ValueGenerator, uuid: string, linked: boolean): void {
  let nic = 0;
  for (const device of (config.hardware as DataObject).device as DataObject[]) {
    const type = device._type as string;
    if (types.isSubtypeOf(type, 'VirtualDisk') && device.backing) {
      const backing = device.backing as DataObject;
      const parent = linked ? cloneData(backing) : undefined;
      const file = String(backing.fileName ?? '');
      let base = file.slice(file.lastIndexOf('/') + 1).replace(/^\[[^\]]*\]\s*/, '') || `${name}.vmdk`;
      if (sourceName && base.startsWith(sourceName)) base = name + base.slice(sourceName.length);
      backing.fileName = `${dir}/${base}`;
      backing.datastore = ds.self;
      if (backing.uuid) {
        backing.uuid = diskUuid(`${uuid}:${String(device.key)}`);
        backing.contentId = (backing.uuid as string).replace(/-/g, '').toLowerCase();
      }
      if (parent) backing.parent = parent;
      else delete backing.parent;
    } else if (types.isSubtypeOf(type, 'VirtualEthernetCard')) {
      device.macAddress = gen.mac(uuid, nic++);
      device.addressType = 'generated';
    }
  }
}

function diskUuid(seed: string): string {
  const hex = `6000C29${createHash('sha1').update(seed).digest('hex').slice(7, 32)}`.toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

interface NicNetwork {
  device: DataObject;
  network: Network;
}

/** The network of each NIC, found by moref, name ('VM Network') or DVS portgroup key; each must be the datacenter's. */
function resolveNics(ctx: CallContext, dc: Datacenter, devices: DataObject[]): NicNetwork[] {
  const { registry, types } = ctx.vc;
  const networks = dc.network.map((ref) => registry.get(ref) as Network | undefined).filter((n): n is Network => !!n);
  const found: NicNetwork[] = [];
  for (const device of devices) {
    if (!types.isSubtypeOf(device._type as string, 'VirtualEthernetCard') || !device.backing) continue;
    const backing = device.backing as DataObject;
    const port = backing.port as DataObject | undefined;
    let network: Network | undefined;
    if (port) network = networks.find((n) => (n as Network & { key?: string }).key === port.portgroupKey);
    else if (backing.network) network = networks.find((n) => n.self.value === (backing.network as MoRef).value);
    else if (backing.deviceName) network = networks.find((n) => n.name === backing.deviceName);
    const wanted = String(port?.portgroupKey ?? (backing.network as MoRef | undefined)?.value ?? backing.deviceName ?? '');
    if (!network) throw new VimFault('NotFound', {}, `The network '${wanted}' was not found.`);
    if (!port) {
      device.backing = { ...backing, deviceName: network.name, network: network.self };
      device.deviceInfo = { _type: 'Description', label: (device.deviceInfo as DataObject).label, summary: network.name };
    }
    found.push({ device, network });
  }
  return found;
}

/** Bytes the disks on `ds` take; a child disk (a linked clone's) takes none until written. */
function diskBytes(types: CallContext['vc']['types'], devices: DataObject[], ds: Datastore): number {
  let total = 0;
  for (const d of devices) {
    if (!types.isSubtypeOf(d._type as string, 'VirtualDisk')) continue;
    const backing = d.backing as DataObject | undefined;
    const datastore = backing?.datastore as MoRef | undefined;
    if (backing?.parent || (datastore && datastore.value !== ds.self.value)) continue;
    total += Number(d.capacityInBytes ?? Number(d.capacityInKB ?? 0) * 1024);
  }
  return total;
}

function checkSpace(ds: Datastore, bytes: number): void {
  const free = Number(ds.summary.freeSpace ?? 0);
  if (bytes > free) {
    throw new VimFault('InsufficientStorageSpace', {}, `Insufficient disk space on datastore '${ds.name}': ${bytes} bytes needed, ${free} free.`);
  }
}

/** Registers the VM and links it both ways, as the builder links its VMs; the VM is powered off. */
function finish(ctx: CallContext, props: DataObject, place: Placement, nics: NicNetwork[]): VirtualMachine {
  const { registry, types } = ctx.vc;
  const { summaryConfig, ...properties } = props;
  const self = (properties.summary as DataObject).vm as MoRef;
  const vm = registry.add(new VirtualMachine(), 'VirtualMachine', self.value);
  const config = properties.config as DataObject;
  vm.name = config.name as string;
  Object.assign(vm, properties);
  (vm.summary as DataObject).config = summaryConfig;
  (vm.summary as DataObject).vm = vm.self;
  (vm.resourceConfig as DataObject).entity = vm.self;
  const devices = (config.hardware as DataObject).device as DataObject[];
  const disks = devices.filter((d) => types.isSubtypeOf(d._type as string, 'VirtualDisk'));
  const diskFiles = disks.map((d) => String((d.backing as DataObject | undefined)?.fileName ?? ''));
  const used = diskBytes(types, devices, place.ds) + VM_FILES_BYTES;
  vm.layout = { configFile: [`${vm.name}.nvram`], logFile: ['vmware.log'], disk: disks.map((d, i) => ({ key: d.key, diskFile: [diskFiles[i]] })), snapshot: [] };
  const files = [
    { name: place.vmx, type: 'config', size: FILE_SIZES.vmx },
    { name: `${place.dir}/${vm.name}.nvram`, type: 'nvram', size: FILE_SIZES.nvram },
    ...diskFiles.map((name, i) => ({ name, type: 'diskDescriptor', size: Number(disks[i]!.capacityInBytes ?? 0) })),
    { name: `${place.dir}/vmware.log`, type: 'log', size: FILE_SIZES.log },
  ];
  vm.layoutEx = {
    file: files.map((f, key) => ({ key, ...f, uniqueSize: f.size, accessible: true })),
    disk: disks.map((d) => ({ key: d.key, chain: [{ fileKey: [files.findIndex((f) => f.name === String((d.backing as DataObject).fileName))] }] })),
    snapshot: [],
    timestamp: ctx.vc.now(),
  };
  vm.storage = { perDatastoreUsage: [{ datastore: place.ds.self, committed: used, uncommitted: 0, unshared: used }], timestamp: ctx.vc.now() };
  (vm.summary as DataObject).storage = { committed: used, uncommitted: 0, unshared: used, timestamp: ctx.vc.now() };
  vm.network = [];
  for (const { network } of nics) addRef(vm.network, network.self);
  const guest = vm.guest as DataObject;
  const ip = guest.ipAddress as string;
  guest.net = nics.map(({ device, network }) => ({
    network: network.name,
    ipAddress: [ip],
    macAddress: device.macAddress,
    connected: true,
    deviceConfigId: device.key,
    ipConfig: { ipAddress: [{ ipAddress: ip, prefixLength: 8, state: 'preferred' }] },
  }));
  guest.guestId = config.guestId;
  guest.guestFullName = config.guestFullName;
  guest.disk = [];
  const cr = place.host.parent ? (registry.get(place.host.parent) as ComputeResource | undefined) : undefined;
  if (cr?.environmentBrowser) vm.environmentBrowser = cr.environmentBrowser;
  if (place.pool) {
    vm.resourcePool = place.pool.self;
    if (place.pool instanceof VirtualApp) vm.parentVApp = place.pool.self;
  }
  vm.setPowerState(ctx, 'poweredOff');
  // Links, both ways.
  place.folder.addChild(vm);
  registry.structureChanged(place.folder);
  const holders: ManagedEntity[] = [place.host, place.ds, ...nics.map((n) => n.network)];
  if (place.pool instanceof ResourcePool) holders.push(place.pool);
  for (const holder of holders) {
    addRef((holder as ManagedEntity & { vm: MoRef[] }).vm, vm.self);
    registry.changed(holder);
  }
  for (const { network } of nics) {
    const dvsRef = ((network as Network & { config?: DataObject }).config?.distributedVirtualSwitch) as MoRef | undefined;
    const dvs = dvsRef && (registry.get(dvsRef) as (ManagedEntity & { summary: { vm?: MoRef[] } }) | undefined);
    if (dvs?.summary.vm) {
      addRef(dvs.summary.vm, vm.self);
      registry.changed(dvs);
    }
  }
  for (const capacity of [place.ds.summary, place.ds.info] as Record<string, number>[]) capacity.freeSpace! -= used;
  if (cr instanceof ClusterComputeResource) {
    (cr.summary.usageSummary as Record<string, number>).totalVmCount! += 1;
    registry.changed(cr);
  }
  registry.changed(vm);
  return vm;
}

function postVmEvent(ctx: CallContext, vm: VirtualMachine, type: string, message: string, task: Task, fields: DataObject = {}): void {
  ctx.vc.events.post(
    ctx,
    { _type: type, template: vm.config?.template === true, fullFormattedMessage: message, ...entityArguments(ctx.vc.registry, vm.self), ...fields },
    task.info.eventChainId as number,
  );
}
