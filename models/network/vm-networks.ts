/**
 * A VM's networks follow its NICs: after a reconfigure each network (and distributed switch) lists
 * the VMs with a NIC on it, and the VM lists its networks. A NIC backing naming no network of the
 * inventory is refused (NotFound) before anything changes.
 */
import { datacenterOf, addRef, removeRef } from '../core/managed-entity.js';
import type { Datacenter } from '../core/datacenter.js';
import { faults } from '../core/fault.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { VirtualMachine } from '../vm/virtual-machine.js';
import type { DistributedVirtualSwitch } from './distributed-virtual-switch.js';
import type { Network } from './network.js';

/** The network a NIC backing names: a distributed portgroup by switch and key, a network by moref or name. */
export function networkOfBacking(ctx: CallContext, vm: VirtualMachine, backing: DataObject | undefined): Network | undefined {
  if (!backing) return undefined;
  const { registry } = ctx.vc;
  const port = backing.port as DataObject | undefined;
  if (port) {
    const pg = registry.ofType<Network & { key: string; config: DataObject }>('DistributedVirtualPortgroup').find((p) => p.key === port.portgroupKey);
    const dvs = pg && (registry.get(pg.config.distributedVirtualSwitch as MoRef) as DistributedVirtualSwitch | undefined);
    return dvs && (!port.switchUuid || dvs.uuid === port.switchUuid) ? pg : undefined;
  }
  if (backing.network) return registry.get(backing.network as MoRef) as Network | undefined;
  if (backing.deviceName) {
    const dcRef = datacenterOf(registry, vm);
    const dc = dcRef && (registry.get(dcRef) as Datacenter | undefined);
    return dc?.network.map((r) => registry.get(r) as Network | undefined).find((n) => n?.self.type === 'Network' && n.name === backing.deviceName);
  }
  return undefined;
}

/** Refuses NIC changes whose backing names no network (the NotFound CreateVM_Task gives too). */
export function checkNicBackings(ctx: CallContext, vm: VirtualMachine, changes: { operation?: string; device: DataObject }[] = []): void {
  for (const { operation, device } of changes) {
    if (operation === 'remove' || !device.backing || !ctx.vc.types.isSubtypeOf(String(device._type), 'VirtualEthernetCard')) continue;
    const backing = device.backing as DataObject;
    if (!backing.port && !backing.network && !backing.deviceName) continue;
    if (!networkOfBacking(ctx, vm, backing)) {
      const wanted = String((backing.port as DataObject | undefined)?.portgroupKey ?? (backing.network as MoRef | undefined)?.value ?? backing.deviceName);
      throw faults.notFound(`The network '${wanted}' was not found.`);
    }
  }
}

/** Relinks the VM with the networks (and switches) its NICs are on now; `leaving`: on none (the VM goes). */
export function relinkNetworks(ctx: CallContext, vm: VirtualMachine, leaving = false): void {
  const { registry, types } = ctx.vc;
  const devices = leaving ? [] : (((vm.config?.hardware as DataObject | undefined)?.device as DataObject[] | undefined) ?? []);
  const nics = devices.filter((d) => types.isSubtypeOf(String(d._type), 'VirtualEthernetCard'));
  const now = new Map<string, Network>();
  for (const nic of nics) {
    const network = networkOfBacking(ctx, vm, nic.backing as DataObject | undefined);
    if (network) now.set(network.self.value, network);
  }
  for (const ref of vm.network) {
    if (now.has(ref.value)) continue;
    const old = registry.get(ref) as Network | undefined;
    if (!old) continue;
    removeRef(old.vm, vm.self);
    registry.changed(old);
  }
  for (const network of now.values()) {
    addRef(network.vm, vm.self);
    registry.changed(network);
  }
  vm.network = [...now.values()].map((n) => n.self);
  const switches = new Set([...now.values()].map((n) => ((n as Network & { config?: DataObject }).config?.distributedVirtualSwitch as MoRef | undefined)?.value).filter(Boolean));
  for (const dvs of registry.ofType<DistributedVirtualSwitch>('VmwareDistributedVirtualSwitch')) {
    const list = dvs.summary.vm as MoRef[] | undefined;
    if (!list) continue;
    const listed = list.some((r) => r.value === vm.self.value);
    if (switches.has(dvs.self.value) && !listed) addRef(list, vm.self);
    else if (!switches.has(dvs.self.value) && listed) removeRef(list, vm.self);
    else continue;
    registry.changed(dvs);
  }
}
