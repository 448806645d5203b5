import { entityArguments } from '../core/event-manager.js';
import { checkChildName, datacenterOf, ManagedEntity, removeFromAll, resourceInUse } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { StoredFile } from './datastore-files.js';

/** A datastore: its capacity (summary, info), the hosts that mount it and the VMs with files on it. */
export class Datastore extends ManagedEntity {
  /** DatastoreInfo subtype (LocalDatastoreInfo for the model's local datastores). */
  info!: DataObject;
  summary!: DataObject;
  host: DataObject[] = [];
  vm: MoRef[] = [];
  browser!: MoRef;
  /** Its files that no registered VM's layout lists (datastore-files.ts), by path from the root. */
  files = new Map<string, StoredFile>();
  capability: DataObject = {
    directoryHierarchySupported: true,
    rawDiskMappingsSupported: false,
    perFileThinProvisioningSupported: true,
    storageIORMSupported: true,
    nativeSnapshotSupported: false,
    topLevelDirectoryCreateSupported: true,
    seSparseSupported: true,
    vmfsSparseSupported: true,
    vsanSparseSupported: false,
    upitSupported: false,
    vmdkExpandSupported: true,
  };
  iormConfiguration: DataObject = {
    enabled: false,
    congestionThresholdMode: 'automatic',
    congestionThreshold: 30,
    percentOfPeakThroughput: 90,
    statsCollectionEnabled: false,
    reservationEnabled: true,
    statsAggregationDisabled: false,
  };

  /** Records that `host` mounts this datastore read-write. */
  mountOn(host: MoRef): void {
    if (this.host.some((m) => (m.key as MoRef).value === host.value)) return;
    this.host.push({ key: host, mountInfo: { path: (this.info as { path?: string }).path, accessMode: 'readWrite', mounted: true, accessible: true } });
  }

  /** The simulated state is always current: a refresh only stamps the time. */
  RefreshDatastore(ctx: CallContext): void {
    this.info.timestamp = ctx.vc.now();
    ctx.vc.registry.changed(this);
  }

  RefreshDatastoreStorageInfo(ctx: CallContext): void {
    this.RefreshDatastore(ctx);
  }

  /** The deprecated synchronous rename; Rename_Task does the same as a task. */
  RenameDatastore(ctx: CallContext, { newName }: { newName: string }): void {
    const parent = this.parent && (ctx.vc.registry.get(this.parent) as (ManagedEntity & { childEntity?: MoRef[] }) | undefined);
    checkChildName(ctx.vc.registry, parent?.childEntity ?? [], newName, this.self, this);
    const oldName = this.name;
    this.rename(newName);
    ctx.vc.registry.changed(this);
    this.renamed(ctx, oldName);
  }

  /** A datastore's name is in its summary and info too. */
  protected override rename(newName: string): void {
    super.rename(newName);
    this.summary.name = newName;
    this.info.name = newName;
  }

  /** ... and in the `[name] path` of every file of its VMs. */
  protected override renamed(ctx: CallContext, oldName: string): void {
    this.postRenamed(ctx, 'DatastoreRenamedEvent', oldName);
    const from = `[${oldName}] `;
    const to = `[${this.name}] `;
    for (const ref of this.vm) {
      const vm = ctx.vc.registry.get(ref) as (ManagedEntity & Record<string, unknown>) | undefined;
      if (!vm) continue;
      for (const key of ['config', 'layout', 'layoutEx', 'summary']) vm[key] = renamePaths(vm[key], from, to);
      vm.linkShared();
      ctx.vc.registry.changed(vm);
    }
  }

  /** Destroy_Task: a datastore VMs still have files on is ResourceInUse. */
  override checkDestroy(): void {
    this.requireUnused();
  }

  requireUnused(): void {
    if (this.vm.length > 0) throw resourceInUse(this);
  }

  /** Unmounts the datastore from its hosts and leaves the inventory, with DatastoreDestroyedEvent. */
  override destroy(ctx: CallContext): void {
    const { registry } = ctx.vc;
    ctx.vc.events.post(ctx, { _type: 'DatastoreDestroyedEvent', fullFormattedMessage: `Removed unconfigured datastore ${this.name}`, ...entityArguments(registry, this.self) });
    const hosts = this.host.map((mount) => mount.key as MoRef);
    const computeResources = hosts.map((ref) => (registry.get(ref) as ManagedEntity | undefined)?.parent).filter((ref): ref is MoRef => ref !== undefined);
    const dc = datacenterOf(registry, this);
    removeFromAll(registry, [...hosts, ...computeResources, ...(dc ? [dc] : [])], 'datastore', this.self);
    for (const ref of hosts) this.removeMountInfo(ctx, ref);
    this.unlink(ctx);
  }

  /** The host's file system volumes no longer list this datastore. */
  private removeMountInfo(ctx: CallContext, ref: MoRef): void {
    const host = ctx.vc.registry.get(ref) as (ManagedEntity & { config?: DataObject }) | undefined;
    const volumes = (host?.config?.fileSystemVolume as { mountInfo?: DataObject[] } | undefined)?.mountInfo;
    const path = (this.info as { path?: string }).path;
    const index = volumes?.findIndex((m) => (m.mountInfo as DataObject | undefined)?.path === path) ?? -1;
    if (index >= 0) volumes!.splice(index, 1);
  }
}

/** `value` with every string starting with `from` starting with `to` instead (a copy where anything changed). */
function renamePaths(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.startsWith(from) ? to + value.slice(from.length) : value;
  if (Array.isArray(value)) return value.map((item) => renamePaths(item, from, to));
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = renamePaths(item, from, to);
  return out;
}
