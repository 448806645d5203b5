/**
 * HostNetworkSystem: one host's standard networking, kept in the host's `config.network` (which
 * `networkInfo` shows): virtual switches, their portgroups and the host's VMkernel NICs. A
 * portgroup added to a host joins (or creates) the datacenter's Network of its name, and leaves it
 * when removed (standard-networks.ts). Every change is checked whole before anything changes.
 */
import { faults, VimFault } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { HostSystem } from '../host/host-system.js';
import { joinNetwork, leaveNetwork, vmsOnNetwork } from './standard-networks.js';

interface NetworkInfo {
  vswitch: DataObject[];
  portgroup: DataObject[];
  vnic: DataObject[];
  pnic: DataObject[];
  dnsConfig?: DataObject;
  ipRouteConfig?: DataObject;
}

const switchKey = (name: string) => `key-vim.host.VirtualSwitch-${name}`;
const portgroupKey = (name: string) => `key-vim.host.PortGroup-${name}`;
const alreadyExists = (name: string) => new VimFault('AlreadyExists', { name }, `The specified key, name, or identifier '${name}' already exists.`);
const notFound = (what: string) => faults.notFound(`The object or item referred to could not be found: ${what}`);
const inUse = (name: string) => new VimFault('ResourceInUse', { type: 'Network', name }, `The resource '${name}' is in use.`);

export class HostNetworkSystem extends ManagedObject {
  networkConfig: DataObject = {};
  /** The host this system configures (set by the builder). */
  ownerHost?: MoRef;

  override read(name: string, ctx: CallContext): unknown {
    if (name === 'networkInfo' && this.ownerHost) return (this.hostOrNull(ctx)?.config as DataObject | undefined)?.network;
    if (name === 'dnsConfig' || name === 'ipRouteConfig') return (this.read('networkInfo', ctx) as DataObject | undefined)?.[name];
    return super.read(name, ctx);
  }

  AddVirtualSwitch(ctx: CallContext, { vswitchName, spec = {} }: { vswitchName: string; spec?: DataObject }): void {
    const info = this.info(ctx);
    if (!vswitchName || vswitchName.length > 32) throw faults.invalidArgument('vswitchName');
    if (info.vswitch.some((v) => v.name === vswitchName)) throw alreadyExists(vswitchName);
    const vswitch: DataObject = { name: vswitchName, key: switchKey(vswitchName), portgroup: [] };
    applySwitchSpec(vswitch, { numPorts: 128, mtu: 1500, ...spec });
    info.vswitch.push(vswitch);
    this.changed(ctx);
  }

  UpdateVirtualSwitch(ctx: CallContext, { vswitchName, spec }: { vswitchName: string; spec: DataObject }): void {
    applySwitchSpec(this.vswitch(ctx, vswitchName), { ...(this.vswitch(ctx, vswitchName).spec as DataObject), ...spec });
    this.changed(ctx);
  }

  RemoveVirtualSwitch(ctx: CallContext, { vswitchName }: { vswitchName: string }): void {
    const info = this.info(ctx);
    const vswitch = this.vswitch(ctx, vswitchName);
    const groups = info.portgroup.filter((pg) => pg.vswitch === vswitch.key);
    for (const pg of groups) this.requireUnused(ctx, String((pg.spec as DataObject).name));
    for (const pg of groups) this.dropPortgroup(ctx, String((pg.spec as DataObject).name));
    info.vswitch = info.vswitch.filter((v) => v !== vswitch);
    this.changed(ctx);
  }

  AddPortGroup(ctx: CallContext, { portgrp }: { portgrp: DataObject }): void {
    const info = this.info(ctx);
    const name = String(portgrp?.name ?? '');
    if (!name) throw faults.invalidArgument('portgrp.name');
    if (info.portgroup.some((pg) => (pg.spec as DataObject).name === name)) throw alreadyExists(name);
    const vswitch = this.vswitch(ctx, String(portgrp.vswitchName ?? ''));
    info.portgroup.push(portgroupEntry(portgrp, vswitch));
    (vswitch.portgroup as string[]).push(portgroupKey(name));
    joinNetwork(ctx, this.host(ctx), name);
    this.changed(ctx);
  }

  UpdatePortGroup(ctx: CallContext, { pgName, portgrp }: { pgName: string; portgrp: DataObject }): void {
    const info = this.info(ctx);
    const current = this.portgroup(ctx, pgName);
    const name = String(portgrp?.name || pgName);
    const vswitch = this.vswitch(ctx, String(portgrp?.vswitchName || (current.spec as DataObject).vswitchName));
    if (name !== pgName) {
      if (info.portgroup.some((pg) => (pg.spec as DataObject).name === name)) throw alreadyExists(name);
      this.requireUnused(ctx, pgName);
    }
    const { port } = current;
    this.dropPortgroup(ctx, pgName, name === pgName);
    info.portgroup.push({ ...portgroupEntry({ ...(current.spec as DataObject), ...portgrp, name, vswitchName: vswitch.name }, vswitch), port });
    (vswitch.portgroup as string[]).push(portgroupKey(name));
    if (name !== pgName) joinNetwork(ctx, this.host(ctx), name);
    for (const vnic of info.vnic) if (vnic.portgroup === pgName) renameVnicPortgroup(vnic, name);
    this.changed(ctx);
  }

  RemovePortGroup(ctx: CallContext, { pgName }: { pgName: string }): void {
    this.portgroup(ctx, pgName);
    this.requireUnused(ctx, pgName);
    this.dropPortgroup(ctx, pgName);
    this.changed(ctx);
  }

  /** A VMkernel NIC on portgroup `portgroup`; answers its device name (vmk1, vmk2, ...). */
  AddVirtualNic(ctx: CallContext, { portgroup, nic }: { portgroup: string; nic: DataObject }): string {
    const info = this.info(ctx);
    const pg = this.portgroup(ctx, portgroup);
    if (info.vnic.some((v) => v.portgroup === portgroup)) throw alreadyExists(portgroup);
    if (!nic?.ip) throw faults.invalidArgument('nic.ip');
    let n = 0;
    while (info.vnic.some((v) => v.device === `vmk${n}`)) n++;
    const device = `vmk${n}`;
    const port = `key-vim.host.PortGroup.Port-${33554436 + 16 * (n + info.vswitch.length)}`;
    const mac = String(nic.mac ?? macFor(this.host(ctx), n));
    info.vnic.push({ device, key: `key-vim.host.VirtualNic-${device}`, portgroup, spec: vnicSpec(nic, portgroup, mac), port });
    (pg.port as DataObject[]).push({ key: port, mac: [mac], type: 'host' });
    this.changed(ctx);
    return device;
  }

  UpdateVirtualNic(ctx: CallContext, { device, nic }: { device: string; nic: DataObject }): void {
    const vnic = this.vnic(ctx, device);
    const spec = vnic.spec as DataObject;
    vnic.spec = vnicSpec({ ...spec, ...nic, ip: nic.ip ?? spec.ip }, String(vnic.portgroup), String(nic.mac ?? spec.mac));
    this.changed(ctx);
  }

  RemoveVirtualNic(ctx: CallContext, { device }: { device: string }): void {
    const info = this.info(ctx);
    const vnic = this.vnic(ctx, device);
    info.vnic = info.vnic.filter((v) => v !== vnic);
    for (const pg of info.portgroup) pg.port = (pg.port as DataObject[]).filter((p) => p.key !== vnic.port);
    this.changed(ctx);
  }

  /** Applies a HostNetworkConfig: its switches, portgroups and NICs by changeOperation (add, edit, remove), then DNS and routes. */
  UpdateNetworkConfig(ctx: CallContext, { config, changeMode }: { config: DataObject; changeMode: string }): DataObject {
    if (changeMode !== 'modify' && changeMode !== 'replace') throw faults.invalidArgument('changeMode');
    const vnicDevice: string[] = [];
    for (const v of (config.vswitch as DataObject[] | undefined) ?? []) {
      const op = v.changeOperation ?? 'edit';
      if (op === 'add') this.AddVirtualSwitch(ctx, { vswitchName: String(v.name), spec: v.spec as DataObject });
      else if (op === 'remove') this.RemoveVirtualSwitch(ctx, { vswitchName: String(v.name) });
      else this.UpdateVirtualSwitch(ctx, { vswitchName: String(v.name), spec: v.spec as DataObject });
    }
    for (const p of (config.portgroup as DataObject[] | undefined) ?? []) {
      const spec = p.spec as DataObject;
      const op = p.changeOperation ?? 'edit';
      if (op === 'add') this.AddPortGroup(ctx, { portgrp: spec });
      else if (op === 'remove') this.RemovePortGroup(ctx, { pgName: String(spec.name) });
      else this.UpdatePortGroup(ctx, { pgName: String(spec.name), portgrp: spec });
    }
    for (const v of (config.vnic as DataObject[] | undefined) ?? []) {
      const op = v.changeOperation ?? 'edit';
      if (op === 'add') vnicDevice.push(this.AddVirtualNic(ctx, { portgroup: String(v.portgroup), nic: v.spec as DataObject }));
      else if (op === 'remove') this.RemoveVirtualNic(ctx, { device: String(v.device) });
      else this.UpdateVirtualNic(ctx, { device: String(v.device), nic: v.spec as DataObject });
    }
    const info = this.info(ctx);
    if (config.dnsConfig) info.dnsConfig = { ...(config.dnsConfig as DataObject) };
    if (config.ipRouteConfig) info.ipRouteConfig = { ...(config.ipRouteConfig as DataObject) };
    this.changed(ctx);
    return { vnicDevice, consoleVnicDevice: [] };
  }

  UpdateDnsConfig(ctx: CallContext, { config }: { config: DataObject }): void {
    this.info(ctx).dnsConfig = { ...config };
    this.changed(ctx);
  }

  UpdateIpRouteConfig(ctx: CallContext, { config }: { config: DataObject }): void {
    this.info(ctx).ipRouteConfig = { ...config };
    this.changed(ctx);
  }

  /** What each physical NIC sees; the simulated wire carries nothing to observe, so no subnets. */
  QueryNetworkHint(ctx: CallContext, { device }: { device?: string[] }): DataObject[] {
    const pnics = this.info(ctx).pnic.filter((p) => !device?.length || device.includes(String(p.device)));
    if (device?.length && pnics.length !== device.length) throw notFound(device.join(', '));
    return pnics.map((p) => ({ device: p.device, subnet: [], network: [] }));
  }

  RefreshNetworkSystem(_ctx: CallContext): void {}

  private requireUnused(ctx: CallContext, pgName: string): void {
    if (vmsOnNetwork(ctx, this.host(ctx), pgName).length || this.info(ctx).vnic.some((v) => v.portgroup === pgName)) throw inUse(pgName);
  }

  /** Takes a portgroup off its switch and the host; `keepNetwork` when it comes straight back under the same name. */
  private dropPortgroup(ctx: CallContext, pgName: string, keepNetwork = false): void {
    const info = this.info(ctx);
    const pg = this.portgroup(ctx, pgName);
    info.portgroup = info.portgroup.filter((p) => p !== pg);
    for (const v of info.vswitch) v.portgroup = (v.portgroup as string[]).filter((k) => k !== pg.key);
    if (!keepNetwork) leaveNetwork(ctx, this.host(ctx), pgName);
  }

  private vswitch(ctx: CallContext, name: string): DataObject {
    return this.info(ctx).vswitch.find((v) => v.name === name) ?? fail(notFound(`virtual switch ${name}`));
  }

  private portgroup(ctx: CallContext, name: string): DataObject {
    return this.info(ctx).portgroup.find((pg) => (pg.spec as DataObject).name === name) ?? fail(notFound(`portgroup ${name}`));
  }

  private vnic(ctx: CallContext, device: string): DataObject {
    return this.info(ctx).vnic.find((v) => v.device === device) ?? fail(notFound(`virtual NIC ${device}`));
  }

  private info(ctx: CallContext): NetworkInfo {
    return (this.host(ctx).config as DataObject).network as unknown as NetworkInfo;
  }

  private hostOrNull(ctx: CallContext): HostSystem | undefined {
    return this.ownerHost && (ctx.vc.registry.get(this.ownerHost) as HostSystem | undefined);
  }

  private host(ctx: CallContext): HostSystem {
    return this.hostOrNull(ctx) ?? fail(faults.invalidState('The host of this network system is gone.'));
  }

  private changed(ctx: CallContext): void {
    ctx.vc.registry.changed(this);
    ctx.vc.registry.changed(this.host(ctx));
  }
}

function fail(fault: VimFault): never {
  throw fault;
}

/** Sets a switch's spec and the values that follow from it (ports, MTU, physical NICs). */
function applySwitchSpec(vswitch: DataObject, spec: DataObject): void {
  const numPorts = Number(spec.numPorts ?? 128);
  const nics = ((spec.bridge as DataObject | undefined)?.nicDevice as string[] | undefined) ?? [];
  vswitch.spec = { ...spec, numPorts, mtu: spec.mtu ?? 1500 };
  vswitch.numPorts = numPorts;
  vswitch.numPortsAvailable = numPorts - 8;
  vswitch.mtu = spec.mtu ?? 1500;
  vswitch.pnic = nics.map((nic) => `key-vim.host.PhysicalNic-${nic}`);
}

function portgroupEntry(spec: DataObject, vswitch: DataObject): DataObject {
  const name = String(spec.name);
  const switchPolicy = ((vswitch.spec as DataObject).policy ?? {}) as DataObject;
  return {
    key: portgroupKey(name),
    port: [],
    vswitch: vswitch.key,
    computedPolicy: { ...switchPolicy, ...(spec.policy as DataObject | undefined) },
    spec: { name, vlanId: Number(spec.vlanId ?? 0), vswitchName: vswitch.name, policy: spec.policy ?? {} },
  };
}

function vnicSpec(nic: DataObject, portgroup: string, mac: string): DataObject {
  return { ...nic, ip: nic.ip, mac, portgroup, mtu: nic.mtu ?? 1500, tsoEnabled: nic.tsoEnabled ?? true, netStackInstanceKey: nic.netStackInstanceKey ?? 'defaultTcpipStack' };
}

function renameVnicPortgroup(vnic: DataObject, name: string): void {
  vnic.portgroup = name;
  vnic.spec = { ...(vnic.spec as DataObject), portgroup: name };
}

/** A VMkernel NIC's MAC: VMware's 00:50:56 prefix, then bytes of the host's id and the NIC's number. */
function macFor(host: HostSystem, n: number): string {
  let h = 0;
  for (const c of host.self.value) h = (h * 31 + c.charCodeAt(0)) & 0xffff;
  const byte = (v: number) => (v & 0xff).toString(16).padStart(2, '0');
  return `00:50:56:${byte(0x60 + (h >> 8))}:${byte(h)}:${byte(n)}`;
}
