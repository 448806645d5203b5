/** A compiled match pattern: `*` any run of characters, `?` one character, everything else literal. */
export type Matcher = (value: string | undefined) => boolean;

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** Exact patterns compare as strings: most rules name one method, and that test is the hot path. */
export function globMatcher(pattern: string): Matcher {
  if (!hasWildcard(pattern)) return (value) => value === pattern;
  const regex = new RegExp(`^${pattern.split('*').map(questionMarks).join('.*')}$`, 's');
  return (value) => value !== undefined && regex.test(value);
}

function questionMarks(part: string): string {
  return part.split('?').map(escapeRegex).join('.');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
