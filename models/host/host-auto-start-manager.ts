import { faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';

const defaults = Object.freeze({ _type: 'AutoStartDefaults', enabled: false, startDelay: 120, stopDelay: 120, waitForHeartbeat: false, stopAction: 'PowerOff' });
/** AutoStartAction's values, in any case: ESXi itself reports `PowerOn`, `PowerOff`. */
const actions = ['none', 'systemdefault', 'poweron', 'poweroff', 'guestshutdown', 'suspend'];
const isAction = (value: unknown) => typeof value === 'string' && actions.includes(value.toLowerCase());

interface VmLike extends ManagedObject {
  runtime: DataObject & { host?: MoRef };
  PowerOnVM_Task(ctx: CallContext, args: DataObject): MoRef;
  PowerOffVM_Task(ctx: CallContext): MoRef;
}

/** Which VMs of a host start and stop with it, in what order. */
export class HostAutoStartManager extends ManagedObject {
  config: DataObject = { _type: 'HostAutoStartManagerConfig', defaults, powerInfo: [] };
  /** The host whose VMs these are (not a vSphere property). */
  owner?: MoRef;

  /**
   * Changes the defaults given, and the VMs' entries: an entry with startAction `none` and
   * startOrder -1 (what `govc host.autostart.remove` sends) takes the VM off the list. Every
   * entry is checked before anything changes.
   */
  ReconfigureAutostart(ctx: CallContext, { spec }: { spec: DataObject }): void {
    const entries = ((spec?.powerInfo as DataObject[] | undefined) ?? []).map((info) => this.checked(ctx, info));
    const given = spec?.defaults as DataObject | undefined;
    const current = this.config.defaults as DataObject;
    const merged = given ? { ...current, ...definedOnly(given), _type: 'AutoStartDefaults' } : current;
    let powerInfo = [...(this.config.powerInfo as DataObject[])];
    for (const entry of entries) {
      powerInfo = powerInfo.filter((p) => (p.key as MoRef).value !== (entry.key as MoRef).value);
      if (!(entry.startAction === 'none' && entry.startOrder === -1)) powerInfo.push(entry);
    }
    // Ordered VMs first, by their order; the unordered (-1) after them.
    powerInfo.sort((a, b) => rank(a) - rank(b));
    this.config = { _type: 'HostAutoStartManagerConfig', defaults: merged, powerInfo };
    ctx.vc.registry.changed(this);
  }

  /** Powers on, in order, the listed VMs set to start that are off. */
  AutoStartPowerOn(ctx: CallContext): void {
    for (const vm of this.listed(ctx, 'startAction', ['poweron'])) if (vm.runtime.powerState !== 'poweredOn') vm.PowerOnVM_Task(ctx, {});
  }

  /** Powers off, in reverse order, the listed VMs set to stop that are on. */
  AutoStartPowerOff(ctx: CallContext): void {
    for (const vm of this.listed(ctx, 'stopAction', ['poweroff', 'systemdefault', 'guestshutdown']).reverse()) if (vm.runtime.powerState === 'poweredOn') vm.PowerOffVM_Task(ctx);
  }

  private listed(ctx: CallContext, field: string, wanted: string[]): VmLike[] {
    const enabled = (this.config.defaults as DataObject).enabled === true;
    if (!enabled) return [];
    return (this.config.powerInfo as DataObject[])
      .filter((p) => wanted.includes(String(p[field]).toLowerCase()))
      .map((p) => ctx.vc.registry.get(p.key as MoRef) as VmLike | undefined)
      .filter((vm): vm is VmLike => vm !== undefined);
  }

  private checked(ctx: CallContext, info: DataObject): DataObject {
    const key = info?.key as MoRef | undefined;
    const vm = key && (ctx.vc.registry.get(key) as VmLike | undefined);
    if (!vm || key.type !== 'VirtualMachine') throw faults.invalidArgument('spec.powerInfo.key');
    if (this.owner && vm.runtime.host?.value !== this.owner.value) throw faults.invalidArgument('spec.powerInfo.key', `A specified parameter was not correct: ${key.value} is not on this host`);
    if (!isAction(info.startAction)) throw faults.invalidArgument('spec.powerInfo.startAction');
    if (!isAction(info.stopAction)) throw faults.invalidArgument('spec.powerInfo.stopAction');
    const order = Number(info.startOrder ?? -1);
    if (!Number.isInteger(order) || order < -1) throw faults.invalidArgument('spec.powerInfo.startOrder');
    return {
      _type: 'AutoStartPowerInfo',
      key,
      startOrder: order,
      startDelay: info.startDelay ?? -1,
      waitForHeartbeat: info.waitForHeartbeat ?? 'systemDefault',
      startAction: info.startAction,
      stopDelay: info.stopDelay ?? -1,
      stopAction: info.stopAction,
    };
  }
}

function rank(info: DataObject): number {
  const order = info.startOrder as number;
  return order > 0 ? order : Number.MAX_SAFE_INTEGER;
}

function definedOnly(object: DataObject): DataObject {
  return Object.fromEntries(Object.entries(object).filter(([name, value]) => value !== undefined && name !== '_type'));
}
