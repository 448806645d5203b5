/**
 * The inventory side of host portgroups: a standard portgroup on a host is a Network object of the
 * datacenter (in its network folder) listing the hosts that have a portgroup of that name. Adding
 * one joins the Network of that name or creates it; removing the last leaves no orphan behind.
 */
import type { ComputeResource } from '../cluster/compute-resource.js';
import type { Datacenter } from '../core/datacenter.js';
import type { Folder } from '../core/folder.js';
import { addRef, datacenterOf, removeRef } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { MoRef } from '../core/moref.js';
import type { HostSystem } from '../host/host-system.js';
import { Network } from './network.js';

/** The datacenter's standard Network named `name`, if any (distributed portgroups are not standard). */
export function standardNetwork(ctx: CallContext, host: HostSystem, name: string): Network | undefined {
  const dc = datacenter(ctx, host);
  return dc?.network.map((ref) => ctx.vc.registry.get(ref) as Network | undefined).find((n) => n?.self.type === 'Network' && n.name === name);
}

/** `host` gets the Network named `name`, created in the datacenter's network folder if new. */
export function joinNetwork(ctx: CallContext, host: HostSystem, name: string): Network {
  const { registry } = ctx.vc;
  let network = standardNetwork(ctx, host, name);
  if (!network) {
    const dc = datacenter(ctx, host)!;
    // ESX names its networks by name (HaNetwork-VM Network); vCenter numbers them.
    network = registry.add(new Network(), 'Network', ctx.vc.isVpx ? registry.newId('network') : `HaNetwork-${name}`);
    network.name = name;
    network.initSummary();
    const folder = registry.require<Folder>(dc.networkFolder);
    folder.addChild(network);
    addRef(dc.network, network.self);
    registry.structureChanged(folder);
    registry.changed(dc);
  }
  addRef(network.host, host.self);
  addRef(host.network, network.self);
  const cr = computeResource(ctx, host);
  if (cr) {
    addRef(cr.network, network.self);
    registry.changed(cr);
  }
  registry.changed(network);
  registry.changed(host);
  return network;
}

/** `host` no longer has the Network named `name`; a Network no host and no VM uses goes. */
export function leaveNetwork(ctx: CallContext, host: HostSystem, name: string): void {
  const { registry } = ctx.vc;
  const network = standardNetwork(ctx, host, name);
  if (!network) return;
  removeRef(network.host, host.self);
  removeRef(host.network, network.self);
  const cr = computeResource(ctx, host);
  if (cr && !cr.host.some((h) => network.host.some((r) => r.value === h.value))) {
    removeRef(cr.network, network.self);
    registry.changed(cr);
  }
  registry.changed(host);
  registry.changed(network);
  if (network.host.length || network.vm.length) return;
  const dc = datacenter(ctx, host)!;
  const folder = network.parent && (registry.get(network.parent) as Folder | undefined);
  if (folder) {
    removeRef(folder.childEntity, network.self);
    registry.structureChanged(folder);
  }
  removeRef(dc.network, network.self);
  registry.changed(dc);
  registry.remove(network.self);
}

/** VMs of `host` with a NIC on the Network named `name`. */
export function vmsOnNetwork(ctx: CallContext, host: HostSystem, name: string): MoRef[] {
  const network = standardNetwork(ctx, host, name);
  return network ? network.vm.filter((vm) => host.vm.some((r) => r.value === vm.value)) : [];
}

function datacenter(ctx: CallContext, host: HostSystem): Datacenter | undefined {
  const ref = datacenterOf(ctx.vc.registry, host);
  return ref && (ctx.vc.registry.get(ref) as Datacenter | undefined);
}

function computeResource(ctx: CallContext, host: HostSystem): ComputeResource | undefined {
  return host.parent && (ctx.vc.registry.get(host.parent) as ComputeResource | undefined);
}
