/**
 * Folder.RegisterVM_Task: adds to the inventory the VM whose .vmx is at a datastore path no
 * registered VM uses (an unregistered VM's files stay on the datastore). The simulator keeps no
 * .vmx contents, so the VM registered is a default model VM (vcsim's: 1 vCPU, 32 MB, one disk,
 * one NIC on the datacenter's first network) whose files are at that path, powered off.
 */
import type { ComputeResource } from '../cluster/compute-resource.js';
import type { Datacenter } from '../core/datacenter.js';
import type { Datastore } from '../storage/datastore.js';
import { entityArguments } from '../core/event-manager.js';
import { VimFault, faults } from '../core/fault.js';
import type { Folder } from '../core/folder.js';
import type { HostSystem } from '../host/host-system.js';
import { ValueGenerator } from '../inventory/generator.js';
import { vmFiles, vmProperties } from '../inventory/vm-data.js';
import { addRef, datacenterOf, type ManagedEntity } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import { MoRef, type DataObject } from '../core/moref.js';
import type { Network } from '../network/network.js';
import { countClusterVm } from '../cluster/pool-operations.js';
import { ResourcePool, VirtualApp } from '../cluster/resource-pool.js';
import type { Task } from '../core/task.js';
import { VirtualMachine } from './virtual-machine.js';
import { claimVmFiles } from '../storage/datastore-files.js';

export interface RegisterArgs {
  path: string;
  name?: string;
  asTemplate: boolean;
  pool?: MoRef;
  host?: MoRef;
}

export function registerVmTask(ctx: CallContext, folder: Folder, args: RegisterArgs): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method: 'RegisterVM_Task',
    descriptionId: 'Folder.registerVm',
    entity: folder,
    run: (task) => registerVm(ctx, folder, args, task).self,
  });
}

function registerVm(ctx: CallContext, folder: Folder, { path, name, asTemplate, pool: poolRef, host: hostRef }: RegisterArgs, task: Task): VirtualMachine {
  const { registry } = ctx.vc;
  if (!folder.childType.includes('VirtualMachine')) throw faults.notSupported();
  if (asTemplate) {
    if (!hostRef) throw faults.invalidArgument('host');
    if (poolRef) throw faults.invalidArgument('pool');
  } else if (!poolRef) throw faults.invalidArgument('pool');
  if (!path) throw faults.invalidArgument('path');
  const dcRef = datacenterOf(registry, folder);
  if (!dcRef) throw faults.notSupported();
  const dc = registry.require<Datacenter>(dcRef);
  const match = /^\s*\[([^\]]+)\]\s*(.+\.vmx)$/.exec(path);
  if (!match) throw new VimFault('InvalidDatastorePath', { datastorePath: path }, `Invalid datastore path '${path}'.`);
  const [, dsName, file] = match as unknown as [string, string, string];
  const ds = dc.datastore.map((ref) => registry.get(ref) as Datastore | undefined).find((d) => d?.name === dsName);
  if (!ds) throw new VimFault('InvalidDatastore', { name: dsName }, `Invalid datastore: ${dsName}`);
  const vmx = `[${dsName}] ${file}`;
  const existing = registry.ofType<VirtualMachine>('VirtualMachine').find((vm) => (vm.config?.files as DataObject | undefined)?.vmPathName === vmx);
  if (existing) throw new VimFault('AlreadyExists', { name: existing.self.value }, `The specified key, name, or identifier '${existing.self.value}' already exists.`);
  const slash = file.lastIndexOf('/');
  const dir = `[${dsName}] ${slash >= 0 ? file.slice(0, slash) : ''}`.trimEnd();
  const vmName = name || (slash >= 0 ? file.slice(0, slash) : file.replace(/\.vmx$/, ''));
  for (const ref of folder.childEntity) {
    const child = registry.get(ref) as ManagedEntity | undefined;
    if (child?.name === vmName) throw faults.duplicateName(vmName, child.self);
  }
  const host = hostRef ? registry.require<HostSystem>(hostRef) : undefined;
  const pool = poolRef ? registry.require<ResourcePool>(poolRef) : undefined;
  const cr = (h: HostSystem) => (h.parent ? (registry.get(h.parent) as ComputeResource | undefined) : undefined);
  let placed = host;
  if (pool) {
    const owner = pool.owner && (registry.get(pool.owner) as ComputeResource | undefined);
    const hosts = (owner?.host ?? []).map((r) => registry.get(r) as HostSystem | undefined).filter((h): h is HostSystem => !!h);
    if (host && !hosts.includes(host)) throw faults.invalidArgument('host');
    placed ??= hosts.reduce<HostSystem | undefined>((best, h) => (!best || h.vm.length < best.vm.length ? h : best), undefined);
  }
  if (!placed) throw faults.invalidArgument('host');
  if (!ds.host.some((m) => (m.key as MoRef).value === placed!.self.value)) throw faults.invalidArgument('host');
  const network = dc.network.map((ref) => registry.get(ref) as Network | undefined).find((n) => n?.self.type === 'Network');
  if (!network) throw faults.notFound('The datacenter has no network for the VM.');

  const gen = new ValueGenerator(ctx.vc.options.seed);
  const uuid = gen.uuid(vmx);
  const now = ctx.vc.now();
  const self = new MoRef('VirtualMachine', registry.newId('vm'));
  const props = vmProperties({
    self,
    name: vmName,
    uuid,
    instanceUuid: gen.uuid(vmx.toUpperCase()),
    datastore: { ref: ds.self, name: ds.name, url: (ds.info as { url: string }).url },
    host: placed.self,
    hostCpuMhz: (placed.summary.hardware as { cpuMhz?: number } | undefined)?.cpuMhz ?? 0,
    nic: {
      backing: { _type: 'VirtualEthernetCardNetworkBackingInfo', deviceName: network.name, useAutoDetect: false, network: network.self, inPassthroughMode: false },
      summary: network.name,
      network: network.self,
      networkName: network.name,
      mac: gen.mac(uuid),
    },
    ip: gen.ipv4(uuid),
    diskUuid: gen.uuid(`${vmx}/disk`).toUpperCase(),
    createTime: now,
    bootTime: now,
    cpuUsageMhz: 0,
    memoryUsageMB: 0,
  });
  relocatePaths(props, vmFiles(ds.name, vmName).dir, dir, vmx);
  const vm = registry.add(new VirtualMachine(), 'VirtualMachine', self.value);
  vm.name = vmName;
  Object.assign(vm, props);
  const owner = cr(placed);
  if (owner?.environmentBrowser) vm.environmentBrowser = owner.environmentBrowser;
  if (pool) {
    vm.resourcePool = pool.self;
    if (pool instanceof VirtualApp) vm.parentVApp = pool.self;
  }
  vm.config!.template = asTemplate;
  (vm.summary.config as DataObject).template = asTemplate;
  vm.setPowerState(ctx, 'poweredOff');
  folder.addChild(vm);
  registry.structureChanged(folder);
  const holders: (ManagedEntity & { vm: MoRef[] })[] = [placed, ds, network];
  if (pool instanceof ResourcePool) holders.push(pool);
  for (const holder of holders) {
    addRef(holder.vm, vm.self);
    registry.changed(holder);
  }
  countClusterVm(ctx, owner, 1);
  claimVmFiles(ctx, vm);
  registry.changed(vm);
  ctx.vc.events.post(
    ctx,
    { _type: 'VmRegisteredEvent', template: asTemplate, fullFormattedMessage: `Registered ${vmName} on ${placed.name} in ${dc.name}`, ...entityArguments(registry, vm.self) },
    task.info.eventChainId as number,
  );
  return vm;
}

/** vmProperties puts the files in `[ds] name/`: move every path there to the registered directory and .vmx. */
function relocatePaths(props: DataObject, modelDir: string, dir: string, vmx: string): void {
  const fix = (p: string) => (p.startsWith(`${modelDir}/`) ? `${dir}/${p.slice(modelDir.length + 1)}` : p === modelDir ? dir : p);
  const config = props.config as DataObject;
  const files = config.files as Record<string, string>;
  for (const key of Object.keys(files)) files[key] = fix(files[key]!);
  files.vmPathName = vmx;
  ((props.summary as DataObject).config as DataObject).vmPathName = vmx;
  for (const device of (config.hardware as DataObject).device as DataObject[]) {
    const backing = device.backing as DataObject | undefined;
    if (typeof backing?.fileName === 'string') backing.fileName = fix(backing.fileName);
  }
  const layoutEx = props.layoutEx as DataObject;
  for (const file of layoutEx.file as DataObject[]) file.name = file.type === 'config' ? vmx : fix(file.name as string);
  for (const disk of (props.layout as DataObject).disk as DataObject[]) disk.diskFile = (disk.diskFile as string[]).map(fix);
}
