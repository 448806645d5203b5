/**
 * A compiled match pattern: `*` any run of characters, `?` one character, everything else literal.
 *
 * Patterns come from clients (fault rules, journal and session filters), so they are never turned
 * into regular expressions: a backtracking engine given `*a*a*a*...b` takes exponential time. The
 * matcher splits the pattern at its stars and places each piece at its leftmost fit, which is
 * enough for globs (a later piece never needs an earlier one moved) and costs at most
 * O(value × piece) in all, never a retry of a placed piece.
 */
export type Matcher = (value: string | undefined) => boolean;

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** Exact patterns compare as strings: most rules name one method, and that test is the hot path. */
export function globMatcher(pattern: string): Matcher {
  if (!hasWildcard(pattern)) return (value) => value === pattern;
  const pieces = pattern.split('*');
  return (value) => value !== undefined && matchPieces(pieces, value);
}

/** `pieces` is the pattern split at `*`: the first is a prefix, the last a suffix, the rest float. */
function matchPieces(pieces: readonly string[], value: string): boolean {
  const first = pieces[0]!;
  if (pieces.length === 1) return value.length === first.length && fitsAt(first, value, 0);
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > value.length) return false;
  if (!fitsAt(first, value, 0) || !fitsAt(last, value, value.length - last.length)) return false;
  let pos = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const at = leftmostFit(pieces[i]!, value, pos, end);
    if (at < 0) return false;
    pos = at + pieces[i]!.length;
  }
  return true;
}

/** Where `piece` first fits in `value[from, end)`, or -1. */
function leftmostFit(piece: string, value: string, from: number, end: number): number {
  if (!piece.includes('?')) {
    const at = value.indexOf(piece, from);
    return at >= 0 && at + piece.length <= end ? at : -1;
  }
  for (let at = from; at + piece.length <= end; at++) if (fitsAt(piece, value, at)) return at;
  return -1;
}

/** Whether `piece` (`?` for any one character) matches `value` at `at`. */
function fitsAt(piece: string, value: string, at: number): boolean {
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== value.charCodeAt(at + i)) return false;
  }
  return true;
}
