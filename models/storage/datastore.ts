import { VimFault } from '../core/fault.js';
import { checkChildName, ManagedEntity, removeRef } from '../core/managed-entity.js';
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
    this.name = newName;
    this.summary.name = newName;
    this.info.name = newName;
  }

  /** ... and in the `[name] path` of every file of its VMs. */
  protected override renamed(ctx: CallContext, oldName: string): void {
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

  /** Removes a datastore no VM uses (ResourceInUse otherwise) from the inventory and every host. */
  Destroy_Task(ctx: CallContext): MoRef {
    return ctx.vc.tasks.start(ctx, {
      method: 'Destroy_Task',
      descriptionId: 'Datastore.destroy',
      entity: this,
      run: () => {
        this.requireUnused();
        this.detach(ctx);
        return undefined;
      },
    });
  }

  requireUnused(): void {
    if (this.vm.length) throw new VimFault('ResourceInUse', { type: 'Datastore', name: this.name }, `The resource '${this.name}' is in use.`);
  }

  /** Unlinks the datastore from its folder, datacenter, hosts and their compute resources, then the registry. */
  detach(ctx: CallContext): void {
    const { registry } = ctx.vc;
    const holders = [this.parent, ...this.host.map((m) => m.key as MoRef)];
    for (const mount of this.host) {
      const host = registry.get(mount.key as MoRef) as (ManagedEntity & { parent?: MoRef }) | undefined;
      if (host?.parent) holders.push(host.parent);
    }
    for (const dc of registry.ofType<ManagedEntity & { datastore: MoRef[] }>('Datacenter')) if (dc.datastore.some((r) => r.value === this.self.value)) holders.push(dc.self);
    for (const ref of holders) {
      const holder = ref && (registry.get(ref) as (ManagedEntity & { datastore?: MoRef[]; childEntity?: MoRef[] }) | undefined);
      if (!holder) continue;
      if (holder.datastore) removeRef(holder.datastore, this.self);
      if (holder.childEntity) removeRef(holder.childEntity, this.self);
      registry.structureChanged(holder);
    }
    registry.remove(this.self);
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
