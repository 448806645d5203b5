import { ManagedEntity } from '../core/managed-entity.js';
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
}
