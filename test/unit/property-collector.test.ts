import { beforeEach, describe, expect, it } from 'vitest';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { CallContext } from '../../models/core/managed-object.js';
import { MoRef, Typed, type DataObject } from '../../models/core/moref.js';
import type { PropertyCollector } from '../../models/core/property-collector.js';
import type { PropertyFilterSpec } from '../../models/core/property-retrieval.js';
import { VCenter } from '../../models/vcenter.js';
import type { ViewManager } from '../../models/core/view-manager.js';
import type { ListView } from '../../models/core/views.js';
import { expectFault } from '../support/faults.js';
import type { ManagedObject } from '../../models/core/managed-object.js';
import type { ResourcePool } from '../../models/cluster/resource-pool.js';
import type { HostSystem } from '../../models/host/host-system.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';

async function waitFor(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
}

let vc: VCenter;
let ctx: CallContext;
let pc: PropertyCollector;

function login(): CallContext {
  const context: CallContext = { vc };
  vc.sessionManager.Login(context, { userName: 'user', password: 'pass' });
  return context;
}

const vmRefs = () => vc.registry.ofType('VirtualMachine').map((vm) => vm.self);
const values = (contents: DataObject[] | undefined) =>
  (contents ?? []).map((c) => Object.fromEntries((c.propSet as { name: string; val: Typed }[]).map((p) => [p.name, p.val.value])));

function containerView(type: string[]): MoRef {
  const vm = vc.resolve(vc.content.viewManager as MoRef, ctx.session) as ViewManager;
  return vm.CreateContainerView(ctx, { container: vc.rootFolder, type, recursive: true });
}

const viewSpec = (view: MoRef, type: string, pathSet: string[]): PropertyFilterSpec => ({
  propSet: [{ type, pathSet }],
  objectSet: [{ obj: view, skip: true, selectSet: [{ _type: 'TraversalSpec', type: view.type, path: 'view' } as never] }],
});

beforeEach(() => {
  vc = new VCenter({ topology: topologyFromFlags({}), seed: 1 });
  ctx = login();
  pc = vc.resolve(vc.content.propertyCollector as MoRef, ctx.session) as PropertyCollector;
});

describe('retrieval', () => {
  it('reads nested paths of every VM through a container view, typed for the wire', () => {
    const contents = pc.RetrieveProperties(ctx, { specSet: [viewSpec(containerView(['VirtualMachine']), 'VirtualMachine', ['name', 'config.hardware.numCPU'])] });
    expect(contents).toHaveLength(4);
    expect(values(contents).map((v) => v.name).sort()).toEqual(['DC0_C0_RP0_VM0', 'DC0_C0_RP0_VM1', 'DC0_H0_VM0', 'DC0_H0_VM1']);
    const cpu = (contents[0]!.propSet as { name: string; val: Typed }[]).find((p) => p.name === 'config.hardware.numCPU')!;
    expect(cpu.val.type).toBe('int');
  });

  it('pages with maxObjects and tokens until the last page, then forgets the token', async () => {
    const spec = viewSpec(containerView(['VirtualMachine']), 'VirtualMachine', ['name']);
    const first = pc.RetrievePropertiesEx(ctx, { specSet: [spec], options: { maxObjects: 3 } })!;
    expect(first.objects).toHaveLength(3);
    const second = pc.ContinueRetrievePropertiesEx(ctx, { token: first.token as string })!;
    expect(second.objects).toHaveLength(1);
    expect(second.token).toBeUndefined();
    await expectFault(() => pc.ContinueRetrievePropertiesEx(ctx, { token: first.token as string }), 'InvalidArgument');
  });

  it('cancels a paged retrieval', async () => {
    const spec = viewSpec(containerView(['VirtualMachine']), 'VirtualMachine', ['name']);
    const first = pc.RetrievePropertiesEx(ctx, { specSet: [spec], options: { maxObjects: 1 } })!;
    pc.CancelRetrievePropertiesEx(ctx, { token: first.token as string });
    await expectFault(() => pc.ContinueRetrievePropertiesEx(ctx, { token: first.token as string }), 'InvalidArgument');
  });

  it('terminates mutually recursive traversal specs and finds every pool and folder', () => {
    const rpToRp = { _type: 'TraversalSpec', name: 'rpToRp', type: 'ResourcePool', path: 'resourcePool', selectSet: [{ name: 'rpToRp' }] };
    const visitFolders = {
      _type: 'TraversalSpec', name: 'visitFolders', type: 'Folder', path: 'childEntity',
      selectSet: [{ name: 'visitFolders' }, { name: 'dcToHf' }, { name: 'crToRp' }],
    };
    const dcToHf = { _type: 'TraversalSpec', name: 'dcToHf', type: 'Datacenter', path: 'hostFolder', selectSet: [{ name: 'visitFolders' }] };
    const crToRp = { _type: 'TraversalSpec', name: 'crToRp', type: 'ComputeResource', path: 'resourcePool', selectSet: [{ name: 'rpToRp' }] };
    const spec: PropertyFilterSpec = {
      propSet: [{ type: 'ManagedEntity', pathSet: ['name'] }],
      objectSet: [{ obj: vc.rootFolder, selectSet: [visitFolders, dcToHf, crToRp, rpToRp] as never }],
    };
    const found = pc.RetrieveProperties(ctx, { specSet: [spec] }).map((c) => (c.obj as MoRef).value);
    for (const pool of vc.registry.ofType('ResourcePool')) expect(found).toContain(pool.self.value);
    expect(found).toContain(vc.rootFolder.value);
    expect(new Set(found).size).toBe(found.length);
  });

  it('throws InvalidProperty for an unknown path and ManagedObjectNotFound for an unknown object', async () => {
    const [vm] = vmRefs();
    await expectFault(() => pc.RetrieveProperties(ctx, { specSet: [{ propSet: [{ type: 'VirtualMachine', pathSet: ['nope'] }], objectSet: [{ obj: vm! }] }] }), 'InvalidProperty');
    const ghost = new MoRef('VirtualMachine', 'vm-999999');
    await expectFault(() => pc.RetrieveProperties(ctx, { specSet: [{ propSet: [{ type: 'VirtualMachine', pathSet: ['name'] }], objectSet: [{ obj: ghost }] }] }), 'ManagedObjectNotFound');
  });
});

describe('updates', () => {
  const filterOn = (vm: MoRef) => pc.CreateFilter(ctx, { spec: { propSet: [{ type: 'VirtualMachine', pathSet: ['name', 'runtime.powerState'] }], objectSet: [{ obj: vm }] }, partialUpdates: false });
  const objectUpdates = (set: DataObject | undefined) => ((set?.filterSet as DataObject[] | undefined) ?? []).flatMap((f) => f.objectSet as DataObject[]);

  it('reports every object as entering first, then only what changed', async () => {
    const [vm] = vmRefs();
    filterOn(vm!);
    const first = await pc.WaitForUpdatesEx(ctx, { version: '', options: { maxWaitSeconds: 0 } });
    expect(objectUpdates(first).map((u) => u.kind)).toEqual(['enter']);
    expect((objectUpdates(first)[0]!.changeSet as DataObject[]).map((c) => c.name).sort()).toEqual(['name', 'runtime.powerState']);

    expect(await pc.WaitForUpdatesEx(ctx, { version: first!.version as string, options: { maxWaitSeconds: 0 } })).toBeUndefined();

    vc.setProperty(vm!, 'runtime.powerState', 'poweredOff');
    const second = await pc.WaitForUpdatesEx(ctx, { version: first!.version as string, options: { maxWaitSeconds: 0 } });
    const [change] = objectUpdates(second)[0]!.changeSet as { name: string; op: string; val: Typed }[];
    expect(objectUpdates(second)[0]!.kind).toBe('modify');
    expect(change).toMatchObject({ name: 'runtime.powerState', op: 'assign' });
    expect(change!.val.value).toBe('poweredOff');
  });

  it('wakes a long poll when a property changes', async () => {
    const [vm] = vmRefs();
    filterOn(vm!);
    const first = await pc.WaitForUpdatesEx(ctx, { version: '', options: {} });
    const started = Date.now();
    setTimeout(() => vc.setProperty(vm!, 'name', 'renamed'), 50);
    const next = await pc.WaitForUpdatesEx(ctx, { version: first!.version as string, options: { maxWaitSeconds: 10 } });
    expect(Date.now() - started).toBeLessThan(5000);
    expect((objectUpdates(next)[0]!.changeSet as { val: Typed }[])[0]!.val.value).toBe('renamed');
  });

  it('times out a long poll with nothing', async () => {
    filterOn(vmRefs()[0]!);
    const first = await pc.WaitForUpdatesEx(ctx, { version: '' });
    expect(await pc.WaitForUpdatesEx(ctx, { version: first!.version as string, options: { maxWaitSeconds: 0.1 } })).toBeUndefined();
  });

  it('reports an object that is gone as leaving', async () => {
    const view = containerView(['VirtualMachine']);
    pc.CreateFilter(ctx, { spec: viewSpec(view, 'VirtualMachine', ['name']), partialUpdates: false });
    const first = await pc.WaitForUpdatesEx(ctx, { version: '' });
    expect(objectUpdates(first)).toHaveLength(4);
    const [gone] = vmRefs();
    vc.registry.remove(gone!);
    const next = await pc.WaitForUpdatesEx(ctx, { version: first!.version as string, options: { maxWaitSeconds: 0 } });
    expect(objectUpdates(next).filter((u) => u.kind === 'leave').map((u) => (u.obj as MoRef).value)).toEqual([gone!.value]);
  });

  it('cancels a waiting WaitForUpdates with RequestCanceled', async () => {
    filterOn(vmRefs()[0]!);
    const first = await pc.WaitForUpdatesEx(ctx, { version: '' });
    const waiting = pc.WaitForUpdates(ctx, { version: first!.version as string });
    setTimeout(() => pc.CancelWaitForUpdates(), 20);
    await expectFault(() => waiting, 'RequestCanceled');
  });

  it('rejects a version it never gave', async () => {
    filterOn(vmRefs()[0]!);
    await expectFault(() => pc.WaitForUpdatesEx(ctx, { version: '9999' }), 'InvalidCollectorVersion');
  });

  it('answers CheckForUpdates at once', async () => {
    filterOn(vmRefs()[0]!);
    const first = pc.CheckForUpdates(ctx, { version: '' });
    expect(objectUpdates(first)).toHaveLength(1);
    expect(pc.CheckForUpdates(ctx, { version: first!.version as string })).toBeUndefined();
  });
});

describe('views', () => {
  it('a list view reports the objects it could not resolve', () => {
    const viewManager = vc.resolve(vc.content.viewManager as MoRef, ctx.session) as ViewManager;
    const [a, b] = vmRefs();
    const ref = viewManager.CreateListView(ctx, { obj: [a!] });
    const list = vc.resolve(ref, ctx.session) as ListView;
    const unresolved = list.ModifyListView(ctx, { add: [b!, new MoRef('VirtualMachine', 'vm-404')], remove: [a!] });
    expect(unresolved.map((r) => r.value)).toEqual(['vm-404']);
    expect(list.view.map((r) => r.value)).toEqual([b!.value]);
  });

  it("a container view of a pool or host follows a VM that moves between them", async () => {
    const vmObj = vc.registry.ofType<VirtualMachine>('VirtualMachine').find((v) => v.name === 'DC0_C0_RP0_VM0')!;
    const rootPool = vc.registry.require<ResourcePool>(vmObj.resourcePool!);
    const child = rootPool.CreateResourcePool(ctx, { name: 'moved-here', spec: rootPool.config as never });
    const viewManager = vc.resolve(vc.content.viewManager as MoRef, ctx.session) as ViewManager;
    const viewOf = (container: MoRef) => vc.resolve(viewManager.CreateContainerView(ctx, { container, type: ['VirtualMachine'], recursive: false }), ctx.session);
    const inChild = viewOf(child);
    const onTarget = viewOf(vc.registry.ofType<HostSystem>('HostSystem').find((h) => h.name === 'DC0_C0_H0')!.self);
    const names = (view: ManagedObject) => (view.read('view', ctx) as MoRef[]).map((r) => vc.registry.get(r)!.self.value);
    expect(names(inChild)).toEqual([]);
    const before = names(onTarget);
    const task = vmObj.RelocateVM_Task(ctx, { spec: { pool: child, host: vc.registry.ofType<HostSystem>('HostSystem').find((h) => h.name === 'DC0_C0_H0')!.self } as never });
    await waitFor(() => (vc.registry.require(task) as unknown as { info: DataObject }).info.state === 'success');
    expect(names(inChild)).toEqual([vmObj.self.value]);
    expect(names(onTarget)).toEqual([...before.filter((id) => id !== vmObj.self.value), vmObj.self.value]);
  });

  it('views belong to their session and die with it', async () => {
    const view = containerView(['VirtualMachine']);
    expect(vc.resolve(view, ctx.session)).toBeDefined();
    vc.sessionManager.Logout(ctx);
    const other = login();
    await expectFault(() => vc.resolve(view, other.session), 'ManagedObjectNotFound');
  });
});

describe('retrieval without a session', () => {
  it('answers the properties anyone may read (System.Anonymous) and NotAuthenticated for the rest, as pyVim\'s login stubs need', () => {
    const anonymous: CallContext = { vc };
    const specSet = [
      { propSet: [{ type: 'ServiceInstance', pathSet: ['content.about.apiType', 'serverClock'] }], objectSet: [{ obj: new MoRef('ServiceInstance', 'ServiceInstance') }] },
      { propSet: [{ type: 'SessionManager', pathSet: ['currentSession', 'defaultLocale', 'sessionList'] }], objectSet: [{ obj: vc.sessionManager.self }] },
    ];
    const contents = pc.RetrieveProperties(anonymous, { specSet }) as DataObject[];
    expect(contents.map((c) => [(c.propSet as { name: string; val: Typed }[] | undefined)?.map((p) => [p.name, p.val.value]), (c.missingSet as DataObject[] | undefined)?.map((m) => [m.path, (m.fault as DataObject & { fault: DataObject }).fault._type])])).toEqual([
      [[['content.about.apiType', 'VirtualCenter']], [['serverClock', 'NotAuthenticated']]],
      [[['defaultLocale', 'en']], [['sessionList', 'NotAuthenticated']]],
    ]);
  });
});
