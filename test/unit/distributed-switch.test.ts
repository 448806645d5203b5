import { describe, expect, it } from 'vitest';
import type { ClusterComputeResource } from '../../models/cluster/cluster-compute-resource.js';
import type { Datacenter } from '../../models/core/datacenter.js';
import type { Folder } from '../../models/core/folder.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import type { HostSystem } from '../../models/host/host-system.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { DistributedVirtualPortgroup } from '../../models/network/distributed-virtual-portgroup.js';
import type { DistributedVirtualSwitch } from '../../models/network/distributed-virtual-switch.js';
import type { DistributedVirtualSwitchManager } from '../../models/network/dvs-manager.js';
import { VCenter } from '../../models/vcenter.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';

function setup() {
  const vc = new VCenter({ topology: topologyFromFlags({}), seed: 1 });
  const ctx: CallContext = { vc };
  vc.sessionManager.Login(ctx, { userName: 'alice', password: 'x' });
  const named = <T extends ManagedEntity>(type: string, name: string) => vc.registry.ofType<T>(type).find((o) => o.name === name);
  const dc = named<Datacenter>('Datacenter', 'DC0')!;
  const networkFolder = vc.registry.require<Folder>(dc.networkFolder);
  const settled = async (ref: MoRef) => vc.registry.require<Task>(ref).completion();
  const result = async (ref: MoRef) => {
    const info = await settled(ref);
    if (info.state !== 'success') throw new Error(`task failed: ${JSON.stringify((info.error as DataObject).fault)}`);
    return info.result as MoRef;
  };
  const fault = async (ref: MoRef) => (((await settled(ref)).error as DataObject | undefined)?.fault as DataObject | undefined)?._type;
  const h0 = named<HostSystem>('HostSystem', 'DC0_C0_H0')!;
  const h1 = named<HostSystem>('HostSystem', 'DC0_C0_H1')!;
  const manager = vc.registry.require<DistributedVirtualSwitchManager>(vc.content.dvSwitchManager as MoRef);
  return { vc, ctx, named, dc, networkFolder, settled, result, fault, h0, h1, manager };
}

describe('distributed switches', () => {
  it('CreateDVS_Task makes a switch with an uplink portgroup and member hosts; portgroups join the hosts; names are unique', async () => {
    const { vc, ctx, dc, networkFolder, result, fault, h0, manager } = setup();
    const ref = await result(networkFolder.CreateDVS_Task(ctx, { spec: { productInfo: { version: '6.6.0' }, configSpec: { name: 'dvs-a', maxMtu: 9000, host: [{ operation: 'add', host: h0.self }] } } }));
    const dvs = vc.registry.require<DistributedVirtualSwitch>(ref);
    expect((dvs.config.productInfo as DataObject).version).toBe('6.6.0');
    expect(ref.type).toBe('VmwareDistributedVirtualSwitch');
    expect(dvs.parent).toEqual(networkFolder.self);
    expect(dvs.uuid).toMatch(/^([0-9a-f]{2} ){7}[0-9a-f]{2}-([0-9a-f]{2} ){7}[0-9a-f]{2}$/);
    expect(dvs.config).toMatchObject({ name: 'dvs-a', maxMtu: 9000 });
    expect(dvs.summary.portgroupName).toEqual([`dvs-a-DVUplinks-${ref.value.replace('dvs-', '')}`]);
    expect(dvs.summary.hostMember).toEqual([h0.self]);
    expect(await fault(networkFolder.CreateDVS_Task(ctx, { spec: { configSpec: { name: 'dvs-a' } } }))).toBe('DuplicateName');
    expect(await fault(networkFolder.CreateDVS_Task(ctx, { spec: { configSpec: { name: 'VM Network' } } }))).toBe('DuplicateName');
    expect(await fault(vc.registry.require<Folder>(dc.vmFolder).CreateDVS_Task(ctx, { spec: { configSpec: { name: 'x' } } }))).toBe('NotSupported');
    expect(vc.events.QueryEvents(ctx, { filter: { type: ['DvsCreatedEvent'] } })).toHaveLength(2); // DVS0's, from the start inventory, and this one
    const uplink = vc.registry.require<DistributedVirtualPortgroup>((dvs.config.uplinkPortgroup as MoRef[])[0]!);
    expect(await fault(uplink.Destroy_Task(ctx))).toBe('InvalidArgument'); // only with its switch
    expect(vc.registry.get(uplink.self)).toBe(uplink);

    await result(dvs.AddDVPortgroup_Task(ctx, { spec: [{ name: 'pg-web', type: 'earlyBinding', numPorts: 4 }, { name: 'pg-db', type: 'earlyBinding', numPorts: 2 }] }));
    const pgRef = await result(dvs.CreateDVPortgroup_Task(ctx, { spec: { name: 'pg-app', type: 'earlyBinding', numPorts: 1, defaultPortConfig: { _type: 'VMwareDVSPortSetting', vlan: { _type: 'VmwareDistributedVirtualSwitchVlanIdSpec', inherited: false, vlanId: 42 } } } }));
    const pg = vc.registry.require<DistributedVirtualPortgroup>(pgRef);
    expect(pg.host).toEqual([h0.self]);
    expect(h0.network.some((r) => r.value === pg.self.value)).toBe(true);
    expect(dc.network.some((r) => r.value === pg.self.value)).toBe(true);
    expect(((pg.config.defaultPortConfig as DataObject).vlan as DataObject).vlanId).toBe(42);
    expect(dvs.config.numPorts).toBe(7);
    expect(await fault(dvs.AddDVPortgroup_Task(ctx, { spec: [{ name: 'pg-web' }] }))).toBe('DuplicateName');
    expect(manager.DVSManagerLookupDvPortGroup(ctx, { switchUuid: dvs.uuid, portgroupKey: pg.key })).toEqual(pg.self);
    expect(manager.QueryDvsByUuid(ctx, { uuid: dvs.uuid })).toEqual(dvs.self);
    const target = manager.QueryDvsConfigTarget(ctx, { host: h0.self });
    expect((target.distributedVirtualSwitch as DataObject[]).map((d) => d.switchName)).toContain('dvs-a');
    expect((target.distributedVirtualPortgroup as DataObject[]).filter((p) => p.switchName === 'dvs-a').map((p) => p.portgroupName)).toEqual([(dvs.summary.portgroupName as string[])[0], 'pg-web', 'pg-db', 'pg-app']);
  });

  it('a VM NIC on a portgroup takes a port (FetchDVPorts), keeps the portgroup and switch in use, and frees them when it goes', async () => {
    const { vc, ctx, named, dc, networkFolder, result, fault, h0, h1 } = setup();
    const dvs = vc.registry.require<DistributedVirtualSwitch>(await result(networkFolder.CreateDVS_Task(ctx, { spec: { configSpec: { name: 'dvs-b', host: [{ operation: 'add', host: h0.self }] } } })));
    const pg = vc.registry.require<DistributedVirtualPortgroup>(await result(dvs.CreateDVPortgroup_Task(ctx, { spec: { name: 'pg-vm', type: 'earlyBinding', numPorts: 2 } })));
    const cluster = named<ClusterComputeResource>('ClusterComputeResource', 'DC0_C0')!;
    const nic = { _type: 'VirtualVmxnet3', key: -1, backing: { _type: 'VirtualEthernetCardDistributedVirtualPortBackingInfo', port: { switchUuid: dvs.uuid, portgroupKey: pg.key } } };
    const vmRef = await result(vc.registry.require<Folder>(dc.vmFolder).CreateVM_Task(ctx, {
      config: { name: 'on-dvs', files: { vmPathName: '[LocalDS_0]' }, deviceChange: [{ operation: 'add', device: nic }] },
      pool: cluster.resourcePool!,
      host: h0.self,
    }));
    const vm = vc.registry.require<VirtualMachine>(vmRef);
    const ports = dvs.FetchDVPorts(ctx, { criteria: { portgroupKey: [pg.key] } });
    expect(ports).toHaveLength(2);
    expect(ports.filter((p) => p.connectee).map((p) => (p.connectee as DataObject).connectedEntity)).toEqual([vm.self]);
    expect(dvs.FetchDVPorts(ctx, { criteria: { connected: true } }).map((p) => p.portgroupKey)).toEqual([pg.key]);
    expect(await fault(pg.Destroy_Task(ctx))).toBe('ResourceInUse');
    expect(await fault(dvs.Destroy_Task(ctx))).toBe('ResourceInUse');
    expect(await fault(dvs.ReconfigureDvs_Task(ctx, { spec: { configVersion: dvs.config.configVersion, host: [{ operation: 'remove', host: h0.self }] } }))).toBe('ResourceInUse');
    // Reconfigure: a stale configVersion is refused; hosts join; the portgroup grows and is renamed.
    const version = dvs.config.configVersion;
    await result(dvs.ReconfigureDvs_Task(ctx, { spec: { configVersion: version, name: 'dvs-b2', host: [{ operation: 'add', host: h1.self }] } }));
    expect(dvs.name).toBe('dvs-b2');
    expect(pg.host.map((r) => r.value)).toEqual([h0.self.value, h1.self.value]);
    expect(await fault(dvs.ReconfigureDvs_Task(ctx, { spec: { configVersion: version, maxMtu: 9000 } }))).toBe('ConcurrentAccess');
    expect(dvs.config.maxMtu).toBe(1500);
    await result(pg.ReconfigureDVPortgroup_Task(ctx, { spec: { configVersion: pg.config.configVersion, name: 'pg-vm2', numPorts: 5 } }));
    expect(pg.name).toBe('pg-vm2');
    expect(dvs.FetchDVPorts(ctx, { criteria: { portgroupKey: [pg.key] } })).toHaveLength(5);
    // The VM goes: ports free, portgroup and switch can go.
    await result(vm.PowerOffVM_Task(ctx)).catch(() => undefined);
    await result(vm.Destroy_Task(ctx));
    expect(dvs.FetchDVPorts(ctx, { criteria: { connected: true } })).toEqual([]);
    expect(dvs.summary.vm).toEqual([]);
    await result(pg.Destroy_Task(ctx));
    expect(vc.registry.get(pg.self)).toBeUndefined();
    expect(h0.network.some((r) => r.value === pg.self.value)).toBe(false);
    await result(dvs.Destroy_Task(ctx));
    expect(vc.registry.get(dvs.self)).toBeUndefined();
    expect(named('DistributedVirtualPortgroup', `dvs-b-DVUplinks-${dvs.self.value.replace('dvs-', '')}`)).toBeUndefined();
    expect(dc.network.some((r) => r.value === dvs.self.value)).toBe(false);
  });
});

describe('VM NICs and networks', () => {
  it('ReconfigVM_Task moving a NIC onto a portgroup connects a port and relinks the networks; an unknown portgroup is NotFound with nothing changed', async () => {
    const { vc, ctx, named, networkFolder, result, fault } = setup();
    const vm = named<VirtualMachine>('VirtualMachine', 'DC0_H0_VM0')!;
    const host = vc.registry.require<HostSystem>(vm.runtime.host as MoRef);
    const dvs = vc.registry.require<DistributedVirtualSwitch>(await result(networkFolder.CreateDVS_Task(ctx, { spec: { configSpec: { name: 'dvs-c', host: [{ operation: 'add', host: host.self }] } } })));
    const pg = vc.registry.require<DistributedVirtualPortgroup>(await result(dvs.CreateDVPortgroup_Task(ctx, { spec: { name: 'pg-c', type: 'earlyBinding', numPorts: 8 } })));
    const nic = ((vm.config!.hardware as DataObject).device as DataObject[]).find((d) => d.key === 4000)!;
    const oldNetwork = vc.registry.require<DistributedVirtualPortgroup>(vm.network[0]!);
    const edit = (portgroupKey: string) => ({ deviceChange: [{ operation: 'edit' as const, device: { ...nic, backing: { _type: 'VirtualEthernetCardDistributedVirtualPortBackingInfo', port: { switchUuid: dvs.uuid, portgroupKey } } } }] });
    expect(await fault(vm.ReconfigVM_Task(ctx, { spec: edit('dvportgroup-nope') }))).toBe('NotFound');
    expect(vm.network).toEqual([oldNetwork.self]);
    await result(vm.ReconfigVM_Task(ctx, { spec: edit(pg.key) }));
    expect(vm.network).toEqual([pg.self]);
    expect(pg.vm).toEqual([vm.self]);
    expect(oldNetwork.vm.some((r) => r.value === vm.self.value)).toBe(false);
    expect(dvs.summary.vm).toEqual([vm.self]);
    expect(dvs.FetchDVPorts(ctx, { criteria: { connected: true } }).map((p) => (p.connectee as DataObject).connectedEntity)).toEqual([vm.self]);
    await result(vm.ReconfigVM_Task(ctx, { spec: { deviceChange: [{ operation: 'remove', device: { _type: 'VirtualE1000', key: 4000 } }] } }));
    expect(pg.vm).toEqual([]);
    expect(dvs.summary.vm).toEqual([]);
    await result(dvs.Destroy_Task(ctx));
  });
});
