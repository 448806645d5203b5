import { entityArguments } from '../core/event-manager.js';
import { VimFault, faults } from '../core/fault.js';
import { ManagedEntity, removeFromAll, removeRef } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { Task } from '../core/task.js';
import type { VirtualMachine } from '../vm/virtual-machine.js';
import { evacuate, parentOf, postHostEvent, requireMaintenance, requireRunning } from './host-maintenance.js';

export type HostConnectionState = 'connected' | 'disconnected';

/**
 * An ESXi host. `summary.runtime` is the very object `runtime` is (vCenter reports the same
 * values in both), so a state change made through either shows in both.
 */
export class HostSystem extends ManagedEntity {
  runtime: DataObject = {};
  summary: DataObject = {};

  override linkShared(): void {
    this.summary.runtime = this.runtime;
  }
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

  DisconnectHost_Task(ctx: CallContext): MoRef {
    return this.connectionTask(ctx, 'DisconnectHost_Task', 'disconnect', 'disconnected');
  }

  /** Reconnects; a `cnxSpec` naming another host (by name or address) is InvalidArgument, as the spec must be this host's. */
  ReconnectHost_Task(ctx: CallContext, { cnxSpec }: { cnxSpec?: DataObject; reconnectSpec?: DataObject } = {}): MoRef {
    const hostName = cnxSpec?.hostName as string | undefined;
    const known = [this.name, (this.summary.config as DataObject | undefined)?.name, ...this.managementAddresses()];
    return this.connectionTask(ctx, 'ReconnectHost_Task', 'reconnect', 'connected', () => {
      if (hostName && !known.includes(hostName)) throw faults.invalidArgument('cnxSpec.hostName');
    });
  }

  private connectionTask(ctx: CallContext, method: string, operation: string, state: HostConnectionState, check = () => {}): MoRef {
    return ctx.vc.tasks.start(ctx, {
      method,
      descriptionId: `HostSystem.${operation}`,
      entity: this,
      run: () => {
        check();
        this.setConnectionState(ctx, state);
        return undefined;
      },
    });
  }

  private managementAddresses(): string[] {
    const nics = ((this.config.network as DataObject | undefined)?.vnic as DataObject[] | undefined) ?? [];
    return nics.map((nic) => ((nic.spec as DataObject | undefined)?.ip as DataObject | undefined)?.ipAddress as string).filter(Boolean);
  }

  /** Whether the host counts towards its compute resource's effective capacity: connected, powered on, not in maintenance. */
  isEffective(): boolean {
    return this.runtime.connectionState === 'connected' && this.runtime.powerState === 'poweredOn' && this.runtime.inMaintenanceMode !== true;
  }

  /**
   * Enters maintenance mode once no powered-on VM is left on the host: in a fully automated DRS
   * cluster they are migrated away; otherwise the task waits for them to go (Timedout after `timeout` s).
   */
  EnterMaintenanceMode_Task(ctx: CallContext, { timeout = 0, evacuatePoweredOffVms = false }: { timeout?: number; evacuatePoweredOffVms?: boolean; maintenanceSpec?: DataObject }): MoRef {
    return ctx.vc.tasks.start(ctx, {
      method: 'EnterMaintenanceMode_Task',
      descriptionId: 'HostSystem.enterMaintenanceMode',
      entity: this,
      cancelable: true,
      run: (task) => {
        requireRunning(this);
        if (this.runtime.inMaintenanceMode) throw faults.invalidState(`The host ${this.name} is already in maintenance mode.`);
        postHostEvent(ctx, this, 'EnteringMaintenanceModeEvent', 'has started to enter maintenance mode');
        const waiting = evacuate(ctx, this, task, evacuatePoweredOffVms, timeout);
        return waiting ? waiting.then(() => this.setMaintenance(ctx, true)) : this.setMaintenance(ctx, true);
      },
    });
  }

  ExitMaintenanceMode_Task(ctx: CallContext, _args: { timeout?: number }): MoRef {
    return this.hostTask(ctx, 'ExitMaintenanceMode_Task', 'exitMaintenanceMode', () => {
      if (!this.runtime.inMaintenanceMode) throw faults.invalidState(`The host ${this.name} is not in maintenance mode.`);
      this.setMaintenance(ctx, false);
    });
  }

  private setMaintenance(ctx: CallContext, on: boolean): undefined {
    this.runtime.inMaintenanceMode = on;
    ctx.vc.registry.changed(this);
    parentOf(ctx, this)?.refreshSummary(ctx.vc.registry);
    if (on) postHostEvent(ctx, this, 'EnteredMaintenanceModeEvent', 'has entered maintenance mode');
    else postHostEvent(ctx, this, 'ExitMaintenanceModeEvent', 'has exited maintenance mode');
    return undefined;
  }

  /** Reboots the host (in maintenance mode, unless `force`): it boots again at once. */
  RebootHost_Task(ctx: CallContext, { force = false }: { force?: boolean }): MoRef {
    return this.hostTask(ctx, 'RebootHost_Task', 'reboot', () => {
      requireRunning(this);
      requireMaintenance(this, force);
      this.powerOffVms(ctx);
      postHostEvent(ctx, this, 'HostShutdownEvent', 'is rebooting', { reason: 'Reboot requested' });
      this.runtime.bootTime = ctx.vc.now();
      ctx.vc.registry.changed(this);
    });
  }

  /** Shuts the host down (in maintenance mode, unless `force`): powered off and no longer responding. */
  ShutdownHost_Task(ctx: CallContext, { force = false }: { force?: boolean }): MoRef {
    return this.hostTask(ctx, 'ShutdownHost_Task', 'shutdown', () => {
      requireRunning(this);
      requireMaintenance(this, force);
      this.powerOffVms(ctx);
      postHostEvent(ctx, this, 'HostShutdownEvent', 'is shut down', { reason: 'Shutdown requested' });
      this.setPower(ctx, 'poweredOff', 'notResponding');
    });
  }

  /** Puts the host in standby once its VMs are gone (DRS moves them in a fully automated cluster). */
  PowerDownHostToStandBy_Task(ctx: CallContext, { timeoutSec = 0, evacuatePoweredOffVms = false }: { timeoutSec?: number; evacuatePoweredOffVms?: boolean }): MoRef {
    return ctx.vc.tasks.start(ctx, {
      method: 'PowerDownHostToStandBy_Task',
      descriptionId: 'HostSystem.powerDownHostToStandBy',
      entity: this,
      cancelable: true,
      run: (task: Task) => {
        requireRunning(this);
        if (this.capability.standbySupported !== true) throw faults.notSupported();
        postHostEvent(ctx, this, 'EnteringStandbyModeEvent', 'is entering standby mode');
        const standby = () => {
          this.setPower(ctx, 'standBy', 'connected', 'in');
          postHostEvent(ctx, this, 'EnteredStandbyModeEvent', 'is in standby mode');
          return undefined;
        };
        const waiting = evacuate(ctx, this, task, evacuatePoweredOffVms, timeoutSec);
        return waiting ? waiting.then(standby) : standby();
      },
    });
  }

  PowerUpHostFromStandBy_Task(ctx: CallContext, _args: { timeoutSec?: number }): MoRef {
    return this.hostTask(ctx, 'PowerUpHostFromStandBy_Task', 'powerUpHostFromStandBy', () => {
      if (this.runtime.powerState !== 'standBy') throw new VimFault('InvalidState', {}, `The host ${this.name} is not in standby mode.`);
      postHostEvent(ctx, this, 'ExitingStandbyModeEvent', 'is exiting standby mode');
      this.setPower(ctx, 'poweredOn', 'connected', 'none');
      postHostEvent(ctx, this, 'ExitedStandbyModeEvent', 'is no longer in standby mode');
    });
  }

  /** The TPM attestation report: unset for a host without a TPM 2.0 chip, as vCenter. */
  QueryTpmAttestationReport(_ctx: CallContext): DataObject | undefined {
    if (this.capability.tpmSupported !== true) return undefined;
    return { tpmPcrValues: [], tpmEvents: [], tpmLogReliable: true };
  }

  UpdateFlags(ctx: CallContext, { flagInfo }: { flagInfo: DataObject }): void {
    this.config.flags = { ...((this.config.flags as DataObject | undefined) ?? {}), ...flagInfo, _type: undefined };
    ctx.vc.registry.changed(this);
  }

  private setPower(ctx: CallContext, powerState: string, connectionState: string, standbyMode = this.runtime.standbyMode): void {
    Object.assign(this.runtime, { powerState, connectionState, standbyMode });
    ctx.vc.registry.changed(this);
    parentOf(ctx, this)?.refreshSummary(ctx.vc.registry);
  }

  /** A forced reboot or shutdown takes the VMs down with the host. */
  private powerOffVms(ctx: CallContext): void {
    for (const ref of this.vm) {
      const vm = ctx.vc.registry.get(ref) as VirtualMachine | undefined;
      if (vm && vm.powerState !== 'poweredOff') vm.setPowerState(ctx, 'poweredOff');
    }
  }

  private hostTask(ctx: CallContext, method: string, operation: string, work: () => void): MoRef {
    return ctx.vc.tasks.start(ctx, {
      method,
      descriptionId: `HostSystem.${operation}`,
      entity: this,
      run: () => {
        work();
        return undefined;
      },
    });
  }

  /** Destroy_Task: a host of a cluster must be in maintenance mode or not connected; a standalone host goes with its compute resource. */
  override checkDestroy(ctx: CallContext): void {
    const parent = this.parent && (ctx.vc.registry.get(this.parent) as ManagedEntity | undefined);
    if (parent && parent.self.type !== 'ClusterComputeResource') return parent.checkDestroy(ctx);
    if (this.runtime.connectionState === 'connected' && this.runtime.inMaintenanceMode !== true) {
      throw new VimFault('InvalidState', {}, `The host ${this.name} must be in maintenance mode or disconnected to be removed.`);
    }
  }

  override destroy(ctx: CallContext): void {
    const parent = this.parent && (ctx.vc.registry.get(this.parent) as ManagedEntity | undefined);
    if (parent && parent.self.type !== 'ClusterComputeResource') return parent.destroy(ctx);
    this.removeFromInventory(ctx);
  }

  /**
   * The host leaves the inventory: its VMs too (their files stay), its datastore mounts, networks,
   * switch memberships and configuration managers; its compute resource sums its capacity again.
   */
  removeFromInventory(ctx: CallContext): void {
    const { registry } = ctx.vc;
    for (const ref of [...this.vm]) (registry.get(ref) as VirtualMachine | undefined)?.forget(ctx);
    postHostEvent(ctx, this, 'HostRemovedEvent', 'is removed');
    for (const ref of this.datastore) {
      const ds = registry.get(ref) as (ManagedEntity & { host: DataObject[] }) | undefined;
      if (!ds) continue;
      ds.host = ds.host.filter((mount) => (mount.key as MoRef).value !== this.self.value);
      registry.changed(ds);
    }
    removeFromAll(registry, this.network, 'host', this.self);
    for (const dvs of [...registry.ofType('VmwareDistributedVirtualSwitch'), ...registry.ofType('DistributedVirtualSwitch')]) {
      (dvs as unknown as { removeHost(host: MoRef): void }).removeHost(this.self);
      registry.changed(dvs);
    }
    this.leaveComputeResource(ctx);
    this.removeManagers(ctx);
    this.unlink(ctx);
  }

  /** The compute resource no longer lists the host, nor the datastores and networks only it had. */
  leaveComputeResource(ctx: CallContext): void {
    const { registry } = ctx.vc;
    const cr = this.parent && (registry.get(this.parent) as (ManagedEntity & { host: MoRef[]; datastore: MoRef[]; network: MoRef[] }) | undefined);
    if (!cr) return;
    removeRef(cr.host, this.self);
    (cr as { forgetMember?(ctx: CallContext, ref: MoRef): void }).forgetMember?.(ctx, this.self);
    const others = cr.host.map((ref) => registry.get(ref) as HostSystem | undefined).filter((h): h is HostSystem => h !== undefined);
    cr.datastore = cr.datastore.filter((ds) => others.some((h) => h.datastore.some((r) => r.value === ds.value)));
    cr.network = cr.network.filter((net) => others.some((h) => h.network.some((r) => r.value === net.value)));
    parentOf(ctx, this)?.refreshSummary(registry);
  }

  /** The configuration managers registered for this host alone go with it. */
  private removeManagers(ctx: CallContext): void {
    const { registry } = ctx.vc;
    const shared = new Set(
      registry.ofType<HostSystem>('HostSystem')
        .filter((h) => h !== this)
        .flatMap((h) => Object.values(h.configManager).map((ref) => (ref as MoRef | undefined)?.value)),
    );
    for (const ref of Object.values(this.configManager) as (MoRef | undefined)[]) {
      if (ref?.value && !shared.has(ref.value)) registry.remove(ref);
    }
  }

  /**
   * The host and its VMs become connected or disconnected, as vCenter shows it (runtime.connectionState
   * of each), with HostConnectedEvent or HostDisconnectedEvent. Returns how many VMs changed, or
   * undefined when the host already was in that state (nothing happens then).
   */
  setConnectionState(ctx: CallContext, state: HostConnectionState): number | undefined {
    const { registry } = ctx.vc;
    if (this.runtime.connectionState === state) return undefined;
    this.runtime.connectionState = state; // summary.runtime is the same object
    registry.changed(this);
    parentOf(ctx, this)?.refreshSummary(registry);
    let vms = 0;
    for (const ref of this.vm) {
      const vm = registry.get(ref) as ({ runtime?: DataObject } & Parameters<typeof registry.changed>[0]) | undefined;
      if (!vm?.runtime || vm.runtime.connectionState === state) continue;
      vm.runtime.connectionState = state;
      registry.changed(vm);
      vms++;
    }
    const event: DataObject =
      state === 'disconnected'
        ? { _type: 'HostDisconnectedEvent', reason: 'unknown', fullFormattedMessage: `Host ${this.name} disconnected` }
        : { _type: 'HostConnectedEvent', fullFormattedMessage: `Connected to ${this.name}` };
    ctx.vc.events.post(ctx, { ...event, template: false, ...entityArguments(registry, this.self) });
    return vms;
  }
}
