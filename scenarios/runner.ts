/**
 * Runs scenarios: each against its own embedded simulator (or the URL given), steady state before,
 * steps, rollbacks and steady state after, teardown; reports the result with its timeline.
 * Scenarios run in parallel, at most `concurrency` at a time.
 */
import { connect, type VimClient } from '../client/index.js';
import { traceId, traceparentOf, type RunContext } from './context.js';
import { latestEventKey } from './assertions/events.js';
import { compileGlob } from '../client/filter/index.js';
import { loadScenarioFile, ScenarioFileError } from './loader.js';
import { describeMissing, missingRequirements } from './requirements.js';
import { durationMs, scenarioSchema, type Scenario, type ScenarioInput, type Step } from './schema.js';
import { embeddedTarget } from './sim/embedded.js';
import { remoteTarget } from './sim/remote.js';
import type { SimTarget } from './sim/target.js';
import { checkAfter, checkBefore, type ProbeResult } from './steady-state.js';
import { failureOf, runStep, runSteps, type StepRun } from './steps/index.js';
import { fillEvents, type Failure, type StepRecord, type StepStatus } from './timeline.js';

export interface ScenarioResult {
  name: string;
  file?: string;
  seed: number;
  status: StepStatus;
  /** Why it was skipped (a missing requirement). */
  skipped?: string;
  durationMs: number;
  /** The names of the scenario's steps, run or not. */
  plan: string[];
  failure?: Failure & { step?: string; phase: Phase };
  steadyState: ProbeResult[];
  timeline: StepRecord[];
  rollbacks: StepRecord[];
  teardown: StepRecord[];
}

export type Phase = 'load' | 'setup' | 'steady state' | 'steps' | 'rollbacks' | 'teardown';

export interface ScenarioEvents {
  onStart?(name: string): void;
  onStep?(scenario: string, record: StepRecord, depth: number): void;
  onWarning?(scenario: string, message: string): void;
  onEnd?(result: ScenarioResult): void;
}

export interface RunnerOptions extends ScenarioEvents {
  /** Run against this simulator instead of an embedded one per scenario. */
  url?: string;
  /** Only scenarios whose name matches this glob (or contains it). */
  filter?: string;
  /** Scenarios at a time (default 2). */
  concurrency?: number;
  /** Whether a missing requirement fails (default: process.env.CI === 'true'). */
  ci?: boolean;
}

/** A scenario from a file, or a model from the builder. */
export type ScenarioSource = string | ScenarioInput;

export async function runAll(sources: ScenarioSource[], options: RunnerOptions = {}): Promise<ScenarioResult[]> {
  const loaded = sources.map(loadSource);
  const selected = loaded.filter((l) => !options.filter || 'error' in l || matchesName(l.scenario.name, options.filter));
  const results: ScenarioResult[] = new Array(selected.length);
  let next = 0;
  const worker = async () => {
    while (next < selected.length) {
      const i = next++;
      const item = selected[i]!;
      results[i] = 'error' in item ? loadFailure(item.file, item.error) : await runScenario(item.scenario, item.file, options);
      options.onEnd?.(results[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 2, selected.length)) }, worker));
  return results;
}

const matchesName = (name: string, filter: string) => compileGlob(filter)(name) || name.includes(filter);

type Loaded = { scenario: Scenario; file?: string } | { error: string; file: string };

function loadSource(source: ScenarioSource): Loaded {
  if (typeof source !== 'string') return { scenario: scenarioSchema.parse(source) };
  try {
    return loadScenarioFile(source);
  } catch (error) {
    return { error: error instanceof ScenarioFileError ? error.message : (error as Error).message, file: source };
  }
}

function loadFailure(file: string, message: string): ScenarioResult {
  return { name: file, file, seed: 0, status: 'failed', durationMs: 0, plan: [], failure: { message, phase: 'load' }, steadyState: [], timeline: [], rollbacks: [], teardown: [] };
}

export async function runScenario(scenario: Scenario, file: string | undefined, options: RunnerOptions = {}): Promise<ScenarioResult> {
  const started = Date.now();
  const result: ScenarioResult = { name: scenario.name, file, seed: scenario.seed, status: 'passed', durationMs: 0, plan: scenario.steps.map((s) => s.name), steadyState: [], timeline: [], rollbacks: [], teardown: [] };
  options.onStart?.(scenario.name);
  const missing = missingRequirements(scenario);
  if (missing.length) {
    const message = missing.map(describeMissing).join('; ');
    if (options.ci ?? process.env.CI === 'true') return finish(result, started, { message: `${message} (CI=true: a missing requirement is a failure)`, phase: 'setup' });
    options.onWarning?.(scenario.name, `SKIPPING ${scenario.name}: ${message}`);
    return { ...result, status: 'skipped', skipped: message };
  }
  let target: SimTarget | undefined;
  let clients: VimClient[] = [];
  try {
    const url = options.url ?? scenario.simulator?.url;
    if (options.url && scenario.simulator && !scenario.simulator.url) options.onWarning?.(scenario.name, `${scenario.name}: its simulator settings do not apply: running against ${withoutCredentials(options.url)}`);
    target = url ? remoteTarget(url) : await embeddedTarget(scenario, file);
    const ctx = await setUp(scenario, file, target);
    clients = [ctx.client, ctx.probe];
    return finish(result, started, await phases(scenario, ctx, result, started, options));
  } catch (error) {
    return finish(result, started, { ...failureOf(error), phase: 'setup' });
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await target?.close().catch(() => undefined);
  }
}

const withoutCredentials = (url: string) => url.replace(/\/\/[^@/]*@/, '//');

function finish(result: ScenarioResult, started: number, failure: ScenarioResult['failure']): ScenarioResult {
  result.durationMs = Date.now() - started;
  if (failure) Object.assign(result, { status: 'failed', failure });
  return result;
}

async function setUp(scenario: Scenario, file: string | undefined, target: SimTarget): Promise<RunContext> {
  const runnerTrace = traceId(scenario.seed, 'runner');
  const credentials = { username: target.username, password: target.password, insecure: true };
  // One after the other, so the journal's order is the same in every run.
  const client = await connect(target.url, { ...credentials, traceparent: traceparentOf(traceId(scenario.seed, 'client')) });
  const probe = await connect(target.url, { ...credentials, traceparent: traceparentOf(runnerTrace) }).catch(async (error: unknown) => {
    await client.close().catch(() => undefined);
    throw error;
  });
  const ctx: RunContext = {
    file, seed: scenario.seed, target, client, probe, runnerTrace,
    vars: {}, rules: new Map(), activeRules: new Set(), stepsStartSeq: 0, stepsStartEvent: 0, stepSeqs: [], rest: {},
  };
  return ctx;
}

/** Steady state, steps, rollbacks, steady state, teardown; the first failure is the scenario's. */
async function phases(scenario: Scenario, ctx: RunContext, result: ScenarioResult, started: number, options: RunnerOptions): Promise<ScenarioResult['failure']> {
  const run: StepRun = { ctx, clock: () => Date.now() - started, onStep: (record, depth) => options.onStep?.(scenario.name, record, depth) };
  let failure: ScenarioResult['failure'];
  const note = (f: ScenarioResult['failure']) => (failure ??= f);
  const probes = scenario.steadyState ?? [];
  let steadyBefore = false;
  try {
    result.steadyState = await checkBefore(ctx, probes);
    steadyBefore = true;
  } catch (error) {
    result.steadyState = (error as { results?: ProbeResult[] }).results ?? [];
    note({ ...failureOf(error), phase: 'steady state' });
  }
  if (steadyBefore) {
    ctx.stepsStartSeq = await ctx.target.lastSeq();
    ctx.stepsStartEvent = await latestEventKey(ctx);
    const limitMs = scenario.timeout === undefined ? undefined : durationMs(scenario.timeout, 0);
    const steps = limitMs === undefined ? run : { ...run, deadline: { atMs: limitMs, limitMs } };
    result.timeline = await runSteps(steps, scenario.steps as Step[], 'steps');
    const failed = failedLeaf(result.timeline);
    if (failed) note({ ...failed.failure!, step: failed.name, phase: 'steps' });
  }
  result.rollbacks = await runEach(run, scenario.rollbacks ?? [], 'rollbacks');
  const rollbackFailed = failedLeaf(result.rollbacks);
  if (rollbackFailed) note({ ...rollbackFailed.failure!, step: rollbackFailed.name, phase: 'rollbacks' });
  if (steadyBefore) await checkAfter(ctx, probes, result.steadyState).catch((error: unknown) => note({ ...failureOf(error), phase: 'steady state' }));
  result.teardown = await runEach(run, scenario.teardown ?? [], 'teardown');
  const teardownFailed = failedLeaf(result.teardown);
  if (teardownFailed) note({ ...teardownFailed.failure!, step: teardownFailed.name, phase: 'teardown' });
  await fillEvents(ctx, [...result.timeline, ...result.rollbacks, ...result.teardown]).catch((error: unknown) => options.onWarning?.(scenario.name, `the timeline has no events: ${failureOf(error).message}`));
  // A simulator at a URL outlives the scenario: leave no rule of ours behind.
  for (const name of ctx.activeRules) await ctx.target.removeRule(ctx.rules.get(name)!).catch(() => undefined);
  return failure;
}

/** Rollbacks and teardown: every step runs, whatever the one before did. */
async function runEach(run: StepRun, steps: Step[], path: string): Promise<StepRecord[]> {
  const records: StepRecord[] = [];
  for (const [i, step] of steps.entries()) records.push(await runStep(run, step, `${path}[${i}]`, 0));
  return records;
}

/** The innermost failed step (a parallel group's failed child rather than the group). */
export function failedLeaf(records: StepRecord[]): StepRecord | undefined {
  const failed = records.find((r) => r.status === 'failed');
  if (!failed) return undefined;
  return (failed.children && failedLeaf(failed.children)) ?? failed;
}
