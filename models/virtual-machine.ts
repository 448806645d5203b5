import { ManagedEntity } from './managed-entity.js';
import type { DataObject, MoRef } from './moref.js';

/**
 * A virtual machine. `summary.runtime` is the very object `runtime` is (vCenter reports the same
 * values in both), so a power state set through either shows in both; the other summary parts
 * (config, guest, storage) are summaries kept beside the full objects and must be updated with them.
 */
export class VirtualMachine extends ManagedEntity {
  capability: DataObject = {};
  config?: DataObject;
  layout?: DataObject;
  layoutEx?: DataObject;
  storage?: DataObject;
  environmentBrowser!: MoRef;
  resourcePool?: MoRef;
  parentVApp?: MoRef;
  resourceConfig?: DataObject;
  runtime: DataObject = {};
  guest?: DataObject;
  summary: DataObject = {};
  datastore: MoRef[] = [];
  network: MoRef[] = [];
  /** Absent until a snapshot is taken, as vCenter. */
  snapshot?: DataObject;
  rootSnapshot: MoRef[] = [];
  guestHeartbeatStatus = 'gray';
}
