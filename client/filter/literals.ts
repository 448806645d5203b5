/** What a bare word in value position means: a number, size, ISO date, true/false/null, or a string. */
import type { Literal, SizeUnit } from './ast.js';

const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const SIZE = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)([kKmMgGtT][bB])$/;
/** A word that starts like a date is meant as one: a malformed date is an error, not a string. */
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

const FIRST_INSTANT = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const LAST_INSTANT = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

export const BYTES_PER_SIZE_UNIT: Readonly<Record<SizeUnit, number>> = { KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

export type WordMeaning = { literal: Literal } | { error: string };

export function wordLiteral(word: string): WordMeaning {
  if (word === 'true' || word === 'false') return { literal: { kind: 'boolean', value: word === 'true' } };
  if (word === 'null') return { literal: { kind: 'null' } };
  if (NUMBER.test(word)) return finite(word, Number(word)) ?? { literal: { kind: 'number', value: Number(word) } };
  const size = SIZE.exec(word);
  if (size) return finite(word, Number(size[1])) ?? { literal: { kind: 'size', amount: Number(size[1]), unit: size[2]!.toUpperCase() as SizeUnit } };
  if (DATE_LIKE.test(word)) {
    const time = parseIsoDate(word);
    if (time === undefined) return { error: `invalid date '${word}' (quote it to mean a string)` };
    return { literal: { kind: 'date', value: time } };
  }
  return { literal: { kind: 'string', value: word } };
}

/** 1e999 would be Infinity, which prints as a word that reads back as a string. */
function finite(word: string, number: number): WordMeaning | undefined {
  return Number.isFinite(number) ? undefined : { error: `number out of range '${word}'` };
}

/**
 * Milliseconds since the epoch of an ISO 8601 date (`2024-01-01`) or date-time (`...T10:00`,
 * `...T10:00:00.5Z`, `...+02:00`); without an offset it is UTC. Undefined for anything else,
 * including impossible dates (Date.parse would roll 2024-02-30 over into March).
 */
export function parseIsoDate(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as number[];
  const millis = Number((match[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const offset = offsetMinutes(match[8]);
  if (offset === undefined || month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth(year!, month!)) return undefined;
  if (hour! > 23 || minute! > 59 || second! > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year!, month! - 1, day!); // not Date.UTC: it maps years 0-99 to 1900-1999
  date.setUTCHours(hour!, minute!, second!, millis);
  const time = date.getTime() - offset * 60_000;
  // An offset can push 0000-01-01 or 9999-12-31 out of four-digit years, which do not print back.
  return time >= FIRST_INSTANT && time <= LAST_INSTANT ? time : undefined;
}

function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeapYear(year) ? 1 : 0);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
