/** A small seeded batch of the fuzzer (test/fuzz/): `npm run fuzz` runs the large one. */
import { describe, expect, it } from 'vitest';
import { fuzz } from '../fuzz/fuzzer.js';

describe('fuzzing, a small seeded batch', () => {
  it('finds no internal error, hang, crash, answer outside the API form or broken invariant', async () => {
    const report = await fuzz({ seed: 15, cases: 1000, maxSeconds: 40 });
    expect(report.cases).toBe(1000);
    expect({ ...report, seconds: 0, examples: report.examples }).toMatchObject({
      internalErrors: 0, hangs: 0, crashes: 0, nonApiForm: 0, invariantBreaks: 0, examples: [],
    });
    // The mutations reach past the parsers into the models, over both APIs.
    expect(report.soapSuccesses).toBeGreaterThan(50); // about 11 % of the ~600 SOAP cases, as in the 100,000-case runs
    expect(report.restSuccesses).toBeGreaterThan(50);
    expect(report.invariantChecks).toBe(5); // every 250 cases and at the end
  });
});
