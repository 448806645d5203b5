/**
 * The timeline of a run: per step, what it did and what it caused, read from the simulator after
 * the step: the calls in its journal range (the runner's own left out), the fault rules that fired
 * on them, the events posted and the tasks started meanwhile.
 */
import type { JournalEntry } from '../simulator/index.js';
import { stepCalls, type RunContext } from './context.js';
import { eventsSince, latestEventKey, type PostedEvent } from './assertions/events.js';
import { readTasks, type TaskSummary } from './assertions/tasks.js';
import type { MoRef } from '../client/vim25.js';

export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface Failure {
  message: string;
  assertion?: string;
  expected?: string;
  actual?: string;
}

export interface CallRecord {
  seq: number;
  api: string;
  method: string;
  path?: string;
  moid?: string;
  entityName?: string;
  outcome: string;
  fault?: string;
  status: number;
  rules?: string[];
  time: string;
  durationMs: number;
}

export interface StepRecord {
  name: string;
  /** Where in the file: steps[2].parallel[0] */
  path: string;
  kind: string;
  status: StepStatus;
  /** Since the scenario began. */
  startMs: number;
  durationMs: number;
  failure?: Failure;
  /** The trace id the step's client calls carried. */
  trace: string;
  calls: CallRecord[];
  faultsFired: { rule: string; seq: number; method: string }[];
  events: { key: number; type: string; entities: string[] }[];
  tasks: TaskSummary[];
  children?: StepRecord[];
}

export interface Mark {
  seq: number;
  event: number;
}

export async function mark(ctx: RunContext): Promise<Mark> {
  return { seq: await ctx.target.lastSeq(), event: await latestEventKey(ctx) };
}

/** What happened between two marks. */
export async function caused(ctx: RunContext, from: Mark, to: Mark, ruleNames: Map<string, string>): Promise<Pick<StepRecord, 'calls' | 'faultsFired' | 'events' | 'tasks'>> {
  const calls = (await stepCalls(ctx, from.seq)).filter((c) => c.seq <= to.seq);
  const names = new Map([...ruleNames].map(([name, id]) => [id, name]));
  const events = (await eventsSince(ctx, from.event)).filter((e) => e.key <= to.event);
  const taskRefs = await taskRefsOf(ctx, events);
  return {
    calls: calls.map(callRecord),
    faultsFired: calls.flatMap((c) => (c.rules ?? []).map((id) => ({ rule: names.get(id) ?? id, seq: c.seq, method: c.method }))),
    events: events.filter((e) => e.type !== 'TaskEvent').map(({ key, type, entities }) => ({ key, type, entities })),
    tasks: await readTasks(ctx, taskRefs),
  };
}

async function taskRefsOf(ctx: RunContext, events: PostedEvent[]): Promise<MoRef<'Task'>[]> {
  const keys = new Set(events.filter((e) => e.type === 'TaskEvent').map((e) => e.key));
  if (!keys.size) return [];
  const manager = ctx.probe.serviceContent.eventManager!;
  const all = ((await ctx.probe.callRaw(manager, 'QueryEvents', { filter: { eventTypeId: ['TaskEvent'] } }, { traceparent: `00-${ctx.runnerTrace}-${ctx.runnerTrace.slice(0, 16)}-01` })) ?? []) as { key: number; info: { task: MoRef<'Task'> } }[];
  return all.filter((e) => keys.has(Number(e.key))).map((e) => e.info.task);
}

function callRecord(c: JournalEntry): CallRecord {
  const { seq, api, method, path, moid, entityName, outcome, fault, status, rules, time, durationMs } = c;
  return { seq, api, method, path, moid, entityName, outcome, fault, status, rules, time, durationMs };
}
