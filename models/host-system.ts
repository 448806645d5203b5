import { ManagedEntity } from './managed-entity.js';
import type { DataObject, MoRef } from './moref.js';

/**
 * An ESXi host. `summary.runtime` is the very object `runtime` is (vCenter reports the same
 * values in both), so a state change made through either shows in both.
 */
export class HostSystem extends ManagedEntity {
  runtime: DataObject = {};
  summary: DataObject = {};
  hardware: DataObject = {};
  capability: DataObject = {};
  licensableResource: DataObject = { resource: [] };
  configManager: DataObject = {};
  config: DataObject = {};
  vm: MoRef[] = [];
  datastore: MoRef[] = [];
  network: MoRef[] = [];
  datastoreBrowser!: MoRef;
  systemResources?: DataObject;
}
