/**
 * Per-object overrides of a topology: after the inventory is built, set properties of the
 * objects an inventory path (or a moref id) names.
 */
import type { ManagedObject } from '../core/managed-object.js';
import { MoRef } from '../core/moref.js';
import type { Registry } from '../core/registry.js';
import type { Override } from './topology.js';

export function applyOverrides(registry: Registry, root: ManagedObject, overrides: readonly Override[]): void {
  overrides.forEach((override, i) => {
    const targets = resolve(registry, root, override.path);
    if (targets.length === 0) throw new Error(`overrides[${i}].path: no inventory object at '${override.path}'`);
    for (const target of targets) {
      for (const [path, value] of Object.entries(override.set)) setPath(target, path, value);
    }
  });
}

/** The objects `path` names: a moref id, or an inventory path whose '*' segments match any child. */
export function resolve(registry: Registry, root: ManagedObject, path: string): ManagedObject[] {
  const byId = registry.byId(path);
  if (byId) return [byId];
  let current = [root];
  for (const segment of path.split('/').filter(Boolean)) {
    current = current.flatMap((obj) => children(registry, obj).filter((child) => segment === '*' || nameOf(child) === segment));
  }
  return current.length === 1 && current[0] === root ? [] : current;
}

/** Children as govc's inventory paths walk them: folders' entities, a datacenter's four folders, a compute resource's hosts and pool, a pool's pools and VMs. */
export function children(registry: Registry, obj: ManagedObject): ManagedObject[] {
  const o = obj as unknown as Record<string, MoRef | MoRef[] | undefined>;
  const refs = (...values: (MoRef | MoRef[] | undefined)[]) => values.flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
  let list: MoRef[];
  switch (obj.self.type) {
    case 'Folder':
    case 'StoragePod':
      list = refs(o.childEntity);
      break;
    case 'Datacenter':
      list = refs(o.vmFolder, o.hostFolder, o.datastoreFolder, o.networkFolder);
      break;
    case 'ComputeResource':
    case 'ClusterComputeResource':
      list = refs(o.host, o.resourcePool);
      break;
    case 'ResourcePool':
    case 'VirtualApp':
      list = refs(o.resourcePool, o.vm);
      break;
    default:
      list = [];
  }
  return list.flatMap((ref) => registry.get(ref) ?? []);
}

export function nameOf(obj: ManagedObject): unknown {
  return (obj as unknown as { name?: unknown }).name;
}

/**
 * Sets a dotted property path, creating the data objects on the way; an ISO date string replaces
 * a Date as a Date. Objects the inventory shares between entities are frozen: they are copied
 * for the one entity before the change.
 */
function setPath(target: ManagedObject, path: string, value: unknown): void {
  const names = path.split('.');
  let holder = target as unknown as Record<string, unknown>;
  for (const name of names.slice(0, -1)) {
    const next = holder[name];
    if (next === undefined || next === null) holder[name] = {};
    else if (typeof next !== 'object' || next instanceof MoRef || next instanceof Date) {
      throw new Error(`cannot set '${path}' of ${target.self.type}:${target.self.value}: '${name}' is not a data object`);
    } else if (Object.isFrozen(next)) holder[name] = Array.isArray(next) ? [...next] : { ...next };
    holder = holder[name] as Record<string, unknown>;
  }
  const last = names[names.length - 1]!;
  holder[last] = holder[last] instanceof Date && typeof value === 'string' ? new Date(value) : value;
}
