import { describe, expect, it } from 'vitest';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import { VCenter } from '../../models/vcenter.js';
import type { VCenterOptions } from '../../models/core/vcenter-options.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import { expectFault } from '../support/faults.js';

function setup(options: Partial<VCenterOptions> = {}) {
  const vc = new VCenter({ topology: topologyFromFlags({}), seed: 1, ...options });
  const ctx: CallContext = { vc };
  vc.sessionManager.Login(ctx, { userName: 'alice', password: 'x' });
  const vm = vc.registry.ofType<VirtualMachine>('VirtualMachine').find((v) => v.name === 'DC0_H0_VM0')!;
  const task = (ref: MoRef) => vc.registry.require<Task>(ref);
  const settled = (ref: MoRef) => vc.registry.require<Task>(ref).completion();
  return { vc, ctx, vm, task, settled };
}

describe('tasks', () => {
  it('returns a queued task at once and ends it in success with the effect done', async () => {
    const { vm, ctx, task, settled } = setup();
    const ref = vm.PowerOffVM_Task(ctx);
    expect(ref.type).toBe('Task');
    expect(task(ref).info).toMatchObject({ state: 'queued', descriptionId: 'VirtualMachine.powerOff', entity: vm.self, entityName: 'DC0_H0_VM0' });
    expect(vm.powerState).toBe('poweredOn');
    const info = await settled(ref);
    expect(info).toMatchObject({ state: 'success', reason: { _type: 'TaskReasonUser', userName: 'alice' } });
    expect((info.startTime as Date) >= (info.queueTime as Date)).toBe(true);
    expect((info.completeTime as Date) >= (info.startTime as Date)).toBe(true);
    expect(vm.powerState).toBe('poweredOff');
    expect(vm.summary.runtime).toMatchObject({ powerState: 'poweredOff' });
    expect(vm.guest?.ipAddress).toBeUndefined();
  });

  it('ends in InvalidPowerState when the VM is already in the requested state', async () => {
    const { vm, ctx, settled } = setup();
    const info = await settled(vm.PowerOnVM_Task(ctx, {}));
    expect(info.state).toBe('error');
    expect(info.error).toMatchObject({ fault: { _type: 'InvalidPowerState', requestedState: 'poweredOn', existingState: 'poweredOn' } });
  });

  it('brings the guest back with its addresses when the VM powers on again', async () => {
    const { vm, ctx, settled } = setup();
    const ip = vm.guest?.ipAddress;
    await settled(vm.PowerOffVM_Task(ctx));
    await settled(vm.PowerOnVM_Task(ctx, {}));
    expect(vm.guest?.ipAddress).toBe(ip);
    expect(vm.runtime.bootTime).toBeInstanceOf(Date);
  });

  it('shows progress while a task with a duration runs, and the task on the entity', async () => {
    const { vm, ctx, task, settled } = setup({ methodDelayMs: { PowerOffVM_Task: 200 } });
    const ref = vm.PowerOffVM_Task(ctx);
    const seen = new Set<number>();
    const sample = setInterval(() => {
      const progress = task(ref).info.progress;
      if (typeof progress === 'number') seen.add(progress);
    }, 5);
    await new Promise((r) => setTimeout(r, 30));
    expect(vm.recentTask.map((r) => r.value)).toContain(ref.value);
    await settled(ref);
    clearInterval(sample);
    expect([...seen].some((p) => p > 0 && p < 100)).toBe(true);
    expect(vm.recentTask.map((r) => r.value)).not.toContain(ref.value);
  });

  it('cancels a running task: no effect, RequestCanceled', async () => {
    const { vm, ctx, task, settled } = setup({ taskDelayMs: 500 });
    const ref = vm.PowerOffVM_Task(ctx);
    await new Promise((r) => setTimeout(r, 20));
    task(ref).info.cancelable = true; // power tasks are not cancelable in vCenter; flip it to exercise the engine
    task(ref).CancelTask(ctx);
    const info = await settled(ref);
    expect(info).toMatchObject({ state: 'error', cancelled: true, error: { fault: { _type: 'RequestCanceled' } } });
    await new Promise((r) => setTimeout(r, 600));
    expect(vm.powerState).toBe('poweredOn');
    await expectFault(() => task(ref).CancelTask(ctx), 'InvalidState');
  });

  it('marks cancelable exactly the copies and moves vCenter lets a client cancel', () => {
    const { vc, vm, ctx, task } = setup({ taskDelayMs: 10_000 });
    const host = vc.registry.ofType('HostSystem').find((h) => h.self.value !== (vm.runtime.host as MoRef).value)!;
    const cancelable = {
      CloneVM_Task: vm.CloneVM_Task(ctx, { folder: vm.parent!, name: 'copy', spec: {} }),
      RelocateVM_Task: vm.RelocateVM_Task(ctx, { spec: { host: host.self } }),
      MigrateVM_Task: vm.MigrateVM_Task(ctx, { host: host.self }),
    };
    const notCancelable = {
      PowerOffVM_Task: vm.PowerOffVM_Task(ctx),
      ReconfigVM_Task: vm.ReconfigVM_Task(ctx, { spec: { numCPUs: 2 } }),
      CreateSnapshot_Task: vm.CreateSnapshot_Task(ctx, { name: 's', memory: false, quiesce: false }),
      Destroy_Task: vm.Destroy_Task(ctx),
    };
    for (const [method, ref] of Object.entries(cancelable)) expect(task(ref).info.cancelable, method).toBe(true);
    for (const [method, ref] of Object.entries(notCancelable)) expect(task(ref).info.cancelable, method).toBe(false);
  });

  it('cancels a running relocation: RequestCanceled, the VM where it was', async () => {
    const { vc, vm, ctx, task, settled } = setup({ taskDelayMs: 300 });
    const from = (vm.runtime.host as MoRef).value;
    const host = vc.registry.ofType('HostSystem').find((h) => h.self.value !== from)!;
    const ref = vm.RelocateVM_Task(ctx, { spec: { host: host.self } });
    await new Promise((r) => setTimeout(r, 20));
    expect(task(ref).state).toBe('running');
    task(ref).CancelTask(ctx);
    const info = await settled(ref);
    expect(info).toMatchObject({ state: 'error', cancelled: true, error: { fault: { _type: 'RequestCanceled' } } });
    await new Promise((r) => setTimeout(r, 400));
    expect((vm.runtime.host as MoRef).value).toBe(from);
    await expectFault(() => task(ref).CancelTask(ctx), 'InvalidState');
  });

  it('refuses to cancel a task that cannot be, with NotSupported, and lets it finish', async () => {
    const { vm, ctx, task, settled } = setup({ taskDelayMs: 100 });
    const ref = vm.PowerOffVM_Task(ctx);
    await expectFault(() => task(ref).CancelTask(ctx), 'NotSupported');
    expect(await settled(ref)).toMatchObject({ state: 'success', cancelled: false });
    expect(vm.powerState).toBe('poweredOff');
    await expectFault(() => task(ref).CancelTask(ctx), 'InvalidState');
  });

  it('varies durations with jitter, the same way for the same seed', () => {
    const durations = (seed: number) => {
      const { vc } = setup({ taskDelayMs: 100, delayJitter: 0.5, seed });
      return Array.from({ length: 5 }, () => vc.taskDuration('PowerOnVM_Task'));
    };
    expect(durations(7)).toEqual(durations(7));
    expect(new Set(durations(7)).size).toBeGreaterThan(1);
    expect(durations(7).every((d) => d >= 0)).toBe(true);
  });

  it('lets a client create and drive its own task', () => {
    const { vc, vm, ctx } = setup();
    const info = vc.tasks.CreateTask(ctx, { obj: vm.self, taskTypeId: 'com.example.backup', cancelable: false });
    const task = vc.registry.require<Task>(info.task as MoRef);
    task.SetTaskState(ctx, { state: 'running' });
    task.UpdateProgress(ctx, { percentDone: 40 });
    expect(task.info).toMatchObject({ state: 'running', progress: 40 });
    task.SetTaskState(ctx, { state: 'success', result: 'done' });
    expect(task.info).toMatchObject({ state: 'success', result: 'done' });
    expect(vc.tasks.recentTask.map((r) => r.value)).toContain(task.self.value);
  });
});

describe('events', () => {
  it('posts the task event and the power events, queryable by entity, type and chain', async () => {
    const { vc, vm, ctx, settled } = setup();
    const info = await settled(vm.PowerOffVM_Task(ctx));
    const forVm = vc.events.QueryEvents(ctx, { filter: { entity: { entity: vm.self, recursion: 'self' } } });
    // After the history the start inventory carries (the VM created and powered on, as vcsim's builder leaves it).
    expect(forVm.map((e) => e._type)).toEqual([
      'VmBeingCreatedEvent', 'VmInstanceUuidAssignedEvent', 'VmUuidAssignedEvent', 'VmCreatedEvent', 'VmStartingEvent', 'VmPoweredOnEvent',
      'TaskEvent', 'VmStoppingEvent', 'VmPoweredOffEvent',
    ]);
    const off = forVm[8]!;
    expect(off).toMatchObject({ userName: 'alice', chainId: info.eventChainId, vm: { vm: vm.self, name: 'DC0_H0_VM0' }, host: { name: 'DC0_H0' }, datacenter: { name: 'DC0' } });
    expect(off.fullFormattedMessage).toBe('DC0_H0_VM0 on DC0_H0 in DC0 is powered off');
    expect(vc.events.read('latestEvent', ctx)).toEqual(off);
    const datacenter = vc.registry.ofType('Datacenter')[0]!.self;
    expect(vc.events.QueryEvents(ctx, { filter: { entity: { entity: datacenter, recursion: 'all' }, eventTypeId: ['VmPoweredOffEvent'] } })).toHaveLength(1);
    expect(vc.events.QueryEvents(ctx, { filter: { eventChainId: info.eventChainId as number } })).toHaveLength(3);
  });

  it('shuts the guest down only while tools run, with its event', async () => {
    const { vc, vm, ctx, settled } = setup();
    vm.ShutdownGuest(ctx);
    expect(vm.powerState).toBe('poweredOff');
    expect((vc.events.read('latestEvent', ctx) as DataObject)._type).toBe('VmGuestShutdownEvent');
    await expectFault(() => vm.ShutdownGuest(ctx), 'InvalidPowerState');
    await settled(vm.PowerOnVM_Task(ctx, {}));
    vm.guest = { ...vm.guest, toolsRunningStatus: 'guestToolsNotRunning' };
    await expectFault(() => vm.RebootGuest(ctx), 'ToolsUnavailable');
  });
});

describe('rename and destroy', () => {
  it('renames a VM everywhere it shows its name, and refuses a sibling\'s name', async () => {
    const { vc, vm, ctx, settled } = setup();
    expect((await settled(vm.Rename_Task(ctx, { newName: 'web-1' }))).state).toBe('success');
    expect([vm.name, vm.config?.name, (vm.summary.config as DataObject).name]).toEqual(['web-1', 'web-1', 'web-1']);
    expect(vc.events.read('latestEvent', ctx)).toMatchObject({ _type: 'VmRenamedEvent', oldName: 'DC0_H0_VM0', newName: 'web-1' });
    const info = await settled(vm.Rename_Task(ctx, { newName: 'DC0_H0_VM1' }));
    expect(info.error).toMatchObject({ fault: { _type: 'DuplicateName', name: 'DC0_H0_VM1' } });
    expect(vm.name).toBe('web-1');
  });

  it('destroys only a powered-off VM, and unlinks it from folder, pool, host, datastore and network', async () => {
    const { vc, vm, ctx, settled } = setup();
    expect((await settled(vm.Destroy_Task(ctx))).error).toMatchObject({ fault: { _type: 'InvalidPowerState' } });
    await settled(vm.PowerOffVM_Task(ctx));
    expect((await settled(vm.Destroy_Task(ctx))).state).toBe('success');
    expect(vc.registry.get(vm.self)).toBeUndefined();
    const lists = (type: string, field: string) =>
      vc.registry.ofType(type).flatMap((o) => ((o as unknown as Record<string, MoRef[]>)[field] ?? []).map((r) => r.value));
    for (const [type, field] of [['Folder', 'childEntity'], ['ResourcePool', 'vm'], ['HostSystem', 'vm'], ['Datastore', 'vm'], ['Network', 'vm'], ['DistributedVirtualPortgroup', 'vm']]) {
      expect(lists(type!, field!)).not.toContain(vm.self.value);
    }
    expect(vc.events.QueryEvents(ctx, { filter: { eventTypeId: ['VmRemovedEvent'] } })).toHaveLength(1);
  });
});

describe('ReconfigVM_Task', () => {
  const devices = (vm: VirtualMachine) => (vm.config!.hardware as DataObject).device as DataObject[];

  it('refuses CPU and memory changes on a running VM without hot add', async () => {
    const { vm, ctx, settled } = setup();
    const info = await settled(vm.ReconfigVM_Task(ctx, { spec: { numCPUs: 4 } }));
    expect(info.error).toMatchObject({ fault: { _type: 'InvalidPowerState' } });
    expect((vm.config!.hardware as DataObject).numCPU).toBe(1);
  });

  it('changes CPU, memory, annotation, extraConfig and devices, and says so in an event', async () => {
    const { vc, vm, ctx, settled } = setup();
    await settled(vm.PowerOffVM_Task(ctx));
    const info = await settled(
      vm.ReconfigVM_Task(ctx, {
        spec: {
          numCPUs: 4,
          memoryMB: 2048,
          annotation: 'web tier',
          extraConfig: [{ key: 'guestinfo.role', value: 'web' }, { key: 'govcsim', value: '' }],
          deviceChange: [
            { operation: 'add', fileOperation: 'create', device: { _type: 'VirtualDisk', key: -1, controllerKey: 202, capacityInKB: 1048576 } },
            { operation: 'add', device: { _type: 'VirtualVmxnet3', key: -2, backing: { _type: 'VirtualEthernetCardNetworkBackingInfo', deviceName: 'VM Network' } } },
            { operation: 'remove', device: { _type: 'VirtualCdrom', key: 3000 } },
          ],
        },
      }),
    );
    expect(info.state).toBe('success');
    expect(vm.config!.hardware).toMatchObject({ numCPU: 4, memoryMB: 2048 });
    expect(vm.summary.config).toMatchObject({ numCpu: 4, memorySizeMB: 2048, annotation: 'web tier', numVirtualDisks: 2, numEthernetCards: 2 });
    expect(vm.config!.extraConfig).toEqual([{ _type: 'OptionValue', key: 'guestinfo.role', value: 'web' }]);
    const disk = devices(vm).find((d) => d._type === 'VirtualDisk' && d.key !== 2000)!;
    expect(disk).toMatchObject({ key: 2001, controllerKey: 202, unitNumber: 1, capacityInBytes: 1073741824, deviceInfo: { label: 'Hard disk 2' } });
    expect((disk.backing as DataObject).fileName).toBe('[LocalDS_0] DC0_H0_VM0/DC0_H0_VM0_1.vmdk');
    expect(devices(vm).find((d) => d.key === 202)!.device).toContain(2001);
    const nic = devices(vm).find((d) => d._type === 'VirtualVmxnet3')!;
    expect(nic.macAddress).toMatch(/^00:50:56(:[0-9a-f]{2}){3}$/);
    expect(devices(vm).some((d) => d.key === 3000)).toBe(false);
    expect(vc.events.read('latestEvent', ctx)).toMatchObject({ _type: 'VmReconfiguredEvent', configSpec: { numCPUs: 4 } });
  });

  it('reports a device spec naming a missing device as InvalidDeviceSpec, changing nothing', async () => {
    const { vm, ctx, settled } = setup();
    await settled(vm.PowerOffVM_Task(ctx));
    const info = await settled(vm.ReconfigVM_Task(ctx, { spec: { annotation: 'x', deviceChange: [{ operation: 'remove', device: { _type: 'VirtualDisk', key: 9999 } }] } }));
    expect(info.error).toMatchObject({ fault: { _type: 'InvalidDeviceSpec', deviceIndex: 0 } });
    expect(vm.config!.annotation).toBe('');
  });
});

describe('snapshots', () => {
  const tree = (vm: VirtualMachine) => {
    const names = (list: DataObject[] = []): unknown[] => list.map((t) => (t.childSnapshotList as DataObject[])?.length ? { [t.name as string]: names(t.childSnapshotList as DataObject[]) } : t.name);
    return names(vm.snapshot?.rootSnapshotList as DataObject[] | undefined);
  };
  const current = (vc: VCenter, vm: VirtualMachine) => {
    const ref = vm.snapshot?.currentSnapshot as MoRef | undefined;
    return ref && (vc.registry.get(ref) as unknown as { details: { name: string } }).details.name;
  };

  it('builds the tree, reverts config and power state, renames, removes with and without children', async () => {
    const { vc, vm, ctx, settled } = setup();
    const s1 = (await settled(vm.CreateSnapshot_Task(ctx, { name: 'base', memory: false, quiesce: false }))).result as MoRef;
    expect(s1.type).toBe('VirtualMachineSnapshot');
    await settled(vm.PowerOffVM_Task(ctx));
    await settled(vm.ReconfigVM_Task(ctx, { spec: { numCPUs: 8 } }));
    const s2 = (await settled(vm.CreateSnapshot_Task(ctx, { name: 'eight-cpus', memory: false, quiesce: false }))).result as MoRef;
    expect(tree(vm)).toEqual([{ base: ['eight-cpus'] }]);
    expect(current(vc, vm)).toBe('eight-cpus');
    expect(vm.rootSnapshot).toEqual([s1]);

    const revert = vc.registry.require(s1) as unknown as { RevertToSnapshot_Task: (c: CallContext, a: object) => MoRef; RenameSnapshot: (c: CallContext, a: object) => void };
    const info = await settled(revert.RevertToSnapshot_Task(ctx, {}));
    expect(info).toMatchObject({ state: 'success', entity: vm.self });
    expect((vm.config!.hardware as DataObject).numCPU).toBe(1);
    expect(vm.powerState).toBe('poweredOff'); // taken without memory: back to off
    expect(current(vc, vm)).toBe('base');

    await settled(vm.CreateSnapshot_Task(ctx, { name: 'branch', memory: false, quiesce: false }));
    expect(tree(vm)).toEqual([{ base: ['eight-cpus', 'branch'] }]);
    revert.RenameSnapshot(ctx, { name: 'root' });
    expect(tree(vm)).toEqual([{ root: ['eight-cpus', 'branch'] }]);

    const remove = (ref: MoRef, removeChildren: boolean) =>
      settled((vc.registry.require(ref) as unknown as { RemoveSnapshot_Task: (c: CallContext, a: object) => MoRef }).RemoveSnapshot_Task(ctx, { removeChildren }));
    await remove(s1, false);
    expect(tree(vm)).toEqual(['eight-cpus', 'branch']);
    await remove(s2, true);
    expect(tree(vm)).toEqual(['branch']);
    expect((await settled(vm.RemoveAllSnapshots_Task(ctx))).state).toBe('success');
    expect(vm.snapshot).toBeUndefined();
    expect(vm.rootSnapshot).toEqual([]);
    expect(vc.registry.ofType('VirtualMachineSnapshot')).toHaveLength(0);
  });

  it('reverts to a memory snapshot powered on, unless told to suppress power-on', async () => {
    const { vm, ctx, settled } = setup();
    await settled(vm.CreateSnapshot_Task(ctx, { name: 'running', memory: true, quiesce: false }));
    await settled(vm.PowerOffVM_Task(ctx));
    await settled(vm.RevertToCurrentSnapshot_Task(ctx, {}));
    expect(vm.powerState).toBe('poweredOn');
    await settled(vm.PowerOffVM_Task(ctx));
    await settled(vm.RevertToCurrentSnapshot_Task(ctx, { suppressPowerOn: true }));
    expect(vm.powerState).toBe('poweredOff');
  });
});

describe('templates and registration', () => {
  it('marks a powered-off VM as a template, refuses to power it on, and turns it back', async () => {
    const { vc, vm, ctx, settled } = setup();
    await expectFault(() => vm.MarkAsTemplate(ctx), 'InvalidPowerState');
    await settled(vm.PowerOffVM_Task(ctx));
    vm.MarkAsTemplate(ctx);
    expect([vm.config!.template, (vm.summary.config as DataObject).template]).toEqual([true, true]);
    const info = await settled(vm.PowerOnVM_Task(ctx, {}));
    expect(info.error).toMatchObject({ fault: { _type: 'InvalidState' } });
    await expectFault(() => vm.MarkAsTemplate(ctx), 'NotSupported');
    const pool = vc.registry.ofType('ResourcePool')[0]!.self;
    vm.MarkAsVirtualMachine(ctx, { pool });
    expect(vm.config!.template).toBe(false);
    expect(vm.resourcePool).toEqual(pool);
  });

  it('unregisters a powered-off VM', async () => {
    const { vc, vm, ctx, settled } = setup();
    await expectFault(() => vm.UnregisterVM(ctx), 'InvalidPowerState');
    await settled(vm.PowerOffVM_Task(ctx));
    vm.UnregisterVM(ctx);
    expect(vc.registry.get(vm.self)).toBeUndefined();
  });
});
