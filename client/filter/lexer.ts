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

// No closures are created per token: tsx and vitest name every closure they create (keepNames),
// which makes a closure in a per-token path cost as much as the rest of the lexer.
function readToken(source: string, at: number): Token {
  const char = source[at]!;
  const next = source[at + 1];
  switch (char) {
    case '(':
    case ')':
    case ',':
      return tokenAt(char, char, at);
    case '&':
    case '|':
      if (next !== char) throw new FilterSyntaxError(source, at + 1, `expected ${char}${char} (a single ${char} is not an operator)`);
      return tokenAt(char === '&' ? '&&' : '||', char + char, at);
    case '!':
      return next === '=' || next === '~' ? tokenAt('operator', char + next, at) : tokenAt('!', char, at);
    case '=':
      if (next !== '=' && next !== '~') throw new FilterSyntaxError(source, at + 1, 'expected == or =~ (a single = is not an operator)');
      return tokenAt('operator', char + next, at);
    case '<':
    case '>':
      return tokenAt('operator', next === '=' ? char + next : char, at);
    case "'":
    case '"':
      return readString(source, at);
    default:
      return tokenAt('word', readWord(source, at), at);
  }
}

function tokenAt(kind: TokenKind, text: string, at: number): Token {
  return { kind, text, value: text, column: at + 1 };
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
