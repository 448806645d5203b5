/**
 * Resource pools and vApps as VM containers: CreateResourcePool, UpdateConfig, Destroy_Task,
 * DestroyChildren, MoveIntoResourcePool, CreateVApp, CreateChildVM_Task, and the vApp's power operations and CloneVApp_Task. Checks run
 * before anything changes, so a fault leaves the inventory as it was.
 */
import { ClusterComputeResource } from './cluster-compute-resource.js';
import type { Datacenter } from '../core/datacenter.js';
import { entityArguments } from '../core/event-manager.js';
import { VimFault, faults } from '../core/fault.js';
import type { Folder } from '../core/folder.js';
import { ValueGenerator } from '../inventory/generator.js';
import { addRef, datacenterOf, removeRef, type ManagedEntity } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { Datastore } from '../storage/datastore.js';
import type { DataObject, MoRef } from '../core/moref.js';
import { childAllocation, ResourcePool, vAppConfigInfo, VirtualApp } from './resource-pool.js';
import type { VirtualMachine } from '../vm/virtual-machine.js';
import type { Task } from '../core/task.js';
import { cloneVm, createVmTask, type CreateConfigSpec } from '../vm/vm-provisioning.js';

export interface ResourceConfigSpec {
  cpuAllocation?: DataObject;
  memoryAllocation?: DataObject;
}

const ALLOCATION_FIELDS = ['reservation', 'expandableReservation', 'limit', 'shares'] as const;

/** A child pool's allocation: the spec's fields over vCenter's defaults; negative reservations or shares are InvalidArgument. */
function allocation(base: DataObject, given: DataObject | undefined, property: string): DataObject {
  const merged: DataObject = { ...base };
  for (const field of ALLOCATION_FIELDS) if (given?.[field] !== undefined) merged[field] = given[field];
  if (Number(merged.reservation) < 0 || Number(merged.limit) < -1 || Number((merged.shares as DataObject | undefined)?.shares ?? 0) < 0) {
    throw faults.invalidArgument(property);
  }
  return merged;
}

function checkPoolName(ctx: CallContext, parent: ResourcePool, name: string, except?: ResourcePool): void {
  if (!name || name.length > 80) throw faults.invalidName(name ?? '', parent.self);
  for (const ref of parent.resourcePool) {
    const sibling = ctx.vc.registry.get(ref) as ResourcePool | undefined;
    if (sibling && sibling !== except && sibling.name === name) throw faults.duplicateName(name, sibling.self);
  }
}

function linkChild(ctx: CallContext, parent: ResourcePool, child: ResourcePool, name: string, spec: ResourceConfigSpec): void {
  child.configure(
    name,
    allocation(childAllocation('cpu'), spec.cpuAllocation, 'spec.cpuAllocation'),
    allocation(childAllocation('memory'), spec.memoryAllocation, 'spec.memoryAllocation'),
  );
  child.owner = parent.owner;
  child.parent = parent.self;
  addRef(parent.resourcePool, child.self);
  ctx.vc.registry.structureChanged(parent);
}

/**
 * MoveIntoResourcePool: every entity is checked before any moves. They must belong to the target's
 * cluster or standalone host (a root pool never moves); a pool cannot go into its own subtree
 * (InvalidArgument) or next to a sibling of its name (DuplicateName).
 */
export function moveIntoResourcePool(ctx: CallContext, target: ResourcePool, list: MoRef[]): void {
  const { registry } = ctx.vc;
  const entities = list.map((ref) => registry.require<ManagedEntity>(ref));
  for (const entity of entities) {
    const from = entity instanceof ResourcePool ? parentPool(ctx, entity) : entity.self.type === 'VirtualMachine' ? poolOf(ctx, entity as VirtualMachine) : undefined;
    if (!from || from.owner.value !== target.owner.value) throw faults.invalidArgument('list');
    if (entity instanceof ResourcePool) {
      if (isWithin(ctx, target, entity)) throw faults.invalidArgument('list');
      if (from !== target) checkPoolName(ctx, target, entity.name);
    }
  }
  for (const entity of entities) {
    if (entity instanceof ResourcePool) movePool(ctx, entity, target);
    else moveVm(ctx, entity as VirtualMachine, target);
  }
}

function parentPool(ctx: CallContext, pool: ResourcePool): ResourcePool | undefined {
  const parent = pool.parent && ctx.vc.registry.get(pool.parent);
  return parent instanceof ResourcePool ? parent : undefined;
}

function poolOf(ctx: CallContext, vm: VirtualMachine): ResourcePool | undefined {
  const pool = vm.resourcePool && ctx.vc.registry.get(vm.resourcePool);
  return pool instanceof ResourcePool ? pool : undefined;
}

/** Whether `pool` is `ancestor` or below it. */
function isWithin(ctx: CallContext, pool: ResourcePool, ancestor: ResourcePool): boolean {
  for (let at: ResourcePool | undefined = pool; at; at = parentPool(ctx, at)) if (at === ancestor) return true;
  return false;
}

const poolArgument = (pool: ResourcePool): DataObject => ({ _type: 'ResourcePoolEventArgument', resourcePool: pool.self, name: pool.name });

function movePool(ctx: CallContext, pool: ResourcePool, target: ResourcePool): void {
  const from = parentPool(ctx, pool)!;
  if (from === target) return;
  const { registry } = ctx.vc;
  removeRef(from.resourcePool, pool.self);
  addRef(target.resourcePool, pool.self);
  pool.parent = target.self;
  registry.changed(from);
  registry.changed(target);
  registry.structureChanged(pool);
  ctx.vc.events.post(ctx, {
    _type: 'ResourcePoolMovedEvent',
    resourcePool: poolArgument(pool),
    oldParent: poolArgument(from),
    newParent: poolArgument(target),
    fullFormattedMessage: `Moved resource pool ${pool.name} from ${from.name} to ${target.name}`,
    ...entityArguments(registry, target.owner),
  });
}

function moveVm(ctx: CallContext, vm: VirtualMachine, target: ResourcePool): void {
  const from = poolOf(ctx, vm)!;
  if (from === target) return;
  const { registry } = ctx.vc;
  removeRef(from.vm, vm.self);
  addRef(target.vm, vm.self);
  vm.resourcePool = target.self;
  vm.parentVApp = target instanceof VirtualApp ? target.self : undefined;
  registry.changed(from);
  registry.changed(target);
  registry.structureChanged(vm);
  vm.postEvent(ctx, 'VmResourcePoolMovedEvent', `moved from resource pool ${from.name} to ${target.name}`, undefined, { oldParent: poolArgument(from), newParent: poolArgument(target) });
}

export function createResourcePool(ctx: CallContext, parent: ResourcePool, name: string, spec: ResourceConfigSpec = {}): MoRef {
  checkPoolName(ctx, parent, name);
  allocation(childAllocation('cpu'), spec.cpuAllocation, 'spec.cpuAllocation');
  allocation(childAllocation('memory'), spec.memoryAllocation, 'spec.memoryAllocation');
  const { registry } = ctx.vc;
  const pool = registry.addNew(new ResourcePool(), 'ResourcePool', 'resgroup');
  linkChild(ctx, parent, pool, name, spec);
  ctx.vc.events.post(ctx, {
    _type: 'ResourcePoolCreatedEvent',
    resourcePool: { _type: 'ResourcePoolEventArgument', resourcePool: pool.self, name },
    parent: { _type: 'ResourcePoolEventArgument', resourcePool: parent.self, name: parent.name },
    fullFormattedMessage: `Created resource pool ${name} in ${parent.name}`,
    ...entityArguments(registry, parent.self),
  });
  return pool.self;
}

export function updatePoolConfig(ctx: CallContext, pool: ResourcePool, name?: string, config?: ResourceConfigSpec): void {
  const parent = ctx.vc.registry.get(pool.parent!) as ResourcePool | undefined;
  const isRoot = !(parent instanceof ResourcePool);
  const newName = name ?? pool.name;
  if (name !== undefined && name !== pool.name) {
    if (isRoot) throw faults.invalidArgument('name');
    checkPoolName(ctx, parent, name, pool);
  }
  const current = pool.config;
  const cpu = allocation(current.cpuAllocation as DataObject, config?.cpuAllocation, 'config.cpuAllocation');
  const memory = allocation(current.memoryAllocation as DataObject, config?.memoryAllocation, 'config.memoryAllocation');
  const before = pool.summary;
  pool.configure(newName, cpu, memory);
  for (const [key, value] of Object.entries(before)) if (!(key in pool.summary)) pool.summary[key] = value;
  ctx.vc.registry.changed(pool);
}

/** Destroys a child pool (or vApp): its VMs and child pools move up to its parent pool; a root pool is InvalidArgument, as vCenter. */
export function destroyPool(ctx: CallContext, pool: ResourcePool): void {
  const { registry } = ctx.vc;
  const parent = pool.parent && registry.get(pool.parent);
  if (!(parent instanceof ResourcePool)) throw faults.invalidArgument(undefined, 'The root resource pool of a compute resource cannot be destroyed.');
  if (pool instanceof VirtualApp) {
    const running = pool.vm.map((ref) => registry.get(ref) as VirtualMachine | undefined).find((vm) => vm && vm.powerState !== 'poweredOff');
    if (running) throw new VimFault('InvalidPowerState', { requestedState: 'poweredOff', existingState: running.powerState }, 'The attempted operation cannot be performed in the current state.');
  }
  removeRef(parent.resourcePool, pool.self);
  for (const ref of pool.resourcePool) {
    const child = registry.get(ref) as ResourcePool | undefined;
    if (!child) continue;
    child.parent = parent.self;
    addRef(parent.resourcePool, ref);
    registry.structureChanged(child);
  }
  for (const ref of pool.vm) {
    const vm = registry.get(ref) as VirtualMachine | undefined;
    if (!vm) continue;
    vm.resourcePool = parent.self;
    vm.parentVApp = parent instanceof VirtualApp ? parent.self : undefined;
    addRef(parent.vm, ref);
    registry.changed(vm);
  }
  registry.structureChanged(parent);
  ctx.vc.events.post(ctx, {
    _type: 'ResourcePoolDestroyedEvent',
    resourcePool: { _type: 'ResourcePoolEventArgument', resourcePool: pool.self, name: pool.name },
    fullFormattedMessage: `Removed resource pool ${pool.name}`,
    ...entityArguments(registry, parent.self),
  });
  ctx.vc.forgetObject(pool.self.type, pool.self.value);
  registry.remove(pool.self);
}

export function destroyPoolTask(ctx: CallContext, pool: ResourcePool): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method: 'Destroy_Task',
    descriptionId: `${pool.self.type}.destroy`,
    entity: pool,
    run: () => {
      destroyPool(ctx, pool);
      return undefined;
    },
  });
}

/** Destroys every child pool and vApp, as DestroyChildren: what they hold moves up to `pool`. */
export function destroyChildren(ctx: CallContext, pool: ResourcePool): void {
  for (const ref of [...pool.resourcePool]) {
    const child = ctx.vc.registry.get(ref) as ResourcePool | undefined;
    if (child && pool.resourcePool.some((r) => r.value === ref.value)) destroyPool(ctx, child);
  }
}

export function createVApp(ctx: CallContext, parent: ResourcePool, args: { name: string; resSpec?: ResourceConfigSpec; configSpec?: DataObject; vmFolder?: MoRef }): MoRef {
  const { registry } = ctx.vc;
  checkPoolName(ctx, parent, args.name);
  const folder = args.vmFolder ? registry.require<Folder>(args.vmFolder) : vmFolderOf(ctx, parent);
  if (!folder.childType.includes('VirtualApp')) throw faults.invalidArgument('vmFolder');
  allocation(childAllocation('cpu'), args.resSpec?.cpuAllocation, 'resSpec.cpuAllocation');
  allocation(childAllocation('memory'), args.resSpec?.memoryAllocation, 'resSpec.memoryAllocation');
  const app = registry.addNew(new VirtualApp(), 'VirtualApp', 'virtualapp');
  linkChild(ctx, parent, app, args.name, args.resSpec ?? {});
  app.parentFolder = folder.self;
  if (parent instanceof VirtualApp) app.parentVApp = parent.self;
  const gen = new ValueGenerator(ctx.vc.options.seed);
  app.vAppConfig = vAppConfigInfo(
    (args.configSpec?.annotation as string | undefined) ?? '',
    (args.configSpec?.instanceUuid as string | undefined) ?? gen.uuid(`vapp/${app.self.value}/${args.name}`),
  );
  Object.assign(app.summary, { _type: 'VirtualAppSummary', vAppState: 'stopped', suspended: false, installBootRequired: false });
  ctx.vc.events.post(ctx, {
    _type: 'ResourcePoolCreatedEvent',
    resourcePool: { _type: 'ResourcePoolEventArgument', resourcePool: app.self, name: app.name },
    parent: { _type: 'ResourcePoolEventArgument', resourcePool: parent.self, name: parent.name },
    fullFormattedMessage: `Created vApp ${app.name} in ${parent.name}`,
    ...entityArguments(registry, parent.self),
  });
  return app.self;
}

/** The vm folder of the pool's datacenter: where CreateChildVM_Task and CreateVApp put what they create. */
export function vmFolderOf(ctx: CallContext, entity: ManagedEntity): Folder {
  const { registry } = ctx.vc;
  const ref = datacenterOf(registry, entity);
  if (!ref) throw faults.notSupported();
  return registry.require<Folder>(registry.require<Datacenter>(ref).vmFolder);
}

/** CreateChildVM_Task: CreateVM_Task of the datacenter's vm folder, placed in this pool (the task's entity is that folder). */
export function createChildVmTask(ctx: CallContext, pool: ResourcePool, args: { config: CreateConfigSpec; host?: MoRef }): MoRef {
  const folder = pool instanceof VirtualApp && pool.parentFolder ? ctx.vc.registry.require<Folder>(pool.parentFolder) : vmFolderOf(ctx, pool);
  return createVmTask(ctx, folder, { config: args.config, pool: pool.self, host: args.host });
}

// --- vApp clone --------------------------------------------------------------------------------

/** The VAppCloneSpec fields CloneVApp_Task honours. */
export interface VAppCloneSpec {
  location: MoRef;
  host?: MoRef;
  resourceSpec?: ResourceConfigSpec;
  vmFolder?: MoRef;
}

/**
 * CloneVApp_Task: a new vApp `name` in the `target` pool holding a clone of each of the vApp's
 * VMs (same names: a vApp's VMs are named within it) and of its child vApps, their disks on
 * `spec.location`. The task's result is the new vApp.
 */
export function cloneVAppTask(ctx: CallContext, app: VirtualApp, args: { name: string; target: MoRef; spec: VAppCloneSpec }): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method: 'CloneVApp_Task',
    descriptionId: 'VirtualApp.clone',
    entity: app,
    run: (task) => {
      const { registry } = ctx.vc;
      const target = args.target && registry.get(args.target);
      if (!(target instanceof ResourcePool)) throw faults.invalidArgument('target');
      if (!args.spec?.location) throw faults.invalidArgument('spec.location');
      registry.require<Datastore>(args.spec.location);
      if (args.spec.host) registry.require(args.spec.host);
      checkPoolName(ctx, target, args.name);
      return cloneVApp(ctx, app, target, args.name, args.spec, task).self;
    },
  });
}

function cloneVApp(ctx: CallContext, app: VirtualApp, target: ResourcePool, name: string, spec: VAppCloneSpec, task: Task): VirtualApp {
  const { registry } = ctx.vc;
  const { cpuAllocation, memoryAllocation } = app.config as ResourceConfigSpec;
  const ref = createVApp(ctx, target, {
    name,
    resSpec: spec.resourceSpec ?? { cpuAllocation, memoryAllocation },
    configSpec: { annotation: app.vAppConfig.annotation },
    vmFolder: spec.vmFolder ?? app.parentFolder,
  });
  const copy = registry.require<VirtualApp>(ref);
  for (const vm of app.vm.map((r) => registry.get(r) as VirtualMachine | undefined)) {
    if (!vm) continue;
    const location = { pool: copy.self, datastore: spec.location, host: spec.host };
    cloneVm(ctx, vm, { folder: copy.parentFolder!, name: vm.name, spec: { location, template: false, powerOn: false } }, task);
  }
  for (const child of app.resourcePool.map((r) => registry.get(r))) {
    if (child instanceof VirtualApp) cloneVApp(ctx, child, copy, child.name, { ...spec, resourceSpec: undefined }, task);
  }
  return copy;
}

// --- vApp power --------------------------------------------------------------------------------

/** Powers a vApp's VMs on or off (those not in that state already) and sets its vAppState. */
export function vAppPowerTask(ctx: CallContext, app: VirtualApp, on: boolean): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method: on ? 'PowerOnVApp_Task' : 'PowerOffVApp_Task',
    descriptionId: on ? 'VirtualApp.powerOn' : 'VirtualApp.powerOff',
    entity: app,
    run: (task) => {
      const { registry } = ctx.vc;
      const vms = vAppVms(ctx, app);
      const template = vms.find((vm) => vm.config?.template);
      if (template) throw faults.invalidState(`${template.name} is a template`);
      const to = on ? 'poweredOn' : 'poweredOff';
      for (const vm of vms) {
        if (vm.powerState === to) continue;
        const [starting, done, startWhat, doneWhat] = on
          ? ['VmStartingEvent', 'VmPoweredOnEvent', 'is starting', 'is powered on']
          : ['VmStoppingEvent', 'VmPoweredOffEvent', 'is stopping', 'is powered off'];
        postVmEvent(ctx, vm, starting, startWhat, task.info.eventChainId as number);
        vm.setPowerState(ctx, to);
        postVmEvent(ctx, vm, done, doneWhat, task.info.eventChainId as number);
      }
      app.summary.vAppState = on ? 'started' : 'stopped';
      registry.changed(app);
      return undefined;
    },
  });
}

/** The VMs of a vApp and of its child vApps. */
function vAppVms(ctx: CallContext, app: VirtualApp): VirtualMachine[] {
  const { registry } = ctx.vc;
  const vms = app.vm.map((ref) => registry.get(ref) as VirtualMachine | undefined).filter((vm): vm is VirtualMachine => !!vm);
  for (const ref of app.resourcePool) {
    const child = registry.get(ref);
    if (child instanceof VirtualApp) vms.push(...vAppVms(ctx, child));
  }
  return vms;
}

function postVmEvent(ctx: CallContext, vm: VirtualMachine, type: string, what: string, chainId: number): void {
  ctx.vc.events.post(ctx, { _type: type, template: false, fullFormattedMessage: `${vm.name} ${what}`, ...entityArguments(ctx.vc.registry, vm.self) }, chainId);
}

/** Keeps a cluster's VM count right when VMs come and go outside the builder. */
export function countClusterVm(ctx: CallContext, cluster: unknown, delta: number): void {
  if (!(cluster instanceof ClusterComputeResource)) return;
  (cluster.summary.usageSummary as Record<string, number>).totalVmCount! += delta;
  ctx.vc.registry.changed(cluster);
}
