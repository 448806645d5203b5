/**
 * The world as a managed object sees it through `ctx.vc`: the registry, the clock, tasks, events,
 * the type table, and the few services objects call. models/vcenter.ts's VCenter is one; it
 * composes every area, and nothing in models/ imports it, so no object depends on the whole vCenter.
 * Where a service lives in another area (access control in admin/, the REST stores in rest/), this
 * names only what the objects call of it.
 */
import type { Directory } from './directory.js';
import type { EventManager } from './event-manager.js';
import type { ManagedEntity } from './managed-entity.js';
import type { CallContext, ManagedObject } from './managed-object.js';
import type { DataObject, MoRef } from './moref.js';
import type { Registry } from './registry.js';
import type { Session } from './session.js';
import type { SessionManager } from './session-manager.js';
import type { TaskManager } from './task-manager.js';
import type { PropInfo, TypeTable } from './type-table.js';
import type { VCenterOptions } from './vcenter-options.js';

export interface World {
  readonly registry: Registry;
  readonly types: TypeTable;
  /** The ServiceContent: the morefs of the service objects, `about`, `setting`, ... */
  readonly content: DataObject;
  readonly options: VCenterOptions;
  readonly rootFolder: MoRef;
  /** A vCenter (the VPX model), not a standalone ESX host. */
  readonly isVpx: boolean;
  readonly tasks: TaskManager;
  readonly events: EventManager;
  readonly sessionManager: SessionManager;
  /** Who logs in, and as whom. */
  readonly directory: Directory;
  readonly access: WorldAccess;
  readonly dataSets: DataSetHooks;
  /** The REST services' state, by name: world snapshots and state files keep it besides the objects. */
  readonly stores: Record<string, object>;
  /** The simulator's clock. */
  now(): Date;
  /** How long a task of `method` runs, ms. */
  taskDuration(method: string): number;
  /** The object `ref` names for `session`: its session-scoped objects first, then the inventory. */
  resolve(ref: MoRef, session: Session | undefined): ManagedObject;
  /** An inventory object is gone: the REST stores drop what they held of it. */
  forgetObject(type: string, id: string): void;
}

/** What objects ask of access control (models/admin/access.ts's AccessControl is one). */
export interface WorldAccess {
  /** Whether permissions are checked at all (they are once users are configured). */
  readonly enforced: boolean;
  /** Permissions or roles changed: what was computed of them is stale. */
  invalidate(): void;
  rolesOn(user: string | undefined, entity: ManagedEntity): readonly number[];
  privilegesOn(user: string | undefined, entity: ManagedEntity): ReadonlySet<string>;
  allows(ctx: CallContext, entity: ManagedEntity, privilege: string): boolean;
  /** Throws NoPermission unless the caller holds `privilege` on `entity`. */
  require(ctx: CallContext, entity: ManagedEntity, privilege: string): void;
  sees(ctx: CallContext, obj: ManagedObject): boolean;
  /** Whether the caller may see a task or event record about the entities `ids`. */
  seesRecordOf(ctx: CallContext, ids: readonly string[]): boolean;
  mayRead(ctx: CallContext, obj: ManagedObject, privilege: string): boolean;
}

/** What VM operations tell the REST data-set store, whose entries follow VMs into clones and snapshots. */
export interface DataSetHooks {
  vmCloned(source: string, clone: string): void;
  snapshotTaken(vm: string, snapshot: string): void;
  snapshotReverted(vm: string, snapshot: string): void;
}

/** The privilege reading a property needs: the one the type table names, System.Read otherwise. */
export function propertyPrivilege(prop: PropInfo | undefined): string {
  return prop?.privilege ?? 'System.Read';
}
