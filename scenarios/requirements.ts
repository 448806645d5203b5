/**
 * `requires`: what a scenario needs besides the simulator (a client under test). A missing one
 * skips the scenario with a warning, or, under CI=true, fails it: CI must never pass by skipping.
 */
import { spawnSync } from 'node:child_process';
import type { Scenario } from './schema.js';

export interface Missing {
  name: string;
  why: string;
  hint?: string;
}

export function missingRequirements(scenario: Scenario): Missing[] {
  const missing: Missing[] = [];
  for (const req of scenario.requires ?? []) {
    const [program, ...args] = req.command;
    const probe = spawnSync(program!, args, { encoding: 'utf8', timeout: 30_000 });
    if (probe.error || probe.status !== 0) {
      missing.push({ name: req.name, why: (probe.error?.message ?? probe.stderr.trim().split('\n').pop() ?? `exit ${probe.status}`) || `exit ${probe.status}`, hint: req.hint });
    }
  }
  return missing;
}

export const describeMissing = (m: Missing) => `${m.name} is missing (${m.why})${m.hint ? `; ${m.hint}` : ''}`;
