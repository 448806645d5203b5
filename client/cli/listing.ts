/**
 * Listings with `--filter` and `--columns`: every field is a filter alias of the type
 * (`powerState`, `numCPU`) or a raw property path (`config.hardware.memoryMB`), plus `id` and
 * `path`. Only the paths the filter and the chosen fields need are fetched, in one
 * RetrievePropertiesEx over a container view; references print as names (one more retrieval).
 */
import type { ManagedTypeName, VimClient } from '../client.js';
import { parseFilter, resolveAlias, type Filter } from '../filter/index.js';
import { compilePathReader } from '../filter/paths.js';
import type { MoRef } from '../vim25.js';
import type { RunContext } from './context.js';
import { CliError } from './errors.js';
import { inventoryPaths, namesOf } from './inventory.js';
import type { Row } from './output.js';

export interface ListSpec {
  type: ManagedTypeName;
  /** The fields shown without --columns. */
  columns: readonly string[];
  /** Where the container view starts (default: the root folder). */
  root?: MoRef;
  /** Keep only these moref types (a Network view also holds portgroups). */
  keep?: (ref: MoRef) => boolean;
  /** Fields to fetch beyond the shown ones (for a test vcctl makes itself). */
  need?: readonly string[];
}

/** The property path a field reads. */
export function fieldPath(field: string, type: string): string | undefined {
  // Computed by vcctl: `id`, `path`, and `type` (the moref type) unless the type has a `type` alias (a datastore's summary.type).
  if (field === 'id' || field === 'path') return undefined;
  const resolved = resolveAlias(field, type);
  const path = 'path' in resolved ? resolved.path : field;
  return field === 'type' && path === 'type' ? undefined : path;
}

/**
 * Properties fetched whole when a path goes into them, because servers refuse the deeper path:
 * a cluster's `configurationEx` is declared as the base ComputeResourceConfigInfo (no drsConfig
 * or dasConfig), and a datastore's `host` is an array (`host.key`). The reader descends here.
 */
const FETCH_WHOLE: Readonly<Record<string, readonly string[]>> = {
  ClusterComputeResource: ['configurationEx'],
  ComputeResource: ['configurationEx'],
  Datastore: ['host'],
};

/** The path to ask the server for. */
export function fetchPath(path: string, type: string): string {
  return FETCH_WHOLE[type]?.find((head) => path.startsWith(`${head}.`)) ?? path;
}

const isRef = (v: unknown): v is MoRef => typeof v === 'object' && v !== null && 'type' in v && 'value' in v && Object.keys(v).length <= 2;

/** Every moref among the values (for printing them as names). */
function refsIn(values: unknown[]): MoRef[] {
  return values.flatMap((v) => (Array.isArray(v) ? v.filter(isRef) : isRef(v) ? [v] : []));
}

/** The rows of `objects` for `fields`: references as names, `path` as an inventory path. */
export async function toRows(client: VimClient, objects: readonly Record<string, unknown>[], fields: readonly string[], type: string): Promise<Row[]> {
  const paths = fields.map((f) => fieldPath(f, type));
  const readers = paths.map((p) => (p ? compilePathReader(p) : undefined));
  const values = objects.flatMap((o) => readers.map((read) => read?.(o)));
  const names = await namesOf(client, refsIn(values));
  const inventory = fields.includes('path') ? await inventoryPaths(client) : undefined;
  const show = (v: unknown): unknown => (Array.isArray(v) ? v.map(show) : isRef(v) ? (names.get(v.value) ?? v.value) : v);
  return objects.map((o) => {
    const ref = o.ref as MoRef;
    const row: Row = {};
    fields.forEach((field, i) => {
      const read = readers[i];
      if (read) row[field] = show(read(o));
      else if (field === 'id') row.id = ref.value;
      else if (field === 'type') row.type = ref.type;
      else row.path = inventory?.get(ref.value);
    });
    return row;
  });
}

/** Lists objects of a type, filtered, with the fields asked for. */
export async function listRows(ctx: RunContext, spec: ListSpec, filterText?: string): Promise<{ rows: Row[]; columns: string[] }> {
  const columns = ctx.columns(spec.columns);
  const fields = [...new Set([...columns, ...(spec.need ?? [])])];
  const filter = filterText !== undefined ? parseFilter(filterText, { type: spec.type }) : undefined;
  const wanted = new Set<string>(filter?.paths ?? []);
  for (const column of fields) {
    const path = fieldPath(column, spec.type);
    if (path) wanted.add(path);
  }
  const fetch = [...new Set([...wanted].map((p) => fetchPath(p, spec.type)))];
  if (!columns.length) throw new CliError('USAGE', 'no columns');
  const client = await ctx.vim();
  let objects = (await client.find(spec.type, { paths: fetch, root: spec.root })) as Record<string, unknown>[];
  if (spec.keep) objects = objects.filter((o) => spec.keep!(o.ref as MoRef));
  if (filter) objects = await matching(client, objects, filter);
  return { rows: await toRows(client, objects, fields, spec.type), columns };
}

/**
 * The objects the filter matches, references compared as the names vcctl prints (`host ==
 * DC0_H0`), which costs one retrieval of names when the filter reads references.
 */
async function matching(client: VimClient, objects: Record<string, unknown>[], filter: Filter): Promise<Record<string, unknown>[]> {
  const refs = refsIn(objects.flatMap((o) => Object.entries(o).filter(([key]) => key !== 'ref').map(([, v]) => v)));
  if (!refs.length) return objects.filter((o) => filter.matches(o));
  const names = await namesOf(client, refs);
  const named = (v: unknown): unknown => (Array.isArray(v) ? v.map(named) : isRef(v) ? (names.get(v.value) ?? v.value) : v);
  return objects.filter((o) => filter.matches(Object.fromEntries(Object.entries(o).map(([k, v]) => [k, k === 'ref' ? v : named(v)]))));
}

/** `<noun> ls`: list and print. */
export async function printListing(ctx: RunContext, spec: ListSpec, filterText?: string): Promise<void> {
  const { rows, columns } = await listRows(ctx, spec, filterText);
  ctx.printRows(rows, columns);
}

/** `<noun> info`: one object's fields. */
export async function printInfo(ctx: RunContext, ref: MoRef, fields: readonly string[]): Promise<void> {
  const columns = ctx.columns(fields);
  const client = await ctx.vim();
  const paths = [...new Set(columns.map((c) => fieldPath(c, ref.type)).filter((p): p is string => Boolean(p)).map((p) => fetchPath(p, ref.type)))];
  const [object] = await client.retrieve(ref, paths);
  const [row] = await toRows(client, [object ?? { ref }], columns, ref.type);
  ctx.printObject(row!, columns);
}
