/**
 * Glob matching (`*` any run of characters, `?` exactly one, `\` makes the next character literal)
 * without regular expressions. The pattern splits at its stars into fixed-length segments: the first
 * must start the text, the last must end it, and each middle one is placed at its leftmost fit,
 * which is optimal because segments have fixed lengths. No backtracking: at worst
 * O(text × pattern), linear in the text for a given pattern. Characters are UTF-16 code units.
 */

/** A piece of pattern between stars; `wild[i]` marks a `?` at position i (null when there is none). */
interface Segment {
  text: string;
  wild: boolean[] | null;
}

export function compileGlob(pattern: string): (text: string) => boolean {
  const segments = splitAtStars(pattern);
  const first = segments[0]!;
  if (segments.length === 1) return (text) => text.length === first.text.length && fitsAt(text, 0, first);
  const last = segments[segments.length - 1]!;
  const middle = segments.slice(1, -1);
  const ends = first.text.length + last.text.length;
  return (text) => {
    if (text.length < ends || !fitsAt(text, 0, first)) return false;
    const end = text.length - last.text.length;
    if (!fitsAt(text, end, last)) return false;
    let from = first.text.length;
    for (const segment of middle) {
      const at = leftmostFit(text, segment, from, end);
      if (at < 0) return false;
      from = at + segment.text.length;
    }
    return true;
  };
}

function splitAtStars(pattern: string): Segment[] {
  const segments: Segment[] = [];
  let text = '';
  let wild: boolean[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*') {
      segments.push(segment(text, wild));
      text = '';
      wild = [];
      continue;
    }
    const escaped = char === '\\' && i + 1 < pattern.length;
    text += escaped ? pattern[++i] : char;
    wild.push(char === '?');
  }
  segments.push(segment(text, wild));
  return segments;
}

const segment = (text: string, wild: boolean[]): Segment => ({ text, wild: wild.includes(true) ? wild : null });

function fitsAt(text: string, at: number, segment: Segment): boolean {
  if (segment.wild === null) return text.startsWith(segment.text, at);
  for (let i = 0; i < segment.text.length; i++) {
    if (!segment.wild[i] && text[at + i] !== segment.text[i]) return false;
  }
  return true;
}

/** The first index in [from, end - length] where the segment fits, or -1. */
function leftmostFit(text: string, segment: Segment, from: number, end: number): number {
  const latest = end - segment.text.length;
  if (segment.wild === null) {
    const at = text.indexOf(segment.text, from);
    return at >= 0 && at <= latest ? at : -1;
  }
  for (let at = from; at <= latest; at++) if (fitsAt(text, at, segment)) return at;
  return -1;
}
