/**
 * The TypeScript face of the scenario format: builds the same model a YAML file gives.
 *
 *   const s = scenario('HA', { seed: 7, simulator: { flags: { cluster: 1, host: 3 } } })
 *     .step('fail a host', { action: 'host-fail', args: { name: 'DC0_C0_H1' } })
 *     .expect('restarted', [{ events: { types: ['VmRestartedOnAlternateHostEvent'] } }])
 *     .build();
 */
import type { FaultRuleInput } from '../simulator/index.js';
import { scenarioSchema, type Assertion, type Scenario, type ScenarioInput, type Step } from './schema.js';

type Header = Omit<ScenarioInput, 'name' | 'steps' | 'rollbacks' | 'teardown'>;
type StepBody = Omit<Step, 'name'>;

export class ScenarioBuilder {
  private readonly model: ScenarioInput;

  constructor(name: string, header: Header = {}) {
    this.model = { ...header, name, steps: [] };
  }

  /** A step of any kind: `{ client: 'vm.power', args: {...} }`, `{ wait: {...} }`, ... */
  step(name: string, body: StepBody): this {
    this.model.steps.push({ name, ...body });
    return this;
  }

  /** Adds a fault rule under `ruleName` (cleared by `.clear(ruleName)`). */
  fault(name: string, ruleName: string, rule: Omit<FaultRuleInput, 'name'>): this {
    return this.step(name, { fault: { ...rule, name: ruleName } });
  }

  clear(name: string, rules: string | string[]): this {
    return this.step(name, { clear: rules });
  }

  expect(name: string, assertions: Partial<Assertion>[]): this {
    return this.step(name, { expect: assertions as Assertion[] });
  }

  probe(probe: NonNullable<ScenarioInput['steadyState']>[number]): this {
    (this.model.steadyState ??= []).push(probe);
    return this;
  }

  rollback(name: string, body: StepBody): this {
    (this.model.rollbacks ??= []).push({ name, ...body });
    return this;
  }

  teardown(name: string, body: StepBody): this {
    (this.model.teardown ??= []).push({ name, ...body });
    return this;
  }

  /** The validated model; throws a zod error naming the bad path. */
  build(): Scenario {
    return scenarioSchema.parse(structuredClone(this.model));
  }
}

export function scenario(name: string, header?: Header): ScenarioBuilder {
  return new ScenarioBuilder(name, header);
}
