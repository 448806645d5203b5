/** The JSON report: a summary and, per scenario, its result with the timeline of its steps. */
import type { ScenarioResult } from '../runner.js';

export interface JsonReport {
  tool: 'vcenter-sim scenario';
  summary: Summary;
  scenarios: ScenarioResult[];
}

export interface Summary {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
}

export function summarize(results: ScenarioResult[]): Summary {
  const count = (status: string) => results.filter((r) => r.status === status).length;
  return { total: results.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

export function jsonReport(results: ScenarioResult[]): string {
  const report: JsonReport = { tool: 'vcenter-sim scenario', summary: summarize(results), scenarios: results };
  return `${JSON.stringify(report, null, 2)}\n`;
}
