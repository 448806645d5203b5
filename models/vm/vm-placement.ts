/**
 * Where a VM powers on. In a cluster whose DRS is fully automated (for this VM: its drsVmConfig
 * override may say otherwise) vCenter places it on the least-loaded host that can run VMs; a
 * `host` given to PowerOnVM_Task of the same compute resource is taken instead. A VM left on a
 * host in maintenance mode, standby or not connected cannot power on: InvalidHostState.
 */
import { VimFault, faults } from '../core/fault.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import { drsFullyAutomated, parentOf, poweredOnCount } from '../host/host-maintenance.js';
import type { HostSystem } from '../host/host-system.js';
import { placeOnHost } from './vm-migration.js';
import type { VirtualMachine } from './virtual-machine.js';

export function placeForPowerOn(ctx: CallContext, vm: VirtualMachine, requested?: MoRef): void {
  const { registry } = ctx.vc;
  const current = registry.get(vm.runtime.host as MoRef) as HostSystem | undefined;
  if (!current) return;
  const hosts = (parentOf(ctx, current)?.host ?? []).map((ref) => registry.get(ref) as HostSystem | undefined).filter((h): h is HostSystem => h !== undefined);
  let target = current;
  if (requested) {
    target = hosts.find((h) => h.self.value === requested.value) ?? fail(requested);
  } else if (automated(ctx, vm, current)) {
    const candidates = hosts.filter((h) => h.isEffective());
    const least = Math.min(...candidates.map((h) => poweredOnCount(ctx, h)));
    // Ties keep the VM where it is: DRS moves it only for a better host.
    if (!(current.isEffective() && poweredOnCount(ctx, current) === least)) target = candidates.find((h) => poweredOnCount(ctx, h) === least) ?? current;
  }
  if (!target.isEffective()) throw new VimFault('InvalidHostState', { host: target.self }, `The operation is not allowed in the current state of the host ${target.name}.`);
  if (target !== current) placeOnHost(ctx, vm, target);
}

function fail(requested: MoRef): never {
  throw faults.invalidArgument('host', `The host ${requested.value} is not part of the virtual machine's compute resource.`);
}

/** Whether DRS places this VM itself: the cluster fully automated and no override saying otherwise. */
function automated(ctx: CallContext, vm: VirtualMachine, host: HostSystem): boolean {
  if (!drsFullyAutomated(ctx, host)) return false;
  const overrides = (parentOf(ctx, host)?.configurationEx?.drsVmConfig as DataObject[] | undefined) ?? [];
  const own = overrides.find((o) => (o.key as MoRef | undefined)?.value === vm.self.value);
  return !own || (own.enabled !== false && (own.behavior ?? 'fullyAutomated') === 'fullyAutomated');
}
