/**
 * Moving a VM: RelocateVM_Task (pool, host, datastore, folder) and MigrateVM_Task (pool, host,
 * state). Every check runs before anything changes; then the VM's links move both ways (pool.vm,
 * host.vm, runtime.host, datastore.vm, folder.childEntity) and its files follow a datastore change.
 */
import type { ComputeResource } from '../cluster/compute-resource.js';
import type { Datastore } from '../storage/datastore.js';
import { entityArguments } from '../core/event-manager.js';
import { VimFault, faults } from '../core/fault.js';
import type { Folder } from '../core/folder.js';
import type { HostSystem } from '../host/host-system.js';
import { addRef, removeRef, type ManagedEntity } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import { countClusterVm } from '../cluster/pool-operations.js';
import { ResourcePool, VirtualApp } from '../cluster/resource-pool.js';
import type { Task } from '../core/task.js';
import type { VirtualMachine } from './virtual-machine.js';

export interface RelocateSpec {
  pool?: MoRef;
  host?: MoRef;
  datastore?: MoRef;
  folder?: MoRef;
}

interface Target {
  pool?: ResourcePool;
  host: HostSystem;
  ds: Datastore;
  folder?: Folder;
}

export function relocateVmTask(ctx: CallContext, vm: VirtualMachine, spec: RelocateSpec): MoRef {
  return moveTask(ctx, vm, 'RelocateVM_Task', 'relocate', 'VmBeingRelocatedEvent', 'VmRelocatedEvent', spec ?? {});
}

export function migrateVmTask(ctx: CallContext, vm: VirtualMachine, args: { pool?: MoRef; host?: MoRef; priority?: string; state?: string }): MoRef {
  return moveTask(ctx, vm, 'MigrateVM_Task', 'migrate', 'VmBeingMigratedEvent', 'VmMigratedEvent', { pool: args.pool, host: args.host }, args.state);
}

function moveTask(ctx: CallContext, vm: VirtualMachine, method: string, operation: string, beingEvent: string, doneEvent: string, spec: RelocateSpec, state?: string): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method,
    descriptionId: `VirtualMachine.${operation}`,
    entity: vm,
    run: (task) => {
      if (state && vm.powerState !== state) {
        throw new VimFault('InvalidPowerState', { requestedState: state, existingState: vm.powerState }, 'The attempted operation cannot be performed in the current state.');
      }
      const target = resolve(ctx, vm, spec);
      const source = sourceArguments(ctx, vm);
      post(ctx, vm, beingEvent, `Relocating ${vm.name} to ${target.host.name}`, task, {
        destHost: { _type: 'HostEventArgument', host: target.host.self, name: target.host.name },
        destDatastore: { _type: 'DatastoreEventArgument', datastore: target.ds.self, name: target.ds.name },
      });
      move(ctx, vm, target);
      post(ctx, vm, doneEvent, `${operation === 'migrate' ? 'Migrated' : 'Completed the relocation of'} ${vm.name} to ${target.host.name}`, task, source);
      return undefined;
    },
  });
}

/** Where the VM goes: each part of the spec, or where it is; the host must belong to the pool's compute resource. */
function resolve(ctx: CallContext, vm: VirtualMachine, spec: RelocateSpec): Target {
  const { registry } = ctx.vc;
  if (!vm.config) throw faults.invalidState(`${vm.name} has no configuration`);
  const currentHost = registry.get(vm.runtime.host as MoRef) as HostSystem | undefined;
  let pool = spec.pool ? registry.require<ResourcePool>(spec.pool) : undefined;
  if (pool && !(pool instanceof ResourcePool)) throw faults.invalidArgument('pool');
  let host = spec.host ? registry.require<HostSystem>(spec.host) : undefined;
  if (pool && host && !ownerHosts(ctx, pool).some((h) => h === host)) {
    throw faults.invalidArgument('host', `The host ${host.name} is not part of the compute resource of resource pool ${pool.name}.`);
  }
  if (pool && !host) {
    const hosts = ownerHosts(ctx, pool);
    host = currentHost && hosts.includes(currentHost) ? currentHost : hosts.reduce<HostSystem | undefined>((best, h) => (!best || h.vm.length < best.vm.length ? h : best), undefined);
    if (!host) throw new VimFault('InvalidState', {}, `The resource pool ${pool.name} has no host to run a virtual machine on.`);
  }
  if (!pool && host && vm.resourcePool) {
    const current = registry.get(vm.resourcePool) as ResourcePool | undefined;
    if (!current || !ownerHosts(ctx, current).includes(host)) {
      const cr = host.parent && (registry.get(host.parent) as ComputeResource | undefined);
      pool = cr?.resourcePool ? (registry.get(cr.resourcePool) as ResourcePool | undefined) : undefined;
      if (!pool) throw faults.invalidArgument('host');
    }
  }
  host ??= currentHost;
  if (!host) throw faults.invalidArgument('host');
  const ds = spec.datastore ? registry.require<Datastore>(spec.datastore) : vm.datastore[0] && (registry.get(vm.datastore[0]) as Datastore | undefined);
  if (!ds) throw faults.invalidArgument('datastore');
  if (!ds.host.some((m) => (m.key as MoRef).value === host!.self.value)) {
    throw faults.invalidArgument('datastore', `The datastore ${ds.name} is not accessible from host ${host.name}.`);
  }
  const folder = spec.folder ? registry.require<Folder>(spec.folder) : undefined;
  if (folder) {
    if (!folder.childType.includes('VirtualMachine')) throw faults.notSupported();
    for (const ref of folder.childEntity) {
      const other = registry.get(ref) as ManagedEntity | undefined;
      if (other && other !== vm && other.name === vm.name) throw faults.duplicateName(vm.name, other.self);
    }
  }
  if (ds.self.value !== vm.datastore[0]?.value) {
    const bytes = committed(vm);
    if (bytes > Number(ds.summary.freeSpace ?? 0)) {
      throw new VimFault('InsufficientStorageSpace', {}, `Insufficient disk space on datastore '${ds.name}'.`);
    }
  }
  return { pool, host, ds, folder };
}

/** Moves the VM to `host` (of its compute resource) at once: DRS placing it as it powers on. */
export function placeOnHost(ctx: CallContext, vm: VirtualMachine, host: HostSystem): void {
  move(ctx, vm, resolve(ctx, vm, { host: host.self }));
}

function ownerHosts(ctx: CallContext, pool: ResourcePool): HostSystem[] {
  const owner = pool.owner && (ctx.vc.registry.get(pool.owner) as ComputeResource | undefined);
  return (owner?.host ?? []).map((ref) => ctx.vc.registry.get(ref) as HostSystem | undefined).filter((h): h is HostSystem => !!h);
}

function committed(vm: VirtualMachine): number {
  return Number((vm.summary.storage as DataObject | undefined)?.committed ?? 0);
}

/** Moves every link of the VM to `target`, both ways. */
function move(ctx: CallContext, vm: VirtualMachine, target: Target): void {
  const { registry } = ctx.vc;
  const link = (from: MoRef | undefined, to: ManagedEntity & { vm: MoRef[] }) => {
    if (from?.value === to.self.value) return;
    const old = from && (registry.get(from) as (ManagedEntity & { vm?: MoRef[] }) | undefined);
    if (old?.vm) {
      removeRef(old.vm, vm.self);
      registry.changed(old);
    }
    addRef(to.vm, vm.self);
    registry.changed(to);
  };
  if (target.pool) {
    link(vm.resourcePool, target.pool);
    vm.resourcePool = target.pool.self;
    vm.parentVApp = target.pool instanceof VirtualApp ? target.pool.self : undefined;
  }
  const oldHost = registry.get(vm.runtime.host as MoRef) as HostSystem | undefined;
  if (oldHost !== target.host) {
    link(vm.runtime.host as MoRef, target.host);
    vm.runtime.host = target.host.self;
    if (oldHost?.parent?.value !== target.host.parent?.value) {
      const oldCr = oldHost?.parent && registry.get(oldHost.parent);
      const newCr = target.host.parent && (registry.get(target.host.parent) as ComputeResource | undefined);
      countClusterVm(ctx, oldCr, -1);
      countClusterVm(ctx, newCr, 1);
      if (newCr?.environmentBrowser) vm.environmentBrowser = newCr.environmentBrowser;
    }
  }
  const oldDs = vm.datastore[0] && (registry.get(vm.datastore[0]) as Datastore | undefined);
  if (oldDs !== target.ds) {
    link(vm.datastore[0], target.ds);
    moveFiles(vm, oldDs?.name ?? '', target.ds);
    const bytes = committed(vm);
    for (const capacity of [oldDs?.summary, oldDs?.info] as (Record<string, number> | undefined)[]) if (capacity) capacity.freeSpace! += bytes;
    for (const capacity of [target.ds.summary, target.ds.info] as Record<string, number>[]) capacity.freeSpace! -= bytes;
  }
  if (target.folder && vm.parent?.value !== target.folder.self.value) {
    const oldFolder = vm.parent && (registry.get(vm.parent) as Folder | undefined);
    oldFolder?.removeChild(vm);
    if (oldFolder) registry.structureChanged(oldFolder);
    target.folder.addChild(vm);
    registry.structureChanged(target.folder);
  }
  registry.structureChanged(vm);
}

/** A datastore change: every path on the old datastore now names the new one. */
function moveFiles(vm: VirtualMachine, oldName: string, ds: Datastore): void {
  const from = `[${oldName}]`;
  const to = `[${ds.name}]`;
  const path = (p: unknown) => (typeof p === 'string' && p.startsWith(from) ? to + p.slice(from.length) : p);
  const config = vm.config!;
  const files = config.files as Record<string, unknown>;
  for (const key of Object.keys(files)) files[key] = path(files[key]);
  const summaryConfig = vm.summary.config as DataObject | undefined;
  if (summaryConfig) summaryConfig.vmPathName = files.vmPathName;
  config.datastoreUrl = [{ name: ds.name, url: (ds.info as { url?: string }).url }];
  for (const device of ((config.hardware as DataObject).device as DataObject[]) ?? []) {
    const backing = device.backing as DataObject | undefined;
    if (backing?.fileName && typeof backing.fileName === 'string' && backing.fileName.startsWith(from)) {
      backing.fileName = path(backing.fileName);
      backing.datastore = ds.self;
    }
  }
  for (const file of ((vm.layoutEx?.file as DataObject[]) ?? [])) file.name = path(file.name);
  for (const disk of ((vm.layout?.disk as DataObject[]) ?? [])) disk.diskFile = ((disk.diskFile as string[]) ?? []).map((f) => path(f) as string);
  for (const usage of ((vm.storage?.perDatastoreUsage as DataObject[]) ?? [])) usage.datastore = ds.self;
  vm.datastore = [ds.self];
}

function sourceArguments(ctx: CallContext, vm: VirtualMachine): DataObject {
  const args = entityArguments(ctx.vc.registry, vm.self);
  const ds = vm.datastore[0] && (ctx.vc.registry.get(vm.datastore[0]) as Datastore | undefined);
  return {
    sourceHost: args.host,
    sourceDatacenter: args.datacenter,
    ...(ds ? { sourceDatastore: { _type: 'DatastoreEventArgument', datastore: ds.self, name: ds.name } } : {}),
  };
}

function post(ctx: CallContext, vm: VirtualMachine, type: string, message: string, task: Task, fields: DataObject): void {
  ctx.vc.events.post(
    ctx,
    { _type: type, template: vm.config?.template === true, fullFormattedMessage: message, ...entityArguments(ctx.vc.registry, vm.self), ...fields },
    task.info.eventChainId as number,
  );
}
