/**
 * Runs steps: interpolates a step's body, runs its kind with a timeout, binds its result, and
 * records it on the timeline with what it caused. A failing step stops the list it is in.
 */
import { VimError } from '../../client/index.js';
import { InvalidRuleError, WorldActionError } from '../../simulator/index.js';
import { AssertionFailure, runAssertion } from '../assertions/index.js';
import { traceId, traceparentOf, type RunContext } from '../context.js';
import { interpolate, InterpolationError } from '../interpolate.js';
import { durationMs, stepKinds, type Step } from '../schema.js';
import { callsBetween, mark, type Failure, type StepRecord } from '../timeline.js';
import { clientHandlers } from './client.js';
import { ExecError, runExec } from './exec.js';
import { addFault, clearFaults } from './fault.js';
import { StepInputError } from './resolve.js';
import { runWait } from './wait.js';

export interface StepRun {
  ctx: RunContext;
  /** Milliseconds since the scenario began, for the timeline. */
  clock: () => number;
  onStep?: (record: StepRecord, depth: number) => void;
  /** The scenario's own timeout: no step runs past `atMs` on the clock. */
  deadline?: { atMs: number; limitMs: number };
}

/** Runs `steps` in order until one fails; returns their records (the failed one last). */
export async function runSteps(run: StepRun, steps: Step[], path: string, depth = 0): Promise<StepRecord[]> {
  const records: StepRecord[] = [];
  for (const [i, step] of steps.entries()) {
    const record = await runStep(run, step, `${path}[${i}]`, depth);
    records.push(record);
    if (record.status === 'failed') break;
  }
  return records;
}

export async function runStep(run: StepRun, step: Step, path: string, depth: number): Promise<StepRecord> {
  const { ctx } = run;
  const kind = stepKinds.find((k) => step[k] !== undefined) ?? 'unknown';
  const trace = traceId(ctx.seed, `${path} ${step.name}`);
  const before = await mark(ctx);
  const startMs = run.clock();
  const record: StepRecord = { name: displayName(step.name, ctx), path, kind, status: 'passed', startMs, durationMs: 0, trace, eventKeys: { after: before.event, upTo: before.event }, calls: [], faultsFired: [], events: [], tasks: [] };
  try {
    const { ms, message } = budget(run, step, startMs);
    await withTimeout(ms, message, (signal) => execute(run, step, { path, depth, trace, record, signal }));
  } catch (error) {
    record.status = 'failed';
    record.failure = failureOf(error);
  }
  record.durationMs = run.clock() - startMs;
  const after = await mark(ctx);
  ctx.stepSeqs.push({ name: record.name, after: before.seq, upTo: after.seq, trace });
  record.eventKeys.upTo = after.event;
  Object.assign(record, await callsBetween(ctx, before, after));
  run.onStep?.(record, depth);
  return record;
}

interface Execution {
  path: string;
  depth: number;
  trace: string;
  record: StepRecord;
  signal: AbortSignal;
}

async function execute(run: StepRun, raw: Step, x: Execution): Promise<void> {
  const { ctx } = run;
  if (raw.parallel) return runParallel(run, raw.parallel, x);
  if (raw.repeat) return runRepeat(run, raw.repeat, x);
  const step = interpolate(raw, scope(ctx));
  const traceparent = traceparentOf(x.trace);
  let result: unknown;
  if (step.client) {
    const call = { ctx, args: step.args ?? {}, options: { traceparent, signal: x.signal }, async: step.async ?? false };
    result = await expectingError(step.expectError, () => clientHandlers[step.client!](ctx.client, call));
  } else if (step.action) result = await ctx.target.action(step.action, step.args ?? {});
  else if (step.fault) result = await addFault(ctx, step.fault);
  else if (step.clear !== undefined) result = await clearFaults(ctx, step.clear);
  else if (step.wait) result = await runWait(ctx, step.wait as never, x.signal);
  else if (step.exec) result = await runExec(ctx, step.exec as never, traceparent, x.signal).catch((error: unknown) => {
    if (error instanceof ExecError && step.save) ctx.vars[step.save] = error.result; // the output explains the failure
    throw error;
  });
  else if (step.expect) for (const assertion of step.expect) await runAssertion(ctx, assertion as never);
  if (step.save) ctx.vars[step.save] = result;
}

/** A client step that must fail: with the error code (INSUFFICIENT_RESOURCES) or fault type given. */
async function expectingError(expected: string | undefined, call: () => Promise<unknown>): Promise<unknown> {
  if (expected === undefined) return call();
  let outcome: unknown;
  try {
    outcome = await call();
  } catch (error) {
    if (error instanceof VimError && (error.code === expected || error.faultType === expected)) return { error: { code: error.code, faultType: error.faultType, message: error.message, task: error.task } };
    throw error instanceof VimError ? new AssertionFailure('expectError', expected, `${error.code}${error.faultType ? ` (${error.faultType})` : ''}: ${error.message}`) : error;
  }
  throw new AssertionFailure('expectError', expected, `success: ${JSON.stringify(outcome)?.slice(0, 200)}`);
}

async function runParallel(run: StepRun, steps: Step[], x: Execution): Promise<void> {
  const children = await Promise.all(steps.map((s, i) => runStep(run, s, `${x.path}.parallel[${i}]`, x.depth + 1)));
  x.record.children = children;
  const failed = children.filter((c) => c.status === 'failed');
  if (failed.length) throw new Error(`${failed.length} of ${children.length} parallel steps failed: ${failed.map((f) => `${f.name}: ${f.failure?.message}`).join('; ')}`);
}

async function runRepeat(run: StepRun, repeat: { times: number; steps: Step[] }, x: Execution): Promise<void> {
  x.record.children = [];
  for (let iteration = 0; iteration < repeat.times; iteration++) {
    run.ctx.vars.iteration = iteration;
    const records = await runSteps(run, repeat.steps, `${x.path}.repeat#${iteration}.steps`, x.depth + 1);
    x.record.children.push(...records);
    const failed = records.find((r) => r.status === 'failed');
    if (failed) throw new Error(`iteration ${iteration}: ${failed.name}: ${failed.failure?.message}`);
  }
}

/** The name with variables filled in (`snap ${vars.iteration}` → `snap 2`), as written when they are not set. */
function displayName(name: string, ctx: RunContext): string {
  try {
    return String(interpolate(name, scope(ctx)));
  } catch {
    return name;
  }
}

function scope(ctx: RunContext): Record<string, unknown> {
  const { url, username, password, controlUrl } = ctx.target;
  return { vars: ctx.vars, sim: { url, username, password, controlUrl }, env: { ...process.env }, seed: ctx.seed };
}

/** How long the step may take: its own timeout, or what is left of the scenario's when that is less. */
function budget(run: StepRun, step: Step, startMs: number): { ms: number; message: string } {
  const own = durationMs(step.timeout, 120_000);
  const left = run.deadline ? run.deadline.atMs - startMs : Infinity;
  if (left < own) return { ms: Math.max(0, left), message: `the scenario did not finish within its timeout of ${run.deadline!.limitMs} ms` };
  return { ms: own, message: `step '${step.name}' did not finish within ${own} ms` };
}

async function withTimeout<T>(ms: number, message: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(message));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What the user sees of an error: the assertion's parts, or one line; never a stack. */
export function failureOf(error: unknown): Failure {
  if (error instanceof AssertionFailure) return { message: error.message, assertion: error.assertion, expected: error.expected, actual: error.actual };
  if (error instanceof VimError) return { message: `${error.code}${error.faultType ? ` (${error.faultType})` : ''}: ${error.message}` };
  if (error instanceof InvalidRuleError || error instanceof WorldActionError || error instanceof StepInputError || error instanceof InterpolationError || error instanceof ExecError) {
    return { message: error.message };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}
