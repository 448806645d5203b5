/**
 * Tasks started since the steps began: every task posts a TaskEvent when it is created, so the
 * events name them; their current `info` is read from the tasks themselves.
 */
import { compileGlob } from '../../client/filter/index.js';
import type { MoRef, TaskInfo } from '../../client/vim25.js';
import { traceparentOf, type RunContext } from '../context.js';
import type { z } from 'zod';
import type { tasksAssertionSchema } from '../schema.js';
import { resolveRef } from '../steps/resolve.js';
import { AssertionFailure, countHolds, describeCount, listed } from './failure.js';

export interface TaskSummary {
  task: string;
  name: string;
  entity?: string;
  state: string;
  fault?: string;
}

export async function tasksSince(ctx: RunContext, afterKey: number): Promise<TaskSummary[]> {
  const manager = ctx.probe.serviceContent.eventManager!;
  const options = { traceparent: traceparentOf(ctx.runnerTrace) };
  const events = ((await ctx.probe.callRaw(manager, 'QueryEvents', { filter: { eventTypeId: ['TaskEvent'] } }, options)) ?? []) as { key: number; info: TaskInfo }[];
  const refs = events.filter((e) => Number(e.key) > afterKey).map((e) => e.info.task as MoRef<'Task'>);
  return readTasks(ctx, refs);
}

export async function readTasks(ctx: RunContext, refs: MoRef<'Task'>[]): Promise<TaskSummary[]> {
  if (!refs.length) return [];
  const found = await ctx.probe.retrieve(refs, ['info'], { traceparent: traceparentOf(ctx.runnerTrace) });
  return found.map((t) => summary((t as { info: TaskInfo }).info));
}

function summary(info: TaskInfo): TaskSummary {
  const fault = (info.error?.fault as { _type?: string } | undefined)?._type;
  return { task: info.task.value, name: info.descriptionId ?? info.name ?? '', entity: info.entityName, state: info.state, ...(fault ? { fault } : {}) };
}

type TasksAssertion = z.output<typeof tasksAssertionSchema>;

export async function assertTasks(ctx: RunContext, spec: TasksAssertion, label?: string): Promise<void> {
  const tasks = spec.task !== undefined
    ? await readTasks(ctx, [await resolveRef(ctx.probe, 'Task', spec.task, {}, 'task')])
    : await tasksSince(ctx, ctx.stepsStartEvent);
  const method = spec.method === undefined ? undefined : compileGlob(spec.method);
  const candidates = tasks.filter((t) => (!method || method(t.name) || method(`${t.name.split('.').pop()}`)) && (spec.entity === undefined || t.entity === spec.entity));
  const selected = candidates.filter((t) => (!spec.state || t.state === spec.state) && (!spec.fault || t.fault === spec.fault));
  if (countHolds(selected.length, spec.count)) return;
  const what = label ?? `tasks${spec.task ? ` ${spec.task}` : ''}${spec.method ? ` ${spec.method}` : ''}${spec.entity ? ` on ${spec.entity}` : ''}`;
  const want = [spec.state && `state ${spec.state}`, spec.fault && `fault ${spec.fault}`].filter(Boolean).join(', ');
  throw new AssertionFailure(
    what,
    `${describeCount(spec.count)}${want ? ` with ${want}` : ''}`,
    `${selected.length} of ${candidates.length} (${listed(candidates.map((t) => `${t.name} ${t.state}${t.fault ? ` ${t.fault}` : ''}`))})`,
  );
}
