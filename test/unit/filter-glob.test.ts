import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob } from '../../client/filter/index.js';

/** The obvious regular-expression glob, as the reference the linear matcher must agree with. */
function referenceGlob(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('compileGlob', () => {
  it.each([
    ['', '', true],
    ['', 'a', false],
    ['*', '', true],
    ['*', 'anything', true],
    ['?', '', false],
    ['?', 'x', true],
    ['a*b', 'ab', true],
    ['a*b', 'axxb', true],
    ['a*b', 'axxba', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['*a*a*', 'baab', true],
    ['*ab*ab', 'abab', true],
    ['*ab*ab', 'abxab', true],
    ['*ab*ab', 'aab', false],
    ['?*?', 'a', false],
    ['?*?', 'ab', true],
    ['web-??', 'web-01', true],
    ['web-??', 'web-1', false],
    ['**', '', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['\\?', '?', true],
    ['\\\\', '\\', true],
    ['a\\', 'a\\', true],
    ['*.vmdk', '[ds1] vm/vm.vmdk', true],
  ])('%j against %j is %s', (pattern, text, expected) => {
    expect(compileGlob(pattern)(text)).toBe(expected);
    expect(referenceGlob(pattern).test(text)).toBe(expected);
  });

  it('agrees with the regular-expression reference on random short patterns and texts', () => {
    const pattern = fc.array(fc.constantFrom('a', 'b', '*', '?', '\\'), { maxLength: 8 }).map((chars) => chars.join(''));
    const text = fc.array(fc.constantFrom('a', 'b', '*', '?', '\\'), { maxLength: 12 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(pattern, text, (p, t) => compileGlob(p)(t) === referenceGlob(p).test(t)),
      { numRuns: 5000 },
    );
  });

  it('agrees with the reference on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), fc.string({ maxLength: 10 }), (p, t) => compileGlob(p)(t) === referenceGlob(p).test(t)),
      { numRuns: 2000 },
    );
  });

  it('stays polynomial on inputs that make backtracking matchers explode', () => {
    // A backtracking regex for this takes exponential time; the segment matcher is O(text × pattern).
    const pattern = '*a'.repeat(30) + '*b';
    const text = 'a'.repeat(20_000);
    expect(compileGlob(pattern)(text)).toBe(false);
    expect(compileGlob(pattern)(text + 'b')).toBe(true);
    expect(compileGlob('*' + '?'.repeat(200) + 'b')('a'.repeat(20_000))).toBe(false);
  });
});
