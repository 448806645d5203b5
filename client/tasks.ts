/**
 * Waiting for tasks the way vSphere wants it: a property filter on the task's `info` and
 * WaitForUpdatesEx (one long poll per change), never a loop reading `info`.
 */
import type { VimClient } from './client.js';
import { VimError, codeOfFault, errorCodes } from './errors.js';
import { filterSpec, watch } from './property.js';
import type { LocalizedMethodFault, MoRef, TaskInfo } from './vim25.js';

export interface WaitForTaskOptions {
  /** Gives up (TIMEOUT) after this long; the task goes on. */
  timeoutMs?: number;
  /** Called with the task's progress (0-100) as it changes. */
  onProgress?: (progress: number, info: TaskInfo) => void;
  /** Aborting cancels the task (CancelTask) when it is cancelable, then rejects with ABORTED. */
  signal?: AbortSignal;
  traceparent?: string;
}

/** The task's result once it succeeds; a VimError carrying the task's fault once it fails. */
export async function waitForTask<R = unknown>(client: VimClient, task: MoRef<'Task'>, options: WaitForTaskOptions = {}): Promise<R> {
  // One controller ends the long poll for the caller's abort and for the timeout alike.
  const stop = new AbortController();
  let why: 'aborted' | 'timeout' | undefined;
  const onAbort = () => {
    why ??= 'aborted';
    stop.abort();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const timer = options.timeoutMs !== undefined ? setTimeout(() => ((why ??= 'timeout'), stop.abort()), options.timeoutMs) : undefined;
  let last: TaskInfo | undefined;
  try {
    for await (const updates of watch(client, filterSpec([task], ['info']), { signal: stop.signal, traceparent: options.traceparent, maxWaitSeconds: 60 })) {
      for (const update of updates) {
        for (const change of update.changeSet ?? []) {
          if (change.name !== 'info' || change.val === undefined) continue;
          const info = change.val as TaskInfo;
          if (info.progress !== undefined && info.progress !== last?.progress) options.onProgress?.(info.progress, info);
          last = info;
          if (info.state === 'success') {
            if (last.progress !== 100) options.onProgress?.(100, info);
            return info.result as R;
          }
          if (info.state === 'error') throw taskError(task, info);
        }
      }
    }
    // watch ends quietly only when stop aborted
    if (why === 'timeout') {
      throw new VimError({ code: 'TIMEOUT', method: 'waitForTask', task, message: `task ${task.value} did not finish within ${options.timeoutMs} ms (it goes on; state ${last?.state ?? 'unknown'})`, retryable: false });
    }
    if (last?.cancelable !== false) {
      await client.call(task, 'CancelTask', {}, { retry: false }).catch(() => undefined);
    }
    throw new VimError({ code: 'ABORTED', method: 'waitForTask', task, message: `waiting for task ${task.value} aborted${last?.cancelable === false ? ' (the task is not cancelable and goes on)' : '; the task was asked to cancel'}`, cause: options.signal?.reason });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** The VimError of a failed task: its fault's code, TASK_FAILED when that code says nothing more. */
export function taskError(task: MoRef<'Task'>, info: TaskInfo): VimError {
  const error: LocalizedMethodFault | undefined = info.error;
  const fault = error?.fault as (Record<string, unknown> & { _type?: string }) | undefined;
  const faultType = fault?._type ?? 'MethodFault';
  let code = codeOfFault(faultType, fault);
  if (errorCodes[code].family === 'fault') code = 'TASK_FAILED';
  return new VimError({
    code,
    faultType,
    fault,
    task,
    method: info.descriptionId ?? info.name,
    message: error?.localizedMessage || `task ${task.value} (${info.descriptionId ?? info.name ?? 'task'}) failed: ${faultType}`,
  });
}
