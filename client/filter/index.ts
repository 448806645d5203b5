/**
 * Filter expressions: one language for `vcctl --filter`, scenario assertions and waits.
 *
 *   const filter = parseFilter('powerState == poweredOn && numCPU >= 4', { type: 'VirtualMachine' });
 *   filter.paths;                                   // ['runtime.powerState', 'config.hardware.numCPU']
 *   filter.matches({ 'runtime.powerState': 'poweredOn', 'config.hardware.numCPU': 8 }); // true
 */
import { pathsOf, type FilterNode } from './ast.js';
import { compilePredicate } from './evaluate.js';
import { parseFilterAst, type ParseOptions } from './parser.js';

export type { CompareOperator, FilterNode, Literal, SizeUnit } from './ast.js';
export { pathsOf } from './ast.js';
export { FILTER_ALIASES, FILTER_OBJECT_TYPES, resolveAlias, type AliasResolution, type FilterObjectType } from './aliases.js';
export { FilterSyntaxError } from './errors.js';
export { compilePredicate, type Predicate } from './evaluate.js';
export { compileGlob } from './glob.js';
export { parseIsoDate } from './literals.js';
export { MAX_NESTING, parseFilterAst, type ParseOptions } from './parser.js';
export { printFilter, printLiteral } from './print.js';

export type FilterOptions = ParseOptions;

/** A parsed and compiled filter. */
export interface Filter {
  /** The text it was parsed from. */
  readonly source: string;
  readonly ast: FilterNode;
  /** The property paths it reads, aliases resolved, each once: what to fetch for it. */
  readonly paths: readonly string[];
  /** Whether an object (a flat propSet map, a nested object, or a mix) satisfies the filter. */
  matches(object: object): boolean;
}

/** Parses and compiles; throws FilterSyntaxError (with the column) for text that does not parse. */
export function parseFilter(source: string, options: FilterOptions = {}): Filter {
  const ast = parseFilterAst(source, options);
  return Object.freeze({ source, ast, paths: Object.freeze(pathsOf(ast)), matches: compilePredicate(ast) });
}
