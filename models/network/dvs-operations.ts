/**
 * What distributed switches and their portgroups share: creating a switch (Folder.CreateDVS_Task)
 * and portgroups, joining hosts, the configVersion check of every reconfigure, and the switch's
 * ports, derived from the VM NICs connected to it (a port is connected while a NIC is on it).
 */
import type { ComputeResource } from '../cluster/compute-resource.js';
import type { Datacenter } from '../core/datacenter.js';
import { faults, VimFault } from '../core/fault.js';
import type { Folder } from '../core/folder.js';
import { addRef, datacenterOf, removeRef, type ManagedEntity } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { HostSystem } from '../host/host-system.js';
import { ValueGenerator } from '../inventory/generator.js';
import type { VirtualMachine } from '../vm/virtual-machine.js';
import { DistributedVirtualPortgroup } from './distributed-virtual-portgroup.js';
import { VmwareDistributedVirtualSwitch, type DistributedVirtualSwitch } from './distributed-virtual-switch.js';
import type { Network } from './network.js';

/** Folder.CreateDVS_Task: a switch, its uplink portgroup and its member hosts; the result is the switch. */
export function createDvsTask(ctx: CallContext, folder: Folder, spec: DataObject): MoRef {
  return ctx.vc.tasks.start(ctx, {
    method: 'CreateDVS_Task',
    descriptionId: 'Folder.createDistributedVirtualSwitch',
    entity: folder,
    run: () => createDvs(ctx, folder, spec).self,
  });
}

function createDvs(ctx: CallContext, folder: Folder, spec: DataObject): DistributedVirtualSwitch {
  const { registry } = ctx.vc;
  if (!folder.childType.includes('DistributedVirtualSwitch')) throw faults.notSupported();
  const config = (spec?.configSpec ?? {}) as DataObject;
  const name = String(config.name ?? '');
  if (!name) throw faults.invalidArgument('spec.configSpec.name');
  const dc = datacenterOfFolder(ctx, folder);
  checkNetworkName(ctx, dc, name);
  const hosts = hostChanges(ctx, config).map((h) => {
    if (h.operation !== 'add') throw faults.invalidArgument('spec.configSpec.host.operation');
    return h.host;
  });
  const dvs = registry.addNew(new VmwareDistributedVirtualSwitch(), 'VmwareDistributedVirtualSwitch', 'dvs');
  const uuid = new ValueGenerator(ctx.vc.options.seed).uuid(`dvs/${dvs.self.value}/${name}`).replace(/-/g, '').replace(/(..)/g, '$1 ').trim();
  dvs.configure(name, uuid.slice(0, 23) + '-' + uuid.slice(24), ctx.vc.content.about as DataObject, ctx.vc.now());
  applySwitchConfig(dvs, config);
  // govc dvs.create -product-version: the switch version asked for (vCenter's own otherwise).
  const version = (spec.productInfo as DataObject | undefined)?.version;
  if (version) for (const holder of [dvs.summary, dvs.config]) holder.productInfo = { ...(holder.productInfo as DataObject), version };
  folder.addChild(dvs);
  registry.structureChanged(folder);
  addPortgroup(ctx, dvs, { name: `${name}-DVUplinks-${dvs.self.value.replace(/^dvs-/, '')}`, numPorts: 0 }, true);
  for (const host of hosts) joinSwitch(ctx, dvs, host);
  ctx.vc.events.post(ctx, { _type: 'DvsCreatedEvent', fullFormattedMessage: `A vSphere Distributed Switch ${name} was created in ${dc.name}.`, dvs: { dvs: dvs.self, name }, datacenter: { datacenter: dc.self, name: dc.name }, parent: { name: folder.name, folder: folder.self } });
  return dvs;
}

/** Sets what a DVSConfigSpec says of the switch itself (not its hosts). */
export function applySwitchConfig(dvs: DistributedVirtualSwitch, config: DataObject): void {
  const keep = ['uplinkPortPolicy', 'maxMtu', 'numStandalonePorts', 'description', 'contact', 'linkDiscoveryProtocolConfig', 'policy', 'defaultProxySwitchMaxNumPorts', 'lacpApiVersion', 'multicastFilteringMode', 'networkResourceControlVersion'];
  for (const key of keep) if (config[key] !== undefined) dvs.config[key] = config[key];
  if (config.defaultPortConfig) dvs.config.defaultPortConfig = { ...(dvs.config.defaultPortConfig as DataObject), ...(config.defaultPortConfig as DataObject) };
  if (config.maxMtu !== undefined && Number(config.maxMtu) < 1280) throw faults.invalidArgument('spec.maxMtu');
}

/** A new portgroup of `dvs` from a DVPortgroupConfigSpec, linked to the switch's hosts and the datacenter. */
export function addPortgroup(ctx: CallContext, dvs: DistributedVirtualSwitch, spec: DataObject, uplink = false): DistributedVirtualPortgroup {
  const { registry } = ctx.vc;
  const name = String(spec.name ?? '');
  if (!name) throw faults.invalidArgument('spec.name');
  const folder = registry.require<Folder>(dvs.parent!);
  const dc = datacenterOfFolder(ctx, folder);
  checkNetworkName(ctx, dc, name);
  const pg = registry.addNew(new DistributedVirtualPortgroup(), 'DistributedVirtualPortgroup', 'dvportgroup');
  pg.name = name;
  pg.configure(dvs.self, { uplink });
  applyPortgroupConfig(ctx, dvs, pg, { numPorts: 8, ...spec });
  folder.addChild(pg);
  addRef(dc.network, pg.self);
  dvs.addPortgroup(pg.self, name, uplink);
  countPorts(ctx, dvs);
  for (const member of (dvs.summary.hostMember as MoRef[]) ?? []) linkHost(ctx, pg, member);
  registry.structureChanged(folder);
  registry.changed(dc);
  registry.changed(dvs);
  return pg;
}

/** Sets what a DVPortgroupConfigSpec says; more ports get new keys of the switch. */
export function applyPortgroupConfig(ctx: CallContext, dvs: DistributedVirtualSwitch, pg: DistributedVirtualPortgroup, spec: DataObject): void {
  for (const key of ['type', 'description', 'autoExpand', 'policy', 'vmVnicNetworkResourcePoolKey']) if (spec[key] !== undefined) pg.config[key] = spec[key];
  if (spec.defaultPortConfig) pg.config.defaultPortConfig = { ...(pg.config.defaultPortConfig as DataObject), ...(spec.defaultPortConfig as DataObject) };
  if (spec.numPorts !== undefined) {
    const numPorts = Number(spec.numPorts);
    if (!(numPorts >= 0)) throw faults.invalidArgument('spec.numPorts');
    while (pg.portKeys.length < numPorts) pg.portKeys.push(String(dvs.nextPortKey++));
    pg.portKeys.length = numPorts;
    pg.config.numPorts = numPorts;
  }
  countPorts(ctx, dvs);
}

/** The switch's port count: its portgroups' ports. */
export function countPorts(ctx: CallContext, dvs: DistributedVirtualSwitch): void {
  dvs.summary.numPorts = dvs.config.numPorts = portgroupsOf(ctx, dvs).reduce((sum, p) => sum + p.portKeys.length, 0);
}

/** vCenter refuses a reconfigure built from an older config than the current one. */
export function checkConfigVersion(current: DataObject, spec: DataObject): void {
  if (spec.configVersion !== undefined && String(spec.configVersion) !== String(current.configVersion)) {
    throw new VimFault('ConcurrentAccess', {}, 'Cannot complete operation due to concurrent modification by another operation.');
  }
}

export function bumpConfigVersion(config: DataObject): void {
  config.configVersion = String(Number(config.configVersion ?? 0) + 1);
}

/** The host member changes of a DVSConfigSpec, hosts resolved. */
export function hostChanges(ctx: CallContext, config: DataObject): { operation: string; host: HostSystem; backing?: DataObject }[] {
  return ((config.host as DataObject[] | undefined) ?? []).map((h) => ({
    operation: String(h.operation ?? 'add'),
    host: ctx.vc.registry.require<HostSystem>(h.host as MoRef),
    backing: h.backing as DataObject | undefined,
  }));
}

/** `host` becomes a member: it gets every portgroup of the switch as a network. */
export function joinSwitch(ctx: CallContext, dvs: DistributedVirtualSwitch, host: HostSystem, backing?: DataObject): void {
  const folder = ctx.vc.registry.require<Folder>(dvs.parent!);
  if (datacenterOf(ctx.vc.registry, host)?.value !== datacenterOfFolder(ctx, folder).self.value) throw faults.invalidArgument('host');
  if ((dvs.summary.hostMember as MoRef[]).some((r) => r.value === host.self.value)) throw new VimFault('AlreadyExists', { name: host.name }, `The host ${host.name} is already a member of ${dvs.name}.`);
  dvs.addHost(host.self);
  if (backing) ((dvs.config.host as DataObject[]).at(-1)!.config as DataObject).backing = backing;
  for (const pg of portgroupsOf(ctx, dvs)) linkHost(ctx, pg, host.self);
}

/** `host` leaves the switch (ResourceInUse while its VMs use the switch). */
export function leaveSwitch(ctx: CallContext, dvs: DistributedVirtualSwitch, host: HostSystem): void {
  const { registry } = ctx.vc;
  const vms = switchPorts(ctx, dvs).filter((p) => p.nic && host.vm.some((r) => r.value === p.vm!.self.value));
  if (vms.length) throw new VimFault('ResourceInUse', { type: 'HostSystem', name: host.name }, `The host ${host.name} has VMs on ${dvs.name}.`);
  const summary = dvs.summary as { hostMember: MoRef[]; host: MoRef[]; numHosts: number };
  removeRef(summary.hostMember, host.self);
  removeRef(summary.host, host.self);
  summary.numHosts = summary.hostMember.length;
  dvs.config.host = (dvs.config.host as DataObject[]).filter((m) => ((m.config as DataObject).host as MoRef).value !== host.self.value);
  const cr = host.parent && (registry.get(host.parent) as ComputeResource | undefined);
  for (const pg of portgroupsOf(ctx, dvs)) {
    removeRef(pg.host, host.self);
    removeRef(host.network, pg.self);
    if (cr) removeRef(cr.network, pg.self);
    registry.changed(pg);
  }
  registry.changed(host);
  if (cr) registry.changed(cr);
}

export function portgroupsOf(ctx: CallContext, dvs: DistributedVirtualSwitch): DistributedVirtualPortgroup[] {
  return dvs.portgroup.map((ref) => ctx.vc.registry.get(ref)).filter((pg): pg is DistributedVirtualPortgroup => pg instanceof DistributedVirtualPortgroup);
}

/** A port of the switch, and the VM NIC on it (if any). */
export interface PortUse {
  key: string;
  portgroup: DistributedVirtualPortgroup;
  vm?: VirtualMachine;
  nic?: DataObject;
}

/**
 * The switch's portgroup ports, each with the VM NIC connected to it: a NIC that names its port
 * has it, the others take the free ports of their portgroup in order (autoExpand adds ports).
 */
export function switchPorts(ctx: CallContext, dvs: DistributedVirtualSwitch): PortUse[] {
  const nics = new Map<string, { vm: VirtualMachine; nic: DataObject }[]>();
  for (const ref of (dvs.summary.vm as MoRef[]) ?? []) {
    const vm = ctx.vc.registry.get(ref) as VirtualMachine | undefined;
    for (const nic of ((vm?.config?.hardware as DataObject | undefined)?.device as DataObject[] | undefined) ?? []) {
      const port = (nic.backing as DataObject | undefined)?.port as DataObject | undefined;
      if (!port || port.switchUuid !== dvs.uuid) continue;
      const list = nics.get(String(port.portgroupKey)) ?? [];
      list.push({ vm: vm!, nic });
      nics.set(String(port.portgroupKey), list);
    }
  }
  const ports: PortUse[] = [];
  for (const pg of portgroupsOf(ctx, dvs)) {
    const named = new Map<string, { vm: VirtualMachine; nic: DataObject }>();
    const waiting: { vm: VirtualMachine; nic: DataObject }[] = [];
    for (const use of nics.get(pg.key) ?? []) {
      const key = (((use.nic.backing as DataObject).port as DataObject).portKey as string | undefined) ?? '';
      if (key && !named.has(key)) named.set(key, use);
      else waiting.push(use);
    }
    const keys = [...pg.portKeys, ...[...named.keys()].filter((k) => !pg.portKeys.includes(k))];
    for (let extra = 0; keys.filter((k) => !named.has(k)).length < waiting.length; extra++) keys.push(`${pg.key}-${extra}`);
    for (const key of keys) {
      const use = named.get(key) ?? waiting.shift();
      ports.push({ key, portgroup: pg, vm: use?.vm, nic: use?.nic });
    }
  }
  return ports;
}

function linkHost(ctx: CallContext, pg: Network, host: MoRef): void {
  const { registry } = ctx.vc;
  const hostSystem = registry.require<HostSystem>(host);
  addRef(pg.host, host);
  addRef(hostSystem.network, pg.self);
  const cr = hostSystem.parent && (registry.get(hostSystem.parent) as ComputeResource | undefined);
  if (cr) {
    addRef(cr.network, pg.self);
    registry.changed(cr);
  }
  registry.changed(hostSystem);
  registry.changed(pg);
}

function datacenterOfFolder(ctx: CallContext, folder: Folder): Datacenter {
  const ref = datacenterOf(ctx.vc.registry, folder);
  if (!ref) throw faults.notSupported();
  return ctx.vc.registry.require<Datacenter>(ref);
}

/** Switches and portgroups share the datacenter's network names. */
function checkNetworkName(ctx: CallContext, dc: Datacenter, name: string): void {
  const switches = ctx.vc.registry.ofType<ManagedEntity>('VmwareDistributedVirtualSwitch').filter((d) => datacenterOf(ctx.vc.registry, d)?.value === dc.self.value);
  const taken = [...dc.network.map((r) => ctx.vc.registry.get(r) as ManagedEntity | undefined), ...switches].find((n) => n?.name === name);
  if (taken) throw faults.duplicateName(name, taken.self);
}
