/**
 * Splits filter text into tokens in one left-to-right pass (linear time, no backtracking).
 * A word is any run of characters that are not white space, quotes, parentheses, commas or
 * operator characters; the parser decides by position whether it is a path or a value.
 */
import { FilterSyntaxError } from './errors.js';

export type TokenKind = 'word' | 'string' | 'operator' | '&&' | '||' | '!' | '(' | ')' | ',' | 'end';

export interface Token {
  kind: TokenKind;
  /** The token as written (a string with its quotes). */
  text: string;
  /** A string's value after escapes; otherwise the same as `text`. */
  value: string;
  /** 1-based. */
  column: number;
}

const DELIMITERS = new Set([' ', '\t', '\n', '\r', '(', ')', ',', '&', '|', '!', '=', '<', '>', "'", '"']);
const SPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/' };

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  for (;;) {
    while (at < source.length && SPACE.has(source[at]!)) at++;
    if (at >= source.length) break;
    const token = readToken(source, at);
    tokens.push(token);
    at += token.text.length;
  }
  tokens.push({ kind: 'end', text: '', value: '', column: source.length + 1 });
  return tokens;
}

function readToken(source: string, at: number): Token {
  const char = source[at]!;
  const next = source[at + 1];
  const token = (kind: TokenKind, text: string): Token => ({ kind, text, value: text, column: at + 1 });
  const fail = (reason: string) => new FilterSyntaxError(source, at + 1, reason);
  switch (char) {
    case '(':
    case ')':
    case ',':
      return token(char, char);
    case '&':
    case '|':
      if (next !== char) throw fail(`expected ${char}${char} (a single ${char} is not an operator)`);
      return token(char === '&' ? '&&' : '||', char + char);
    case '!':
      return next === '=' || next === '~' ? token('operator', char + next) : token('!', char);
    case '=':
      if (next !== '=' && next !== '~') throw fail("expected == or =~ (a single = is not an operator)");
      return token('operator', char + next);
    case '<':
    case '>':
      return token('operator', next === '=' ? char + next : char);
    case "'":
    case '"':
      return readString(source, at);
    default:
      return token('word', readWord(source, at));
  }
}

function readWord(source: string, start: number): string {
  let end = start;
  while (end < source.length && !DELIMITERS.has(source[end]!)) end++;
  return source.slice(start, end);
}

/** A quoted string. Known escapes are decoded; any other `\c` stays as written (globs use `\*`). */
function readString(source: string, start: number): Token {
  const quote = source[start]!;
  let value = '';
  let at = start + 1;
  while (at < source.length && source[at] !== quote) {
    if (source[at] !== '\\') {
      value += source[at++];
      continue;
    }
    const escaped = source[at + 1];
    if (escaped === undefined) break; // a backslash as the last character: the string never closes
    if (escaped === 'u') {
      value += unicodeEscape(source, at);
      at += 6;
    } else {
      value += ESCAPES[escaped] ?? '\\' + escaped;
      at += 2;
    }
  }
  if (source[at] !== quote) throw new FilterSyntaxError(source, start + 1, `unterminated string (no closing ${quote})`);
  return { kind: 'string', text: source.slice(start, at + 1), value, column: start + 1 };
}

function unicodeEscape(source: string, at: number): string {
  const hex = source.slice(at + 2, at + 6);
  if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new FilterSyntaxError(source, at + 1, 'invalid \\u escape (expected four hex digits)');
  return String.fromCharCode(parseInt(hex, 16));
}
