/**
 * The journal: which calls the steps caused (the runner's own left out), how many, with what
 * outcome, how far apart a call and its retries were (one trace id: the bundled client sends the
 * same traceparent on every attempt), and which trace id they carried.
 */
import { compileGlob } from '../../client/filter/index.js';
import type { JournalEntry } from '../../simulator/index.js';
import { stepCalls, traceOfEntry, type RunContext } from '../context.js';
import type { z } from 'zod';
import { durationMs, type journalAssertionSchema } from '../schema.js';
import { AssertionFailure, countHolds, describeCount, listed } from './failure.js';

type JournalAssertion = z.output<typeof journalAssertionSchema>;

export async function assertJournal(ctx: RunContext, spec: JournalAssertion, label?: string): Promise<void> {
  const what = label ?? `journal ${describeSelection(spec)}`;
  const selected = await selectCalls(ctx, spec, what);
  if (!countHolds(selected.length, spec.count)) {
    throw new AssertionFailure(what, `count ${describeCount(spec.count)}`, `${selected.length} (${listed(selected.map(callText))})`);
  }
  if (spec.retryGap) checkGaps(selected, spec.retryGap, what);
  if (spec.trace) checkTrace(ctx, selected, spec, what);
}

async function selectCalls(ctx: RunContext, spec: JournalAssertion, what: string): Promise<JournalEntry[]> {
  let calls = await stepCalls(ctx);
  if (spec.during !== undefined) {
    const ranges = ctx.stepSeqs.filter((r) => r.name === spec.during);
    if (!ranges.length) throw new AssertionFailure(what, `a step named '${spec.during}' that ran`, 'none');
    calls = calls.filter((c) => ranges.some((r) => c.seq > r.after && c.seq <= r.upTo));
  }
  const ruleId = spec.rule === undefined ? undefined : ctx.rules.get(spec.rule);
  if (spec.rule !== undefined && !ruleId) throw new AssertionFailure(what, `a fault rule named '${spec.rule}'`, 'none was added');
  const glob = (pattern?: string) => (pattern === undefined ? () => true : compileGlob(pattern));
  const [method, path, moid, entityName, user, fault] = [spec.method, spec.path, spec.moid, spec.entityName, spec.user, spec.fault].map(glob);
  return calls.filter(
    (c) =>
      (spec.api === undefined || c.api === spec.api) &&
      method!(c.method) && (spec.path === undefined || path!(c.path ?? '')) &&
      (spec.moid === undefined || moid!(c.moid ?? '')) && (spec.entityName === undefined || entityName!(c.entityName ?? '')) &&
      (spec.user === undefined || user!(c.user ?? '')) && (spec.fault === undefined || fault!(c.fault ?? '')) &&
      (spec.outcome === undefined || c.outcome === spec.outcome) && (spec.status === undefined || c.status === spec.status) &&
      (ruleId === undefined || (c.rules ?? []).includes(ruleId)),
  );
}

/** The gaps from the end of one call to the start of the next of the same trace id. */
export function retryGaps(calls: JournalEntry[]): number[] {
  const last = new Map<string, JournalEntry>();
  const gaps: number[] = [];
  for (const call of calls) {
    const trace = traceOfEntry(call);
    if (!trace) continue;
    const previous = last.get(trace);
    if (previous) gaps.push(Date.parse(call.time) - Date.parse(previous.time) - previous.durationMs);
    last.set(trace, call);
  }
  return gaps;
}

function checkGaps(calls: JournalEntry[], bounds: NonNullable<JournalAssertion['retryGap']>, what: string): void {
  const gaps = retryGaps(calls);
  const min = bounds.min === undefined ? undefined : durationMs(bounds.min, 0);
  const max = bounds.max === undefined ? undefined : durationMs(bounds.max, 0);
  const expected = `retry gaps${min !== undefined ? ` >= ${min} ms` : ''}${max !== undefined ? ` <= ${max} ms` : ''}`;
  if (!gaps.length) throw new AssertionFailure(what, expected, 'no retries (no two calls with one trace id)');
  const bad = gaps.filter((g) => (min !== undefined && g < min) || (max !== undefined && g > max));
  if (bad.length) throw new AssertionFailure(what, expected, `gaps ${gaps.map((g) => `${Math.round(g)} ms`).join(', ')}`);
}

function checkTrace(ctx: RunContext, calls: JournalEntry[], spec: JournalAssertion, what: string): void {
  const traces = calls.map(traceOfEntry);
  if (traces.some((t) => !t)) throw new AssertionFailure(what, 'every call to carry a traceparent', `${traces.filter((t) => !t).length} without one`);
  if (spec.trace === 'same' && new Set(traces).size > 1) throw new AssertionFailure(what, 'one trace id', `${new Set(traces).size}: ${listed([...new Set(traces)] as string[])}`);
  if (spec.trace !== 'step') return;
  const stray = calls.filter((c) => {
    const owner = ctx.stepSeqs.filter((r) => c.seq > r.after && c.seq <= r.upTo).map((r) => r.trace);
    return !owner.includes(traceOfEntry(c)!);
  });
  if (stray.length) throw new AssertionFailure(what, "the trace id of the step each call was made in", `${stray.length} calls with another (${listed(stray.map(callText))})`);
}

function describeSelection(spec: JournalAssertion): string {
  const parts = ['api', 'method', 'path', 'moid', 'entityName', 'user', 'outcome', 'fault', 'status', 'rule', 'during']
    .filter((k) => spec[k as keyof JournalAssertion] !== undefined)
    .map((k) => `${k}=${String(spec[k as keyof JournalAssertion])}`);
  return parts.length ? parts.join(' ') : 'all calls';
}

const callText = (c: JournalEntry) => `#${c.seq} ${c.method} ${c.outcome}${c.fault ? ` ${c.fault}` : c.outcome === 'http' ? ` ${c.status}` : ''}`;
