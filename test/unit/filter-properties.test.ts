/** Property-based tests of the filter language (fast-check): printing, parsing and evaluation laws. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FILTER_ALIASES,
  FilterSyntaxError,
  compilePredicate,
  parseFilter,
  parseFilterAst,
  printFilter,
  resolveAlias,
  type CompareOperator,
  type FilterNode,
  type Literal,
} from '../../client/filter/index.js';

const OPERATORS: CompareOperator[] = ['==', '!=', '<', '<=', '>', '>='];
const type = 'VirtualMachine';

/** A tree of leaves from `leaf`, at most four levels of !, && and ||. */
function treeOf(leaf: fc.Arbitrary<FilterNode>): fc.Arbitrary<FilterNode> {
  return fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { maxDepth: 4 },
      leaf,
      tie('node').map((operand): FilterNode => ({ kind: 'not', operand })),
      fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((operands): FilterNode => ({ kind: 'and', operands })),
      fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((operands): FilterNode => ({ kind: 'or', operands })),
    ),
  })).node;
}

/** Ordering operators take no booleans or nulls, as the parser insists. */
function leafOf(path: fc.Arbitrary<string>, literal: fc.Arbitrary<Literal>, pattern: fc.Arbitrary<string>): fc.Arbitrary<FilterNode> {
  const comparison = fc.record({ path, operator: fc.constantFrom(...OPERATORS), value: literal }).map(({ path, operator, value }): FilterNode => {
    const ordered = value.kind !== 'boolean' && value.kind !== 'null';
    return { kind: 'compare', path, operator: ordered || operator === '!=' ? operator : '==', value };
  });
  return fc.oneof(
    comparison,
    fc.record({ path, pattern, negated: fc.boolean() }).map((glob): FilterNode => ({ kind: 'glob', ...glob })),
    fc.record({ path, values: fc.array(literal, { minLength: 1, maxLength: 4 }) }).map((list): FilterNode => ({ kind: 'in', ...list })),
    path.map((p): FilterNode => ({ kind: 'truthy', path: p })),
  );
}

// Any path and literal the parser can produce.
const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);
const anyPath = fc
  .oneof(fc.array(identifier, { minLength: 1, maxLength: 3 }).map((segments) => segments.join('.')), fc.constantFrom(...Object.keys(FILTER_ALIASES[type])))
  .map((word) => (resolveAlias(word, type) as { path: string }).path);
const anyLiteral: fc.Arbitrary<Literal> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }).map((value): Literal => ({ kind: 'string', value })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value): Literal => ({ kind: 'number', value })),
  fc.boolean().map((value): Literal => ({ kind: 'boolean', value })),
  fc.constant<Literal>({ kind: 'null' }),
  fc.integer({ min: Date.parse('0000-01-01T00:00:00Z'), max: Date.parse('9999-12-31T23:59:59.999Z') }).map((value): Literal => ({ kind: 'date', value })),
  fc
    .record({ amount: fc.double({ min: 0, max: 1e9, noNaN: true }).map(Math.abs), unit: fc.constantFrom('KB', 'MB', 'GB', 'TB') as fc.Arbitrary<'KB'> })
    .map((size): Literal => ({ kind: 'size', ...size })),
);
const anyTree = treeOf(leafOf(anyPath, anyLiteral, fc.string({ unit: 'binary', maxLength: 8 })));

// Few paths and values, so random filters and random objects meet often.
const POOL_PATHS = ['a', 'b', 'c.d'];
const poolLiteral: fc.Arbitrary<Literal> = fc.oneof(
  fc.constantFrom(-1, 0, 1, 2).map((value): Literal => ({ kind: 'number', value })),
  fc.constantFrom('x', 'y', '1', 'h-1').map((value): Literal => ({ kind: 'string', value })),
  fc.boolean().map((value): Literal => ({ kind: 'boolean', value })),
  fc.constant<Literal>({ kind: 'null' }),
  fc.constantFrom(Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1)).map((value): Literal => ({ kind: 'date', value })),
  fc.constant<Literal>({ kind: 'size', amount: 1, unit: 'KB' }),
);
const poolTree = treeOf(leafOf(fc.constantFrom(...POOL_PATHS), poolLiteral, fc.constantFrom('x', '*', '?', 'h-*', '1*')));
const scalar = fc.oneof(
  fc.constantFrom<unknown>(-1, 0, 1, 2, 1024, 'x', 'y', '1', 'h-1', true, false, null, '2024-01-01T00:00:00Z'),
  fc.constantFrom('h-1', 'x').map((value) => ({ type: 'HostSystem', value })),
  fc.constantFrom(Date.UTC(2024, 0, 1), Date.UTC(2024, 6, 1)).map((time) => new Date(time)),
);
const poolValue = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
const poolObject = fc.record({ a: poolValue, b: poolValue, c: fc.record({ d: poolValue }, { requiredKeys: [] }) }, { requiredKeys: [] });
/** The same object as a PropertyCollector would hand it over: one flat key per path. */
const flatten = (object: { a?: unknown; b?: unknown; c?: { d?: unknown } }) => {
  const flat: Record<string, unknown> = {};
  if ('a' in object) flat.a = object.a;
  if ('b' in object) flat.b = object.b;
  if (object.c && 'd' in object.c) flat['c.d'] = object.c.d;
  return flat;
};

const evaluate = (node: FilterNode, object: object) => compilePredicate(node)(object);

describe('filter properties', () => {
  it('printing a tree and parsing the text gives the same tree', () => {
    fc.assert(
      fc.property(anyTree, (tree) => {
        expect(parseFilterAst(printFilter(tree), { type })).toEqual(tree);
      }),
      { numRuns: 1500 },
    );
  });

  it('!(f) is the negation of f', () => {
    fc.assert(
      fc.property(poolTree, poolObject, (tree, object) => {
        const text = printFilter(tree);
        return parseFilter(`!(${text})`).matches(object) === !parseFilter(text).matches(object);
      }),
      { numRuns: 2000 },
    );
  });

  it('De Morgan: !(f && g) is !f || !g, and !(f || g) is !f && !g', () => {
    fc.assert(
      fc.property(poolTree, poolTree, poolObject, (f, g, object) => {
        const not = (operand: FilterNode): FilterNode => ({ kind: 'not', operand });
        const and: FilterNode = { kind: 'and', operands: [f, g] };
        const or: FilterNode = { kind: 'or', operands: [f, g] };
        expect(evaluate(not(and), object)).toBe(evaluate({ kind: 'or', operands: [not(f), not(g)] }, object));
        expect(evaluate(not(or), object)).toBe(evaluate({ kind: 'and', operands: [not(f), not(g)] }, object));
      }),
      { numRuns: 2000 },
    );
  });

  it('!= is !(==), !~ is !(=~), and in (...) is a chain of == joined by ||', () => {
    const path = fc.constantFrom(...POOL_PATHS);
    fc.assert(
      fc.property(path, poolLiteral, fc.array(poolLiteral, { minLength: 1, maxLength: 4 }), fc.constantFrom('x', '*', 'h-?'), poolObject, (p, value, values, pattern, object) => {
        const equal: FilterNode = { kind: 'compare', path: p, operator: '==', value };
        expect(evaluate({ ...equal, operator: '!=' }, object)).toBe(!evaluate(equal, object));
        const glob: FilterNode = { kind: 'glob', path: p, pattern, negated: false };
        expect(evaluate({ ...glob, negated: true }, object)).toBe(!evaluate(glob, object));
        const chain: FilterNode = { kind: 'or', operands: values.map((v): FilterNode => ({ kind: 'compare', path: p, operator: '==', value: v })) };
        expect(evaluate({ kind: 'in', path: p, values }, object)).toBe(values.length === 1 ? evaluate(chain.operands[0]!, object) : evaluate(chain, object));
      }),
      { numRuns: 2000 },
    );
  });

  it('a flat propSet map and the nested object it came from give the same answer', () => {
    fc.assert(
      fc.property(poolTree, poolObject, (tree, object) => evaluate(tree, object) === evaluate(tree, flatten(object))),
      { numRuns: 2000 },
    );
  });

  it('any text either parses, prints and re-parses to the same tree, or fails with a FilterSyntaxError inside the text', () => {
    const pieces = ['a', 'b.c', 'in', ' ', '(', ')', ',', '!', '=', '~', '<', '>', '&', '|', '"', "'", '\\', '1', '-2.5', 'true', 'null', '*', '?', '2024-01-01', '4GB', '==', '&&', '||', '\n'];
    // Valid text with one piece spliced in or one character cut out: near misses, often still valid.
    const nearMiss = fc.tuple(anyTree.map(printFilter), fc.nat(), fc.constantFrom(...pieces, '')).map(([text, at, piece]) => {
      const cut = at % (text.length + 1);
      return text.slice(0, cut) + piece + text.slice(cut + (piece === '' ? 1 : 0));
    });
    const text = fc.oneof(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((p) => p.join('')), fc.string({ unit: 'binary', maxLength: 60 }), nearMiss);
    fc.assert(
      fc.property(text, poolObject, (source, object) => {
        let tree: FilterNode;
        try {
          tree = parseFilterAst(source);
        } catch (error) {
          expect(error).toBeInstanceOf(FilterSyntaxError);
          const { column } = error as FilterSyntaxError;
          expect(column >= 1 && column <= source.length + 1).toBe(true);
          expect((error as FilterSyntaxError).format()).toContain('^');
          return;
        }
        expect(parseFilterAst(printFilter(tree))).toEqual(tree);
        expect(typeof compilePredicate(tree)(object)).toBe('boolean');
      }),
      { numRuns: 5000 },
    );
  });

  it('handles large inputs without deep recursion or blow-up (sizes bounded, no timing)', () => {
    const wide = Array.from({ length: 20_000 }, (_, i) => `a${i % 7} in (${i}, x${i}) || !(b =~ "*x*y*")`).join(' && ');
    const filter = parseFilter(wide);
    expect(filter.paths.length).toBe(8);
    expect(filter.matches({ a0: 0, b: 'x'.repeat(10_000) })).toBe(true);
    expect(() => parseFilterAst('!'.repeat(1_000_000))).toThrow(FilterSyntaxError);
    expect(() => parseFilterAst('a == "' + 'x'.repeat(1_000_000))).toThrow(FilterSyntaxError);
    expect(parseFilter('a == ' + 'x'.repeat(1_000_000)).matches({ a: 'x'.repeat(1_000_000) })).toBe(true);
  });
});
