import { describe, expect, it } from 'vitest';
import type { ClusterComputeResource } from '../../models/cluster/cluster-compute-resource.js';
import type { ComputeResource } from '../../models/cluster/compute-resource.js';
import type { Datacenter } from '../../models/core/datacenter.js';
import type { Datastore } from '../../models/storage/datastore.js';
import type { VimFault } from '../../models/core/fault.js';
import type { Folder } from '../../models/core/folder.js';
import type { HostSystem } from '../../models/host/host-system.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { ResourcePool, VirtualApp } from '../../models/cluster/resource-pool.js';
import type { Task } from '../../models/core/task.js';
import { VCenter } from '../../models/vcenter.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';

function setup(flags: Record<string, number> = {}) {
  const vc = new VCenter({ topology: topologyFromFlags(flags), seed: 1 });
  const ctx: CallContext = { vc };
  vc.sessionManager.Login(ctx, { userName: 'alice', password: 'x' });
  const { registry } = vc;
  const named = <T extends ManagedEntity>(type: string, name: string) => registry.ofType<T>(type).find((o) => o.name === name)!;
  const dc = named<Datacenter>('Datacenter', 'DC0');
  const folder = registry.require<Folder>(dc.vmFolder);
  const cluster = named<ClusterComputeResource>('ClusterComputeResource', 'DC0_C0');
  const root = registry.require<ResourcePool>(cluster.resourcePool!);
  const standalone = named<ComputeResource>('ComputeResource', 'DC0_H0');
  const settled = (ref: MoRef) => vc.registry.require<Task>(ref).completion();
  const vm = (name: string) => named<VirtualMachine>('VirtualMachine', name);
  const events = (type: string) => vc.events.QueryEvents(ctx, { filter: { type: [type] } }) as DataObject[];
  return { vc, ctx, registry, named, dc, folder, cluster, root, standalone, settled, vm, events };
}

const has = (list: MoRef[], ref: MoRef) => list.some((r) => r.value === ref.value);
const faultOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as VimFault).type;
  }
  return undefined;
};
const errorType = (info: DataObject) => ((info.error as DataObject | undefined)?.fault as DataObject | undefined)?._type;

describe('ResourcePool', () => {
  it('CreateResourcePool links a child pool with the spec allocation; DuplicateName and InvalidName', () => {
    const { ctx, registry, root } = setup();
    const ref = root.CreateResourcePool(ctx, { name: 'rp-a', spec: { cpuAllocation: { limit: 1000 }, memoryAllocation: {} } });
    const pool = registry.require<ResourcePool>(ref);
    expect(ref.value).toMatch(/^resgroup-\d+$/);
    expect(pool.name).toBe('rp-a');
    expect(pool.parent).toEqual(root.self);
    expect(pool.owner).toEqual(root.owner);
    expect(has(root.resourcePool, ref)).toBe(true);
    expect(pool.config.cpuAllocation).toMatchObject({ limit: 1000, reservation: 0, expandableReservation: true });
    expect(pool.config.entity).toEqual(ref);
    expect(faultOf(() => root.CreateResourcePool(ctx, { name: 'rp-a', spec: {} }))).toBe('DuplicateName');
    expect(faultOf(() => root.CreateResourcePool(ctx, { name: '', spec: {} }))).toBe('InvalidName');
    expect(faultOf(() => root.CreateResourcePool(ctx, { name: 'bad', spec: { cpuAllocation: { reservation: -5 } } }))).toBe('InvalidArgument');
    expect(root.resourcePool.filter((r) => (registry.get(r) as ResourcePool).name === 'rp-a')).toHaveLength(1);
  });

  it('MoveIntoResourcePool moves pools and VMs of the same cluster, with their events; all or nothing', () => {
    const { ctx, registry, root, standalone, vm, events } = setup();
    const a = registry.require<ResourcePool>(root.CreateResourcePool(ctx, { name: 'a', spec: {} }));
    const b = registry.require<ResourcePool>(root.CreateResourcePool(ctx, { name: 'b', spec: {} }));
    const app = registry.require<VirtualApp>(root.CreateVApp(ctx, { name: 'app', resSpec: {}, configSpec: {} }));
    const web = vm('DC0_C0_RP0_VM0');
    a.MoveIntoResourcePool(ctx, { list: [b.self, web.self] });
    expect([b.parent, web.resourcePool]).toEqual([a.self, a.self]);
    expect([has(a.resourcePool, b.self), has(root.resourcePool, b.self), has(a.vm, web.self), has(root.vm, web.self)]).toEqual([true, false, true, false]);
    expect(events('ResourcePoolMovedEvent').at(-1)).toMatchObject({ resourcePool: { name: 'b' }, oldParent: { name: root.name }, newParent: { name: 'a' } });
    expect(events('VmResourcePoolMovedEvent').at(-1)).toMatchObject({ vm: { name: web.name }, oldParent: { name: root.name }, newParent: { name: 'a' } });
    app.MoveIntoResourcePool(ctx, { list: [web.self] });
    expect(web.parentVApp).toEqual(app.self);

    const standalonePool = registry.require<ResourcePool>(standalone.resourcePool!);
    const before = [b.parent, web.resourcePool];
    expect(faultOf(() => b.MoveIntoResourcePool(ctx, { list: [a.self] }))).toBe('InvalidArgument'); // into its own subtree
    expect(faultOf(() => a.MoveIntoResourcePool(ctx, { list: [root.self] }))).toBe('InvalidArgument'); // a root pool
    expect(faultOf(() => standalonePool.MoveIntoResourcePool(ctx, { list: [web.self] }))).toBe('InvalidArgument'); // another compute resource
    const twin = registry.require<ResourcePool>(root.CreateResourcePool(ctx, { name: 'b', spec: {} }));
    expect(faultOf(() => a.MoveIntoResourcePool(ctx, { list: [web.self, twin.self] }))).toBe('DuplicateName');
    expect([b.parent, web.resourcePool, twin.parent]).toEqual([...before, root.self]);
  });

  it('UpdateConfig renames and changes allocations; a sibling name is DuplicateName', () => {
    const { ctx, registry, root } = setup();
    const a = registry.require<ResourcePool>(root.CreateResourcePool(ctx, { name: 'a', spec: {} }));
    root.CreateResourcePool(ctx, { name: 'b', spec: {} });
    a.UpdateConfig(ctx, { name: 'a2', config: { memoryAllocation: { reservation: 64 } } });
    expect(a.name).toBe('a2');
    expect(a.summary.name).toBe('a2');
    expect(a.config.memoryAllocation).toMatchObject({ reservation: 64, limit: -1 });
    expect(faultOf(() => a.UpdateConfig(ctx, { name: 'b' }))).toBe('DuplicateName');
    expect(a.name).toBe('a2');
  });

  it('Destroy_Task moves VMs and child pools to the parent; the root pool is InvalidArgument', async () => {
    const { ctx, registry, root, settled, vm } = setup();
    const a = registry.require<ResourcePool>(root.CreateResourcePool(ctx, { name: 'a', spec: {} }));
    const child = registry.require<ResourcePool>(a.CreateResourcePool(ctx, { name: 'child', spec: {} }));
    const moved = vm('DC0_C0_RP0_VM0');
    expect((await settled(moved.MigrateVM_Task(ctx, { pool: a.self, priority: 'defaultPriority' }))).state).toBe('success');
    expect(has(a.vm, moved.self)).toBe(true);
    const info = await settled(a.Destroy_Task(ctx));
    expect(info).toMatchObject({ state: 'success', descriptionId: 'ResourcePool.destroy' });
    expect(registry.get(a.self)).toBeUndefined();
    expect(has(root.resourcePool, a.self)).toBe(false);
    expect(has(root.resourcePool, child.self)).toBe(true);
    expect(child.parent).toEqual(root.self);
    expect(has(root.vm, moved.self)).toBe(true);
    expect(moved.resourcePool).toEqual(root.self);
    const rootInfo = await settled(root.Destroy_Task(ctx));
    expect(errorType(rootInfo)).toBe('InvalidArgument');
    expect(registry.get(root.self)).toBe(root);
  });

  it('DestroyChildren removes every child pool and vApp', () => {
    const { ctx, registry, root } = setup({ app: 1 });
    root.CreateResourcePool(ctx, { name: 'x', spec: {} });
    const app = registry.ofType<VirtualApp>('VirtualApp')[0]!;
    for (const ref of app.vm) (registry.get(ref) as VirtualMachine).setPowerState(ctx, 'poweredOff');
    const vmsBefore = root.vm.length + app.vm.length;
    root.DestroyChildren(ctx);
    expect(root.resourcePool).toEqual([]);
    expect(registry.ofType('VirtualApp')).toHaveLength(0);
    expect(root.vm.length).toBe(vmsBefore);
  });

  it('CreateChildVM_Task creates the VM in the pool and the datacenter vm folder', async () => {
    const { ctx, registry, root, folder, settled } = setup();
    const pool = registry.require<ResourcePool>(root.CreateResourcePool(ctx, { name: 'p', spec: {} }));
    const info = await settled(pool.CreateChildVM_Task(ctx, { config: { name: 'child-vm', files: { vmPathName: '[LocalDS_0]' } } }));
    expect(info.state).toBe('success');
    const created = registry.require<VirtualMachine>(info.result as MoRef);
    expect(created.resourcePool).toEqual(pool.self);
    expect(has(pool.vm, created.self)).toBe(true);
    expect(created.parent).toEqual(folder.self);
    const dup = await settled(pool.CreateChildVM_Task(ctx, { config: { name: 'child-vm', files: { vmPathName: '[LocalDS_0]' } } }));
    expect(errorType(dup)).toBe('DuplicateName');
  });
});

describe('VirtualApp', () => {
  it('CreateVApp, CreateChildVM_Task, PowerOn/PowerOff and Destroy_Task', async () => {
    const { ctx, registry, root, folder, settled, events } = setup();
    const ref = root.CreateVApp(ctx, { name: 'app1', resSpec: {}, configSpec: { annotation: 'hello' } });
    expect(ref.type).toBe('VirtualApp');
    const app = registry.require<VirtualApp>(ref);
    expect(app.parentFolder).toEqual(folder.self);
    expect(app.vAppConfig.annotation).toBe('hello');
    expect(app.summary.vAppState).toBe('stopped');
    expect(has(root.resourcePool, ref)).toBe(true);
    expect(faultOf(() => root.CreateVApp(ctx, { name: 'app1', resSpec: {}, configSpec: {} }))).toBe('DuplicateName');
    const created = await settled(app.CreateChildVM_Task(ctx, { config: { name: 'app-vm', files: { vmPathName: '[LocalDS_0]' } } }));
    const member = registry.require<VirtualMachine>(created.result as MoRef);
    expect(member.parentVApp).toEqual(ref);
    expect((await settled(app.PowerOnVApp_Task(ctx))).state).toBe('success');
    expect(member.powerState).toBe('poweredOn');
    expect(app.summary.vAppState).toBe('started');
    expect(events('VmPoweredOnEvent').some((e) => ((e.vm as DataObject).vm as MoRef).value === member.self.value)).toBe(true);
    const busy = await settled(app.Destroy_Task(ctx));
    expect(errorType(busy)).toBe('InvalidPowerState');
    expect(registry.get(ref)).toBe(app);
    expect((await settled(app.PowerOffVApp_Task(ctx, { force: false }))).state).toBe('success');
    expect(member.powerState).toBe('poweredOff');
    expect(app.summary.vAppState).toBe('stopped');
    const done = await settled(app.Destroy_Task(ctx));
    expect(done).toMatchObject({ state: 'success', descriptionId: 'VirtualApp.destroy' });
    expect(registry.get(ref)).toBeUndefined();
    expect(has(root.resourcePool, ref)).toBe(false);
  });

  it('CloneVApp_Task clones the vApp with its VMs (same names) and child vApps into the target pool', async () => {
    const { ctx, registry, root, folder, settled, named } = setup();
    const app = registry.require<VirtualApp>(root.CreateVApp(ctx, { name: 'app1', resSpec: { cpuAllocation: { limit: 2000 } }, configSpec: { annotation: 'web tier' } }));
    const inner = registry.require<VirtualApp>(app.CreateVApp(ctx, { name: 'inner', resSpec: {}, configSpec: {} }));
    for (const [pool, name] of [[app, 'web'], [app, 'db'], [inner, 'cache']] as const) {
      expect((await settled(pool.CreateChildVM_Task(ctx, { config: { name, files: { vmPathName: '[LocalDS_0]' } } }))).state).toBe('success');
    }
    const ds = named<Datastore>('Datastore', 'LocalDS_0');
    const vms = registry.ofType('VirtualMachine').length;
    const info = await settled(app.CloneVApp_Task(ctx, { name: 'app2', target: root.self, spec: { location: ds.self } }));
    expect(info).toMatchObject({ state: 'success', descriptionId: 'VirtualApp.clone', entity: app.self });
    const copy = registry.require<VirtualApp>(info.result as MoRef);
    expect(copy.name).toBe('app2');
    expect(has(root.resourcePool, copy.self)).toBe(true);
    expect(copy.vAppConfig.annotation).toBe('web tier');
    expect((copy.config.cpuAllocation as DataObject).limit).toBe(2000);
    const names = (pool: ResourcePool) => pool.vm.map((r) => registry.require<VirtualMachine>(r).name);
    expect(names(copy)).toEqual(['web', 'db']);
    expect(copy.vm.every((r) => registry.require<VirtualMachine>(r).parentVApp?.value === copy.self.value)).toBe(true);
    const innerCopy = registry.require<VirtualApp>(copy.resourcePool[0]!);
    expect([innerCopy.name, names(innerCopy)]).toEqual(['inner', ['cache']]);
    expect(registry.ofType('VirtualMachine')).toHaveLength(vms + 3);
    expect(folder.childEntity.some((r) => r.value === copy.self.value)).toBe(false); // a vApp is listed by its pool, not a folder
    const again = await settled(app.CloneVApp_Task(ctx, { name: 'app2', target: root.self, spec: { location: ds.self } }));
    expect(errorType(again)).toBe('DuplicateName');
    expect(registry.ofType('VirtualMachine')).toHaveLength(vms + 3);
  });
});

describe('RelocateVM_Task and MigrateVM_Task', () => {
  it('migrates a VM to another host of its cluster and posts VmMigratedEvent', async () => {
    const { ctx, registry, cluster, settled, vm, events } = setup();
    const target = vm('DC0_C0_RP0_VM0');
    const from = registry.require<HostSystem>(target.runtime.host as MoRef);
    const to = cluster.host.map((r) => registry.require<HostSystem>(r)).find((h) => h !== from)!;
    const info = await settled(target.MigrateVM_Task(ctx, { host: to.self, priority: 'defaultPriority' }));
    expect(info).toMatchObject({ state: 'success', descriptionId: 'VirtualMachine.migrate' });
    expect(target.runtime.host).toEqual(to.self);
    expect((target.summary.runtime as DataObject).host).toEqual(to.self);
    expect(has(to.vm, target.self)).toBe(true);
    expect(has(from.vm, target.self)).toBe(false);
    const event = events('VmMigratedEvent').at(-1)!;
    expect((event.sourceHost as DataObject).host).toEqual(from.self);
    expect((event.host as DataObject).host).toEqual(to.self);
  });

  it('MigrateVM_Task with a state the VM is not in is InvalidPowerState, and nothing moves', async () => {
    const { ctx, registry, cluster, settled, vm } = setup();
    const target = vm('DC0_C0_RP0_VM0');
    const from = target.runtime.host as MoRef;
    const to = cluster.host.find((r) => r.value !== from.value)!;
    const info = await settled(target.MigrateVM_Task(ctx, { host: to, priority: 'defaultPriority', state: 'poweredOff' }));
    expect(errorType(info)).toBe('InvalidPowerState');
    expect(target.runtime.host).toEqual(from);
    expect(has(registry.require<HostSystem>(to).vm, target.self)).toBe(false);
  });

  it('a host outside the pool compute resource is InvalidArgument', async () => {
    const { ctx, registry, root, standalone, settled, vm } = setup();
    const target = vm('DC0_C0_RP0_VM0');
    const info = await settled(target.RelocateVM_Task(ctx, { spec: { pool: root.self, host: standalone.host[0]! } }));
    expect(errorType(info)).toBe('InvalidArgument');
    expect(has(registry.require<HostSystem>(standalone.host[0]!).vm, target.self)).toBe(false);
  });

  it('relocates to a standalone host (and its root pool), another datastore and folder, moving files', async () => {
    const { ctx, vc, registry, dc, standalone, settled, vm, events } = setup({ ds: 2, folder: 1 });
    const target = vm('DC0_C0_RP0_VM0');
    const oldPool = registry.require<ResourcePool>(target.resourcePool!);
    const oldDs = registry.require<Datastore>(target.datastore[0]!);
    const newDs = dc.datastore.map((r) => registry.require<Datastore>(r)).find((d) => d !== oldDs)!;
    const newFolder = registry.ofType<Folder>('Folder').find((f) => f.childType.includes('VirtualMachine') && f.self.value !== dc.vmFolder.value)!;
    expect(newFolder).toBeDefined();
    const host = registry.require<HostSystem>(standalone.host[0]!);
    const freeOld = oldDs.summary.freeSpace as number;
    const freeNew = newDs.summary.freeSpace as number;
    const info = await settled(target.RelocateVM_Task(ctx, { spec: { host: host.self, datastore: newDs.self, folder: newFolder.self } }));
    expect(info).toMatchObject({ state: 'success', descriptionId: 'VirtualMachine.relocate' });
    expect(target.resourcePool).toEqual(standalone.resourcePool);
    expect(has(oldPool.vm, target.self)).toBe(false);
    expect(has(registry.require<ResourcePool>(standalone.resourcePool!).vm, target.self)).toBe(true);
    expect(target.runtime.host).toEqual(host.self);
    expect(target.datastore).toEqual([newDs.self]);
    expect(has(newDs.vm, target.self)).toBe(true);
    expect(has(oldDs.vm, target.self)).toBe(false);
    expect((target.config!.files as DataObject).vmPathName).toBe(`[${newDs.name}] DC0_C0_RP0_VM0/DC0_C0_RP0_VM0.vmx`);
    expect((target.summary.config as DataObject).vmPathName).toBe(`[${newDs.name}] DC0_C0_RP0_VM0/DC0_C0_RP0_VM0.vmx`);
    const disk = ((target.config!.hardware as DataObject).device as DataObject[]).find((d) => d._type === 'VirtualDisk')!;
    expect(String((disk.backing as DataObject).fileName)).toMatch(new RegExp(`^\\[${newDs.name}\\]`));
    expect((disk.backing as DataObject).datastore).toEqual(newDs.self);
    expect(oldDs.summary.freeSpace).toBeGreaterThan(freeOld);
    expect(newDs.summary.freeSpace).toBeLessThan(freeNew);
    expect(target.parent).toEqual(newFolder.self);
    expect(has(newFolder.childEntity, target.self)).toBe(true);
    const event = events('VmRelocatedEvent').at(-1)!;
    expect((event.sourceDatastore as DataObject).datastore).toEqual(oldDs.self);
    expect((event.sourceHost as DataObject).name).toMatch(/^DC0_C0_H/);
    void vc;
  });
});

describe('Folder.RegisterVM_Task', () => {
  it('re-registers an unregistered VM at its path; a path in use is AlreadyExists', async () => {
    const { ctx, registry, folder, root, settled, vm, events } = setup();
    const old = vm('DC0_C0_RP0_VM1');
    const path = (old.config!.files as DataObject).vmPathName as string;
    const inUse = await settled(folder.RegisterVM_Task(ctx, { path, asTemplate: false, pool: root.self }));
    expect(errorType(inUse)).toBe('AlreadyExists');
    (await settled(old.PowerOffVM_Task(ctx)));
    old.UnregisterVM(ctx);
    expect(registry.get(old.self)).toBeUndefined();
    const info = await settled(folder.RegisterVM_Task(ctx, { path, asTemplate: false, pool: root.self }));
    expect(info).toMatchObject({ state: 'success', descriptionId: 'Folder.registerVm' });
    const registered = registry.require<VirtualMachine>(info.result as MoRef);
    expect(registered.name).toBe('DC0_C0_RP0_VM1');
    expect((registered.config!.files as DataObject).vmPathName).toBe(path);
    expect(registered.powerState).toBe('poweredOff');
    expect(registered.resourcePool).toEqual(root.self);
    expect(has(root.vm, registered.self)).toBe(true);
    expect(has(folder.childEntity, registered.self)).toBe(true);
    expect(has(registry.require<HostSystem>(registered.runtime.host as MoRef).vm, registered.self)).toBe(true);
    expect(events('VmRegisteredEvent').at(-1)!.vm).toMatchObject({ vm: registered.self, name: 'DC0_C0_RP0_VM1' });
  });

  it('registers a template on a host with a given name; argument faults as vCenter', async () => {
    const { ctx, registry, folder, root, cluster, settled } = setup();
    const host = cluster.host[0]!;
    const info = await settled(folder.RegisterVM_Task(ctx, { path: '[LocalDS_0] tpl/tpl.vmx', name: 'golden', asTemplate: true, host }));
    expect(info.state).toBe('success');
    const tpl = registry.require<VirtualMachine>(info.result as MoRef);
    expect(tpl.name).toBe('golden');
    expect(tpl.config!.template).toBe(true);
    expect(errorType(await settled(folder.RegisterVM_Task(ctx, { path: '[LocalDS_0] x/x.vmx', asTemplate: true })))).toBe('InvalidArgument');
    expect(errorType(await settled(folder.RegisterVM_Task(ctx, { path: '[LocalDS_0] x/x.vmx', asTemplate: false })))).toBe('InvalidArgument');
    expect(errorType(await settled(folder.RegisterVM_Task(ctx, { path: '[nope] x/x.vmx', asTemplate: false, pool: root.self })))).toBe('InvalidDatastore');
    expect(errorType(await settled(folder.RegisterVM_Task(ctx, { path: '[LocalDS_0] y/y.vmx', name: 'golden', asTemplate: false, pool: root.self })))).toBe('DuplicateName');
  });
});
