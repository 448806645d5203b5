import { ManagedEntity } from '../core/managed-entity.js';
import type { DataObject, MoRef } from '../core/moref.js';

/** A network (a standard portgroup such as 'VM Network'), with the hosts that have it and the VMs on it. */
export class Network extends ManagedEntity {
  summary: DataObject = {};
  host: MoRef[] = [];
  vm: MoRef[] = [];

  /** Sets the summary vCenter reports for a network; call once the network has its moref. */
  initSummary(): void {
    this.summary = { network: this.self, name: this.name, accessible: true, ipPoolName: '' };
  }
}
