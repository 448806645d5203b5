/**
 * The scenario DSL: `import { scenario, runScenarios } from 'vcenter-sim/scenarios'`.
 * `runScenarios(files, options)` is what `vcenter-sim scenario run` and `vcctl scenario run` call.
 */
import { writeFileSync } from 'node:fs';
import { jsonReport, summarize, type Summary } from './report/json.js';
import { junitXml } from './report/junit.js';
import { progressPrinter, type Output } from './report/progress.js';
import { runAll, type RunnerOptions, type ScenarioResult, type ScenarioSource } from './runner.js';

export interface RunScenariosOptions extends RunnerOptions {
  /** Write JUnit XML here. */
  junit?: string;
  /** Write the JSON report (with timelines) here. */
  report?: string;
  /** Progress goes here (a terminal gets colours); none when not given. */
  output?: Output;
}

export interface RunScenariosResult {
  results: ScenarioResult[];
  summary: Summary;
  /** 0 when every scenario passed or was skipped, 1 otherwise. */
  exitCode: number;
}

export async function runScenarios(sources: ScenarioSource[], options: RunScenariosOptions = {}): Promise<RunScenariosResult> {
  const printer = options.output ? progressPrinter(options.output) : undefined;
  const results = await runAll(sources, { ...printer, ...withoutUndefined(options) });
  if (options.junit) writeFileSync(options.junit, junitXml(results));
  if (options.report) writeFileSync(options.report, jsonReport(results));
  const summary = summarize(results);
  if (options.output) options.output.write(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped\n`);
  return { results, summary, exitCode: summary.failed > 0 || summary.total === 0 ? 1 : 0 };
}

const withoutUndefined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export { scenario, ScenarioBuilder } from './builder.js';
export { loadScenarioFile, parseScenarioText, ScenarioFileError } from './loader.js';
export { runScenario, type RunnerOptions, type ScenarioResult, type ScenarioSource, type Phase } from './runner.js';
export { scenarioSchema, scenarioJsonSchema, type Scenario, type ScenarioInput, type Step, type Assertion, type Probe } from './schema.js';
export { junitXml } from './report/junit.js';
export { jsonReport, type JsonReport, type Summary } from './report/json.js';
export type { StepRecord, CallRecord, Failure } from './timeline.js';
