/**
 * The steady-state hypothesis: each probe counts objects matching a filter. Before the steps the
 * count must hold `count`; after them it must hold `count` again and, with a `tolerance`, be
 * within that much of the count before.
 */
import { AssertionFailure, countHolds, describeCount } from './assertions/failure.js';
import { describeQuery, objectsMatching } from './assertions/objects.js';
import type { RunContext } from './context.js';
import type { Probe } from './schema.js';

export interface ProbeResult {
  name: string;
  before?: number;
  after?: number;
}

export async function checkBefore(ctx: RunContext, probes: Probe[]): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const probe of probes) {
    const before = (await objectsMatching(ctx, probe.objects)).length;
    results.push({ name: probe.name, before });
    if (!countHolds(before, probe.count ?? before)) throw probeFailure(probe, 'before the steps', describeCount(probe.count), before, results);
  }
  return results;
}

export async function checkAfter(ctx: RunContext, probes: Probe[], results: ProbeResult[]): Promise<void> {
  for (const [i, probe] of probes.entries()) {
    const after = (await objectsMatching(ctx, probe.objects)).length;
    const result = results[i]!;
    result.after = after;
    if (probe.count !== undefined && !countHolds(after, probe.count)) throw probeFailure(probe, 'after the steps', describeCount(probe.count), after, results);
    if (probe.tolerance !== undefined && Math.abs(after - result.before!) > probe.tolerance) {
      throw probeFailure(probe, 'after the steps', `${result.before} ± ${probe.tolerance} (the count before)`, after, results);
    }
  }
}

class ProbeFailure extends AssertionFailure {
  constructor(assertion: string, expected: string, actual: string, readonly results: ProbeResult[]) {
    super(assertion, expected, actual);
  }
}

function probeFailure(probe: Probe, when: string, expected: string, actual: number, results: ProbeResult[]): ProbeFailure {
  return new ProbeFailure(`steady state '${probe.name}' ${when} (${describeQuery(probe.objects)})`, `count ${expected}`, String(actual), results);
}
