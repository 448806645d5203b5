import { entityArguments } from '../core/event-manager.js';
import { datacenterOf, ManagedEntity, removeFromAll, resourceInUse } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';

/** A datastore: its capacity (summary, info), the hosts that mount it and the VMs with files on it. */
export class Datastore extends ManagedEntity {
  /** DatastoreInfo subtype (LocalDatastoreInfo for the model's local datastores). */
  info!: DataObject;
  summary!: DataObject;
  host: DataObject[] = [];
  vm: MoRef[] = [];
  browser!: MoRef;
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

  protected override rename(newName: string): void {
    super.rename(newName);
    this.summary.name = newName;
    this.info.name = newName;
  }

  protected override renamed(ctx: CallContext, oldName: string): void {
    this.postRenamed(ctx, 'DatastoreRenamedEvent', oldName);
  }

  /** Destroy_Task: a datastore VMs still have files on is ResourceInUse. */
  override checkDestroy(): void {
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
