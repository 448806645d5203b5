import { faults } from '../core/fault.js';
import type { CallContext } from '../core/managed-object.js';
import { cloneData, type MoRef } from '../core/moref.js';
import type { Registry } from '../core/registry.js';
import { addSnapshotFiles, removeSnapshotFiles } from './snapshot-files.js';
import type { VirtualMachine } from './virtual-machine.js';
import { VirtualMachineSnapshot, type SnapshotOwner } from './virtual-machine-snapshot.js';

/**
 * The snapshot operations of one VM. The tree lives in the registry (the snapshots' parent and
 * children) and in the VM's own properties (`rootSnapshot`, `snapshot.currentSnapshot`), so a copy
 * of the world (a snapshot of it, a state file) carries it whole. Every change rebuilds the VM's
 * `snapshot` and `rootSnapshot`, so clients reading either always see the same tree.
 */
export class VmSnapshots implements SnapshotOwner {
  private current?: VirtualMachineSnapshot;
  private roots: VirtualMachineSnapshot[];

  constructor(
    private readonly vm: VirtualMachine,
    private readonly registry: Registry,
  ) {
    this.roots = this.load();
  }

  /** Reads the tree as the VM's properties have it now (again when a queued task runs: another may have changed it). */
  private load(): VirtualMachineSnapshot[] {
    const find = (ref: MoRef | undefined) => (ref ? (this.registry.get(ref) as VirtualMachineSnapshot | undefined) : undefined);
    this.current = find((this.vm.snapshot as { currentSnapshot?: MoRef } | undefined)?.currentSnapshot);
    return (this.roots = this.vm.rootSnapshot.map(find).filter((s) => s !== undefined));
  }

  create(ctx: CallContext, name: string, description: string, memory: boolean, quiesced: boolean, method: string): MoRef {
    return this.task(ctx, method, 'createSnapshot', () => {
      if (this.vm.config?.template) throw faults.invalidState(`${this.vm.name} is a template`);
      const { registry } = ctx.vc;
      const state = memory && this.vm.powerState === 'poweredOn' ? 'poweredOn' : 'poweredOff';
      const snapshot = new VirtualMachineSnapshot(
        this.vm.self,
        cloneData(this.vm.config!),
        { name, description, id: ++this.vm.lastSnapshotId, createTime: ctx.vc.now(), state, quiesced },
      );
      registry.addNew(snapshot, 'VirtualMachineSnapshot', 'snapshot');
      if (this.current) {
        snapshot.parentSnapshot = this.current;
        this.current.childSnapshot.push(snapshot.self);
        registry.changed(this.current);
      } else {
        this.roots.push(snapshot);
      }
      this.current = snapshot;
      addSnapshotFiles(this.vm, snapshot.self, snapshot.details.id, state === 'poweredOn', ctx.vc.now());
      ctx.vc.dataSets.snapshotTaken(this.vm.self.value, snapshot.self.value);
      this.snapshotsChanged(ctx);
      return snapshot.self;
    });
  }

  revertToCurrent(ctx: CallContext, suppressPowerOn: boolean): MoRef {
    if (!this.current) throw faults.notFound(`${this.vm.name} has no snapshot to revert to.`);
    return this.revertToSnapshot(ctx, this.current, suppressPowerOn);
  }

  revertToSnapshot(ctx: CallContext, snapshot: VirtualMachineSnapshot, suppressPowerOn: boolean): MoRef {
    return this.task(ctx, 'RevertToSnapshot_Task', 'revertToSnapshot', () => {
      const state = snapshot.details.state === 'poweredOn' && !suppressPowerOn ? 'poweredOn' : 'poweredOff';
      this.vm.restore(ctx, cloneData(snapshot.config), state);
      ctx.vc.dataSets.snapshotReverted(this.vm.self.value, snapshot.self.value);
      this.current = snapshot;
      this.snapshotsChanged(ctx);
      return undefined;
    });
  }

  removeSnapshot(ctx: CallContext, snapshot: VirtualMachineSnapshot, removeChildren: boolean): MoRef {
    return this.task(ctx, 'RemoveSnapshot_Task', 'removeSnapshot', () => {
      this.unlink(ctx, snapshot, removeChildren);
      this.snapshotsChanged(ctx);
      return undefined;
    });
  }

  removeAll(ctx: CallContext): MoRef {
    return this.task(ctx, 'RemoveAllSnapshots_Task', 'removeAllSnapshots', () => {
      for (const root of [...this.roots]) this.unlink(ctx, root, true);
      this.snapshotsChanged(ctx);
      return undefined;
    });
  }

  /** Drops every snapshot at once, without a task: the VM itself is going away. */
  discard(ctx: CallContext): void {
    for (const root of [...this.roots]) this.unlink(ctx, root, true);
  }

  snapshotsChanged(ctx: CallContext): void {
    const find = (ref: MoRef) => ctx.vc.registry.get(ref) as VirtualMachineSnapshot | undefined;
    this.vm.snapshot = this.roots.length
      ? { _type: 'VirtualMachineSnapshotInfo', currentSnapshot: this.current?.self, rootSnapshotList: this.roots.map((r) => r.tree(find)) }
      : undefined;
    this.vm.rootSnapshot = this.roots.map((r) => r.self);
    ctx.vc.registry.changed(this.vm);
  }

  /** Takes `snapshot` out of the tree: with its subtree, or handing its children to its parent. */
  private unlink(ctx: CallContext, snapshot: VirtualMachineSnapshot, withChildren: boolean): void {
    const { registry } = ctx.vc;
    const parent = snapshot.parentSnapshot;
    const children = snapshot.childSnapshot.map((ref) => registry.get(ref) as VirtualMachineSnapshot);
    if (withChildren) {
      for (const child of children) this.unlink(ctx, child, true);
    } else {
      for (const child of children) {
        child.parentSnapshot = parent;
        registry.changed(child);
        if (parent) parent.childSnapshot.push(child.self);
        else this.roots.push(child);
      }
    }
    if (parent) {
      parent.childSnapshot = parent.childSnapshot.filter((r) => r.value !== snapshot.self.value);
      registry.changed(parent);
    }
    this.roots = this.roots.filter((r) => r !== snapshot);
    if (this.current === snapshot || (withChildren && this.current && !registry.get(this.current.self))) this.current = parent;
    removeSnapshotFiles(this.vm, snapshot.self, ctx.vc.now());
    ctx.vc.forgetObject('VirtualMachineSnapshot', snapshot.self.value);
    registry.remove(snapshot.self);
  }

  /** Snapshot tasks act on the VM: their entity is the VM, as vCenter reports them. */
  private task(ctx: CallContext, method: string, operation: string, run: () => unknown): MoRef {
    const runOnTree = () => {
      this.load();
      return run();
    };
    return ctx.vc.tasks.start(ctx, { method, descriptionId: `VirtualMachine.${operation}`, entity: this.vm, run: runOnTree });
  }
}

