/**
 * The timeline of a run: per step, what it did and what it caused, read from the simulator after
 * the step: the calls in its journal range (the runner's own left out), the fault rules that fired
 * on them, the events posted and the tasks started meanwhile.
 */
import type { JournalEntry } from '../simulator/index.js';
import { stepCalls, traceparentOf, type RunContext } from './context.js';
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
  /** The events posted while it ran: keys after `after`, up to `upTo`. */
  eventKeys: { after: number; upTo: number };
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
  return { seq: await ctx.target.lastSeq(), event: ctx.target.latestEventKey?.() ?? (await latestEventKey(ctx)) };
}

/** The calls between two marks, and the fault rules that fired on them. */
export async function callsBetween(ctx: RunContext, from: Mark, to: Mark): Promise<Pick<StepRecord, 'calls' | 'faultsFired'>> {
  const calls = (await stepCalls(ctx, from.seq)).filter((c) => c.seq <= to.seq);
  const names = new Map([...ctx.rules].map(([name, id]) => [id, name]));
  return {
    calls: calls.map(callRecord),
    faultsFired: calls.flatMap((c) => (c.rules ?? []).map((id) => ({ rule: names.get(id) ?? id, seq: c.seq, method: c.method }))),
  };
}

/**
 * Events and tasks of every step, read once when the scenario is over (reading them after each
 * step would put the runner's calls in the way of the scenario's fault rules).
 */
export async function fillEvents(ctx: RunContext, records: StepRecord[]): Promise<void> {
  const all = flatten(records);
  if (!all.length) return;
  const events = await eventsSince(ctx, Math.min(...all.map((r) => r.eventKeys.after)));
  const manager = ctx.probe.serviceContent.eventManager!;
  const taskEvents = ((await ctx.probe.callRaw(manager, 'QueryEvents', { filter: { eventTypeId: ['TaskEvent'] } }, { traceparent: traceparentOf(ctx.runnerTrace) })) ?? []) as { key: number; info: { task: MoRef<'Task'> } }[];
  const tasks = new Map((await readTasks(ctx, taskEvents.map((e) => e.info.task))).map((t, i) => [Number(taskEvents[i]!.key), t]));
  for (const record of all) {
    const inRange = (key: number) => key > record.eventKeys.after && key <= record.eventKeys.upTo;
    record.events = events.filter((e) => inRange(e.key) && e.type !== 'TaskEvent').map(({ key, type, entities }: PostedEvent) => ({ key, type, entities }));
    record.tasks = [...tasks].filter(([key]) => inRange(key)).map(([, t]) => t);
  }
}

const flatten = (records: StepRecord[]): StepRecord[] => records.flatMap((r) => [r, ...flatten(r.children ?? [])]);

function callRecord(c: JournalEntry): CallRecord {
  const { seq, api, method, path, moid, entityName, outcome, fault, status, rules, time, durationMs } = c;
  // Session-scoped objects are named after the session's key, a secret that differs every run.
  const shownMoid = moid?.replace(/^session\[[^\]]*\]/, 'session[*]');
  return { seq, api, method, path, moid: shownMoid, entityName, outcome, fault, status, rules, time, durationMs };
}
