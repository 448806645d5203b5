/**
 * What the vcenter list operations share: filter sets (unset or empty matches everything),
 * containment in the inventory tree, identifier lookups and vCenter's result-size limits.
 */
import type { ManagedEntity } from '../../../models/core/managed-entity.js';
import type { ManagedObject } from '../../../models/core/managed-object.js';
import type { MoRef } from '../../../models/core/moref.js';
import { ResourcePool } from '../../../models/cluster/resource-pool.js';
import type { VCenter } from '../../../models/vcenter.js';
import { vapiErrors } from '../errors.js';

/** A filter field as a set; `undefined` when unset or empty, which vAPI defines as "match anything". */
export function filterSet(values: readonly string[] | undefined): Set<string> | undefined {
  return values && values.length > 0 ? new Set(values) : undefined;
}

export function allows(set: Set<string> | undefined, value: string | undefined): boolean {
  return set === undefined || (value !== undefined && set.has(value));
}

/** Inventory trees are shallow; the bound only guards against a parent cycle made by hand. */
const MAX_DEPTH = 256;

/**
 * Whether an entity whose parent is `parent` lies under one of `containers` (folders,
 * datacenters, ...): vCenter's "folders that must contain the object" matches at any depth.
 */
export function containedIn(vc: VCenter, parent: MoRef | undefined, containers: Set<string> | undefined): boolean {
  if (containers === undefined) return true;
  let ref = parent;
  for (let depth = 0; ref && depth < MAX_DEPTH; depth++) {
    if (containers.has(ref.value)) return true;
    ref = (vc.registry.byId(ref.value) as ManagedEntity | undefined)?.parent;
  }
  return false;
}

/** Whether the pool `start` names, or a pool above it, is one of `pools`; the walk stops at the first non-pool. */
export function inPoolChain(vc: VCenter, start: MoRef | undefined, pools: Set<string> | undefined): boolean {
  if (pools === undefined) return true;
  let pool = vc.registry.byId(start?.value ?? '');
  for (let depth = 0; pool instanceof ResourcePool && depth < MAX_DEPTH; depth++) {
    if (pools.has(pool.self.value)) return true;
    pool = vc.registry.byId(pool.parent?.value ?? '');
  }
  return false;
}

/** Every registry object of the given types, type by type. */
export function* objectsOf<T extends ManagedObject>(vc: VCenter, ...types: string[]): Generator<T> {
  for (const type of types) yield* vc.registry.ofType<T>(type);
}

/** The object with identifier `id` if it is of `Class`, else vCenter's not_found for that kind. */
export function lookup<T extends ManagedObject>(
  vc: VCenter,
  id: string,
  Class: abstract new (...args: never[]) => T,
  kind: string,
  label: string,
): T {
  const obj = vc.registry.byId(id);
  if (!(obj instanceof Class)) throw vapiErrors.notFound(kind, label, id);
  return obj;
}

/** The most objects a list operation answers with (vSphere 7.0 API reference); more is an error. */
export const LIST_LIMITS = {
  vm: 4000,
  host: 2500,
  datastore: 2500,
  cluster: 1000,
  datacenter: 1000,
  folder: 1000,
  network: 1000,
  resource_pool: 1000,
} as const;

/** The summaries of `objects` that `matches`, or `unable_to_allocate_resource` past the kind's limit. */
export function listOf<T, S>(
  objects: Iterable<T>,
  matches: (obj: T) => boolean,
  summary: (obj: T) => S,
  kind: keyof typeof LIST_LIMITS,
  label: string,
): S[] {
  const out: S[] = [];
  for (const obj of objects) {
    if (!matches(obj)) continue;
    if (out.length === LIST_LIMITS[kind]) throw vapiErrors.tooManyMatches(kind, label);
    out.push(summary(obj));
  }
  return out;
}
