/**
 * Recursive descent over the tokens, one token of look-ahead, so parsing is linear in the text.
 *
 *   filter     = or
 *   or         = and { "||" and }
 *   and        = unary { "&&" unary }
 *   unary      = "!" unary | "(" or ")" | condition
 *   condition  = path [ compareOp value | globOp pattern | "in" "(" value { "," value } ")" ]
 */
import type { CompareOperator, FilterNode, Literal } from './ast.js';
import { resolveAlias } from './aliases.js';
import { FilterSyntaxError } from './errors.js';
import { tokenize, type Token, type TokenKind } from './lexer.js';
import { wordLiteral } from './literals.js';
import { PROPERTY_PATH } from './paths.js';

/** Parentheses and `!` deeper than this are refused, so recursion cannot overflow the stack. */
export const MAX_NESTING = 100;

export interface ParseOptions {
  /** The managed object type (`VirtualMachine`, ...) whose aliases apply; see resolveAlias. */
  type?: string;
}

export function parseFilterAst(source: string, options: ParseOptions = {}): FilterNode {
  return new Parser(source, tokenize(source), options.type).parseAll();
}

class Parser {
  private index = 0;
  private nesting = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
    private readonly type: string | undefined,
  ) {}

  parseAll(): FilterNode {
    if (this.peek().kind === 'end') throw this.error(this.peek(), 'empty filter: expected a condition');
    const node = this.or();
    const next = this.peek();
    if (next.kind !== 'end') throw this.error(next, `expected && or || or the end, found ${describe(next)}`);
    return node;
  }

  private or(): FilterNode {
    const operands = [this.and()];
    while (this.accept('||')) operands.push(this.and());
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  private and(): FilterNode {
    const operands = [this.unary()];
    while (this.accept('&&')) operands.push(this.unary());
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  private unary(): FilterNode {
    const token = this.peek();
    if (token.kind === '!') return this.nested(token, () => ({ kind: 'not', operand: this.unary() }));
    if (token.kind === '(') return this.nested(token, () => this.parenthesised(token));
    return this.condition();
  }

  private parenthesised(open: Token): FilterNode {
    const node = this.or();
    const close = this.peek();
    if (close.kind !== ')') throw this.error(close, `expected ) to close the ( at column ${open.column}, found ${describe(close)}`);
    this.index++;
    return node;
  }

  private nested(token: Token, parse: () => FilterNode): FilterNode {
    if (++this.nesting > MAX_NESTING) throw this.error(token, `nested more than ${MAX_NESTING} deep`);
    this.index++;
    const node = parse();
    this.nesting--;
    return node;
  }

  private condition(): FilterNode {
    const path = this.path();
    const token = this.peek();
    if (token.kind === 'operator') {
      this.index++;
      if (token.text === '=~' || token.text === '!~') return { kind: 'glob', path, pattern: this.pattern(token), negated: token.text === '!~' };
      return { kind: 'compare', path, operator: token.text as CompareOperator, value: this.comparable(token) };
    }
    if (token.kind === 'word' && token.text === 'in') {
      this.index++;
      return { kind: 'in', path, values: this.list() };
    }
    if (token.kind === '&&' || token.kind === '||' || token.kind === ')' || token.kind === 'end') return { kind: 'truthy', path };
    throw this.error(token, `expected an operator (== != < <= > >= =~ !~ in) after ${path}, found ${describe(token)}`);
  }

  private path(): string {
    const token = this.take();
    if (token.kind !== 'word') throw this.error(token, `expected a property path, found ${describe(token)}`);
    if (!PROPERTY_PATH.test(token.text)) throw this.error(token, `'${token.text}' is not a property path (names of letters, digits and _ joined by dots)`);
    const resolved = resolveAlias(token.text, this.type);
    if ('path' in resolved) return resolved.path;
    const meanings = resolved.ambiguous.map((m) => `${m.path} for ${m.type}`).join(', ');
    throw this.error(token, `'${token.text}' means ${meanings}: give the object type or the full path`);
  }

  /** A value for a comparison: ordering needs something ordered, not true/false/null. */
  private comparable(operator: Token): Literal {
    const literal = this.value(operator.text);
    const ordered = literal.kind !== 'boolean' && literal.kind !== 'null';
    if (!ordered && operator.text !== '==' && operator.text !== '!=') {
      throw this.error(this.tokens[this.index - 1]!, `${operator.text} needs a number, size, date or string, not ${literal.kind === 'null' ? 'null' : literal.value}`);
    }
    return literal;
  }

  private value(after: string): Literal {
    const token = this.take();
    if (token.kind === 'string') return { kind: 'string', value: token.value };
    if (token.kind !== 'word') throw this.error(token, `expected a value after ${after}, found ${describe(token)}`);
    const meaning = wordLiteral(token.text);
    if ('error' in meaning) throw this.error(token, meaning.error);
    return meaning.literal;
  }

  /** A glob pattern is text as written: `=~ 10*` is the pattern "10*", `=~ 4` the pattern "4". */
  private pattern(operator: Token): string {
    const token = this.take();
    if (token.kind !== 'word' && token.kind !== 'string') throw this.error(token, `expected a pattern after ${operator.text}, found ${describe(token)}`);
    return token.value;
  }

  private list(): Literal[] {
    this.expect('(', 'after in');
    const values = [this.value('(')];
    while (this.accept(',')) values.push(this.value(','));
    this.expect(')', 'or , in the in list');
    return values;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  /** The next token, consumed; the end token is never passed. */
  private take(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private accept(kind: TokenKind): boolean {
    if (this.peek().kind !== kind) return false;
    this.index++;
    return true;
  }

  private expect(kind: TokenKind, where: string): void {
    const token = this.peek();
    if (token.kind !== kind) throw this.error(token, `expected ${kind} ${where}, found ${describe(token)}`);
    this.index++;
  }

  private error(token: Token, reason: string): FilterSyntaxError {
    return new FilterSyntaxError(this.source, token.column, reason);
  }
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the filter';
  return token.kind === 'string' ? token.text : `'${token.text}'`;
}
