/**
 * VM templates in content libraries (`vcenter/vm-template/library-items`): which template VM a
 * library item of type `vm-template` holds, where its deployments go by default, and the VMs
 * checked out of it. The VMs themselves are the inventory's; this is the link. Plain data, kept by
 * world snapshots and state files.
 */
import { refuse } from './service-error.js';

export interface CheckOut {
  vm: string;
  user: string;
  time: string;
}

export interface TemplateLink {
  item: string;
  /** The template VM the item holds. */
  vm: string;
  /** The resource pool deployments go to when their placement names none: the source VM's. */
  pool?: string;
  check_outs: CheckOut[];
}

export class VmTemplateStore {
  private links = new Map<string, TemplateLink>();

  add(item: string, vm: string, pool: string | undefined): void {
    this.links.set(item, { item, vm, pool, check_outs: [] });
  }

  get(item: string): TemplateLink {
    return this.links.get(item) ?? refuse('not_found', 'com.vmware.vcenter.vm_template.item_not_found', `Library item '${item}' holds no VM template.`, [item]);
  }

  has(item: string): boolean {
    return this.links.has(item);
  }

  checkOut(item: string, vm: string, user: string, time: Date): void {
    const link = this.get(item);
    link.check_outs = [...link.check_outs, { vm, user, time: time.toISOString() }];
  }

  checkOutOf(item: string, vm: string): CheckOut {
    return this.get(item).check_outs.find((c) => c.vm === vm) ?? refuse('not_found', 'com.vmware.vcenter.vm_template.not_checked_out', `Virtual machine '${vm}' is not checked out of library item '${item}'.`, [vm, item]);
  }

  /** The checked-in VM is the item's template now; the old template VM is the caller's to remove. */
  checkIn(item: string, vm: string): void {
    const link = this.get(item);
    link.check_outs = link.check_outs.filter((c) => c.vm !== vm);
    link.vm = vm;
  }

  discard(item: string, vm: string): void {
    const link = this.get(item);
    link.check_outs = link.check_outs.filter((c) => c.vm !== vm);
  }

  /** An item or a checked-out VM that goes takes its link along. */
  forgetItem(item: string): void {
    this.links.delete(item);
  }

  forgetObject(type: string, id: string): void {
    if (type !== 'VirtualMachine') return;
    for (const link of this.links.values()) link.check_outs = link.check_outs.filter((c) => c.vm !== id);
  }
}
