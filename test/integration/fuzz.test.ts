/** A small seeded batch of the fuzzer (test/fuzz/): `npm run fuzz` runs the large one. */
import { describe, expect, it } from 'vitest';
import { caseKinds, fuzz } from '../fuzz/fuzzer.js';

describe('fuzzing, a small seeded batch', () => {
  it('finds no internal error, hang, slow call, crash, answer outside the API form, accepted forgery or broken invariant', async () => {
    const report = await fuzz({ seed: 15, cases: 1000, maxSeconds: 40 });
    expect(report.cases).toBe(1000);
    expect({ ...report, seconds: 0, examples: report.examples }).toMatchObject({
      internalErrors: 0, hangs: 0, slow: 0, crashes: 0, nonApiForm: 0, forgeriesAccepted: 0, invariantBreaks: 0, examples: [],
    });
    // The mutations reach past the parsers into the models and token checks, on every endpoint.
    for (const kind of caseKinds) expect(report.kinds[kind].successes, kind).toBeGreaterThan(0);
    expect(report.kinds.soap.successes).toBeGreaterThan(40); // about 15 % of the ~460 SOAP cases, as in the 100,000-case runs
    expect(report.kinds.rest.successes).toBeGreaterThan(30);
    expect(report.enforcedCases).toBeGreaterThan(100);
    expect(report.invariantChecks).toBe(6); // every 250 cases, and each simulator at the end
  });
});
