import { datacenterOf, ManagedEntity, removeFromAll, resourceInUse } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
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

  protected override rename(newName: string): void {
    super.rename(newName);
    if (this.summary.name !== undefined) this.summary.name = newName;
  }

  /** Destroy_Task: a network VMs are on is ResourceInUse; so is a host's standard portgroup, which goes when no host has it. */
  override checkDestroy(): void {
    if (this.vm.length > 0 || (this.self.type === 'Network' && this.host.length > 0)) throw resourceInUse(this);
  }

  override destroy(ctx: CallContext): void {
    this.detachNetwork(ctx);
    this.unlink(ctx);
  }

  /** The hosts, their compute resources and the datacenter no longer list the network. */
  protected detachNetwork(ctx: CallContext): void {
    const { registry } = ctx.vc;
    const computeResources = this.host.map((ref) => (registry.get(ref) as ManagedEntity | undefined)?.parent).filter((ref): ref is MoRef => ref !== undefined);
    const dc = datacenterOf(registry, this);
    removeFromAll(registry, [...this.host, ...computeResources, ...(dc ? [dc] : [])], 'network', this.self);
  }
}
