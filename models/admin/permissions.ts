/**
 * Permissions live on the entities they are set on (ManagedEntity.permission, the vSphere
 * property), so snapshots and PropertyCollector updates follow them as any other property.
 * These helpers read them: who holds which role where, by vCenter's rules.
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

/** Who asks: a user's principal and the principals of the groups it belongs to. */
export interface Principal {
  user: string;
  groups: readonly string[];
}

/** Which principal a permission names, in the form Principal uses (a permission may spell it `alice@vsphere.local`). */
export type Canonical = (principal: string, group: boolean) => string;

/**
 * The roles `who` holds on `entity`, by vCenter's rules (vSphere Security guide, "Multiple
 * permission settings"): the nearest level with a permission that applies decides, the entity's
 * own permissions before those its ancestors propagate; there, a permission naming the user wins
 * over its groups', and the group permissions there combine (every role of them). A VM inherits
 * through its folder and through its resource pool at once: what either branch gives combines.
 * Undefined when no permission applies.
 */
export function rolesOf(registry: Registry, entity: ManagedEntity, who: Principal, canonical: Canonical = (p) => p): number[] | undefined {
  const own = rolesAt(entity, who, canonical, true);
  if (own) return own;
  const [folderBranch, poolBranch, shared] = inheritancePaths(registry, entity);
  const fromFolders = nearest(folderBranch, who, canonical);
  const fromPools = nearest(poolBranch, who, canonical);
  if (fromFolders || fromPools) return [...new Set([...(fromFolders ?? []), ...(fromPools ?? [])])];
  return nearest(shared, who, canonical);
}

function nearest(path: ManagedEntity[], who: Principal, canonical: Canonical): number[] | undefined {
  for (const at of path) {
    const roles = rolesAt(at, who, canonical, false);
    if (roles) return roles;
  }
  return undefined;
}

/** The roles the permissions on `at` give `who`: the user's own one, else all of its groups'. */
function rolesAt(at: ManagedEntity, who: Principal, canonical: Canonical, own: boolean): number[] | undefined {
  let groupRoles: number[] | undefined;
  for (const p of at.permission) {
    if (!own && !p.propagate) continue;
    const principal = canonical(p.principal as string, Boolean(p.group));
    if (!p.group) {
      if (samePrincipalName(principal, who.user)) return [p.roleId as number];
    } else if (who.groups.some((g) => samePrincipalName(g, principal))) {
      (groupRoles ??= []).push(p.roleId as number);
    }
  }
  return groupRoles && [...new Set(groupRoles)];
}

/** Principals compare without regard to case, as vCenter's directory names them. */
function samePrincipalName(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

/**
 * The ancestors an entity inherits from, nearest first: for a VM in a resource pool, its folder
 * branch and its pool branch up to (not including) their datacenter, then the datacenter and the
 * folders above it; for any other entity, its parents (the branches empty).
 */
export function inheritancePaths(registry: Registry, entity: ManagedEntity): [ManagedEntity[], ManagedEntity[], ManagedEntity[]] {
  const ancestors = pathToRoot(registry, entity).slice(1);
  const pool = (entity as { resourcePool?: MoRef }).resourcePool;
  const poolEntity = entity.self.type === 'VirtualMachine' && pool ? registry.get(pool) : undefined;
  if (!(poolEntity instanceof ManagedEntity)) return [[], [], ancestors];
  const belowDatacenter = (path: ManagedEntity[]) => {
    const dc = path.findIndex((e) => e.self.type === 'Datacenter');
    return dc < 0 ? [path, []] : [path.slice(0, dc), path.slice(dc)];
  };
  const [folders, shared] = belowDatacenter(ancestors);
  const [pools] = belowDatacenter(pathToRoot(registry, poolEntity));
  return [folders!, pools!, shared!];
}

/** A permission as stored: with its entity, and only the properties of Permission. */
export function stored(entity: ManagedEntity, p: DataObject): DataObject {
  return { _type: 'Permission', entity: entity.self, principal: String(p.principal ?? ''), group: Boolean(p.group), roleId: Number(p.roleId), propagate: Boolean(p.propagate) };
}
