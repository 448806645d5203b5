/** Identifiers the REST stores hand out: UUIDs drawn from the instance's seed, a kind and a counter. */
import { createHash } from 'node:crypto';

export function seededUuid(seed: number, kind: string, counter: number): string {
  const hex = createHash('sha256').update(`${seed}:${kind}:${counter}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
