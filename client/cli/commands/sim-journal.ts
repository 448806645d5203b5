/** `vcctl sim journal [--follow]`: the calls the simulator recorded, or its live stream (resumable). */
import type { Command } from 'commander';
import type { RunContext } from '../context.js';
import { renderStreamRow } from '../output.js';
import { examples } from '../program.js';

export const JOURNAL_FIELDS = ['seq', 'time', 'api', 'method', 'moid', 'entityName', 'user', 'outcome', 'fault', 'status', 'durationMs'] as const;
const WIDTHS = [6, 24, 4, 28, 10, 14, 8, 8, 16, 6];

interface JournalFlags {
  api?: string;
  method?: string;
  moid?: string;
  user?: string;
  outcome?: string;
  since?: string;
  limit?: string;
  after?: string;
  follow?: boolean;
}

function query(flags: JournalFlags, keys: (keyof JournalFlags)[]): string {
  const search = new URLSearchParams();
  for (const key of keys) if (flags[key] !== undefined) search.set(key, String(flags[key]));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function registerJournal(sim: Command, ctx: RunContext): void {
  examples(
    sim
      .command('journal')
      .description(`recorded calls, oldest first; --follow streams new ones (Server-Sent Events) until Ctrl-C, resuming after a dropped connection (fields: ${JOURNAL_FIELDS.join(', ')}, path, type, session, rules, traceparent, operationId)`)
      .option('--api <api>', 'soap or rest')
      .option('--method <glob>', 'SOAP method or REST operation')
      .option('--moid <glob>', 'managed object id')
      .option('--user <glob>', 'user name')
      .option('--outcome <outcome>', 'ok, fault, http, reset or abandoned')
      .option('--since <time>', 'calls from this ISO time on (not with --follow)')
      .option('--limit <n>', 'at most n calls (not with --follow)')
      .option('--after <seq>', 'with --follow: start after this seq')
      .option('-f, --follow', 'stream calls as they happen'),
    ['vcctl sim journal --method Login', 'vcctl sim journal --follow --api soap --method "PowerOn*" -o json', 'vcctl sim journal --outcome fault --limit 20'],
  ).action(async (flags: JournalFlags) => {
    const control = ctx.control();
    if (!flags.follow) {
      const entries = await control.call<Record<string, unknown>[]>('GET', `journal${query(flags, ['api', 'method', 'moid', 'user', 'outcome', 'since', 'limit'])}`);
      ctx.printRows(entries, JOURNAL_FIELDS);
      return;
    }
    const columns = ctx.columns(JOURNAL_FIELDS);
    if (ctx.format === 'table') ctx.print(renderStreamRow(Object.fromEntries(columns.map((c) => [c, c.toUpperCase()])), columns, 'table', WIDTHS));
    for await (const event of control.stream(`journal/stream${query(flags, ['api', 'method', 'moid', 'user', 'outcome'])}`, ctx.io.signal, flags.after)) {
      if (event.event !== 'call') continue;
      ctx.print(renderStreamRow(JSON.parse(event.data) as Record<string, unknown>, columns, ctx.format, WIDTHS));
    }
  });
}
