/**
 * Output formats: `json` (one object per line, for jq; the default when stdout is not a
 * terminal), `json-pretty`, `yaml`, `table` (the default on a terminal). Rows are plain objects
 * whose keys are the command's documented field names; `--columns` picks and orders them.
 */
import Table from 'cli-table3';
import { stringify } from 'yaml';
import { CliError } from './errors.js';

export const FORMATS = ['json', 'json-pretty', 'yaml', 'table'] as const;
export type Format = (typeof FORMATS)[number];

export type Row = Record<string, unknown>;

export function chooseFormat(given: string | undefined, isTTY: boolean): Format {
  if (given === undefined) return isTTY ? 'table' : 'json';
  if (!(FORMATS as readonly string[]).includes(given)) throw new CliError('USAGE', `unknown output format "${given}" (one of ${FORMATS.join(', ')})`);
  return given as Format;
}

/** `a,b, c` as a list; undefined when not given. */
export function parseColumns(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const columns = text.split(',').map((c) => c.trim()).filter(Boolean);
  if (!columns.length) throw new CliError('USAGE', '--columns needs at least one field name');
  return columns;
}

/** The row with only `columns`, in that order. */
export function pick(row: Row, columns: readonly string[]): Row {
  const out: Row = {};
  for (const column of columns) out[column] = row[column];
  return out;
}

/** One cell of a table: lists joined, objects as JSON, nothing for undefined. */
export function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(cell).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const borderless = {
  chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
  style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
};

function table(head: string[] | undefined, rows: string[][]): string {
  const t = new Table({ ...borderless, ...(head ? { head } : {}) });
  t.push(...rows);
  // cli-table3 pads the last column too; trailing blanks are noise in a terminal and in diffs.
  return t.toString().split('\n').map((line) => line.trimEnd()).join('\n');
}

/** A listing: rows of the same fields. */
export function renderRows(rows: readonly Row[], columns: readonly string[], format: Format): string {
  const picked = rows.map((r) => pick(r, columns));
  switch (format) {
    case 'json':
      return picked.map((r) => JSON.stringify(r) + '\n').join('');
    case 'json-pretty':
      return picked.map((r) => JSON.stringify(r, null, 2) + '\n').join('');
    case 'yaml':
      return picked.length ? stringify(picked) : '[]\n';
    case 'table':
      return picked.length ? table(columns.map((c) => c.toUpperCase()), picked.map((r) => columns.map((c) => cell(r[c])))) + '\n' : '';
  }
}

/** One object (about, vm info): a table shows it as field / value lines. */
export function renderObject(row: Row, columns: readonly string[], format: Format): string {
  const picked = pick(row, columns);
  switch (format) {
    case 'json':
      return JSON.stringify(picked) + '\n';
    case 'json-pretty':
      return JSON.stringify(picked, null, 2) + '\n';
    case 'yaml':
      return stringify(picked);
    case 'table':
      return table(undefined, columns.map((c) => [`${c}:`, cell(picked[c])])) + '\n';
  }
}

/** One row of a stream (--follow): tables become one fixed-width line per row, no header. */
export function renderStreamRow(row: Row, columns: readonly string[], format: Format, widths: readonly number[]): string {
  if (format !== 'table') return renderRows([row], columns, format === 'yaml' ? 'yaml' : format);
  return columns.map((c, i) => cell(row[c]).padEnd(widths[i] ?? 0)).join('  ').trimEnd() + '\n';
}
