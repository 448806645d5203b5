/**
 * The roles and permissions a topology configures, set through the AuthorizationManager once the
 * inventory is built and the defaults granted. Whatever does not resolve (a privilege, a role, an
 * inventory path, a user or group) is a topology error naming its entry.
 */
import type { AuthorizationManager } from '../admin/authorization-manager.js';
import { privilegeIds } from '../admin/privileges.js';
import { ManagedEntity } from '../core/managed-entity.js';
import type { CallContext, ManagedObject } from '../core/managed-object.js';
import type { World } from '../core/world.js';
import { children, nameOf, resolve } from './overrides.js';
import type { Topology } from './topology.js';

type PermissionSpec = NonNullable<Topology['permissions']>[number];

export function applyAccess(vc: World, auth: AuthorizationManager): void {
  const { roles = [], permissions = [] } = vc.options.topology;
  const ctx: CallContext = { vc };
  const known = new Set(privilegeIds(vc.types));
  roles.forEach((role, i) => {
    const unknown = role.privileges.find((id) => !known.has(id));
    if (unknown !== undefined) throw new Error(`roles[${i}].privileges: no privilege '${unknown}'`);
    if (auth.roleList.some((r) => r.name === role.name)) throw new Error(`roles[${i}].name: a role '${role.name}' exists already`);
    auth.defineRole(ctx, role.name, role.privileges);
  });
  const paths = new PathIndex(vc);
  permissions.forEach((permission, i) => {
    const role = auth.roleList.find((r) => r.name === permission.role);
    if (!role) throw new Error(`permissions[${i}].role: no role '${permission.role}' (roles: ${auth.roleList.map((r) => r.name).join(', ')})`);
    const principal = principalOf(vc, permission, `permissions[${i}].principal`);
    for (const entity of paths.entitiesAt(permission.entity, `permissions[${i}].entity`)) {
      auth.grant(ctx, entity, [{ principal, group: permission.group, roleId: role.roleId, propagate: permission.propagate }]);
    }
  });
}

/** The principal as the directory names it; with open login (no users) as given. */
function principalOf(vc: World, { principal, group }: PermissionSpec, where: string): string {
  const { directory } = vc;
  if (directory.open) return principal;
  const found = group ? directory.group(principal)?.principal : directory.principal(principal);
  if (!found) throw new Error(`${where}: no ${group ? 'group' : 'user'} '${principal}' among the topology's users`);
  return found;
}

/**
 * Inventory paths as overrides resolve them, each object's children indexed by name on first use:
 * a permission on each of thousands of VMs in one folder costs a lookup each, not a scan.
 */
class PathIndex {
  private readonly byName = new Map<ManagedObject, Map<unknown, ManagedObject[]>>();

  constructor(private readonly vc: World) {}

  entitiesAt(path: string, where: string): ManagedEntity[] {
    const found = this.resolve(path);
    if (found.length === 0) throw new Error(`${where}: no inventory object at '${path}'`);
    const notEntity = found.find((obj) => !(obj instanceof ManagedEntity));
    if (notEntity) throw new Error(`${where}: '${path}' is a ${notEntity.self.type}, not an inventory entity`);
    return found as ManagedEntity[];
  }

  private resolve(path: string): ManagedObject[] {
    const { registry } = this.vc;
    const root = registry.require(this.vc.rootFolder);
    const segments = path.split('/').filter(Boolean);
    if (segments.length === 0) return [root];
    if (registry.byId(path) || segments.includes('*')) return resolve(registry, root, path);
    let current = [root];
    for (const segment of segments) current = current.flatMap((obj) => this.named(obj).get(segment) ?? []);
    return current;
  }

  private named(obj: ManagedObject): Map<unknown, ManagedObject[]> {
    let index = this.byName.get(obj);
    if (!index) {
      index = new Map();
      for (const child of children(this.vc.registry, obj)) index.set(nameOf(child), [...(index.get(nameOf(child)) ?? []), child]);
      this.byName.set(obj, index);
    }
    return index;
  }
}
