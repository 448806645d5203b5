import { describe, expect, it } from 'vitest';
import type { EventHistoryCollector, TaskHistoryCollector } from '../../models/core/history-collector.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef, Typed } from '../../models/core/moref.js';
import type { PropertyCollector } from '../../models/core/property-collector.js';
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
  const post = (n: number) => {
    for (let i = 0; i < n; i++) vc.events.PostEvent(ctx, { eventToPost: { _type: 'GeneralUserEvent', message: `m${i}`, ...{ vm: { _type: 'VmEventArgument', vm: vm.self, name: vm.name } } } });
  };
  return { vc, ctx, vm, post };
}

const messages = (events: DataObject[]) => events.map((e) => e.message);

describe('EventHistoryCollector', () => {
  it('shows the latest page and scrolls back and forth from just before it', async () => {
    const { vc, ctx, vm, post } = setup();
    post(25);
    const ref = vc.events.CreateCollectorForEvents(ctx, { filter: { entity: { entity: vm.self, recursion: 'self' }, eventTypeId: ['GeneralUserEvent'] } });
    const collector = vc.resolve(ref, ctx.session) as EventHistoryCollector;
    expect(messages(collector.read('latestPage', ctx) as DataObject[])).toEqual(['m24', 'm23', 'm22', 'm21', 'm20', 'm19', 'm18', 'm17', 'm16', 'm15']);
    expect(messages(collector.ReadPreviousEvents(ctx, { maxCount: 5 }))).toEqual(['m10', 'm11', 'm12', 'm13', 'm14']);
    expect(messages(collector.ReadNextEvents(ctx, { maxCount: 3 }))).toEqual(['m10', 'm11', 'm12']);
    collector.RewindCollector();
    expect(messages(collector.ReadNextEvents(ctx, { maxCount: 2 }))).toEqual(['m0', 'm1']);
    collector.ResetCollector();
    expect(collector.ReadNextEvents(ctx, { maxCount: 100 })).toHaveLength(10);
    expect(collector.ReadNextEvents(ctx, { maxCount: 100 })).toEqual([]);
    collector.SetCollectorPageSize(ctx, { maxCount: 3 });
    expect(messages(collector.read('latestPage', ctx) as DataObject[])).toEqual(['m24', 'm23', 'm22']);
    await expectFault(() => collector.SetCollectorPageSize(ctx, { maxCount: 0 }), 'InvalidArgument');
    collector.DestroyCollector();
    await expectFault(() => vc.resolve(ref, ctx.session), 'ManagedObjectNotFound');
  });

  it('delivers new events through WaitForUpdates on latestPage', async () => {
    const { vc, ctx, post } = setup();
    const ref = vc.events.CreateCollectorForEvents(ctx, { filter: { eventTypeId: ['GeneralUserEvent'] } });
    const pc = vc.resolve(vc.content.propertyCollector as MoRef, ctx.session) as PropertyCollector;
    pc.CreateFilter(ctx, { spec: { propSet: [{ type: 'EventHistoryCollector', pathSet: ['latestPage'] }], objectSet: [{ obj: ref }] }, partialUpdates: false });
    const first = await pc.WaitForUpdatesEx(ctx, { version: '', options: { maxWaitSeconds: 0 } });
    setTimeout(() => post(1), 20);
    const next = await pc.WaitForUpdatesEx(ctx, { version: first?.version as string | undefined, options: { maxWaitSeconds: 5 } });
    const change = ((next!.filterSet as DataObject[])[0]!.objectSet as DataObject[])[0]!.changeSet as { name: string; val: Typed }[];
    expect(change[0]!.name).toBe('latestPage');
    expect(messages(change[0]!.val.value as DataObject[])).toEqual(['m0']);
  });
});

describe('TaskHistoryCollector', () => {
  it('collects the tasks its filter selects', async () => {
    const { vc, ctx, vm } = setup();
    const done = (ref: MoRef) => vc.registry.require<Task>(ref).completion();
    await done(vm.PowerOffVM_Task(ctx));
    await done(vm.PowerOffVM_Task(ctx));
    const failed = vc.tasks.CreateCollectorForTasks(ctx, { filter: { entity: { entity: vm.self, recursion: 'self' }, state: ['error'] } });
    const all = vc.tasks.CreateCollectorForTasks(ctx, { filter: { userName: { userList: ['alice'] } } });
    const states = (ref: MoRef) => ((vc.resolve(ref, ctx.session) as TaskHistoryCollector).read('latestPage', ctx) as DataObject[]).map((t) => t.state);
    expect(states(failed)).toEqual(['error']);
    expect(states(all)).toEqual(['error', 'success']);
    expect((vc.resolve(all, ctx.session) as TaskHistoryCollector).ReadPreviousTasks(ctx, { maxCount: 10 })).toEqual([]);
  });
});

describe('bounded histories', () => {
  it('keeps the newest eventHistorySize events: queries, collectors and latestEvent see only those', () => {
    const { vc, ctx, post } = setup({ eventHistorySize: 20 });
    post(50);
    const kept = vc.events.QueryEvents(ctx, { filter: {} });
    expect(messages(kept)).toEqual(Array.from({ length: 20 }, (_, i) => `m${30 + i}`));
    expect((vc.events.read('latestEvent', ctx) as DataObject).message).toBe('m49');
    const collector = vc.resolve(vc.events.CreateCollectorForEvents(ctx, { filter: {} }), ctx.session) as EventHistoryCollector;
    collector.RewindCollector();
    expect(messages(collector.ReadNextEvents(ctx, { maxCount: 3 }))).toEqual(['m30', 'm31', 'm32']);
  });

  it('forgets the oldest finished tasks past taskHistorySize: gone from the inventory, recentTask and the collectors', async () => {
    const { vc, ctx, vm } = setup({ taskHistorySize: 3 });
    const done = (ref: MoRef) => vc.registry.require<Task>(ref).completion();
    const refs: MoRef[] = [];
    for (let i = 0; i < 6; i++) {
      const ref = i % 2 ? vm.PowerOnVM_Task(ctx, {}) : vm.PowerOffVM_Task(ctx);
      refs.push(ref);
      await done(ref);
    }
    const [forgotten, kept] = [refs.slice(0, 3), refs.slice(3)];
    for (const ref of forgotten) await expectFault(() => vc.registry.require(ref), 'ManagedObjectNotFound');
    for (const ref of kept) expect(vc.registry.require<Task>(ref).state).toBe('success');
    expect(vc.tasks.recentTask.map((r) => r.value)).toEqual(kept.map((r) => r.value));
    const collector = vc.resolve(vc.tasks.CreateCollectorForTasks(ctx, { filter: {} }), ctx.session) as TaskHistoryCollector;
    expect((collector.read('latestPage', ctx) as DataObject[]).map((t) => (t.task as MoRef).value)).toEqual(kept.map((r) => r.value).reverse());
    expect(vc.registry.ofType('Task')).toHaveLength(3);
  });

  it('never forgets a task still running, however many finish after it', async () => {
    const { vc, ctx, vm } = setup({ taskHistorySize: 2, methodDelayMs: { PowerOffVM_Task: 300 } });
    const slow = vm.PowerOffVM_Task(ctx);
    for (let i = 0; i < 4; i++) {
      const info = vc.tasks.CreateTask(ctx, { obj: vm.self, taskTypeId: 'com.example.quick', cancelable: false });
      vc.registry.require<Task>(info.task as MoRef).SetTaskState(ctx, { state: 'success' });
    }
    expect(vc.registry.ofType('Task')).toHaveLength(3);
    expect(vc.registry.require<Task>(slow).state).not.toBe('success');
    expect((await vc.registry.require<Task>(slow).completion()).state).toBe('success');
  });
});
