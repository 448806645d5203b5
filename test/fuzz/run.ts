/**
 * `npm run fuzz`: a large seeded batch (FUZZ_CASES, default 100,000; FUZZ_SEED, default 1;
 * FUZZ_SECONDS bounds the time, default 900; FUZZ_EXAMPLES failures described, default 10). Prints the report; exits non-zero on any finding.
 */
import { fuzz } from './fuzzer.js';

const report = await fuzz({
  seed: Number(process.env.FUZZ_SEED ?? 1),
  cases: Number(process.env.FUZZ_CASES ?? 100_000),
  maxSeconds: Number(process.env.FUZZ_SECONDS ?? 900),
  examples: Number(process.env.FUZZ_EXAMPLES ?? 10),
});
console.log(JSON.stringify(report, null, 2));
const findings = report.internalErrors + report.hangs + report.slow + report.crashes + report.nonApiForm + report.forgeriesAccepted + report.invariantBreaks;
process.exit(findings === 0 ? 0 : 1);
