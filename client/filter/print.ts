/** Filter text from a tree, in canonical form: parsing the text gives back an equal tree. */
import type { FilterNode, Literal } from './ast.js';

export function printFilter(node: FilterNode): string {
  switch (node.kind) {
    case 'compare':
      return `${node.path} ${node.operator} ${printLiteral(node.value)}`;
    case 'glob':
      return `${node.path} ${node.negated ? '!~' : '=~'} ${JSON.stringify(node.pattern)}`;
    case 'in':
      return `${node.path} in (${node.values.map(printLiteral).join(', ')})`;
    case 'truthy':
      return node.path;
    case 'not':
      return `!${grouped(node.operand, node.operand.kind === 'and' || node.operand.kind === 'or')}`;
    case 'and':
      return node.operands.map((operand) => grouped(operand, operand.kind === 'and' || operand.kind === 'or')).join(' && ');
    case 'or':
      return node.operands.map((operand) => grouped(operand, operand.kind === 'or')).join(' || ');
  }
}

/** Parenthesised where the tree's shape would otherwise be lost (an `and` inside an `and` stays one). */
function grouped(node: FilterNode, parenthesise: boolean): string {
  return parenthesise ? `(${printFilter(node)})` : printFilter(node);
}

export function printLiteral(literal: Literal): string {
  switch (literal.kind) {
    case 'string':
      return JSON.stringify(literal.value);
    case 'number':
      return printNumber(literal.value);
    case 'boolean':
      return String(literal.value);
    case 'null':
      return 'null';
    case 'date':
      return new Date(literal.value).toISOString();
    case 'size':
      return `${printNumber(literal.amount)}${literal.unit}`;
  }
}

/** String(-0) is "0", which reads back as +0. */
function printNumber(number: number): string {
  return Object.is(number, -0) ? '-0' : String(number);
}
