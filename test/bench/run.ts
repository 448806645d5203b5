/**
 * `npm run bench`: throughput and start-up figures of the simulator. Each server runs in its own
 * process and the load comes from a bare keep-alive client (raw-client.ts), so the figures are
 * the server's. Prints a table and writes bench-results.json. `BENCH_ONLY=soap,tasks` runs
 * only those sections.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessSection } from './access.js';
import { clientSection } from './client.js';
import { controlSection } from './control.js';
import { filterSection } from './filter.js';
import { hostileSection } from './hostile.js';
import { oauthSection } from './oauth.js';
import { restSection } from './rest.js';
import { soapSection } from './soap.js';
import { stateSection } from './state.js';
import { root, seconds, type BenchSection } from './support.js';
import { tasksSection } from './tasks.js';

const sections: BenchSection[] = [soapSection, tasksSection, restSection, oauthSection, controlSection, stateSection, filterSection, clientSection, hostileSection, accessSection];

function report(results: Record<string, number>, ran: BenchSection[]): void {
  const n = (key: string, digits = 0) =>
    results[key]?.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) ?? 'n/a';
  const rows = ran.flatMap((section) => section.rows(n));
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'measure'.padEnd(width)}  ${'result'.padStart(20)}  target`);
  for (const [name, value, target] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(20)}  ${target}`);
  const out = join(root, 'bench-results.json');
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, seconds, results }, null, 2) + '\n');
  console.log(`\nwritten to ${out}`);
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',');
  const ran = sections.filter((s) => !only || only.includes(s.name));
  const results: Record<string, number> = {};
  for (const section of ran) await section.run(results);
  report(results, ran);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
