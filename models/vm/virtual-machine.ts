import type { Datastore } from '../storage/datastore.js';
import { keepVmFiles } from '../storage/datastore-files.js';
import { exportVm } from './http-nfc-lease.js';
import { checkNicBackings, relinkNetworks } from '../network/vm-networks.js';
import { entityArguments } from '../core/event-manager.js';
import { VimFault, faults } from '../core/fault.js';
import { ManagedEntity, removeRef } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { Registry } from '../core/registry.js';
import type { Task } from '../core/task.js';
import { applyConfigSpec, checkHotChanges, type ConfigSpec } from './vm-reconfigure.js';
import { VmSnapshots } from './vm-snapshots.js';
import { cloneVmTask, type CloneSpec } from './vm-provisioning.js';
import * as ops from './vm-operations.js';
import { migrateVmTask, relocateVmTask, type RelocateSpec } from './vm-migration.js';
import { placeForPowerOn } from './vm-placement.js';

type PowerState = 'poweredOn' | 'poweredOff' | 'suspended';

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

  override linkShared(): void {
    this.summary.runtime = this.runtime;
  }
  datastore: MoRef[] = [];
  network: MoRef[] = [];
  /** Absent until a snapshot is taken, as vCenter. */
  snapshot?: DataObject;
  rootSnapshot: MoRef[] = [];
  guestHeartbeatStatus = 'gray';
  /** The id of the last snapshot taken (each snapshot's `id` in the tree). */
  lastSnapshotId = 0;
  /** What the guest reported while it last ran, shown again when it runs again. */
  private runningGuest?: { guest?: DataObject; summary?: DataObject };

  /** Powers on, where DRS places the VM in a fully automated cluster (or on `host`); a host that cannot run VMs is InvalidHostState. */
  PowerOnVM_Task(ctx: CallContext, { host }: { host?: MoRef } = {}): MoRef {
    return this.powerTask(
      ctx,
      'PowerOnVM_Task',
      'powerOn',
      ['poweredOff', 'suspended'],
      'poweredOn',
      [
        ['VmStartingEvent', 'is starting'],
        ['VmPoweredOnEvent', 'is powered on'],
      ],
      () => placeForPowerOn(ctx, this, host),
    );
  }

  PowerOffVM_Task(ctx: CallContext): MoRef {
    return this.powerTask(ctx, 'PowerOffVM_Task', 'powerOff', ['poweredOn', 'suspended'], 'poweredOff', [
      ['VmStoppingEvent', 'is stopping'],
      ['VmPoweredOffEvent', 'is powered off'],
    ]);
  }

  ResetVM_Task(ctx: CallContext): MoRef {
    return this.powerTask(ctx, 'ResetVM_Task', 'reset', ['poweredOn'], 'poweredOn', [
      ['VmResettingEvent', 'is reset'],
      ['VmPoweredOnEvent', 'is powered on'],
    ]);
  }

  SuspendVM_Task(ctx: CallContext): MoRef {
    return this.powerTask(ctx, 'SuspendVM_Task', 'suspend', ['poweredOn'], 'suspended', [
      ['VmSuspendingEvent', 'is being suspended'],
      ['VmSuspendedEvent', 'is suspended'],
    ]);
  }

  ShutdownGuest(ctx: CallContext): void {
    this.guestOperation(ctx, 'VmGuestShutdownEvent', 'shutting down the guest OS', 'poweredOff');
  }

  RebootGuest(ctx: CallContext): void {
    this.guestOperation(ctx, 'VmGuestRebootEvent', 'rebooting the guest OS', 'poweredOn');
  }

  StandbyGuest(ctx: CallContext): void {
    this.guestOperation(ctx, 'VmGuestStandbyEvent', 'putting the guest OS in standby', 'suspended');
  }

  ReconfigVM_Task(ctx: CallContext, { spec }: { spec: ConfigSpec }): MoRef {
    return ctx.vc.tasks.start(ctx, {
      method: 'ReconfigVM_Task',
      descriptionId: 'VirtualMachine.reconfigure',
      entity: this,
      run: () => {
        if (!this.config) throw faults.invalidState(`${this.name} has no configuration`);
        checkHotChanges(spec, this.config, this.powerState === 'poweredOn');
        checkNicBackings(ctx, this, spec.deviceChange);
        const datastore = this.datastore[0] && (ctx.vc.registry.get(this.datastore[0]) as { name?: string } | undefined);
        applyConfigSpec(ctx.vc.types, spec, this.config, this.summary.config as DataObject, datastore?.name ?? '');
        if (spec.deviceChange?.length) relinkNetworks(ctx, this);
        if (spec.name && spec.name !== this.name) this.rename(spec.name);
        const now = ctx.vc.now();
        this.config.modified = now;
        this.config.changeVersion = now.toISOString();
        ctx.vc.registry.changed(this);
        this.postEvent(ctx, 'VmReconfiguredEvent', 'is reconfigured', undefined, { configSpec: { _type: 'VirtualMachineConfigSpec', ...spec } });
        return undefined;
      },
    });
  }

  /** Clones the VM (or template) into `folder` as `name`; the source is left as it is. Cancelable: a canceled clone leaves nothing behind. */
  CloneVM_Task(ctx: CallContext, args: { folder: MoRef; name: string; spec: CloneSpec }): MoRef {
    return cloneVmTask(ctx, this, args);
  }

  /** Moves the VM to another pool, host, datastore or folder; its files follow a datastore change. */
  RelocateVM_Task(ctx: CallContext, { spec }: { spec: RelocateSpec; priority?: string }): MoRef {
    return relocateVmTask(ctx, this, spec);
  }

  /** Moves the VM to another pool or host; with `state`, only a VM in that power state. */
  MigrateVM_Task(ctx: CallContext, args: { pool?: MoRef; host?: MoRef; priority?: string; state?: string }): MoRef {
    return migrateVmTask(ctx, this, args);
  }

  UpgradeVM_Task(ctx: CallContext, { version }: { version?: string }): MoRef {
    return ops.upgradeVmTask(ctx, this, version);
  }

  CustomizeVM_Task(ctx: CallContext, { spec }: { spec: DataObject }): MoRef {
    return ops.customizeVmTask(ctx, this, spec);
  }

  AttachDisk_Task(ctx: CallContext, args: { diskId: DataObject | string; datastore: MoRef; controllerKey?: number; unitNumber?: number }): MoRef {
    return ops.attachDiskTask(ctx, this, args);
  }

  DetachDisk_Task(ctx: CallContext, { diskId }: { diskId: DataObject | string }): MoRef {
    return ops.detachDiskTask(ctx, this, diskId);
  }

  RefreshStorageInfo(ctx: CallContext): void {
    ops.refreshStorageInfo(ctx, this);
  }

  AcquireTicket(ctx: CallContext, { ticketType }: { ticketType: string }): DataObject {
    return ops.acquireTicket(ctx, this, ticketType, ++this.ticketCount);
  }

  /** Tickets handed out so far, which makes each new ticket differ. */
  private ticketCount = 0;

  CreateSnapshot_Task(ctx: CallContext, args: { name: string; description?: string; memory: boolean; quiesce: boolean }): MoRef {
    return this.snapshotOwner(ctx.vc.registry).create(ctx, args.name, args.description ?? '', args.memory, args.quiesce, 'CreateSnapshot_Task');
  }

  CreateSnapshotEx_Task(ctx: CallContext, args: { name: string; description?: string; memory: boolean; quiesceSpec?: DataObject }): MoRef {
    return this.snapshotOwner(ctx.vc.registry).create(ctx, args.name, args.description ?? '', args.memory, args.quiesceSpec !== undefined, 'CreateSnapshotEx_Task');
  }

  RevertToCurrentSnapshot_Task(ctx: CallContext, { suppressPowerOn }: { host?: MoRef; suppressPowerOn?: boolean }): MoRef {
    return this.snapshotOwner(ctx.vc.registry).revertToCurrent(ctx, suppressPowerOn === true);
  }

  RemoveAllSnapshots_Task(ctx: CallContext): MoRef {
    return this.snapshotOwner(ctx.vc.registry).removeAll(ctx);
  }

  /** The snapshot operations on this VM's tree (what its snapshots call back into). */
  snapshotOwner(registry: Registry): VmSnapshots {
    return new VmSnapshots(this, registry);
  }

  /** Puts back a saved configuration and power state (a snapshot's), with the summary that follows from them. */
  restore(ctx: CallContext, config: DataObject, state: PowerState): void {
    this.config = config;
    const hardware = config.hardware as DataObject;
    const devices = (hardware.device as DataObject[]) ?? [];
    const { types } = ctx.vc;
    Object.assign(this.summary.config as DataObject, {
      name: config.name,
      numCpu: hardware.numCPU,
      memorySizeMB: hardware.memoryMB,
      annotation: config.annotation,
      numVirtualDisks: devices.filter((d) => types.isSubtypeOf(d._type as string, 'VirtualDisk')).length,
      numEthernetCards: devices.filter((d) => types.isSubtypeOf(d._type as string, 'VirtualEthernetCard')).length,
    });
    this.name = config.name as string;
    if (this.powerState !== state) this.setPowerState(ctx, state);
    ctx.vc.registry.changed(this);
  }

  /** Removes the VM from the inventory but not its files: it must not be running. */
  /** A lease to download the VM's disks (an OVF export); the VM must be powered off. */
  ExportVm(ctx: CallContext): MoRef {
    return exportVm(ctx, this);
  }

  UnregisterVM(ctx: CallContext): void {
    this.requireNotRunning();
    this.forget(ctx);
  }

  MarkAsTemplate(ctx: CallContext): void {
    if (this.config?.template) throw faults.notSupported();
    this.requireNotRunning();
    this.setTemplate(ctx, true);
  }

  MarkAsVirtualMachine(ctx: CallContext, { pool, host }: { pool: MoRef; host?: MoRef }): void {
    if (!this.config?.template) throw faults.notSupported();
    const { registry } = ctx.vc;
    const target = registry.require<ManagedEntity & { vm?: MoRef[] }>(pool);
    if (host) registry.require(host);
    this.resourcePool = target.self;
    if (target.vm && !target.vm.some((r) => r.value === this.self.value)) target.vm.push(this.self);
    registry.changed(target);
    this.setTemplate(ctx, false);
  }

  private setTemplate(ctx: CallContext, template: boolean): void {
    this.config!.template = template;
    (this.summary.config as DataObject).template = template;
    ctx.vc.registry.changed(this);
  }

  private requireNotRunning(): void {
    if (this.powerState !== 'poweredOff') {
      throw new VimFault('InvalidPowerState', { requestedState: 'poweredOff', existingState: this.powerState }, 'The attempted operation cannot be performed in the current state.');
    }
  }

  /** Destroy_Task: the VM must be powered off. */
  override checkDestroy(): void {
    this.requireNotRunning();
  }

  /** Removes the VM from the inventory and deletes its files (the datastores get their space back). */
  override destroy(ctx: CallContext): void {
    this.postEvent(ctx, 'VmRemovedEvent', 'is removed');
    this.releaseStorage(ctx);
    this.detach(ctx);
  }

  /** Removes the VM from the inventory, whatever its state, leaving its files: what removing its host does. */
  forget(ctx: CallContext): void {
    this.postEvent(ctx, 'VmRemovedEvent', 'is removed');
    keepVmFiles(ctx, this);
    this.detach(ctx);
  }

  /** Its files are deleted: each datastore gets back what the VM committed on it (UnregisterVM leaves the files, and the space used). */
  private releaseStorage(ctx: CallContext): void {
    for (const usage of (this.storage?.perDatastoreUsage as DataObject[] | undefined) ?? []) {
      const ds = ctx.vc.registry.get(usage.datastore as MoRef) as Datastore | undefined;
      if (!ds) continue;
      for (const capacity of [ds.summary, ds.info]) {
        capacity.freeSpace = Math.min(Number(capacity.freeSpace ?? 0) + Number(usage.committed ?? 0), Number(ds.summary.capacity ?? Infinity));
      }
      ctx.vc.registry.changed(ds);
    }
  }

  /** Unlinks the VM from everything that lists it, then from the registry. */
  private detach(ctx: CallContext): void {
    const { registry } = ctx.vc;
    const host = registry.get(this.runtime.host as MoRef) as ManagedEntity | undefined;
    const cluster = host?.parent && (registry.get(host.parent) as { forgetMember?(ctx: CallContext, ref: MoRef): void; refreshSummary?(r: Registry): void } | undefined);
    cluster?.forgetMember?.(ctx, this.self);
    const holders: (MoRef | undefined)[] = [this.parent, this.resourcePool, this.runtime.host as MoRef | undefined, ...this.datastore, ...this.network];
    for (const ref of holders) {
      const holder = ref && (registry.get(ref) as (ManagedEntity & { vm?: MoRef[]; childEntity?: MoRef[] }) | undefined);
      if (!holder) continue;
      if (holder.vm) removeRef(holder.vm, this.self);
      if (holder.childEntity) removeRef(holder.childEntity, this.self);
      registry.changed(holder);
    }
    relinkNetworks(ctx, this, true);
    this.snapshotOwner(ctx.vc.registry).discard(ctx);
    ctx.vc.forgetObject(this.self.type, this.self.value);
    registry.remove(this.self);
    cluster?.refreshSummary?.(registry); // its VM count
  }

  protected override rename(newName: string): void {
    super.rename(newName);
    if (this.config) this.config.name = newName;
    const summaryConfig = this.summary.config as DataObject | undefined;
    if (summaryConfig) summaryConfig.name = newName;
  }

  protected override renamed(ctx: CallContext, oldName: string): void {
    ctx.vc.events.post(ctx, { _type: 'VmRenamedEvent', template: this.config?.template === true, oldName, newName: this.name, fullFormattedMessage: `Renamed ${oldName} to ${this.name}`, ...entityArguments(ctx.vc.registry, this.self) });
  }

  get powerState(): PowerState {
    return this.runtime.powerState as PowerState;
  }

  /**
   * A power operation as vCenter runs it: a task that fails with InvalidPowerState (or InvalidState
   * for a template) when the VM is not in one of the `from` states, posts its starting event when
   * it starts and its done event when the VM reaches `to`.
   */
  private powerTask(
    ctx: CallContext,
    method: string,
    operation: string,
    from: PowerState[],
    to: PowerState,
    [starting, done]: [[string, string], [string, string]],
    prepare: () => void = () => {},
  ): MoRef {
    const check = () => this.requirePowerState(from, to);
    return ctx.vc.tasks.start(ctx, {
      method,
      descriptionId: `VirtualMachine.${operation}`,
      entity: this,
      started: (task) => {
        check();
        this.postEvent(ctx, starting[0], starting[1], task);
      },
      run: (task) => {
        check();
        prepare();
        this.setPowerState(ctx, to);
        this.postEvent(ctx, done[0], done[1], task);
        return undefined;
      },
    });
  }

  private guestOperation(ctx: CallContext, event: string, what: string, to: PowerState): void {
    this.requirePowerState(['poweredOn'], to);
    if (this.guest?.toolsRunningStatus !== 'guestToolsRunning') {
      throw new VimFault('ToolsUnavailable', {}, 'VMware Tools are not running in the guest.');
    }
    this.postEvent(ctx, event, `is ${what}`);
    this.setPowerState(ctx, to);
  }

  private requirePowerState(from: PowerState[], requested: PowerState): void {
    if (this.config?.template) throw faults.invalidState(`${this.name} is a template`);
    if (!from.includes(this.powerState)) {
      throw new VimFault('InvalidPowerState', { requestedState: requested, existingState: this.powerState }, 'The attempted operation cannot be performed in the current state.');
    }
  }

  /** Sets the power state and what follows from it: boot time, the guest's tools and addresses. */
  setPowerState(ctx: CallContext, state: PowerState): void {
    this.runtime.powerState = state;
    if (state === 'poweredOn') {
      this.runtime.bootTime = ctx.vc.now();
      this.guestStarted();
    } else {
      delete this.runtime.bootTime;
      this.guestStopped();
    }
    ctx.vc.registry.changed(this);
  }

  private guestStopped(): void {
    if (!this.runningGuest) this.runningGuest = { guest: this.guest, summary: this.summary.guest as DataObject | undefined };
    this.guest = { ...this.guest, toolsRunningStatus: 'guestToolsNotRunning', toolsStatus: 'toolsNotRunning', guestState: 'notRunning', ipAddress: undefined, net: [] };
    this.summary.guest = { ...(this.summary.guest as DataObject), toolsRunningStatus: 'guestToolsNotRunning', toolsStatus: 'toolsNotRunning', ipAddress: undefined };
  }

  /**
   * Changes what the guest reports: the saved running guest when the VM is off (shown at next power-on),
   * and the live one too with `live`.
   */
  updateGuest(change: (guest: DataObject, summary: DataObject) => void, live = true): void {
    if (this.runningGuest) change((this.runningGuest.guest ??= {}), (this.runningGuest.summary ??= {}));
    if (live || !this.runningGuest) change((this.guest ??= {}), (this.summary.guest ??= {}) as DataObject);
  }

  private guestStarted(): void {
    if (!this.runningGuest) return;
    this.guest = this.runningGuest.guest;
    this.summary.guest = this.runningGuest.summary;
    this.runningGuest = undefined;
  }

  /** Posts a VM event with the entity arguments filled (for this file and the vm-*.ts helpers). */
  postEvent(ctx: CallContext, type: string, what: string, task?: Task, fields: DataObject = {}): void {
    const args = entityArguments(ctx.vc.registry, this.self);
    // One flat string: a message built by replace() is a tree of pieces several times its size, kept with the event.
    const message = [this.name, args.host && `on ${(args.host as DataObject).name}`, args.datacenter && `in ${(args.datacenter as DataObject).name}`, what]
      .filter(Boolean)
      .join(' ');
    ctx.vc.events.post(
      ctx,
      { _type: type, template: this.config?.template === true, fullFormattedMessage: message, ...args, ...fields },
      task?.info.eventChainId as number | undefined,
    );
  }
}
