/**
 * A task's progress as a bar on stderr (cli-progress), only when stderr is a terminal: piped
 * output and logs get nothing extra.
 */
import { SingleBar } from 'cli-progress';
import type { ManagedTypeName, MethodName, MethodParams } from '../client.js';
import type { MoRef } from '../vim25.js';
import type { RunContext } from './context.js';

/** Calls a `*_Task` method and waits for it, showing its progress; the task's result. */
export async function runTask<T extends ManagedTypeName, M extends MethodName<T>>(ctx: RunContext, label: string, ref: MoRef<T>, method: M, args: MethodParams<T, M>): Promise<{ task: string; result: unknown }> {
  const client = await ctx.vim();
  const task = (await client.call(ref, method, args)) as unknown as MoRef<'Task'>;
  const bar = ctx.io.stderr.isTTY ? new SingleBar({ format: `${label} [{bar}] {percentage}%`, stream: ctx.io.stderr as NodeJS.WriteStream, hideCursor: true, clearOnComplete: false }) : undefined;
  bar?.start(100, 0);
  try {
    const result = await client.waitForTask(task, { onProgress: (progress) => bar?.update(progress), signal: ctx.io.signal });
    return { task: task.value, result };
  } finally {
    bar?.stop();
  }
}
