/**
 * The syntax tree of a filter expression. Plain data without source positions, so two parses of
 * equivalent text are deep-equal, and the tree can be built, printed and compiled on its own.
 */

export type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type SizeUnit = 'KB' | 'MB' | 'GB' | 'TB';

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  /** An ISO date; `value` is milliseconds since the epoch (UTC). */
  | { kind: 'date'; value: number }
  /** `4GB`: kept as written; the property's unit decides the number it compares as. */
  | { kind: 'size'; amount: number; unit: SizeUnit };

/** `path` is always a full property path: aliases are resolved by the parser. */
export type FilterNode =
  | { kind: 'compare'; path: string; operator: CompareOperator; value: Literal }
  /** `=~` (negated: false) and `!~` (negated: true). */
  | { kind: 'glob'; path: string; pattern: string; negated: boolean }
  | { kind: 'in'; path: string; values: Literal[] }
  /** A bare path: the same as `path == true`. */
  | { kind: 'truthy'; path: string }
  | { kind: 'not'; operand: FilterNode }
  /** Two or more operands; n-ary so long chains do not make deep trees. */
  | { kind: 'and'; operands: FilterNode[] }
  | { kind: 'or'; operands: FilterNode[] };

/** Every property path a filter reads, each once, in order of first appearance. */
export function pathsOf(node: FilterNode): string[] {
  const seen = new Set<string>();
  const visit = (n: FilterNode): void => {
    if (n.kind === 'not') visit(n.operand);
    else if (n.kind === 'and' || n.kind === 'or') n.operands.forEach(visit);
    else seen.add(n.path);
  };
  visit(node);
  return [...seen];
}
