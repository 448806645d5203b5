import { ManagedEntity, removeRef } from './managed-entity.js';
import { faults } from './fault.js';
import type { CallContext } from './managed-object.js';
import type { DataObject, MoRef } from './moref.js';
import { createVmTask, type CreateConfigSpec } from './vm-provisioning.js';
import { registerVmTask, type RegisterArgs } from './vm-registration.js';

/** A folder of the inventory: the root folder, a datacenter's vm/host/datastore/network folders, or a user folder. */
export class Folder extends ManagedEntity {
  /** The types of entity this folder may hold ('Folder', 'Datacenter', 'VirtualMachine', ...). */
  childType: string[] = [];
  childEntity: MoRef[] = [];

  /** Links `child` under this folder, both ways. */
  addChild(child: ManagedEntity): void {
    // A child whose parent is this folder is listed already; checking that, not the list, keeps big folders fast.
    if (child.parent?.value === this.self.value) return;
    this.childEntity.push(child.self);
    child.parent = this.self;
  }

  /** A new folder under this one, for the same kinds of children. */
  CreateFolder(ctx: CallContext, { name }: { name: string }): MoRef {
    const { registry } = ctx.vc;
    if (name.trim() === '' || name.length > 80) throw faults.invalidName(name, this.self);
    const sibling = this.childEntity.find((ref) => (registry.get(ref) as ManagedEntity | undefined)?.name === name);
    if (sibling) throw faults.duplicateName(name, sibling);
    const folder = registry.add(new Folder(), 'Folder', registry.newId('folder'));
    folder.name = name;
    folder.childType = [...this.childType];
    this.addChild(folder);
    registry.structureChanged(this);
    return folder.self;
  }

  /** Creates a VM in this folder, placed in `pool` (and on `host`, or one of the pool's hosts): its task's result is the VM. */
  CreateVM_Task(ctx: CallContext, args: { config: CreateConfigSpec; pool: MoRef; host?: MoRef }): MoRef {
    return createVmTask(ctx, this, args);
  }

  /** Registers the VM whose .vmx is at `path` (no registered VM may use it): its task's result is the VM. */
  RegisterVM_Task(ctx: CallContext, args: RegisterArgs): MoRef {
    return registerVmTask(ctx, this, args);
  }

  /** Unlinks `child` from this folder, both ways. */
  removeChild(child: ManagedEntity): void {
    removeRef(this.childEntity, child.self);
    if (child.parent?.value === this.self.value) child.parent = undefined;
  }
}

/** A datastore cluster: a folder of datastores with Storage DRS settings. */
export class StoragePod extends Folder {
  summary: DataObject = { name: '', capacity: 0, freeSpace: 0 };
  podStorageDrsEntry: DataObject = {
    storageDrsConfig: {
      podConfig: {
        enabled: true,
        ioLoadBalanceEnabled: false,
        defaultVmBehavior: 'automated',
        loadBalanceInterval: 480,
        defaultIntraVmAffinity: true,
      },
      vmConfig: [],
    },
    recommendation: [],
    drsFault: [],
    actionHistory: [],
  };
}
