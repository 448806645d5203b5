/**
 * A host's state changes that wait for its VMs: maintenance mode and standby. As vCenter: in a
 * fully automated DRS cluster the powered-on VMs (and, when asked, the powered-off ones) are
 * migrated to the cluster's other hosts, each with its own MigrateVM_Task; elsewhere the task keeps
 * running until the VMs are powered off or moved away, or fails with Timedout after `timeout` seconds.
 */
import { entityArguments } from '../core/event-manager.js';
import { VimFault } from '../core/fault.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { Task } from '../core/task.js';
import type { VirtualMachine } from '../vm/virtual-machine.js';
import type { HostSystem } from './host-system.js';

/** The cluster of a host as this module needs it. */
interface HostParent {
  self: MoRef;
  host: MoRef[];
  configurationEx?: DataObject;
  refreshSummary(registry: CallContext['vc']['registry']): void;
}

export function parentOf(ctx: CallContext, host: HostSystem): HostParent | undefined {
  return host.parent && (ctx.vc.registry.get(host.parent) as unknown as HostParent | undefined);
}

/** Whether the host's cluster runs DRS fully automated (it then moves VMs itself). */
export function drsFullyAutomated(ctx: CallContext, host: HostSystem): boolean {
  const parent = parentOf(ctx, host);
  const drs = parent?.self.type === 'ClusterComputeResource' ? (parent.configurationEx?.drsConfig as DataObject | undefined) : undefined;
  return drs?.enabled === true && (drs.defaultVmBehavior ?? 'fullyAutomated') === 'fullyAutomated';
}

function vmsOf(ctx: CallContext, host: HostSystem): VirtualMachine[] {
  return host.vm.map((ref) => ctx.vc.registry.get(ref) as VirtualMachine | undefined).filter((vm): vm is VirtualMachine => vm !== undefined);
}

const poweredOn = (vm: VirtualMachine) => vm.powerState === 'poweredOn';

/** How many VMs run on the host: DRS's measure of its load. */
export function poweredOnCount(ctx: CallContext, host: HostSystem): number {
  return vmsOf(ctx, host).filter(poweredOn).length;
}

/** Of `hosts`, the one running the fewest powered-on VMs (counting `planned` ones bound for it; the first such, in the cluster's order). */
export function leastLoaded(ctx: CallContext, hosts: HostSystem[], planned = new Map<HostSystem, number>()): HostSystem | undefined {
  let best: HostSystem | undefined;
  let bestLoad = Infinity;
  for (const host of hosts) {
    const load = poweredOnCount(ctx, host) + (planned.get(host) ?? 0);
    if (load < bestLoad) [best, bestLoad] = [host, load];
  }
  return best;
}

/** The other hosts of the host's cluster that can run VMs. */
function otherHosts(ctx: CallContext, host: HostSystem): HostSystem[] {
  const parent = parentOf(ctx, host);
  return (parent?.host ?? [])
    .map((ref) => ctx.vc.registry.get(ref) as HostSystem | undefined)
    .filter((h): h is HostSystem => h !== undefined && h !== host && h.isEffective());
}

/**
 * Empties the host of the VMs that keep it from `what` (maintenance, standby): DRS migrates them
 * when it may; then resolves once none is left, or rejects with Timedout after `timeoutSec` (> 0).
 */
export function evacuate(ctx: CallContext, host: HostSystem, task: Task, evacuatePoweredOff: boolean, timeoutSec: number): Promise<void> | undefined {
  const blocking = () => vmsOf(ctx, host).filter(poweredOn);
  let migrations = 0;
  if (drsFullyAutomated(ctx, host)) {
    const targets = otherHosts(ctx, host);
    const planned = new Map<HostSystem, number>();
    for (const vm of vmsOf(ctx, host).filter((vm) => evacuatePoweredOff || poweredOn(vm))) {
      const target = leastLoaded(ctx, targets, planned);
      if (!target) continue;
      if (poweredOn(vm)) planned.set(target, (planned.get(target) ?? 0) + 1);
      vm.MigrateVM_Task(ctx, { host: target.self, priority: 'defaultPriority' });
      migrations++;
    }
  }
  if (blocking().length === 0 && migrations === 0) return undefined;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (blocking().length > 0 || host.vm.some((ref) => migrating(ctx, ref))) return;
      stop();
      resolve();
    };
    const unsubscribe = ctx.vc.registry.onChange(check);
    const timer = timeoutSec > 0 ? setTimeout(() => (stop(), reject(new VimFault('Timedout', {}, 'Operation timed out.'))), timeoutSec * 1000) : undefined;
    const stop = () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
    task.stopPending = stop;
    setImmediate(check);
  });
}

/** Whether a MigrateVM_Task of the VM is still running (DRS's evacuation is under way). */
function migrating(ctx: CallContext, ref: MoRef): boolean {
  const vm = ctx.vc.registry.get(ref) as { recentTask?: MoRef[] } | undefined;
  return (vm?.recentTask ?? []).some((t) => ((ctx.vc.registry.get(t) as Task | undefined)?.info.descriptionId === 'VirtualMachine.migrate'));
}

/** Posts a host event with its arguments, message "Host <name> in <datacenter> <what>". */
export function postHostEvent(ctx: CallContext, host: HostSystem, type: string, what: string, fields: DataObject = {}): void {
  const args = entityArguments(ctx.vc.registry, host.self);
  const dc = (args.datacenter as DataObject | undefined)?.name;
  ctx.vc.events.post(ctx, { _type: type, fullFormattedMessage: `Host ${host.name}${dc ? ` in ${dc}` : ''} ${what}`, ...args, ...fields });
}

/** InvalidState unless the host is in maintenance mode (or `force`): what reboot and shutdown ask. */
export function requireMaintenance(host: HostSystem, force: boolean): void {
  if (!force && host.runtime.inMaintenanceMode !== true) throw new VimFault('InvalidState', {}, `The host ${host.name} is not in maintenance mode.`);
}

/** InvalidState when the host cannot do anything now (powered off, in standby, not connected). */
export function requireRunning(host: HostSystem): void {
  if (host.runtime.powerState !== 'poweredOn' || host.runtime.connectionState !== 'connected') {
    throw new VimFault('InvalidHostState', { host: host.self }, `The operation is not allowed in the current state of the host ${host.name}.`);
  }
}
