/**
 * Who may do what, once users are configured: each caller's effective privileges on each entity,
 * computed by vCenter's rules (permissions.ts) and kept per (principal, entity) until the
 * permissions, the roles or the inventory tree change, so a check is a lookup, not a walk. With
 * open login (no users configured) nothing is enforced, as in vcsim.
 */
import { faults } from '../core/fault.js';
import { ManagedEntity } from '../core/managed-entity.js';
import type { CallContext, ManagedObject } from '../core/managed-object.js';
import { MoRef, type DataObject } from '../core/moref.js';
import type { Registry } from '../core/registry.js';
import type { WorldAccess } from '../core/world.js';
import type { MethodInfo, PropInfo } from '../core/type-table.js';
import { entitiesWithPermissions, inheritancePaths, rolesOf, type Canonical, type Principal } from './permissions.js';

/** What access needs of the directory (models/core/directory.ts's Directory is one). */
export interface Identities {
  /** No users configured: anyone logs in and nothing is enforced. */
  readonly open: boolean;
  groupsOf(principal: string): string[];
  /** The canonical principal of a user named in any accepted form. */
  principal(name: string): string | undefined;
  group?(name: string): { principal: string } | undefined;
}

/** What access reads of the world: its objects, its roles, its directory. */
export interface AccessWorld {
  readonly registry: Registry;
  readonly directory: Identities;
  rootFolder(): MoRef;
  /** The AuthorizationManager's roleList. */
  roles(): readonly DataObject[];
}

export const ADMIN_ROLE = -1;
export const VIEW_ROLE = -3;
const ANONYMOUS = 'System.Anonymous';
const VIEW = 'System.View';

/** Methods every session may call on any object it can name: its own session's housekeeping. */
const sessionMethods = new Set(['Logout', 'SessionIsActive', 'SetLocale', 'RetrieveServiceContent', 'CurrentTime']);

/** Privileges of the methods the type table leaves to their implementation (privilege null), by entity type. */
const byType = (privileges: Record<string, string>) => (obj: ManagedObject) => privileges[obj.self.type];
const deletePrivilege = byType({
  VirtualMachine: 'VirtualMachine.Inventory.Delete',
  Folder: 'Folder.Delete',
  Datacenter: 'Datacenter.Delete',
  ClusterComputeResource: 'Host.Inventory.DeleteCluster',
  ComputeResource: 'Host.Inventory.RemoveHostFromCluster',
  HostSystem: 'Host.Inventory.RemoveHostFromCluster',
  ResourcePool: 'Resource.DeletePool',
  VirtualApp: 'VApp.Delete',
  Datastore: 'Datastore.Delete',
  Network: 'Network.Delete',
  OpaqueNetwork: 'Network.Delete',
  DistributedVirtualSwitch: 'DVSwitch.Delete',
  VmwareDistributedVirtualSwitch: 'DVSwitch.Delete',
  DistributedVirtualPortgroup: 'DVPortgroup.Delete',
  StoragePod: 'StoragePod.Config',
});
const renamePrivilege = byType({
  VirtualMachine: 'VirtualMachine.Config.Rename',
  Folder: 'Folder.Rename',
  Datacenter: 'Datacenter.Rename',
  ClusterComputeResource: 'Host.Inventory.RenameCluster',
  ComputeResource: 'Host.Inventory.RenameCluster',
  ResourcePool: 'Resource.RenamePool',
  VirtualApp: 'VApp.Rename',
  Datastore: 'Datastore.Rename',
  Network: 'Network.Config',
  DistributedVirtualSwitch: 'DVSwitch.Modify',
  VmwareDistributedVirtualSwitch: 'DVSwitch.Modify',
  DistributedVirtualPortgroup: 'DVPortgroup.Modify',
  StoragePod: 'StoragePod.Config',
});
const dynamicPrivileges = new Map<string, (obj: ManagedObject) => string | undefined>(Object.entries({
  Destroy_Task: deletePrivilege,
  Rename_Task: renamePrivilege,
  setCustomValue: () => 'Global.SetCustomField',
  ReconfigVM_Task: () => 'VirtualMachine.Config.Settings',
  CloneVM_Task: (vm) => ((vm as { config?: DataObject }).config?.template ? 'VirtualMachine.Provisioning.DeployTemplate' : 'VirtualMachine.Provisioning.Clone'),
  MigrateVM_Task: () => 'Resource.ColdMigrate',
  ReconfigureDvs_Task: () => 'DVSwitch.Modify',
  ReconfigureDVPortgroup_Task: () => 'DVPortgroup.Modify',
  UpdateConfig: () => 'Resource.EditPool',
  UpdateChildResourceConfiguration: () => 'Resource.EditPool',
  MoveIntoResourcePool: () => 'Resource.MovePool',
  DestroyChildren: () => 'Resource.DeletePool',
  UpdateVAppConfig: () => 'VApp.ApplicationConfig',
  UpdateOptions: () => 'Global.Settings',
  CreateAlarm: () => 'Alarm.Create',
  CancelTask: () => VIEW,
}));

/** What moving an entity takes, by its type (MoveIntoFolder_Task checks it on each entity moved). */
const movePrivilege = byType({
  VirtualMachine: 'VirtualMachine.Inventory.Move',
  VirtualApp: 'VApp.Move',
  Folder: 'Folder.Move',
  Datacenter: 'Datacenter.Move',
  ComputeResource: 'Host.Inventory.MoveHost',
  ClusterComputeResource: 'Host.Inventory.MoveCluster',
  HostSystem: 'Host.Inventory.MoveHost',
  Datastore: 'Datastore.Move',
  StoragePod: 'Datastore.Move',
  Network: 'Network.Move',
  DistributedVirtualSwitch: 'DVSwitch.Move',
  VmwareDistributedVirtualSwitch: 'DVSwitch.Move',
});

/** The properties an entity-owned manager is found under (a host's configManager, a datastore's browser, ...). */
const ownedVia = ['configManager', 'datastoreBrowser', 'browser', 'environmentBrowser'];

interface Entry {
  privileges: ReadonlySet<string>;
  roles: readonly number[];
  /** For a VM: the pool it was in (a VM inherits through its pool too, and moving it is no tree change). */
  pool?: string;
}

interface PrincipalCache {
  who: Principal;
  entries: Map<string, Entry>;
  /** Entities the principal sees (System.View) because it holds a role on something below them. */
  viewable?: Set<string>;
}

/** One entity and the privilege a call needs on it. */
export interface Requirement {
  entity: ManagedEntity;
  privilege: string;
}

export class AccessControl implements WorldAccess {
  private principals = new Map<string, PrincipalCache>();
  private rolePrivileges?: Map<number, ReadonlySet<string>>;
  private owners?: Map<string, MoRef>;
  private treeSeq = -1;
  /** Requirements of each method's parameters, worked out once per declaration. */
  private readonly paramPlans = new Map<MethodInfo, readonly PropInfo[]>();

  constructor(private readonly world: AccessWorld) {}

  /** Whether privileges are checked at all: only once users are configured. */
  get enforced(): boolean {
    return !this.world.directory.open;
  }

  /** Permissions or roles changed: every computed privilege set is stale. */
  invalidate(): void {
    this.principals.clear();
    this.rolePrivileges = undefined;
  }

  /** The roles `user` holds on `entity` (vCenter's effectiveRole): View on what it only sees, NoAccess (-5) on nothing. */
  rolesOn(user: string | undefined, entity: ManagedEntity): readonly number[] {
    if (user === undefined) return [-5];
    const entry = this.entry(user, entity);
    if (entry.roles.length) return entry.roles;
    return entry.privileges.has(VIEW) ? [VIEW_ROLE] : [-5];
  }

  /** The privileges `user` holds on `entity`. */
  privilegesOn(user: string | undefined, entity: ManagedEntity): ReadonlySet<string> {
    return user === undefined ? new Set() : this.entry(user, entity).privileges;
  }

  /**
   * Whether the caller holds `privilege` on `entity`; always, when nothing is enforced. An
   * extension's session acts as its solution user, which vCenter makes an administrator, until it
   * impersonates a user of the directory.
   */
  allows(ctx: CallContext, entity: ManagedEntity, privilege: string): boolean {
    if (!this.enforced || privilege === ANONYMOUS || this.isExtension(ctx)) return true;
    return this.privilegesOn(ctx.session?.userName, entity).has(privilege);
  }

  private isExtension(ctx: CallContext): boolean {
    const session = ctx.session;
    return session !== undefined && session.extensionSession && this.world.directory.principal(session.userName) === undefined;
  }

  /** NoPermission naming the entity and the privilege, unless the caller holds it. */
  require(ctx: CallContext, entity: ManagedEntity, privilege: string): void {
    if (!this.allows(ctx, entity, privilege)) throw faults.noPermission(entity.self, privilege);
  }

  /**
   * Checks a SOAP call before it runs: the method's privilege on the object it acts on, and the
   * privileges its parameters carry on the entities they name. Throws NoPermission.
   */
  authorize(ctx: CallContext, target: ManagedObject, method: string, decl: MethodInfo, args: Record<string, unknown>): void {
    if (!this.enforced || !ctx.session) return;
    for (const { entity, privilege } of this.requirements(ctx, target, method, decl, args)) this.require(ctx, entity, privilege);
  }

  /**
   * Whether the caller sees `obj` among what a traversal reaches: an entity it holds System.View
   * on; any other object. A call with no session is the simulator's own (the control API, a
   * datastore file's Basic-auth caller finding its datacenter): it sees everything.
   */
  sees(ctx: CallContext, obj: ManagedObject): boolean {
    return !(obj instanceof ManagedEntity) || !ctx.session || this.allows(ctx, obj, VIEW);
  }

  /**
   * Whether the caller sees a record (an event, a task) about these entities, the most specific
   * first: the first still in the inventory decides; with none left (or none named), the root folder.
   */
  seesRecordOf(ctx: CallContext, ids: readonly string[]): boolean {
    if (!this.enforced || !ctx.session) return true;
    for (const id of ids) {
      const entity = this.world.registry.byId(id);
      if (entity instanceof ManagedEntity) return this.allows(ctx, entity, VIEW);
    }
    return this.allows(ctx, this.world.registry.require<ManagedEntity>(this.world.rootFolder()), VIEW);
  }

  /** Whether the caller may read a property of `obj` needing `privilege` (see core/world.ts's propertyPrivilege); a session's own objects it always may. */
  mayRead(ctx: CallContext, obj: ManagedObject, privilege: string): boolean {
    if (!this.enforced || privilege === ANONYMOUS || ctx.session?.objects.get(obj.self.value) === obj) return true;
    return this.allows(ctx, this.checkedOn(obj), privilege);
  }

  /** What a call needs: none for a session's own objects and housekeeping. */
  requirements(ctx: CallContext, target: ManagedObject, method: string, decl: MethodInfo, args: Record<string, unknown>): Requirement[] {
    if (sessionMethods.has(method) || ctx.session?.objects.get(target.self.value) === target) return [];
    // An extension impersonates users without Sessions.ImpersonateUser, again and again: the SessionManager decides.
    if (method === 'ImpersonateUser' && ctx.session?.extensionSession) return [];
    const needs: Requirement[] = [];
    for (const param of this.paramsWithPrivilege(decl)) {
      for (const ref of refsIn(args[param.name])) {
        const entity = this.world.registry.get(ref);
        // An unknown reference is the method's to refuse (ManagedObjectNotFound).
        if (entity instanceof ManagedEntity) needs.push({ entity, privilege: param.privilege! });
      }
    }
    if (method === 'MoveIntoFolder_Task') {
      for (const ref of refsIn(args.list)) {
        const moved = this.world.registry.get(ref);
        const privilege = moved && movePrivilege(moved);
        if (moved instanceof ManagedEntity && privilege) needs.push({ entity: moved, privilege });
      }
    }
    const privilege = decl.privilege ?? dynamicPrivileges.get(method)?.(target) ?? (needs.length ? undefined : VIEW);
    if (privilege && privilege !== ANONYMOUS) needs.unshift({ entity: this.checkedOn(target), privilege });
    return needs;
  }

  /** The privilege reading a property needs: its own from the type table, else System.Read. */
  /** The entity a call on `target` is checked on: itself, the entity owning it (a host's managers), else the root folder. */
  checkedOn(target: ManagedObject): ManagedEntity {
    if (target instanceof ManagedEntity) return target;
    const registry = this.world.registry;
    const task = (target as { info?: DataObject }).info?.entity;
    const owner = target.self.type === 'Task' && task instanceof MoRef ? task : this.ownerOf(target.self.value);
    const entity = owner && registry.get(owner);
    return entity instanceof ManagedEntity ? entity : (registry.require(this.world.rootFolder()) as ManagedEntity);
  }

  private paramsWithPrivilege(decl: MethodInfo): readonly PropInfo[] {
    let plan = this.paramPlans.get(decl);
    if (!plan) this.paramPlans.set(decl, (plan = decl.params.filter((p) => p.privilege && p.type === 'ManagedObjectReference')));
    return plan;
  }

  private entry(user: string, entity: ManagedEntity): Entry {
    const cache = this.principalCache(user);
    const pool = (entity as { resourcePool?: MoRef }).resourcePool?.value;
    let entry = cache.entries.get(entity.self.value);
    if (!entry || entry.pool !== pool) {
      entry = this.compute(cache, entity, pool);
      cache.entries.set(entity.self.value, entry);
    }
    return entry;
  }

  private compute(cache: PrincipalCache, entity: ManagedEntity, pool: string | undefined): Entry {
    const granted = rolesOf(this.world.registry, entity, cache.who, this.canonical);
    const roles = granted ?? (this.world.directory.open ? [ADMIN_ROLE] : []);
    const privileges = new Set<string>();
    for (const roleId of roles) for (const id of this.privilegesOfRole(roleId)) privileges.add(id);
    // Seeing the way down to what one holds a role on: unless a permission here says otherwise (NoAccess).
    if (!granted && this.viewable(cache).has(entity.self.value)) {
      privileges.add(ANONYMOUS);
      privileges.add(VIEW);
    }
    return { privileges, roles, pool };
  }

  /** The cache of one principal, started afresh when the inventory tree changed shape. */
  private principalCache(user: string): PrincipalCache {
    const treeSeq = this.world.registry.treeSeq;
    if (treeSeq !== this.treeSeq) {
      // A restored world brings its own entities and AuthorizationManager: forget everything.
      this.invalidate();
      this.owners = undefined;
      this.treeSeq = treeSeq;
    }
    let cache = this.principals.get(user);
    if (!cache) this.principals.set(user, (cache = { who: { user, groups: this.world.directory.groupsOf(user) }, entries: new Map() }));
    return cache;
  }

  /**
   * vCenter lets a user see (System.View) the ancestors of what it holds a role on, so it can
   * browse down to it: every entity above one where a permission gives the user privileges.
   */
  private viewable(cache: PrincipalCache): Set<string> {
    if (cache.viewable) return cache.viewable;
    const viewable = new Set<string>();
    const registry = this.world.registry;
    for (const holder of entitiesWithPermissions(registry)) {
      const roles = rolesOf(registry, holder, cache.who, this.canonical) ?? [];
      if (!roles.some((id) => this.privilegesOfRole(id).size > 0)) continue;
      const [folders, pools, shared] = inheritancePaths(registry, holder);
      for (const above of [...folders, ...pools, ...shared]) viewable.add(above.self.value);
    }
    cache.viewable = viewable;
    return viewable;
  }

  private privilegesOfRole(roleId: number): ReadonlySet<string> {
    if (!this.rolePrivileges) {
      this.rolePrivileges = new Map(this.world.roles().map((r) => [r.roleId as number, new Set((r.privilege as string[] | undefined) ?? [])]));
    }
    return this.rolePrivileges.get(roleId) ?? new Set();
  }

  /** A permission's principal as the directory names it (`alice@vsphere.local` is `VSPHERE.LOCAL\alice`). */
  private readonly canonical: Canonical = (principal, group) => {
    const directory = this.world.directory;
    if (directory.open) return principal;
    return (group ? directory.group?.(principal)?.principal : directory.principal(principal)) ?? principal;
  };

  /** The entity owning a manager: a host's config managers and browsers, a datastore's browser, a compute resource's environment browser. */
  private ownerOf(id: string): MoRef | undefined {
    if (!this.owners) {
      this.owners = new Map();
      for (const obj of this.world.registry.all()) {
        if (!(obj instanceof ManagedEntity)) continue;
        const fields = obj as unknown as Record<string, unknown>;
        for (const name of ownedVia) {
          const value = fields[name];
          const refs = value instanceof MoRef ? [value] : value && typeof value === 'object' ? Object.values(value).filter((v): v is MoRef => v instanceof MoRef) : [];
          for (const ref of refs) if (!this.owners.has(ref.value)) this.owners.set(ref.value, obj.self);
        }
      }
    }
    return this.owners.get(id);
  }
}

function refsIn(value: unknown): MoRef[] {
  if (value instanceof MoRef) return [value];
  return Array.isArray(value) ? value.filter((v): v is MoRef => v instanceof MoRef) : [];
}
