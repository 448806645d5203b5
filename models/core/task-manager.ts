import { BoundedLog } from './bounded-log.js';
import { VimFault } from './fault.js';
import { ManagedObject, type CallContext, type CallOrigin } from './managed-object.js';
import { TaskHistoryCollector } from './history-collector.js';
import { MoRef, type DataObject } from './moref.js';
import { entitiesUnder } from './views.js';
import { Task, taskReason } from './task.js';

/** What a `*_Task` method hands the task engine. */
export interface TaskSpec {
  /** The API method, for its configured duration (`PowerOnVM_Task`). */
  method: string;
  /** `VirtualMachine.powerOn`, as TaskInfo.descriptionId. */
  descriptionId: string;
  /** The entity the task acts on (the VM for snapshot tasks too). */
  entity: ManagedObject & { name?: string; recentTask?: MoRef[] };
  /** Overrides cancelableMethods for this task. */
  cancelable?: boolean;
  /** Runs as the task starts (after queueing): posts the "starting" events. */
  started?: (task: Task) => void;
  /**
   * The task's effect, run when its duration has passed; its value is the task's result. A fault
   * ends the task in error. A promise keeps the task running until it settles (a host entering
   * maintenance mode waits for its VMs to go); set task.stopPending to stop that wait on cancel.
   */
  run: (task: Task) => unknown;
  /** Progress (percent) the task reports at most on its way (a task rule failing it at that point). */
  maxProgress?: number;
}

/**
 * The tasks vCenter lets a client cancel while they run (TaskInfo.cancelable): copies and moves of
 * VMs and vApps. Power, reconfiguration, creation and removal run to their end.
 */
export const cancelableMethods: ReadonlySet<string> = new Set(['CloneVM_Task', 'CloneVApp_Task', 'RelocateVM_Task', 'MigrateVM_Task']);

const recentLimit = 200;
/** Finished tasks an instance keeps by default (`taskHistorySize`); older ones are gone (ManagedObjectNotFound), as vCenter forgets them. */
export const defaultTaskHistory = 10_000;

/** What a task policy is told of a task as it is queued. */
export interface TaskStart {
  /** The API method (`PowerOffVM_Task`). */
  method: string;
  entity: { type: string; moid: string; name?: string };
  /** The session's user, if any. */
  user?: string;
  /** The API call that starts the task, if any: rules match its api and path, and record on it the ones that fired. */
  call?: CallOrigin;
}

/** A task policy's verdict: run longer, and/or end in a fault instead of doing the work. */
export interface TaskVerdict {
  /** Extra running time, ms, on top of the configured duration (progress shows on the way). */
  delayMs?: number;
  /** End the task in this fault where its work would run; the effect is not applied. */
  fault?: VimFault;
  /** Progress (percent) the task reports before it fails. */
  atProgress?: number;
}

/** Consulted once per task as it is queued (installed by the control plane's task rules). */
export type TaskPolicy = (task: TaskStart) => TaskVerdict | undefined;

/**
 * Creates and runs the tasks of `*_Task` methods. Durations come from the instance's options
 * (a global delay, per-method delays, jitter): near-instant by default, as vcsim.
 */
export class TaskManager extends ManagedObject {
  recentTask: MoRef[] = [];
  maxCollector = 100;
  description: DataObject = { _type: 'TaskDescription', methodInfo: [], state: [], reason: [] };
  /** Not a vSphere property: an optional hook that may stretch or fail each task (fault rules). */
  taskPolicy?: TaskPolicy;
  /** Finished tasks, in the order they ended: the one pushed out of a full log leaves the inventory. */
  private finished = new BoundedLog<Task>(defaultTaskHistory);

  override read(name: string, ctx: CallContext): unknown {
    if (name === 'recentTask' && ctx.vc.access.enforced && ctx.session) {
      return this.recentTask.filter((ref) => {
        const task = ctx.vc.registry.get(ref) as Task | undefined;
        return task !== undefined && visible(ctx, task.info);
      });
    }
    return super.read(name, ctx);
  }

  /** Keeps the newest `size` finished tasks from now on (the instance's `taskHistorySize`). */
  retain(size: number): void {
    this.finished = this.finished.resized(size);
  }

  /** Queues a task for `spec` and returns its moref at once; the work happens later. */
  start(ctx: CallContext, spec: TaskSpec): MoRef {
    const verdict = this.taskPolicy?.({
      method: spec.method,
      entity: { type: spec.entity.self.type, moid: spec.entity.self.value, name: spec.entity.name },
      user: ctx.session?.userName,
      call: ctx.call,
    });
    if (verdict?.fault) spec = failing(ctx, spec, verdict.fault, verdict.atProgress);
    const task = this.create(ctx, spec.entity, spec.descriptionId, spec.cancelable ?? cancelableMethods.has(spec.method), spec.method);
    ctx.vc.events.postTaskEvent(ctx, task);
    const steps = progressSteps(ctx.vc.taskDuration(spec.method) + (verdict?.delayMs ?? 0));
    later(task, 0, () => this.begin(ctx, task, spec, steps));
    return task.self;
  }

  CreateTask(
    ctx: CallContext,
    { obj, taskTypeId, cancelable }: { obj: MoRef; taskTypeId: string; initiatedBy?: string; cancelable: boolean },
  ): DataObject {
    const entity = ctx.vc.registry.require(obj);
    return this.create(ctx, entity as TaskSpec['entity'], taskTypeId, cancelable).info;
  }

  CreateCollectorForTasks(ctx: CallContext, { filter }: { filter: TaskFilterSpec }): MoRef {
    const session = ctx.session!;
    const select = taskSelector(ctx, filter);
    const collector = new TaskHistoryCollector(filter as DataObject, (_f, newest = Infinity) => {
      const selected = ctx.vc.registry.ofType<Task>('Task').map((t) => t.info).filter(select);
      return newest < selected.length ? selected.slice(-newest) : selected;
    });
    collector.self = new MoRef('TaskHistoryCollector', session.newObjectId());
    collector.onDestroy = () => session.objects.delete(collector.self.value);
    session.objects.set(collector.self.value, collector);
    return collector.self;
  }

  private create(ctx: CallContext, entity: TaskSpec['entity'], descriptionId: string, cancelable: boolean, method?: string): Task {
    const { registry } = ctx.vc;
    const task = registry.addNew(new Task(), 'Task', 'task');
    task.info = {
      _type: 'TaskInfo',
      key: task.self.value,
      task: task.self,
      name: method, // the wire method name, which pyVmomi resolves to the method
      descriptionId,
      entity: entity.self,
      entityName: entity.name,
      state: 'queued',
      cancelled: false,
      cancelable,
      reason: taskReason(ctx),
      queueTime: ctx.vc.now(),
      eventChainId: ctx.vc.events.nextChainId(),
    };
    task.onEnd = () => this.ended(ctx, task, entity);
    this.remember(ctx, task, entity);
    return task;
  }

  private begin(ctx: CallContext, task: Task, spec: TaskSpec, steps: number[]): void {
    task.update(ctx, { state: 'running', startTime: ctx.vc.now(), progress: 0 });
    try {
      spec.started?.(task);
    } catch (error) {
      return task.finish(ctx, { error: asFault(ctx, error) });
    }
    this.advance(ctx, task, spec, steps);
  }

  /** Waits out the next slice of the duration, reporting progress, then runs the work. */
  private advance(ctx: CallContext, task: Task, spec: TaskSpec, waits: number[], done = 0): void {
    if (done === waits.length) {
      try {
        const result = spec.run(task);
        if (result instanceof Promise) return settleLater(ctx, task, result);
        task.finish(ctx, { result });
      } catch (error) {
        task.finish(ctx, { error: asFault(ctx, error) });
      }
      return;
    }
    later(task, waits[done]!, () => {
      if (done + 1 < waits.length) task.update(ctx, { progress: Math.min(Math.round((100 * (done + 1)) / waits.length), spec.maxProgress ?? 100) });
      this.advance(ctx, task, spec, waits, done + 1);
    });
  }

  private remember(ctx: CallContext, task: Task, entity: TaskSpec['entity']): void {
    this.recentTask.push(task.self);
    if (this.recentTask.length > recentLimit) this.recentTask.splice(0, this.recentTask.length - recentLimit);
    ctx.vc.registry.changed(this);
    if (entity.recentTask) {
      entity.recentTask = [...entity.recentTask, task.self];
      ctx.vc.registry.changed(entity);
    }
  }

  private ended(ctx: CallContext, task: Task, entity: TaskSpec['entity']): void {
    if (entity.recentTask) {
      entity.recentTask = entity.recentTask.filter((ref) => ref.value !== task.self.value);
      ctx.vc.registry.changed(entity);
    }
    const forgotten = this.finished.push(task);
    if (forgotten) this.forget(ctx, forgotten);
  }

  /**
   * A task that ran before the simulator started (the start inventory's creation tasks, as vcsim's
   * model builder leaves them): finished with success at `at`, in recentTask and the history.
   */
  addPastTask(ctx: CallContext, id: string, past: { method: string; descriptionId: string; entity: ManagedObject & { name?: string }; at: Date; result?: unknown }): number {
    const task = ctx.vc.registry.add(new Task(), 'Task', id);
    const { entity, at } = past;
    task.info = {
      _type: 'TaskInfo', key: id, task: task.self, name: past.method, descriptionId: past.descriptionId, entity: entity.self, entityName: entity.name,
      state: 'success', cancelled: false, cancelable: false, result: past.result, reason: systemReason,
      queueTime: at, startTime: at, completeTime: at, eventChainId: ctx.vc.events.nextChainId(), progress: 100,
    };
    this.recentTask.push(task.self);
    if (this.recentTask.length > recentLimit) this.recentTask.shift();
    const forgotten = this.finished.push(task);
    if (forgotten) this.forget(ctx, forgotten);
    return task.info.eventChainId as number;
  }

  /** A finished task falls out of the history: it leaves the inventory and recentTask. */
  private forget(ctx: CallContext, task: Task): void {
    ctx.vc.registry.remove(task.self);
    const at = this.recentTask.findIndex((ref) => ref.value === task.self.value);
    if (at >= 0) {
      this.recentTask.splice(at, 1);
      ctx.vc.registry.changed(this);
    }
  }
}

/** The reason of every past task of the start inventory: one object, never changed. */
const systemReason: DataObject = Object.freeze({ _type: 'TaskReasonSystem' });

/** The decoded TaskFilterSpec fields the collectors honour. */
interface TaskFilterSpec {
  entity?: { entity: MoRef; recursion: string };
  time?: { timeType: 'queuedTime' | 'startedTime' | 'completedTime'; beginTime?: Date; endTime?: Date };
  userName?: { userList?: string[] };
  state?: string[];
  eventChainId?: number[];
}

const timeFields = { queuedTime: 'queueTime', startedTime: 'startTime', completedTime: 'completeTime' } as const;

/** Whether the caller sees the task: as vCenter, only tasks of entities it may see. */
function visible(ctx: CallContext, info: DataObject): boolean {
  const entity = (info.entity as MoRef | undefined)?.value;
  return ctx.vc.access.seesRecordOf(ctx, entity ? [entity] : []);
}

function taskSelector(ctx: CallContext, filter: TaskFilterSpec): (info: DataObject) => boolean {
  const entities = filter.entity ? entitiesUnder(ctx.vc.registry, filter.entity.entity, filter.entity.recursion) : undefined;
  const users = filter.userName?.userList;
  const time = filter.time;
  return (info) => {
    const at = time ? (info[timeFields[time.timeType]] as Date | undefined) : undefined;
    return (
      (!entities || entities.has((info.entity as MoRef | undefined)?.value ?? '')) &&
      (!filter.state?.length || filter.state.includes(info.state as string)) &&
      (!users?.length || users.includes((info.reason as DataObject | undefined)?.userName as string)) &&
      (!filter.eventChainId?.length || filter.eventChainId.includes(info.eventChainId as number)) &&
      (!time || (at !== undefined && (!time.beginTime || at >= time.beginTime) && (!time.endTime || at <= time.endTime))) &&
      visible(ctx, info)
    );
  };
}

/** `spec` with its work replaced by a fault; with `atProgress`, its progress goes no further than that, then the fault. */
function failing(ctx: CallContext, spec: TaskSpec, fault: VimFault, atProgress?: number): TaskSpec {
  return {
    ...spec,
    maxProgress: atProgress,
    run: (task) => {
      if (atProgress !== undefined) task.update(ctx, { progress: atProgress });
      throw fault;
    },
  };
}

/** Ends `task` when its work's promise settles, unless it ended meanwhile (canceled). */
function settleLater(ctx: CallContext, task: Task, work: Promise<unknown>): void {
  work.then(
    (result) => task.ended || task.finish(ctx, { result }),
    (error: unknown) => task.ended || task.finish(ctx, { error: asFault(ctx, error) }),
  );
}

/**
 * Runs `step` of `task` after `ms`, or for 0 as soon as the current I/O is done (setImmediate: a
 * zero setTimeout waits a whole millisecond, which would cap a client at a few hundred tasks a second).
 */
function later(task: Task, ms: number, step: () => void): void {
  if (ms > 0) {
    const timer = setTimeout(step, ms);
    task.stopPending = () => clearTimeout(timer);
  } else {
    const immediate = setImmediate(step);
    task.stopPending = () => clearImmediate(immediate);
  }
}

/** A duration cut into four waits, so progress shows 25, 50, 75 % on the way; none for an instant task. */
function progressSteps(durationMs: number): number[] {
  if (durationMs <= 0) return [];
  const step = durationMs / 4;
  return [step, step, step, step];
}

function asFault(ctx: CallContext, error: unknown): VimFault {
  if (error instanceof VimFault) return error;
  const report = ctx.vc.options.onInternalError ?? ((where, e) => console.error(`vcenter-sim: internal error ${where}:`, e));
  report('in a task', error);
  return new VimFault('SystemError', { reason: 'Internal error' }, 'A general system error occurred: Internal error');
}

