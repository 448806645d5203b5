/**
 * REST operations that run a SOAP task (CreateVM_Task, ReconfigVM_Task, ...): the call either waits
 * for the task and answers with its outcome, or, with `?vmw-task=true`, answers at once with the
 * task's identifier for `/api/cis/tasks/{task}`. The identifier is the SOAP Task's moref id, so
 * both APIs name one task the same way.
 */
import { z } from 'zod';
import { VimFault } from '../../../models/core/fault.js';
import type { CallContext } from '../../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../../models/core/moref.js';
import type { Task } from '../../../models/core/task.js';
import { asVapiError, type VapiError } from '../errors.js';
import { queryBoolean } from '../query.js';
import type { RestContext } from '../route.js';

/** The query of an operation vCenter lets run as a task. */
export const taskQuery = z.object({ 'vmw-task': queryBoolean() });

export const callContext = (ctx: RestContext): CallContext => ({ vc: ctx.vc, session: ctx.session, remote: ctx.remote, call: ctx.call });

/** The vAPI error a failed task's TaskInfo.error stands for. */
export function taskFailure(info: DataObject): VapiError {
  const error = info.error as DataObject | undefined;
  const fault = (error?.fault ?? {}) as DataObject;
  const { _type, ...props } = fault;
  return asVapiError(new VimFault(String(_type ?? 'SystemError'), props, String(error?.localizedMessage ?? '')));
}

export interface TaskCall<R> {
  /** Whether the caller asked for the task (`?vmw-task=true`) rather than its outcome. */
  async?: boolean;
  /** The operation's result from the task's result (a new VM's id); none for void operations. */
  result?: (taskResult: unknown) => R;
  /** The vAPI error for a failed task, when vCenter reports it differently from the fault's default. */
  failure?: (info: DataObject) => VapiError;
}

/**
 * Waits for the task `ref` and answers as the operation does, or answers with the task id at once.
 * A task that failed throws its vAPI error.
 */
export async function answerTask<R>(ctx: RestContext, ref: MoRef, call: TaskCall<R> = {}): Promise<R | string | undefined> {
  if (call.async) return ref.value;
  const task = ctx.vc.registry.require<Task>(ref);
  const info = await task.completion();
  if (info.state === 'error') throw (call.failure ?? taskFailure)(info);
  return call.result ? call.result(info.result) : undefined;
}

/** A task result that is a moref, as the vAPI identifier it stands for. */
export const idOf = (result: unknown) => (result as MoRef).value;
