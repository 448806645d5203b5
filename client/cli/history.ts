/**
 * Event and task history through a history collector: its `latestPage` (newest first) for a
 * listing, and for --follow a watch on `latestPage` (WaitForUpdatesEx), printing what is new.
 * The collector is destroyed at the end, as vCenter wants (it keeps a limited number per session).
 */
import type { VimClient } from '../client.js';
import type { MoRef } from '../vim25.js';
import type { RunContext } from './context.js';
import { renderStreamRow, type Row } from './output.js';

export interface HistorySpec<T> {
  collector: MoRef;
  /** A key that changes when an item should be printed again (a task's state). */
  key: (item: T) => string;
  order: (item: T) => number | string;
  row: (item: T) => Row;
  columns: readonly string[];
  widths: readonly number[];
}

export async function showHistory<T>(ctx: RunContext, client: VimClient, spec: HistorySpec<T>, follow: boolean): Promise<void> {
  try {
    if (!follow) {
      const [page] = await client.retrieve(spec.collector, ['latestPage']);
      const items = ((page as Record<string, unknown> | undefined)?.latestPage ?? []) as T[];
      ctx.printRows(sorted(items, spec).map(spec.row), spec.columns);
      return;
    }
    const seen = new Set<string>();
    const columns = ctx.columns(spec.columns);
    if (ctx.format === 'table') ctx.print(renderStreamRow(Object.fromEntries(columns.map((c) => [c, c.toUpperCase()])), columns, 'table', spec.widths));
    for await (const updates of client.watch([spec.collector], ['latestPage'], { signal: ctx.io.signal })) {
      for (const update of updates) {
        const change = update.changeSet?.find((c) => c.name === 'latestPage');
        for (const item of sorted((change?.val ?? []) as T[], spec)) {
          const key = spec.key(item);
          if (seen.has(key)) continue;
          seen.add(key);
          ctx.print(renderStreamRow(spec.row(item), columns, ctx.format, spec.widths));
        }
      }
    }
  } finally {
    await client.call(spec.collector as MoRef<'HistoryCollector'>, 'DestroyCollector', {}).catch(() => undefined);
  }
}

function sorted<T>(items: readonly T[], spec: HistorySpec<T>): T[] {
  return [...items].sort((a, b) => (spec.order(a) < spec.order(b) ? -1 : spec.order(a) > spec.order(b) ? 1 : 0));
}
