import type { CallContext } from '../core/managed-object.js';
import { ManagedObject } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { Registry } from '../core/registry.js';

/** What a snapshot records besides the configuration. */
export interface SnapshotDetails {
  name: string;
  description: string;
  id: number;
  createTime: Date;
  /** The power state the VM returns to on revert. */
  state: string;
  quiesced: boolean;
}

/** Operations the owning VM performs for its snapshots (they change the VM's snapshot tree). */
export interface SnapshotOwner {
  removeSnapshot(ctx: CallContext, snapshot: VirtualMachineSnapshot, removeChildren: boolean): MoRef;
  revertToSnapshot(ctx: CallContext, snapshot: VirtualMachineSnapshot, suppressPowerOn: boolean): MoRef;
  snapshotsChanged(ctx: CallContext): void;
}

/** A snapshot of a VM: its configuration then, its place in the tree, and how to go back to it. */
export class VirtualMachineSnapshot extends ManagedObject {
  childSnapshot: MoRef[] = [];
  parentSnapshot?: VirtualMachineSnapshot;

  constructor(
    readonly vm: MoRef,
    readonly config: DataObject,
    readonly details: SnapshotDetails,
  ) {
    super();
  }

  RemoveSnapshot_Task(ctx: CallContext, { removeChildren }: { removeChildren: boolean; consolidate?: boolean }): MoRef {
    return this.owner(ctx).removeSnapshot(ctx, this, removeChildren);
  }

  RevertToSnapshot_Task(ctx: CallContext, { suppressPowerOn }: { host?: MoRef; suppressPowerOn?: boolean }): MoRef {
    return this.owner(ctx).revertToSnapshot(ctx, this, suppressPowerOn === true);
  }

  RenameSnapshot(ctx: CallContext, { name, description }: { name?: string; description?: string }): void {
    if (name !== undefined) this.details.name = name;
    if (description !== undefined) this.details.description = description;
    ctx.vc.registry.changed(this);
    this.owner(ctx).snapshotsChanged(ctx);
  }

  /** The VM's snapshot operations, found through the registry (the VM is the one living object to hold them). */
  private owner(ctx: CallContext): SnapshotOwner {
    const { registry } = ctx.vc;
    return registry.require<ManagedObject & { snapshotOwner(registry: Registry): SnapshotOwner }>(this.vm).snapshotOwner(registry);
  }

  /** This snapshot and its children as a VirtualMachineSnapshotTree. */
  tree(children: (ref: MoRef) => VirtualMachineSnapshot | undefined): DataObject {
    const { name, description, id, createTime, state, quiesced } = this.details;
    return {
      _type: 'VirtualMachineSnapshotTree',
      snapshot: this.self,
      vm: this.vm,
      name,
      description,
      id,
      createTime,
      state,
      quiesced,
      replaySupported: false,
      childSnapshotList: this.childSnapshot.map(children).filter((c) => c !== undefined).map((c) => c.tree(children)),
    };
  }
}

