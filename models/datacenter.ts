import { ManagedEntity } from './managed-entity.js';
import type { DataObject, MoRef } from './moref.js';

/** A datacenter: four folders (vm, host, datastore, network) and the datastores and networks in them. */
export class Datacenter extends ManagedEntity {
  vmFolder!: MoRef;
  hostFolder!: MoRef;
  datastoreFolder!: MoRef;
  networkFolder!: MoRef;
  /** Every datastore of the datacenter, wherever it sits under the datastore folder. */
  datastore: MoRef[] = [];
  /** Every network and distributed portgroup of the datacenter. */
  network: MoRef[] = [];
  configuration: DataObject = {};
}
