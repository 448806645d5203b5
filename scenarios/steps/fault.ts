/**
 * `fault`: add a fault rule under its name; `clear`: remove rules by name, or `all` the scenario
 * added. A rule leaves the runner's own reads alone (`unless` their trace id), so probes, waits and
 * assertions see the world as it is, not the faults the scenario injects, unless the rule says
 * otherwise with an `unless` of its own.
 */
import type { FaultRuleInput } from '../../simulator/index.js';
import type { RunContext } from '../context.js';
import { StepInputError } from './resolve.js';

export async function addFault(ctx: RunContext, rule: FaultRuleInput): Promise<{ id: string }> {
  const name = rule.name!;
  if (ctx.activeRules.has(name)) throw new StepInputError(`a fault rule named '${name}' is already active; clear it first`);
  const id = await ctx.target.addRule(rule.unless ? rule : { ...rule, unless: { trace: ctx.runnerTrace } });
  ctx.rules.set(name, id);
  ctx.activeRules.add(name);
  return { id };
}

export async function clearFaults(ctx: RunContext, names: string | string[]): Promise<{ cleared: string[] }> {
  const list = names === 'all' ? [...ctx.activeRules] : Array.isArray(names) ? names : [names];
  for (const name of list) {
    if (!ctx.activeRules.has(name)) throw new StepInputError(`no active fault rule named '${name}' (active: ${[...ctx.activeRules].join(', ') || 'none'})`);
    await ctx.target.removeRule(ctx.rules.get(name)!);
    ctx.activeRules.delete(name);
  }
  return { cleared: list };
}
