import { describe, expect, it } from 'vitest';
import type { Datacenter } from '../../models/core/datacenter.js';
import type { VimFault } from '../../models/core/fault.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import { captureWorld, restoreWorld } from '../../models/core/world-state.js';
import type { HostSystem } from '../../models/host/host-system.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { HostNetworkSystem } from '../../models/network/host-network-system.js';
import type { HostVirtualNicManager } from '../../models/network/host-virtual-nic-manager.js';
import type { Network } from '../../models/network/network.js';
import { VCenter } from '../../models/vcenter.js';

function setup(esx = false) {
  const vc = new VCenter({ topology: topologyFromFlags({ esx }), seed: 1 });
  const ctx: CallContext = { vc };
  const named = <T extends ManagedEntity>(type: string, name: string) => vc.registry.ofType<T>(type).find((o) => o.name === name);
  const h0 = named<HostSystem>('HostSystem', 'DC0_C0_H0')!;
  const h1 = named<HostSystem>('HostSystem', 'DC0_C0_H1')!;
  const managers = (h: HostSystem) => h.configManager as { networkSystem: MoRef; virtualNicManager: MoRef };
  const ns = (h: HostSystem) => vc.registry.require<HostNetworkSystem>(managers(h).networkSystem);
  const nicManager = (h: HostSystem) => vc.registry.require<HostVirtualNicManager>(managers(h).virtualNicManager);
  const info = (h: HostSystem) => ns(h).read('networkInfo', ctx) as { vswitch: DataObject[]; portgroup: DataObject[]; vnic: DataObject[] };
  const dc = named<Datacenter>('Datacenter', 'DC0')!;
  return { vc, ctx, named, h0, h1, ns, nicManager, info, dc };
}

const faultOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as VimFault).type;
  }
  return undefined;
};

describe('HostNetworkSystem', () => {
  it('adds a switch, a portgroup (joining or creating the Network object) and a VMkernel NIC; refuses duplicates and unknown names', () => {
    const { vc, ctx, named, h0, h1, ns, info, dc } = setup();
    ns(h0).AddVirtualSwitch(ctx, { vswitchName: 'vSwitch1', spec: { numPorts: 64, mtu: 9000, bridge: { _type: 'HostVirtualSwitchBondBridge', nicDevice: ['vmnic1'] } } });
    expect(info(h0).vswitch.find((v) => v.name === 'vSwitch1')).toMatchObject({ key: 'key-vim.host.VirtualSwitch-vSwitch1', mtu: 9000, numPorts: 64, pnic: ['key-vim.host.PhysicalNic-vmnic1'], portgroup: [] });
    expect(faultOf(() => ns(h0).AddVirtualSwitch(ctx, { vswitchName: 'vSwitch1' }))).toBe('AlreadyExists');
    expect(faultOf(() => ns(h0).AddPortGroup(ctx, { portgrp: { name: 'pg-x', vlanId: 0, vswitchName: 'nope', policy: {} } }))).toBe('NotFound');
    ns(h0).AddPortGroup(ctx, { portgrp: { name: 'Storage', vlanId: 20, vswitchName: 'vSwitch1', policy: {} } });
    expect(faultOf(() => ns(h0).AddPortGroup(ctx, { portgrp: { name: 'Storage', vlanId: 20, vswitchName: 'vSwitch1', policy: {} } }))).toBe('AlreadyExists');
    const network = named<Network>('Network', 'Storage')!;
    expect(network.parent).toEqual(dc.networkFolder);
    expect(network.host).toEqual([h0.self]);
    expect(h0.network.some((r) => r.value === network.self.value)).toBe(true);
    expect(dc.network.some((r) => r.value === network.self.value)).toBe(true);
    // Another host with a portgroup of the same name joins the same Network.
    ns(h1).AddVirtualSwitch(ctx, { vswitchName: 'vSwitch1' });
    ns(h1).AddPortGroup(ctx, { portgrp: { name: 'Storage', vlanId: 20, vswitchName: 'vSwitch1', policy: {} } });
    expect(vc.registry.ofType<Network>('Network').filter((n) => n.name === 'Storage')).toHaveLength(1);
    expect(network.host.map((r) => r.value)).toEqual([h0.self.value, h1.self.value]);

    const device = ns(h0).AddVirtualNic(ctx, { portgroup: 'Storage', nic: { ip: { dhcp: false, ipAddress: '10.0.20.5', subnetMask: '255.255.255.0' }, mtu: 9000 } });
    expect(device).toBe('vmk1');
    expect(info(h0).vnic.find((v) => v.device === 'vmk1')).toMatchObject({ portgroup: 'Storage', spec: { ip: { ipAddress: '10.0.20.5' }, mtu: 9000 } });
    expect(faultOf(() => ns(h0).AddVirtualNic(ctx, { portgroup: 'nope', nic: { ip: {} } }))).toBe('NotFound');
    ns(h0).UpdateVirtualNic(ctx, { device: 'vmk1', nic: { ip: { dhcp: false, ipAddress: '10.0.20.6', subnetMask: '255.255.255.0' } } });
    expect((info(h0).vnic.find((v) => v.device === 'vmk1')!.spec as DataObject).ip).toMatchObject({ ipAddress: '10.0.20.6' });
    // A portgroup with a VMkernel NIC on it cannot go, nor its switch.
    expect(faultOf(() => ns(h0).RemovePortGroup(ctx, { pgName: 'Storage' }))).toBe('ResourceInUse');
    expect(faultOf(() => ns(h0).RemoveVirtualSwitch(ctx, { vswitchName: 'vSwitch1' }))).toBe('ResourceInUse');
    expect(info(h0).portgroup.some((p) => (p.spec as DataObject).name === 'Storage')).toBe(true);
    ns(h0).RemoveVirtualNic(ctx, { device: 'vmk1' });
    expect(faultOf(() => ns(h0).RemoveVirtualNic(ctx, { device: 'vmk1' }))).toBe('NotFound');
    ns(h0).UpdatePortGroup(ctx, { pgName: 'Storage', portgrp: { name: 'Storage', vlanId: 30, vswitchName: 'vSwitch1', policy: {} } });
    expect((info(h0).portgroup.find((p) => (p.spec as DataObject).name === 'Storage')!.spec as DataObject).vlanId).toBe(30);
    ns(h0).RemoveVirtualSwitch(ctx, { vswitchName: 'vSwitch1' });
    expect(network.host).toEqual([h1.self]);
    ns(h1).RemovePortGroup(ctx, { pgName: 'Storage' });
    expect(vc.registry.get(network.self)).toBeUndefined();
    expect(dc.network.some((r) => r.value === network.self.value)).toBe(false);
  });

  it("a portgroup VMs of the host use is in use; UpdateNetworkConfig applies adds in one call; a restore undoes it all", () => {
    const { vc, ctx, ns, info } = setup(true);
    const named = <T extends ManagedEntity>(type: string, name: string) => vc.registry.ofType<T>(type).find((o) => o.name === name);
    const host = vc.registry.ofType<HostSystem>('HostSystem')[0]!;
    expect(faultOf(() => ns(host).RemovePortGroup(ctx, { pgName: 'VM Network' }))).toBe('ResourceInUse');
    const before = captureWorld(vc);
    const result = ns(host).UpdateNetworkConfig(ctx, {
      changeMode: 'modify',
      config: {
        vswitch: [{ changeOperation: 'add', name: 'vSwitch9', spec: { numPorts: 32 } }],
        portgroup: [{ changeOperation: 'add', spec: { name: 'pg9', vlanId: 9, vswitchName: 'vSwitch9', policy: {} } }],
        vnic: [{ changeOperation: 'add', portgroup: 'pg9', spec: { ip: { dhcp: true } } }],
      },
    });
    expect(result).toEqual({ vnicDevice: ['vmk1'], consoleVnicDevice: [] });
    expect(named<Network>('Network', 'pg9')).toBeDefined();
    restoreWorld(vc, before);
    const restored = vc.registry.ofType<HostSystem>('HostSystem')[0]!;
    expect(info(restored).vswitch.map((v) => v.name)).toEqual(['vSwitch0']);
    expect(named<Network>('Network', 'pg9')).toBeUndefined();
    expect(ns(restored).QueryNetworkHint(ctx, {}).map((h) => h.device)).toEqual(['vmnic0', 'vmnic1']);
  });
});

describe('HostVirtualNicManager', () => {
  it('QueryNetConfig lists candidates and selections; Select/Deselect change them; a removed NIC drops out', () => {
    const { ctx, h0, ns, nicManager } = setup();
    const vmk = ns(h0).AddVirtualNic(ctx, { portgroup: 'VM Network', nic: { ip: { dhcp: true } } });
    expect(nicManager(h0).QueryNetConfig(ctx, { nicType: 'vmotion' })).toMatchObject({
      nicType: 'vmotion',
      selectedVnic: ['vmotion.key-vim.host.VirtualNic-vmk0'],
    });
    expect((nicManager(h0).QueryNetConfig(ctx, { nicType: 'vmotion' }).candidateVnic as DataObject[]).map((v) => v.device)).toEqual(['vmk0', vmk]);
    nicManager(h0).SelectVnicForNicType(ctx, { nicType: 'vSphereReplication', device: vmk });
    nicManager(h0).DeselectVnicForNicType(ctx, { nicType: 'vmotion', device: 'vmk0' });
    expect(nicManager(h0).QueryNetConfig(ctx, { nicType: 'vSphereReplication' }).selectedVnic).toEqual([`vSphereReplication.key-vim.host.VirtualNic-${vmk}`]);
    expect(nicManager(h0).QueryNetConfig(ctx, { nicType: 'vmotion' }).selectedVnic).toEqual([]);
    expect(faultOf(() => nicManager(h0).SelectVnicForNicType(ctx, { nicType: 'vmotion', device: 'vmk9' }))).toBe('InvalidArgument');
    expect(faultOf(() => nicManager(h0).QueryNetConfig(ctx, { nicType: 'bogus' }))).toBe('InvalidArgument');
    ns(h0).RemoveVirtualNic(ctx, { device: vmk });
    expect(nicManager(h0).QueryNetConfig(ctx, { nicType: 'vSphereReplication' }).selectedVnic).toEqual([]);
  });
});
