/**
 * JUnit XML as CI systems read it: a <testsuite> per scenario, a <testcase> per top-level step
 * (steady state, steps, rollbacks, teardown), <failure> with the assertion, expected and actual,
 * <skipped> for steps an earlier failure kept from running and for skipped scenarios.
 */
import type { ScenarioResult } from '../runner.js';
import type { StepRecord } from '../timeline.js';

interface Case {
  name: string;
  timeMs: number;
  failure?: { message: string; body: string };
  skipped?: string;
}

const escape = (text: string) =>
  text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '') // not allowed in XML 1.0
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function junitXml(results: ScenarioResult[]): string {
  const cases = results.map(casesOf);
  const suites = results.map((r, i) => suiteXml(r, cases[i]!));
  const count = (f: (r: ScenarioResult) => number) => results.reduce((n, r) => n + f(r), 0);
  const tests = cases.reduce((n, c) => n + c.length, 0);
  const failures = cases.reduce((n, c) => n + c.filter((x) => x.failure).length, 0);
  const skipped = cases.reduce((n, c) => n + c.filter((x) => x.skipped !== undefined).length, 0);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="vcenter-sim scenarios" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(count((r) => r.durationMs))}">\n` +
    suites.join('') +
    '</testsuites>\n'
  );
}

function suiteXml(result: ScenarioResult, cases: Case[]): string {
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const attrs = `name="${escape(result.name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(result.durationMs)}"`;
  const props = `    <properties>\n      <property name="seed" value="${result.seed}"/>\n${result.file ? `      <property name="file" value="${escape(result.file)}"/>\n` : ''}    </properties>\n`;
  return `  <testsuite ${attrs}>\n${props}${cases.map((c) => caseXml(result.name, c)).join('')}  </testsuite>\n`;
}

function caseXml(classname: string, c: Case): string {
  const open = `    <testcase name="${escape(c.name)}" classname="${escape(classname)}" time="${seconds(c.timeMs)}"`;
  if (c.failure) return `${open}>\n      <failure message="${escape(c.failure.message)}" type="ScenarioFailure">${escape(c.failure.body)}</failure>\n    </testcase>\n`;
  if (c.skipped !== undefined) return `${open}>\n      <skipped message="${escape(c.skipped)}"/>\n    </testcase>\n`;
  return `${open}/>\n`;
}

/** The test cases of one scenario: what ran, and what an earlier failure kept from running. */
function casesOf(result: ScenarioResult): Case[] {
  if (result.status === 'skipped') return [{ name: result.name, timeMs: 0, skipped: result.skipped ?? 'skipped' }];
  const cases: Case[] = [];
  const failure = result.failure;
  if (failure && (failure.phase === 'load' || failure.phase === 'setup')) {
    cases.push({ name: failure.phase, timeMs: result.durationMs, failure: { message: failure.message, body: failure.message } });
  }
  if (failure?.phase === 'steady state' || result.steadyState.length) {
    const steady = failure?.phase === 'steady state';
    cases.push({ name: 'steady state', timeMs: 0, failure: steady ? { message: failure.message, body: detail(failure) } : undefined });
  }
  const add = (prefix: string, records: StepRecord[], plannedNames: string[]) => {
    records.forEach((r) => cases.push(stepCase(prefix, r)));
    for (const name of plannedNames.slice(records.length)) cases.push({ name: `${prefix}${name}`, timeMs: 0, skipped: 'not run: an earlier step failed' });
  };
  add('', result.timeline, result.plan);
  add('rollback: ', result.rollbacks, []);
  add('teardown: ', result.teardown, []);
  return cases;
}

function stepCase(prefix: string, r: StepRecord): Case {
  const failed = r.status === 'failed' ? leaf(r) : undefined;
  return {
    name: `${prefix}${r.name}`,
    timeMs: r.durationMs,
    failure: failed ? { message: failed.failure!.message, body: detail({ ...failed.failure!, step: failed.name }) } : undefined,
  };
}

const leaf = (r: StepRecord): StepRecord => {
  const child = r.children?.find((c) => c.status === 'failed');
  return child ? leaf(child) : r;
};

function detail(f: { message: string; assertion?: string; expected?: string; actual?: string; step?: string }): string {
  const lines = [f.step ? `step: ${f.step}` : undefined, f.assertion ? `assertion: ${f.assertion}` : undefined, f.expected ? `expected: ${f.expected}` : undefined, f.actual ? `actual: ${f.actual}` : undefined];
  const parts = lines.filter(Boolean);
  return parts.length ? parts.join('\n') : f.message;
}
