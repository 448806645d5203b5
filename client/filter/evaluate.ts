/**
 * Compiles a filter's tree once into nested closures, so evaluating it over thousands of objects
 * does no tree walking, alias lookup or literal parsing per object: each comparison is a property
 * read and a specialised test. No closure is created per object (loops, not every/some with an
 * arrow), which also keeps tsx's and vitest's closure naming out of the hot path.
 */
import type { CompareOperator, FilterNode, Literal } from './ast.js';
import { compileGlob } from './glob.js';
import { BYTES_PER_SIZE_UNIT, parseIsoDate } from './literals.js';
import { compilePathReader } from './paths.js';
import { bytesPerUnit } from './units.js';

export type Predicate = (object: object) => boolean;
type ValueTest = (value: unknown) => boolean;
type Ordering = Exclude<CompareOperator, '!='>;

const ORDER: Readonly<Record<Ordering, (a: number | string, b: number | string) => boolean>> = {
  '==': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

export function compilePredicate(node: FilterNode): Predicate {
  switch (node.kind) {
    case 'and':
      return allOf(node.operands.map(compilePredicate));
    case 'or':
      return anyOf(node.operands.map(compilePredicate));
    case 'not':
      return negate(compilePredicate(node.operand));
    case 'truthy':
      return anyValue(node.path, (value) => value === true);
    case 'compare':
      return compileComparison(node.path, node.operator, node.value);
    case 'glob':
      return compileGlobTest(node.path, node.pattern, node.negated);
    case 'in':
      return compileIn(node.path, node.values);
  }
}

function allOf(predicates: Predicate[]): Predicate {
  if (predicates.length === 2) {
    const [first, second] = predicates as [Predicate, Predicate];
    return (object) => first(object) && second(object);
  }
  return (object) => {
    for (const predicate of predicates) if (!predicate(object)) return false;
    return true;
  };
}

function anyOf(predicates: Predicate[]): Predicate {
  if (predicates.length === 2) {
    const [first, second] = predicates as [Predicate, Predicate];
    return (object) => first(object) || second(object);
  }
  return (object) => {
    for (const predicate of predicates) if (predicate(object)) return true;
    return false;
  };
}

/** Booleans and null have no order: `< true` from a hand-built tree holds for nothing (the parser refuses it). */
const never = () => false;

function negate(predicate: Predicate): Predicate {
  return (object) => !predicate(object);
}

/** The test holds for the value, or for any element when the value is an array ("any matches"). */
function anyValue(path: string, test: ValueTest): Predicate {
  const read = compilePathReader(path);
  return (object) => {
    const value = read(object);
    return Array.isArray(value) ? value.some(test) : test(value);
  };
}

/** `== null`: missing, null, or an array that is empty or holds a null. */
function isAbsent(path: string): Predicate {
  const read = compilePathReader(path);
  return (object) => {
    const value = read(object);
    return value == null || (Array.isArray(value) && (value.length === 0 || value.some(isNullish)));
  };
}

function compileComparison(path: string, operator: CompareOperator, literal: Literal): Predicate {
  if (operator === '!=') return negate(compileComparison(path, '==', literal));
  if (literal.kind === 'null') return operator === '==' ? isAbsent(path) : never;
  return anyValue(path, valueTest(operator, literal, bytesPerUnit(path)));
}

function valueTest(operator: Ordering, literal: Exclude<Literal, { kind: 'null' }>, bytesPerPropertyUnit: number): ValueTest {
  switch (literal.kind) {
    case 'boolean':
      return operator === '==' ? (value) => value === literal.value : never;
    case 'number':
      return numberTest(operator, literal.value);
    case 'size':
      return numberTest(operator, (literal.amount * BYTES_PER_SIZE_UNIT[literal.unit]) / bytesPerPropertyUnit);
    case 'string':
      return stringTest(operator, literal.value);
    case 'date':
      return dateTest(operator, literal.value);
  }
}

function numberTest(operator: Ordering, number: number): ValueTest {
  if (operator === '==') return (value) => value === number;
  const holds = ORDER[operator];
  return (value) => typeof value === 'number' && holds(value, number);
}

/** Strings compare by UTF-16 code units; a managed object reference compares as its value. */
function stringTest(operator: Ordering, string: string): ValueTest {
  if (operator === '==') return (value) => value === string || (isMoref(value) && value.value === string);
  const holds = ORDER[operator];
  return (value) => {
    const text = typeof value === 'string' ? value : isMoref(value) ? value.value : undefined;
    return text !== undefined && holds(text, string);
  };
}

function dateTest(operator: Ordering, time: number): ValueTest {
  const holds = ORDER[operator];
  return (value) => {
    const other = value instanceof Date ? value.getTime() : typeof value === 'string' ? parseIsoDate(value) : undefined;
    return other !== undefined && holds(other, time);
  };
}

function compileGlobTest(path: string, pattern: string, negated: boolean): Predicate {
  const matches = compileGlob(pattern);
  const test: ValueTest = (value) => (typeof value === 'string' ? matches(value) : isMoref(value) && matches(value.value));
  const predicate = anyValue(path, test);
  return negated ? negate(predicate) : predicate;
}

/** Strings, numbers and booleans go in a Set (one lookup per value); dates and sizes are tested one by one. */
function compileIn(path: string, literals: Literal[]): Predicate {
  const exact = new Set<unknown>();
  const others: ValueTest[] = [];
  for (const literal of literals) {
    if (literal.kind === 'string' || literal.kind === 'number' || literal.kind === 'boolean') exact.add(literal.value);
    else if (literal.kind !== 'null') others.push(valueTest('==', literal, bytesPerUnit(path)));
  }
  const test: ValueTest = (value) => exact.has(value) || (isMoref(value) && exact.has(value.value)) || anyTest(others, value);
  const present = anyValue(path, test);
  if (!literals.some((literal) => literal.kind === 'null')) return present;
  const absent = isAbsent(path);
  return (object) => absent(object) || present(object);
}

function anyTest(tests: ValueTest[], value: unknown): boolean {
  for (const test of tests) if (test(value)) return true;
  return false;
}

const isNullish = (value: unknown) => value == null;

function isMoref(value: unknown): value is { type: string; value: string } {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && typeof (value as { value?: unknown }).value === 'string';
}
