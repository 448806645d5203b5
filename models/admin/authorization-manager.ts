import { faults, VimFault } from '../core/fault.js';
import { ManagedEntity } from '../core/managed-entity.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import { entitiesWithPermissions, entityOf, pathToRoot, stored } from './permissions.js';
import { defaultAdmins, privilegeIds, privilegeList, systemRoles } from './privileges.js';
import { typeTable } from '../core/type-table.js';
import { descendants } from '../core/views.js';

const ADMIN = -1;
/** Privileges every role holds, as vCenter adds them to each role it creates or updates. */
const implied = ['System.Anonymous', 'System.Read', 'System.View'];

/**
 * Roles and permissions. Roles are kept here (`roleList`); permissions on the entities they are
 * set on (ManagedEntity.permission). What they give each user is computed and kept by
 * models/admin/access.ts, which every change here invalidates.
 */
export class AuthorizationManager extends ManagedObject {
  roleList: DataObject[] = systemRoles(typeTable());
  /** The id the next role added gets (not a vSphere property). */
  nextRoleId = 1;

  override read(name: string, ctx: CallContext): unknown {
    // The catalogue is the type table's: computed, so world snapshots need not carry it.
    if (name === 'privilegeList') return privilegeList(ctx.vc.types);
    return super.read(name, ctx);
  }

  /**
   * As vcsim, the root folder grants Admin to root and admin; as vCenter, to the SSO domain's
   * Administrators; and, unless the topology sets permissions of its own, to every user who may log in.
   */
  grantDefaults(ctx: CallContext): void {
    const root = entityOf(ctx.vc.registry, ctx.vc.rootFolder);
    const { directory } = ctx.vc;
    const everyone = ctx.vc.options.topology.permissions?.length ? [] : directory.allUsers();
    const granted = [...directory.administrators(), ...everyone.map((u) => ({ principal: u.principal, group: false }))];
    const principals = [...defaultAdmins];
    for (const p of granted) if (!principals.some((d) => d.group === p.group && d.principal === p.principal)) principals.push(p);
    this.store(ctx, root, principals.map((p) => stored(root, { ...p, roleId: ADMIN, propagate: true })));
  }

  AddAuthorizationRole(ctx: CallContext, { name, privIds }: { name: string; privIds?: string[] }): number {
    const roleId = this.defineRole(ctx, name, privIds);
    this.post(ctx, 'RoleAddedEvent', roleId, name, `New role ${name} created`, { privilegeList: this.role(roleId).privilege });
    return roleId;
  }

  /** Adds a role (its faults as AddAuthorizationRole's) without the event: for roles configured at start. */
  defineRole(ctx: CallContext, name: string, privIds?: string[]): number {
    this.checkRoleName(name);
    const privilege = this.checkedPrivileges(ctx, privIds);
    const roleId = this.nextRoleId++;
    this.roleList = [...this.roleList, { _type: 'AuthorizationRole', roleId, system: false, name, info: { _type: 'Description', label: name, summary: name }, privilege }];
    this.rolesChanged(ctx);
    return roleId;
  }

  /** Adds permissions as SetEntityPermissions does (its faults too) without the events: for permissions configured at start. */
  grant(ctx: CallContext, entity: ManagedEntity, permission: DataObject[]): void {
    const added = this.checkedPermissions(ctx, entity, permission);
    this.store(ctx, entity, [...entity.permission.filter((p) => !added.some((a) => samePrincipal(a, p))), ...added]);
  }

  UpdateAuthorizationRole(ctx: CallContext, { roleId, newName, privIds }: { roleId: number; newName: string; privIds?: string[] }): void {
    const role = this.customRole(roleId);
    this.checkRoleName(newName, roleId);
    const privilege = privIds === undefined ? (role.privilege as string[]) : this.checkedPrivileges(ctx, privIds);
    this.roleList = this.roleList.map((r) => (r === role ? { ...r, name: newName, info: { _type: 'Description', label: newName, summary: newName }, privilege } : r));
    this.rolesChanged(ctx);
    const before = new Set(role.privilege as string[]);
    const privilegesAdded = privilege.filter((p) => !before.has(p));
    const privilegesRemoved = [...before].filter((p) => !privilege.includes(p));
    const message = `Role modified. Previous name: ${role.name}, new name: ${newName}. Added privileges: ${privilegesAdded.join(', ')}. Removed privileges: ${privilegesRemoved.join(', ')}.`;
    this.post(ctx, 'RoleUpdatedEvent', roleId, newName, message, { privilegeList: privilege, prevRoleName: role.name, privilegesAdded, privilegesRemoved });
  }

  /** failIfUsed: RemoveFailed while a permission uses the role; else its permissions go with it. */
  RemoveAuthorizationRole(ctx: CallContext, { roleId, failIfUsed }: { roleId: number; failIfUsed: boolean }): void {
    const role = this.customRole(roleId);
    const users = entitiesWithPermissions(ctx.vc.registry).filter((e) => e.permission.some((p) => p.roleId === roleId));
    if (failIfUsed && users.length) throw new VimFault('RemoveFailed', {}, `The role ${role.name} is in use and cannot be removed.`);
    for (const entity of users) this.setOn(ctx, entity, entity.permission.filter((p) => p.roleId !== roleId));
    this.roleList = this.roleList.filter((r) => r !== role);
    this.rolesChanged(ctx);
    this.post(ctx, 'RoleRemovedEvent', roleId, role.name as string, `Role ${role.name} removed`);
  }

  /** Adds each permission, replacing the entity's one for the same principal. */
  SetEntityPermissions(ctx: CallContext, { entity, permission }: { entity: MoRef; permission?: DataObject[] }): void {
    const target = entityOf(ctx.vc.registry, entity);
    const added = this.checkedPermissions(ctx, target, permission ?? []);
    const kept = target.permission.filter((p) => !added.some((a) => samePrincipal(a, p)));
    this.setOn(ctx, target, [...kept, ...added]);
  }

  /** Replaces all the entity's permissions with these. */
  ResetEntityPermissions(ctx: CallContext, { entity, permission }: { entity: MoRef; permission?: DataObject[] }): void {
    const target = entityOf(ctx.vc.registry, entity);
    const added = this.checkedPermissions(ctx, target, permission ?? []);
    this.setOn(ctx, target, added);
  }

  RemoveEntityPermission(ctx: CallContext, { entity, user, isGroup }: { entity: MoRef; user: string; isGroup: boolean }): void {
    const target = entityOf(ctx.vc.registry, entity);
    const gone = target.permission.find((p) => samePrincipal(p, { principal: canonicalPrincipal(ctx, user, isGroup), group: isGroup }));
    if (!gone) throw faults.notFound(`Permission for ${user} on ${target.name} not found.`);
    this.setOn(ctx, target, target.permission.filter((p) => p !== gone));
  }

  /** Every permission of role src becomes one of role dst. */
  MergePermissions(ctx: CallContext, { srcRoleId, dstRoleId }: { srcRoleId: number; dstRoleId: number }): void {
    this.role(srcRoleId);
    this.role(dstRoleId);
    for (const entity of entitiesWithPermissions(ctx.vc.registry)) {
      if (entity.permission.some((p) => p.roleId === srcRoleId)) this.setOn(ctx, entity, entity.permission.map((p) => (p.roleId === srcRoleId ? { ...p, roleId: dstRoleId } : p)));
    }
  }

  /** The entity's own permissions; inherited adds those its ancestors propagate to it. */
  RetrieveEntityPermissions(ctx: CallContext, { entity, inherited }: { entity: MoRef; inherited: boolean }): DataObject[] {
    const [own, ...ancestors] = pathToRoot(ctx.vc.registry, entityOf(ctx.vc.registry, entity));
    return [...own!.permission, ...(inherited ? ancestors.flatMap((a) => a.permission.filter((p) => p.propagate)) : [])];
  }

  RetrieveAllPermissions(ctx: CallContext): DataObject[] {
    return entitiesWithPermissions(ctx.vc.registry).flatMap((e) => e.permission);
  }

  RetrieveRolePermissions(ctx: CallContext, { roleId }: { roleId: number }): DataObject[] {
    this.role(roleId);
    return this.RetrieveAllPermissions(ctx).filter((p) => p.roleId === roleId);
  }

  /** For the session `sessionId`: whether it holds each privilege on the entity. */
  HasPrivilegeOnEntity(ctx: CallContext, { entity, sessionId, privId }: { entity: MoRef; sessionId: string; privId?: string[] }): boolean[] {
    const held = ctx.vc.access.privilegesOn(this.sessionUser(ctx, sessionId), entityOf(ctx.vc.registry, entity));
    return (privId ?? []).map((id) => held.has(id));
  }

  HasPrivilegeOnEntities(ctx: CallContext, { entity, sessionId, privId }: { entity?: MoRef[]; sessionId: string; privId?: string[] }): DataObject[] {
    return this.availability(ctx, entity ?? [], this.sessionUser(ctx, sessionId), privId ?? []);
  }

  HasUserPrivilegeOnEntities(ctx: CallContext, { entities, userName, privId }: { entities?: MoRef[]; userName: string; privId?: string[] }): DataObject[] {
    return this.availability(ctx, entities ?? [], principalOf(ctx, userName), privId ?? []);
  }

  FetchUserPrivilegeOnEntities(ctx: CallContext, { entities, userName }: { entities?: MoRef[]; userName: string }): DataObject[] {
    const user = principalOf(ctx, userName);
    return (entities ?? []).map((ref) => ({ _type: 'UserPrivilegeResult', entity: ref, privileges: [...ctx.vc.access.privilegesOn(user, entityOf(ctx.vc.registry, ref))].sort() }));
  }

  private availability(ctx: CallContext, entities: MoRef[], user: string | undefined, privIds: string[]): DataObject[] {
    return entities.map((ref) => {
      const held = ctx.vc.access.privilegesOn(user, entityOf(ctx.vc.registry, ref));
      return { _type: 'EntityPrivilege', entity: ref, privAvailability: privIds.map((id) => ({ _type: 'PrivilegeAvailability', privId: id, isGranted: held.has(id) })) };
    });
  }

  /** The user of a live session, or undefined (who then holds nothing). */
  private sessionUser(ctx: CallContext, sessionId: string): string | undefined {
    return ctx.vc.sessionManager.lookup(sessionId)?.userName;
  }

  private role(roleId: number): DataObject {
    const role = this.roleList.find((r) => r.roleId === roleId);
    if (!role) throw faults.notFound(`Role ${roleId} not found.`);
    return role;
  }

  /** System roles cannot be changed or removed. */
  private customRole(roleId: number): DataObject {
    const role = this.role(roleId);
    if (role.system) throw faults.invalidArgument('roleId', `The system role ${role.name} cannot be modified.`);
    return role;
  }

  private checkRoleName(name: string, roleId?: number): void {
    if (!name || !name.trim()) throw new VimFault('InvalidName', { name: name ?? '' }, `The name '${name ?? ''}' is not valid.`);
    if (this.roleList.some((r) => r.name === name && r.roleId !== roleId)) throw new VimFault('AlreadyExists', { name }, `The specified key, name, or identifier '${name}' already exists.`);
  }

  /** The ids, known ones only (InvalidArgument otherwise), with the privileges every role holds. */
  private checkedPrivileges(ctx: CallContext, privIds: string[] = []): string[] {
    const known = new Set(privilegeIds(ctx.vc.types));
    const unknown = privIds.find((id) => !known.has(id));
    if (unknown !== undefined) throw faults.invalidArgument('privIds', `A specified parameter was not correct: privIds (${unknown})`);
    return [...new Set([...implied, ...privIds])].sort();
  }

  /** All checked before any is stored: a bad role or a principal twice refuses them all. */
  private checkedPermissions(ctx: CallContext, entity: ManagedEntity, permissions: DataObject[]): DataObject[] {
    const added = permissions.map((p) => stored(entity, { ...p, principal: canonicalPrincipal(ctx, String(p.principal ?? ''), Boolean(p.group)) }));
    for (const [i, p] of added.entries()) {
      if (!p.principal) throw faults.invalidArgument('permission.principal');
      if (!this.roleList.some((r) => r.roleId === p.roleId)) throw faults.notFound(`Role ${p.roleId} not found.`);
      if (added.findIndex((q) => samePrincipal(p, q)) !== i) throw faults.invalidArgument('permission', `Permission for ${p.principal} given twice.`);
    }
    return added;
  }

  /**
   * The entity's `permission` changes, and so may the `effectiveRole` of everything under it. Each
   * principal's change is an event, as vCenter posts them: added, updated (another role or
   * propagation) or removed.
   */
  private setOn(ctx: CallContext, entity: ManagedEntity, permission: DataObject[]): void {
    const before = entity.permission;
    this.store(ctx, entity, permission);
    for (const p of permission) {
      const old = before.find((b) => samePrincipal(b, p));
      if (!old) this.postPermission(ctx, 'PermissionAddedEvent', entity, p);
      else if (old.roleId !== p.roleId || old.propagate !== p.propagate) this.postPermission(ctx, 'PermissionUpdatedEvent', entity, p, old);
    }
    for (const old of before) if (!permission.some((p) => samePrincipal(p, old))) this.postPermission(ctx, 'PermissionRemovedEvent', entity, old);
  }

  /** Sets the entity's permissions, no event: what the simulator configures at start. */
  private store(ctx: CallContext, entity: ManagedEntity, permission: DataObject[]): void {
    entity.permission = permission;
    ctx.vc.access.invalidate();
    for (const under of subtree(ctx, entity)) ctx.vc.registry.changed(under);
  }

  /** What every role holds may have changed: so may what every user holds. */
  private rolesChanged(ctx: CallContext): void {
    ctx.vc.access.invalidate();
    ctx.vc.registry.changed(this);
  }

  private post(ctx: CallContext, type: string, roleId: number, name: string, message: string, extra: DataObject = {}): void {
    ctx.vc.events.post(ctx, { _type: type, role: { _type: 'RoleEventArgument', roleId, name }, fullFormattedMessage: message, ...extra });
  }

  /** A Permission*Event for `p` on `entity`; an update names the permission it replaced (`old`). */
  private postPermission(ctx: CallContext, type: string, entity: ManagedEntity, p: DataObject, old?: DataObject): void {
    const role = this.roleArgument(p.roleId as number);
    const event: DataObject = { _type: type, entity: { _type: 'ManagedEntityEventArgument', entity: entity.self, name: entity.name }, principal: p.principal, group: p.group };
    const granted = `role is ${role.name}, propagation is ${p.propagate ? 'Enabled' : 'Disabled'}`;
    if (type === 'PermissionRemovedEvent') {
      event.fullFormattedMessage = `Permission rule removed for ${p.principal} on ${entity.name}`;
    } else if (old) {
      Object.assign(event, { role, propagate: p.propagate, prevRole: this.roleArgument(old.roleId as number), prevPropagate: old.propagate });
      event.fullFormattedMessage = `Permission changed for ${p.principal} on ${entity.name}, ${granted}`;
    } else {
      Object.assign(event, { role, propagate: p.propagate });
      event.fullFormattedMessage = `Permission created for ${p.principal} on ${entity.name}, ${granted}`;
    }
    ctx.vc.events.post(ctx, event);
  }

  private roleArgument(roleId: number): DataObject {
    return { _type: 'RoleEventArgument', roleId, name: (this.roleList.find((r) => r.roleId === roleId)?.name as string | undefined) ?? '' };
  }
}

/** The entity and every entity below it: a walk of its subtree, so a permission on a VM costs one object. */
function subtree(ctx: CallContext, entity: ManagedEntity): ManagedEntity[] {
  const below = descendants(ctx.vc.registry, entity, true).map((ref) => ctx.vc.registry.get(ref));
  return [entity, ...below.filter((o): o is ManagedEntity => o instanceof ManagedEntity)];
}

/** A permission's principal as vCenter stores it: `Operators@vsphere.local` is `VSPHERE.LOCAL\Operators`; unknown names as given. */
function canonicalPrincipal(ctx: CallContext, principal: string, group: boolean): string {
  const { directory } = ctx.vc;
  if (directory.open || !principal) return principal;
  return (group ? directory.group(principal)?.principal : directory.principal(principal)) ?? principal;
}

/** A user named in any form the directory accepts (`alice@vsphere.local`), as sessions name it. */
function principalOf(ctx: CallContext, userName: string): string {
  return ctx.vc.directory.principal(userName) ?? userName;
}

function samePrincipal(a: DataObject, b: DataObject): boolean {
  return a.principal === b.principal && Boolean(a.group) === Boolean(b.group);
}
