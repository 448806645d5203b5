import { faults, VimFault } from './fault.js';
import { ManagedEntity } from './managed-entity.js';
import type { CallContext } from './managed-object.js';
import { localizedFault } from './task.js';
import type { DataObject, MoRef } from './moref.js';

/** What powering on many VMs asks of each (vm/virtual-machine.ts's VirtualMachine is one), so core need not import vm/. */
interface PowerOnTarget extends ManagedEntity {
  config?: { template?: boolean };
  PowerOnVM_Task(ctx: CallContext, args: Record<string, unknown>): MoRef;
}

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

  /** Powers on each VM with its own PowerOnVM_Task; the result lists them (with their tasks) and the ones not attempted. */
  PowerOnMultiVM_Task(ctx: CallContext, { vm }: { vm: MoRef[]; option?: DataObject[] }): MoRef {
    return ctx.vc.tasks.start(ctx, {
      method: 'PowerOnMultiVM_Task',
      descriptionId: 'Datacenter.powerOnVm',
      entity: this,
      run: () => {
        const attempted: DataObject[] = [];
        const notAttempted: DataObject[] = [];
        for (const ref of vm ?? []) {
          const target = ctx.vc.registry.get(ref) as PowerOnTarget | undefined;
          if (!target || target.self.type !== 'VirtualMachine') {
            notAttempted.push({ _type: 'ClusterNotAttemptedVmInfo', vm: ref, fault: localizedFault(new VimFault('ManagedObjectNotFound', { obj: ref }, 'The object has already been deleted.')) });
          } else if (target.config?.template) {
            notAttempted.push({ _type: 'ClusterNotAttemptedVmInfo', vm: ref, fault: localizedFault(new VimFault('InvalidState', {}, `${target.name} is a template`)) });
          } else {
            attempted.push({ _type: 'ClusterAttemptedVmInfo', vm: ref, task: target.PowerOnVM_Task(ctx, {}) });
          }
        }
        return { _type: 'ClusterPowerOnVmResult', attempted, notAttempted };
      },
    });
  }

  protected override renamed(ctx: CallContext, oldName: string): void {
    this.postRenamed(ctx, 'DatacenterRenamedEvent', oldName);
  }

  /**
   * Destroy_Task: not on an ESX host; otherwise the VMs and hosts must be destroyable (powered-off
   * VMs, cluster hosts in maintenance mode). Datastores and networks go with the VMs that use them.
   */
  override checkDestroy(ctx: CallContext): void {
    if (!ctx.vc.isVpx) throw faults.notSupported();
    for (const ref of [this.vmFolder, this.hostFolder]) this.folder(ctx, ref).checkChildren(ctx);
  }

  /** Destroys the VMs, hosts, networks and datastores, the four folders, then the datacenter. */
  override destroy(ctx: CallContext): void {
    for (const ref of [this.vmFolder, this.hostFolder, this.networkFolder, this.datastoreFolder]) {
      this.folder(ctx, ref).destroyChildren(ctx);
      ctx.vc.forgetObject(ref.type, ref.value);
      ctx.vc.registry.remove(ref);
    }
    this.unlink(ctx);
  }

  private folder(ctx: CallContext, ref: MoRef): ManagedEntity & { checkChildren(ctx: CallContext): void; destroyChildren(ctx: CallContext): void } {
    return ctx.vc.registry.require(ref);
  }
}
