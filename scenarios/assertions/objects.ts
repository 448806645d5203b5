/** Objects of a type that match a filter expression, read by the runner's client (only the paths the filter names). */
import { parseFilter } from '../../client/filter/index.js';
import type { ManagedTypeName } from '../../client/index.js';
import type { MoRef } from '../../client/vim25.js';
import { traceparentOf, type RunContext } from '../context.js';
import type { Count } from '../schema.js';
import { AssertionFailure, countHolds, describeCount, listed } from './failure.js';

export interface ObjectQuery {
  type: string;
  filter?: string;
  count?: Count;
}

export interface Matched {
  ref: MoRef;
  name: string;
}

export async function objectsMatching(ctx: RunContext, query: ObjectQuery): Promise<Matched[]> {
  const filter = query.filter === undefined ? undefined : parseFilter(query.filter, { type: query.type });
  const paths = [...new Set(['name', ...(filter?.paths ?? [])])];
  const found = await ctx.probe.find(query.type as ManagedTypeName, { paths, traceparent: traceparentOf(ctx.runnerTrace) });
  return found
    .filter((o) => !filter || filter.matches(o))
    .map((o) => ({ ref: o.ref as MoRef, name: String((o as Record<string, unknown>).name ?? o.ref.value) }));
}

export function describeQuery(query: ObjectQuery): string {
  return `objects ${query.type}${query.filter !== undefined ? ` where ${query.filter}` : ''}`;
}

export async function assertObjects(ctx: RunContext, query: ObjectQuery, label?: string): Promise<void> {
  const matched = await objectsMatching(ctx, query);
  if (countHolds(matched.length, query.count)) return;
  throw new AssertionFailure(label ?? describeQuery(query), `count ${describeCount(query.count)}`, `${matched.length} (${listed(matched.map((m) => m.name))})`);
}
