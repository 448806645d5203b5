import { VimFault, faults } from './fault.js';
import { ManagedObject, type CallContext } from './managed-object.js';
import type { DataObject } from './moref.js';

export type TaskState = 'queued' | 'running' | 'success' | 'error';

/** The default hooks: one function for every task, not two closures each (a start inventory holds thousands of past tasks). */
const noop = () => {};

/**
 * A Task: its `info` goes queued → running (progress) → success or error, each step a change the
 * PropertyCollector reports, so clients waiting on `info` (pyVmomi's WaitForTask, govmomi's
 * task.Wait) see exactly what vCenter would show them.
 */
export class Task extends ManagedObject {
  info!: DataObject;
  /** Stops the task's pending next step (CancelTask calls it). */
  stopPending: () => void = noop;
  /** Called when the task ends, whichever way. */
  onEnd: (task: Task) => void = noop;
  /** Who waits in-process for the end; made on first use. */
  private whenDone?: ((info: DataObject) => void)[];

  get state(): TaskState {
    return this.info.state as TaskState;
  }

  /** Whether the task has ended, in success or error. */
  get ended(): boolean {
    return this.state === 'success' || this.state === 'error';
  }

  /** The final TaskInfo, once the task has succeeded or failed: the one way to wait for a task in-process. */
  completion(): Promise<DataObject> {
    if (this.ended) return Promise.resolve(this.info);
    return new Promise((resolve) => (this.whenDone ??= []).push(resolve));
  }

  /** As vCenter: a finished (or already canceled) task is InvalidState, one that cannot be canceled NotSupported. */
  CancelTask(ctx: CallContext): void {
    if (this.ended) throw faults.invalidState('The task has already completed.');
    if (!this.info.cancelable) throw new VimFault('NotSupported', {}, 'The task cannot be canceled.');
    this.stopPending();
    this.info.cancelled = true;
    this.finish(ctx, { error: faults.requestCanceled() });
  }

  UpdateProgress(ctx: CallContext, { percentDone }: { percentDone: number }): void {
    if (this.state !== 'running') throw faults.invalidState('The task is not running.');
    this.update(ctx, { progress: percentDone });
  }

  SetTaskState(ctx: CallContext, { state, result, fault }: { state: TaskState; result?: unknown; fault?: DataObject }): void {
    if (this.ended) throw faults.invalidState('The task has already completed.');
    if (state === 'success') return this.finish(ctx, { result });
    if (state === 'error') return this.finish(ctx, { error: new VimFault((fault?._type as string) ?? 'SystemError', fault ?? {}) });
    this.update(ctx, state === 'running' ? { state, startTime: ctx.vc.now() } : { state });
  }

  SetTaskDescription(ctx: CallContext, { description }: { description: DataObject }): void {
    this.update(ctx, { description });
  }

  /** Changes fields of `info` and tells the collectors. */
  update(ctx: CallContext, fields: DataObject): void {
    Object.assign(this.info, fields);
    ctx.vc.registry.changed(this);
  }

  /** Ends the task with its result, or with the fault that stopped it. */
  finish(ctx: CallContext, outcome: { result?: unknown; error?: VimFault }): void {
    const fields: DataObject = { completeTime: ctx.vc.now(), progress: undefined };
    if (outcome.error) {
      fields.state = 'error';
      fields.error = localizedFault(outcome.error);
    } else {
      fields.state = 'success';
      fields.result = outcome.result;
    }
    this.update(ctx, fields);
    this.onEnd(this);
    for (const resolve of this.whenDone?.splice(0) ?? []) resolve(this.info);
  }
}

/** A fault as TaskInfo.error and event arguments carry it. */
export function localizedFault(fault: VimFault): DataObject {
  return { _type: 'LocalizedMethodFault', fault: { _type: fault.type, ...fault.props }, localizedMessage: fault.message };
}

export function taskReason(ctx: CallContext): DataObject {
  return { _type: 'TaskReasonUser', userName: ctx.session?.userName ?? '' };
}

