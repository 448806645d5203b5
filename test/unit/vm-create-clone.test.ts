import { describe, expect, it } from 'vitest';
import type { ClusterComputeResource } from '../../models/cluster/cluster-compute-resource.js';
import type { Datacenter } from '../../models/core/datacenter.js';
import type { Datastore } from '../../models/storage/datastore.js';
import type { Folder } from '../../models/core/folder.js';
import type { HostSystem } from '../../models/host/host-system.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { Network } from '../../models/network/network.js';
import type { ResourcePool } from '../../models/cluster/resource-pool.js';
import type { Task } from '../../models/core/task.js';
import { VCenter } from '../../models/vcenter.js';
import type { VCenterOptions } from '../../models/core/vcenter-options.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import type { CreateConfigSpec } from '../../models/vm/vm-provisioning.js';

function setup(options: Partial<VCenterOptions> = {}) {
  const vc = new VCenter({ topology: topologyFromFlags({}), seed: 1, ...options });
  const ctx: CallContext = { vc };
  vc.sessionManager.Login(ctx, { userName: 'alice', password: 'x' });
  const { registry } = vc;
  const named = <T extends ManagedEntity>(type: string, name: string) => registry.ofType<T>(type).find((o) => o.name === name)!;
  const dc = named<Datacenter>('Datacenter', 'DC0');
  const folder = registry.require<Folder>(dc.vmFolder);
  const cluster = named<ClusterComputeResource>('ClusterComputeResource', 'DC0_C0');
  const pool = registry.require<ResourcePool>(cluster.resourcePool!);
  const ds = named<Datastore>('Datastore', 'LocalDS_0');
  const network = named<Network>('Network', 'VM Network');
  const task = (ref: MoRef) => registry.require<Task>(ref);
  const settled = (ref: MoRef) => vc.registry.require<Task>(ref).completion();
  const vmOf = (info: DataObject) => registry.require<VirtualMachine>(info.result as MoRef);
  return { vc, ctx, registry, dc, folder, cluster, pool, ds, network, task, settled, vmOf };
}

const has = (list: MoRef[], ref: MoRef) => list.some((r) => r.value === ref.value);

function fullSpec(name: string, extra: DataObject = {}): CreateConfigSpec {
  return {
    name,
    guestId: 'otherLinux64Guest',
    numCPUs: 2,
    memoryMB: 128,
    files: { vmPathName: '[LocalDS_0]' },
    deviceChange: [
      { operation: 'add', device: { _type: 'VirtualLsiLogicController', key: -100, busNumber: 0, sharedBus: 'noSharing' } },
      {
        operation: 'add',
        fileOperation: 'create',
        device: { _type: 'VirtualDisk', key: -101, controllerKey: -100, capacityInKB: 1024 * 1024, backing: { _type: 'VirtualDiskFlatVer2BackingInfo', fileName: '', diskMode: 'persistent', thinProvisioned: true } },
      },
      { operation: 'add', device: { _type: 'VirtualVmxnet3', key: -102, backing: { _type: 'VirtualEthernetCardNetworkBackingInfo', deviceName: 'VM Network' } } },
    ],
    ...extra,
  };
}

describe('CreateVM_Task', () => {
  it('creates a powered-off VM with the default devices and the spec devices, linked both ways', async () => {
    const { ctx, vc, folder, pool, ds, network, cluster, settled, vmOf } = setup();
    const freeBefore = ds.summary.freeSpace as number;
    const vmsBefore = (cluster.summary.usageSummary as DataObject).totalVmCount as number;
    const info = await settled(folder.CreateVM_Task(ctx, { config: fullSpec('web1'), pool: pool.self }));
    expect(info).toMatchObject({ state: 'success', descriptionId: 'Folder.createVm', entity: folder.self });
    const vm = vmOf(info);
    expect(vm.self.value).toMatch(/^vm-\d+$/);
    expect(vm.name).toBe('web1');
    expect(vm.powerState).toBe('poweredOff');
    const config = vm.config!;
    expect(config).toMatchObject({ name: 'web1', guestId: 'otherLinux64Guest', template: false, files: { vmPathName: '[LocalDS_0] web1/web1.vmx' } });
    expect(config.hardware).toMatchObject({ numCPU: 2, memoryMB: 128 });
    const devices = (config.hardware as DataObject).device as DataObject[];
    const types = devices.map((d) => d._type);
    for (const t of ['VirtualIDEController', 'VirtualPCIController', 'VirtualPS2Controller', 'VirtualSIOController', 'VirtualKeyboard', 'VirtualPointingDevice', 'VirtualMachineVideoCard']) {
      expect(types).toContain(t);
    }
    expect(types.filter((t) => t === 'VirtualIDEController')).toHaveLength(2);
    const controller = devices.find((d) => d._type === 'VirtualLsiLogicController')!;
    const disk = devices.find((d) => d._type === 'VirtualDisk')!;
    const nic = devices.find((d) => d._type === 'VirtualVmxnet3')!;
    expect(disk).toMatchObject({ controllerKey: controller.key, capacityInBytes: 1024 ** 3, deviceInfo: { label: 'Hard disk 1' } });
    expect((disk.backing as DataObject).fileName).toBe('[LocalDS_0] web1/web1.vmdk');
    expect(controller.device).toEqual([disk.key]);
    expect(nic.macAddress).toMatch(/^00:50:56:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/);
    expect((nic.backing as DataObject).network).toEqual(network.self);
    expect(vm.summary.config).toMatchObject({ name: 'web1', numCpu: 2, memorySizeMB: 128, numVirtualDisks: 1, numEthernetCards: 1, vmPathName: '[LocalDS_0] web1/web1.vmx' });
    expect(vm.summary.runtime).toBe(vm.runtime);
    // Links both ways.
    const host = vc.registry.require<HostSystem>(vm.runtime.host as MoRef);
    expect(vm.parent).toEqual(folder.self);
    expect(has(folder.childEntity, vm.self)).toBe(true);
    expect(vm.resourcePool).toEqual(pool.self);
    expect(has(pool.vm, vm.self)).toBe(true);
    expect(has(cluster.host, host.self)).toBe(true);
    expect(has(host.vm, vm.self)).toBe(true);
    expect(vm.datastore).toEqual([ds.self]);
    expect(has(ds.vm, vm.self)).toBe(true);
    expect(vm.network).toEqual([network.self]);
    expect(has(network.vm, vm.self)).toBe(true);
    expect(vm.environmentBrowser).toEqual(cluster.environmentBrowser);
    expect((cluster.summary.usageSummary as DataObject).totalVmCount).toBe(vmsBefore + 1);
    expect(freeBefore - (ds.summary.freeSpace as number)).toBeGreaterThanOrEqual(1024 ** 3);
    expect(ds.info.freeSpace).toBe(ds.summary.freeSpace);
    // Events, on the task's chain.
    const events = vc.events.QueryEvents(ctx, { filter: { eventChainId: info.eventChainId as number } });
    expect(events.map((e) => e._type)).toEqual(['TaskEvent', 'VmBeingCreatedEvent', 'VmCreatedEvent']);
    expect(events[2]).toMatchObject({ vm: { vm: vm.self, name: 'web1' }, host: { host: host.self }, userName: 'alice' });
  });

  it('powers on the new VM, with its guest getting an address', async () => {
    const { ctx, folder, pool, settled, vmOf } = setup();
    const vm = vmOf(await settled(folder.CreateVM_Task(ctx, { config: fullSpec('web1'), pool: pool.self })));
    expect(vm.guest?.ipAddress).toBeUndefined();
    expect((await settled(vm.PowerOnVM_Task(ctx, {}))).state).toBe('success');
    expect(vm.guest?.ipAddress).toMatch(/^10\./);
    expect((vm.guest?.net as DataObject[])[0]).toMatchObject({ network: 'VM Network' });
  });

  it('uses defaults for a bare spec and honours an explicit host and full path', async () => {
    const { ctx, vc, folder, pool, settled, vmOf } = setup();
    const standalone = vc.registry.ofType<HostSystem>('HostSystem').find((h) => h.name === 'DC0_H0')!;
    const h0pool = vc.registry.ofType<ResourcePool>('ResourcePool').find((p) => p.owner?.value === standalone.parent!.value)!;
    const vm = vmOf(await settled(folder.CreateVM_Task(ctx, { config: { name: 'bare', files: { vmPathName: '[LocalDS_0] dir/bare.vmx' } }, pool: h0pool.self, host: standalone.self })));
    expect(vm.config!.hardware).toMatchObject({ numCPU: 1, memoryMB: 32 });
    expect(vm.runtime.host).toEqual(standalone.self);
    expect(vm.config!.files).toMatchObject({ vmPathName: '[LocalDS_0] dir/bare.vmx', logDirectory: '[LocalDS_0] dir' });
    expect(vm.summary.config).toMatchObject({ numVirtualDisks: 0, numEthernetCards: 0 });
    void pool;
  });

  it('gives the same VM the same moref, UUIDs and MACs for the same seed', async () => {
    const make = async () => {
      const { ctx, folder, pool, settled, vmOf } = setup();
      const vm = vmOf(await settled(folder.CreateVM_Task(ctx, { config: fullSpec('web1'), pool: pool.self })));
      const nic = ((vm.config!.hardware as DataObject).device as DataObject[]).find((d) => d._type === 'VirtualVmxnet3')!;
      return [vm.self.value, vm.config!.uuid, vm.config!.instanceUuid, nic.macAddress, vm.runtime.host];
    };
    const [a, b] = [await make(), await make()];
    expect(a).toEqual(b);
    expect(a[1]).not.toEqual(a[2]);
  });

  const faultCases: [string, (s: ReturnType<typeof setup>) => DataObject, string][] = [
    ['an empty name', () => ({ config: fullSpec('') }), 'InvalidName'],
    ['a duplicate name', () => ({ config: fullSpec('DC0_H0_VM0') }), 'DuplicateName'],
    ['an unknown datastore', () => ({ config: fullSpec('x', { files: { vmPathName: '[NoSuchDS]' } }) }), 'InvalidDatastore'],
    ['a path without a datastore', () => ({ config: fullSpec('x', { files: { vmPathName: 'nowhere' } }) }), 'InvalidDatastorePath'],
    ['an existing .vmx', () => ({ config: fullSpec('x', { files: { vmPathName: '[LocalDS_0] DC0_H0_VM0/DC0_H0_VM0.vmx' } }) }), 'FileAlreadyExists'],
    [
      'an unknown network',
      () => ({ config: fullSpec('x', { deviceChange: [{ operation: 'add', device: { _type: 'VirtualE1000', backing: { _type: 'VirtualEthernetCardNetworkBackingInfo', deviceName: 'Nope' } } }] }) }),
      'NotFound',
    ],
    [
      'a bad controller key',
      () => ({ config: fullSpec('x', { deviceChange: [{ operation: 'add', device: { _type: 'VirtualDisk', controllerKey: 999, capacityInKB: 1024 } }] }) }),
      'InvalidDeviceSpec',
    ],
    ['a full datastore', (s) => ((s.ds.summary.freeSpace = 1024), (s.ds.info.freeSpace = 1024), { config: fullSpec('x') }), 'InsufficientStorageSpace'],
  ];
  for (const [what, args, fault] of faultCases) {
    it(`fails with ${fault} for ${what}, the inventory unchanged`, async () => {
      const s = setup();
      const { ctx, vc, folder, pool, ds, network, settled } = s;
      const input = args(s);
      const before = { vms: vc.registry.ofType('VirtualMachine').length, children: folder.childEntity.length, pool: pool.vm.length, ds: ds.vm.length, net: network.vm.length, free: ds.summary.freeSpace };
      const info = await settled(folder.CreateVM_Task(ctx, { pool: pool.self, ...input } as never));
      expect(info.state).toBe('error');
      expect((info.error as DataObject).fault).toMatchObject({ _type: fault });
      expect({ vms: vc.registry.ofType('VirtualMachine').length, children: folder.childEntity.length, pool: pool.vm.length, ds: ds.vm.length, net: network.vm.length, free: ds.summary.freeSpace }).toEqual(before);
      expect(vc.events.QueryEvents(ctx, { filter: { eventChainId: info.eventChainId as number } }).map((e) => e._type)).toEqual(['TaskEvent']);
    });
  }
});

describe('CloneVM_Task', () => {
  it('clones a VM: a new identity, files under the new folder, new MACs, the source untouched', async () => {
    const { ctx, vc, folder, pool, ds, network, settled, vmOf } = setup();
    const source = vmOf(await settled(folder.CreateVM_Task(ctx, { config: fullSpec('web1'), pool: pool.self })));
    const sourceConfig = JSON.stringify(source.config);
    const info = await settled(source.CloneVM_Task(ctx, { folder: folder.self, name: 'web2', spec: { location: {}, powerOn: false, template: false } }));
    expect(info).toMatchObject({ state: 'success', descriptionId: 'VirtualMachine.clone', entity: source.self, cancelable: true });
    const clone = vmOf(info);
    expect(clone.self).not.toEqual(source.self);
    expect(clone.name).toBe('web2');
    expect(clone.config!.uuid).not.toBe(source.config!.uuid);
    expect(clone.config!.instanceUuid).not.toBe(source.config!.instanceUuid);
    expect(clone.config!.files).toMatchObject({ vmPathName: '[LocalDS_0] web2/web2.vmx' });
    expect(clone.config!.hardware).toMatchObject({ numCPU: 2, memoryMB: 128 });
    const devices = (vm: VirtualMachine) => (vm.config!.hardware as DataObject).device as DataObject[];
    const disk = devices(clone).find((d) => d._type === 'VirtualDisk')!;
    expect((disk.backing as DataObject).fileName).toBe('[LocalDS_0] web2/web2.vmdk');
    const mac = (vm: VirtualMachine) => devices(vm).find((d) => d._type === 'VirtualVmxnet3')!.macAddress;
    expect(mac(clone)).not.toBe(mac(source));
    expect(JSON.stringify(source.config)).toBe(sourceConfig);
    expect(clone.powerState).toBe('poweredOff');
    expect(clone.resourcePool).toEqual(pool.self);
    expect(has(pool.vm, clone.self) && has(ds.vm, clone.self) && has(network.vm, clone.self) && has(folder.childEntity, clone.self)).toBe(true);
    expect(clone.summary.config).toMatchObject({ name: 'web2', numVirtualDisks: 1, numEthernetCards: 1 });
    const events = vc.events.QueryEvents(ctx, { filter: { eventChainId: info.eventChainId as number } });
    expect(events.map((e) => e._type)).toEqual(['TaskEvent', 'VmBeingClonedEvent', 'VmClonedEvent']);
    expect(events[1]).toMatchObject({ vm: { vm: source.self }, destName: 'web2', destFolder: { folder: folder.self } });
    expect(events[2]).toMatchObject({ vm: { vm: clone.self, name: 'web2' }, sourceVm: { vm: source.self } });
  });

  it('clones a model VM to a template, then the template to a powered-on VM with a config change', async () => {
    const { ctx, vc, folder, pool, settled, vmOf } = setup();
    const source = vc.registry.ofType<VirtualMachine>('VirtualMachine').find((v) => v.name === 'DC0_C0_RP0_VM0')!;
    const template = vmOf(await settled(source.CloneVM_Task(ctx, { folder: folder.self, name: 'tmpl', spec: { location: {}, template: true, powerOn: false } })));
    expect(template.config!.template).toBe(true);
    expect(template.summary.config).toMatchObject({ template: true });
    expect(template.resourcePool).toBeUndefined();
    expect(source.config!.template).toBe(false);
    const info = await settled(
      template.CloneVM_Task(ctx, { folder: folder.self, name: 'fromTmpl', spec: { location: { pool: pool.self }, template: false, powerOn: true, config: { numCPUs: 4 }, customization: { _type: 'CustomizationSpec' } } }),
    );
    expect(info.state).toBe('success');
    const vm = vmOf(info);
    expect(vm.config!.template).toBe(false);
    expect(vm.powerState).toBe('poweredOn');
    expect(vm.config!.hardware).toMatchObject({ numCPU: 4 });
    expect(vm.guest?.ipAddress).toMatch(/^10\./);
    expect(vc.events.QueryEvents(ctx, { filter: { eventChainId: info.eventChainId as number } }).map((e) => e._type)).toEqual([
      'TaskEvent', 'VmBeingClonedEvent', 'VmStartingEvent', 'VmPoweredOnEvent', 'VmClonedEvent',
    ]);
  });

  it('fails with DuplicateName in the target folder, leaving no VM', async () => {
    const { ctx, vc, folder, settled } = setup();
    const source = vc.registry.ofType<VirtualMachine>('VirtualMachine').find((v) => v.name === 'DC0_H0_VM0')!;
    const count = vc.registry.ofType('VirtualMachine').length;
    const info = await settled(source.CloneVM_Task(ctx, { folder: folder.self, name: 'DC0_H0_VM1', spec: { location: {}, template: false, powerOn: false } }));
    expect((info.error as DataObject).fault).toMatchObject({ _type: 'DuplicateName' });
    expect(vc.registry.ofType('VirtualMachine')).toHaveLength(count);
  });

  it('cancels a running clone: RequestCanceled and no VM behind', async () => {
    const { ctx, vc, folder, ds, task, settled } = setup({ methodDelayMs: { CloneVM_Task: 300 } });
    const source = vc.registry.ofType<VirtualMachine>('VirtualMachine').find((v) => v.name === 'DC0_H0_VM0')!;
    const count = vc.registry.ofType('VirtualMachine').length;
    const free = ds.summary.freeSpace;
    const ref = source.CloneVM_Task(ctx, { folder: folder.self, name: 'never', spec: { location: {}, template: false, powerOn: false } });
    await new Promise((r) => setTimeout(r, 30));
    task(ref).CancelTask(ctx);
    const info = await settled(ref);
    expect(info).toMatchObject({ state: 'error', cancelled: true, error: { fault: { _type: 'RequestCanceled' } } });
    await new Promise((r) => setTimeout(r, 400));
    expect(vc.registry.ofType('VirtualMachine')).toHaveLength(count);
    expect(vc.registry.ofType<VirtualMachine>('VirtualMachine').some((v) => v.name === 'never')).toBe(false);
    expect(ds.summary.freeSpace).toBe(free);
  });

  it('destroys a created VM and its clone, unlinking both and giving their space back', async () => {
    const { ctx, vc, folder, pool, ds, settled, vmOf } = setup();
    const free = ds.summary.freeSpace as number;
    const vm = vmOf(await settled(folder.CreateVM_Task(ctx, { config: fullSpec('web1'), pool: pool.self })));
    const clone = vmOf(await settled(vm.CloneVM_Task(ctx, { folder: folder.self, name: 'web2', spec: { location: {}, template: false, powerOn: false } })));
    expect(ds.summary.freeSpace).toBeLessThan(free - 2 * 1024 * 1024 * 1024);
    for (const v of [vm, clone]) expect((await settled(v.Destroy_Task(ctx))).state).toBe('success');
    expect(vc.registry.get(vm.self)).toBeUndefined();
    expect(has(folder.childEntity, clone.self) || has(pool.vm, vm.self) || has(ds.vm, clone.self)).toBe(false);
    expect([ds.summary.freeSpace, ds.info.freeSpace]).toEqual([free, free]);
  });

  it('an unregistered VM keeps its files, and their space, on the datastore', async () => {
    const { ctx, folder, pool, ds, settled, vmOf } = setup();
    const vm = vmOf(await settled(folder.CreateVM_Task(ctx, { config: fullSpec('web1'), pool: pool.self })));
    const free = ds.summary.freeSpace;
    vm.UnregisterVM(ctx);
    expect(ds.summary.freeSpace).toBe(free);
  });

  it('makes a linked clone from a snapshot: its disks are children of the source disks and take no space', async () => {
    const { ctx, vc, folder, pool, ds, settled, vmOf } = setup();
    const source = vmOf(await settled(folder.CreateVM_Task(ctx, { config: fullSpec('base'), pool: pool.self })));
    const snapshot = (await settled(source.CreateSnapshot_Task(ctx, { name: 'golden', memory: false, quiesce: false }))).result as MoRef;
    await settled(source.ReconfigVM_Task(ctx, { spec: { numCPUs: 4 } }));
    const free = ds.summary.freeSpace as number;
    const linked = { location: { diskMoveType: 'createNewChildDiskBacking' }, snapshot, template: false, powerOn: false };
    const clone = vmOf(await settled(source.CloneVM_Task(ctx, { folder: folder.self, name: 'linked', spec: linked })));
    const disk = ((clone.config!.hardware as DataObject).device as DataObject[]).find((d) => d._type === 'VirtualDisk')!;
    expect(disk.backing).toMatchObject({ fileName: '[LocalDS_0] linked/linked.vmdk', parent: { fileName: '[LocalDS_0] base/base.vmdk' } });
    expect(clone.config!.hardware).toMatchObject({ numCPU: 2 }); // the snapshot's configuration, not the source's now
    expect(free - (ds.summary.freeSpace as number)).toBeLessThan(1024 * 1024);
    const other = vc.registry.ofType<VirtualMachine>('VirtualMachine').find((v) => v.name === 'DC0_H0_VM1')!;
    const info = await settled(source.CloneVM_Task(ctx, { folder: folder.self, name: 'bad', spec: { ...linked, snapshot: other.self } }));
    expect((info.error as DataObject).fault).toMatchObject({ _type: 'InvalidArgument', invalidProperty: 'spec.snapshot' });
  });
});
