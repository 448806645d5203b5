/** Running scenario models in tests: one at a time, embedded or against a shared simulator. */
import { runScenario, scenarioSchema, type Assertion, type ScenarioInput, type ScenarioResult } from '../../scenarios/index.js';
import type { RunnerOptions } from '../../scenarios/runner.js';

export async function run(model: ScenarioInput, options: RunnerOptions = {}): Promise<ScenarioResult> {
  return runScenario(scenarioSchema.parse(model), undefined, { ci: false, ...options });
}

/** A scenario of one expect step. */
export const expecting = (expect: Partial<Assertion>[]): ScenarioInput => ({ name: 'x', steps: [{ name: 'check', expect: expect as Assertion[] }] });
