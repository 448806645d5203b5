/**
 * Permissions live on the entities they are set on (ManagedEntity.permission, the vSphere
 * property), so snapshots and PropertyCollector updates follow them as any other property.
 * These helpers read them: who holds which role where.
 */
import { ManagedEntity } from '../core/managed-entity.js';
import type { Registry } from '../core/registry.js';
import type { DataObject, MoRef } from '../core/moref.js';
import { faults } from '../core/fault.js';

/** The entity `ref` names, or ManagedObjectNotFound. */
export function entityOf(registry: Registry, ref: MoRef): ManagedEntity {
  const obj = ref && registry.get(ref);
  if (!(obj instanceof ManagedEntity)) throw faults.managedObjectNotFound(ref);
  return obj;
}

/** The entity and its ancestors, nearest first. */
export function pathToRoot(registry: Registry, entity: ManagedEntity): ManagedEntity[] {
  const path = [entity];
  for (let at = entity.parent && registry.get(entity.parent); at instanceof ManagedEntity; at = at.parent && registry.get(at.parent)) path.push(at);
  return path;
}

/** Every entity holding at least one permission. */
export function entitiesWithPermissions(registry: Registry): ManagedEntity[] {
  return registry.all().filter((o): o is ManagedEntity => o instanceof ManagedEntity && o.permission.length > 0);
}

/**
 * The role `user` holds on `entity`: the most specific permission naming the user wins, one on
 * the entity itself or one propagating from an ancestor. Group permissions do not apply: the
 * simulator's users belong to no groups. `fallback` when none names the user.
 */
export function roleOf(registry: Registry, entity: ManagedEntity, user: string, fallback: number): number {
  for (const [depth, at] of pathToRoot(registry, entity).entries()) {
    const own = at.permission.find((p) => !p.group && p.principal === user && (depth === 0 || p.propagate));
    if (own) return own.roleId as number;
  }
  return fallback;
}

/** A permission as stored: with its entity, and only the properties of Permission. */
export function stored(entity: ManagedEntity, p: DataObject): DataObject {
  return { _type: 'Permission', entity: entity.self, principal: String(p.principal ?? ''), group: Boolean(p.group), roleId: Number(p.roleId), propagate: Boolean(p.propagate) };
}
