/** How an assertion fails: which one, what was expected, what was found. */
import type { Count } from '../schema.js';

export class AssertionFailure extends Error {
  constructor(
    readonly assertion: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${assertion}: expected ${expected}, actual ${actual}`);
    this.name = 'AssertionFailure';
  }
}

/** A count that holds `expected` (default: at least one). */
export function countHolds(actual: number, expected: Count | undefined): boolean {
  if (expected === undefined) return actual >= 1;
  if (typeof expected === 'number') return actual === expected;
  return (expected.min === undefined || actual >= expected.min) && (expected.max === undefined || actual <= expected.max);
}

export function describeCount(expected: Count | undefined): string {
  if (expected === undefined) return 'at least 1';
  if (typeof expected === 'number') return String(expected);
  if (expected.min !== undefined && expected.max !== undefined) return `${expected.min}..${expected.max}`;
  return expected.min !== undefined ? `at least ${expected.min}` : `at most ${expected.max ?? 'any'}`;
}

/** A short list for messages: the first few items, and how many more. */
export function listed(items: readonly string[], max = 5): string {
  if (!items.length) return 'none';
  return items.slice(0, max).join(', ') + (items.length > max ? `, … ${items.length - max} more` : '');
}
