import { describe, expect, it } from 'vitest';
import type { ClusterComputeResource } from '../../models/cluster/cluster-compute-resource.js';
import type { ComputeResource } from '../../models/cluster/compute-resource.js';
import type { Datacenter } from '../../models/core/datacenter.js';
import type { Folder } from '../../models/core/folder.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import type { HostSystem } from '../../models/host/host-system.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { VCenter } from '../../models/vcenter.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import { errorType, faultOf, setup } from './compute-support.js';

describe('Destroy_Task', () => {
  it('a cluster whose hosts are not in maintenance mode is InvalidState, nothing removed; in maintenance it goes with hosts, pools and VMs', async () => {
    const { ctx, registry, cluster, host, settled, events, dc } = setup();
    const hosts = cluster.host.map((ref) => registry.require<HostSystem>(ref));
    const vmCount = hosts.reduce((n, h) => n + h.vm.length, 0);
    expect(errorType(await settled(cluster.Destroy_Task(ctx)))).toBe('InvalidState');
    expect(registry.get(cluster.self)).toBe(cluster);
    for (const h of hosts) for (const vm of h.vm) registry.require<VirtualMachine>(vm).setPowerState(ctx, 'poweredOff');
    for (const h of hosts) expect((await settled(h.EnterMaintenanceMode_Task(ctx, {}))).state).toBe('success');
    const pool = cluster.resourcePool!;
    expect((await settled(cluster.Destroy_Task(ctx))).state).toBe('success');
    expect(registry.get(cluster.self)).toBeUndefined();
    expect(registry.get(pool)).toBeUndefined();
    expect(host('DC0_C0_H0')).toBeUndefined();
    expect(events('HostRemovedEvent')).toHaveLength(3);
    expect(events('VmRemovedEvent')).toHaveLength(vmCount);
    expect(events('ClusterDestroyedEvent')).toHaveLength(1);
    const hostFolder = registry.require<Folder>(dc.hostFolder);
    expect(hostFolder.childEntity.map((r) => r.value)).not.toContain(cluster.self.value);
    const ds = registry.ofType<ManagedEntity & { host: DataObject[] }>('Datastore')[0]!;
    expect(ds.host.map((m) => (m.key as MoRef).value)).toEqual([host('DC0_H0').self.value]);
  });

  it('a standalone host goes with its compute resource; a datastore with VMs is ResourceInUse; an empty one goes with DatastoreDestroyedEvent', async () => {
    const { ctx, registry, standalone, host, settled, events, vm } = setup({ ds: 2 });
    const h0 = host('DC0_H0');
    expect((await settled(h0.Destroy_Task(ctx))).state).toBe('success');
    expect(registry.get(standalone.self)).toBeUndefined();
    expect(vm('DC0_H0_VM0')).toBeUndefined();
    const [used, empty] = registry.ofType<ManagedEntity & { vm: MoRef[] }>('Datastore').sort((a, b) => a.name.localeCompare(b.name));
    expect(used!.vm.length).toBeGreaterThan(0);
    expect(errorType(await settled(used!.Destroy_Task(ctx)))).toBe('ResourceInUse');
    expect((await settled(empty!.Destroy_Task(ctx))).state).toBe('success');
    expect(registry.get(empty!.self)).toBeUndefined();
    expect(host('DC0_C0_H0').datastore.map((r) => r.value)).not.toContain(empty!.self.value);
    expect(events('DatastoreDestroyedEvent')).toHaveLength(1);
  });

  it('a folder goes with its contents, all or nothing: a powered-on VM inside keeps everything', async () => {
    const { ctx, registry, dc, vm, settled } = setup();
    const vmFolder = registry.require<Folder>(dc.vmFolder);
    const sub = registry.require<Folder>(vmFolder.CreateFolder(ctx, { name: 'sub' }));
    const inner = registry.require<Folder>(sub.CreateFolder(ctx, { name: 'inner' }));
    const off = vm('DC0_H0_VM0');
    const on = vm('DC0_H0_VM1');
    off.setPowerState(ctx, 'poweredOff');
    await settled(inner.MoveIntoFolder_Task(ctx, { list: [off.self, on.self] }));
    expect(errorType(await settled(sub.Destroy_Task(ctx)))).toBe('InvalidPowerState');
    expect(registry.get(inner.self)).toBe(inner);
    expect(registry.get(off.self)).toBe(off);
    on.setPowerState(ctx, 'poweredOff');
    expect((await settled(sub.Destroy_Task(ctx))).state).toBe('success');
    for (const gone of [sub, inner, off, on]) expect(registry.get(gone.self)).toBeUndefined();
    expect(errorType(await settled(vmFolder.Destroy_Task(ctx)))).toBe('NotSupported');
  });

  it('a datacenter goes whole once its VMs are off and cluster hosts in maintenance mode; networks, switches and vApps with it', async () => {
    const { ctx, registry, dc, settled } = setup({ app: 1, pool: 1 });
    expect(errorType(await settled(dc.Destroy_Task(ctx)))).toBe('InvalidPowerState');
    for (const v of registry.ofType<VirtualMachine>('VirtualMachine')) v.setPowerState(ctx, 'poweredOff');
    expect(errorType(await settled(dc.Destroy_Task(ctx)))).toBe('InvalidState');
    for (const h of registry.ofType<HostSystem>('HostSystem')) h.runtime.inMaintenanceMode = true;
    expect((await settled(dc.Destroy_Task(ctx))).state).toBe('success');
    for (const type of ['Datacenter', 'HostSystem', 'VirtualMachine', 'Datastore', 'Network', 'DistributedVirtualPortgroup', 'VmwareDistributedVirtualSwitch', 'ClusterComputeResource', 'ResourcePool', 'VirtualApp', 'EnvironmentBrowser']) {
      expect(registry.ofType(type), type).toHaveLength(0);
    }
    expect(registry.require<Folder>(ctx.vc.rootFolder).childEntity).toHaveLength(0);
  });

  it('a distributed portgroup with VMs is ResourceInUse; an unused one leaves its switch', async () => {
    const { ctx, registry, settled, events } = setup({ pg: 2 });
    const pgs = registry.ofType<ManagedEntity & { vm: MoRef[] }>('DistributedVirtualPortgroup');
    const used = pgs.find((p) => p.name === 'DC0_DVPG0')!;
    const unused = pgs.find((p) => p.name === 'DC0_DVPG1')!;
    expect(errorType(await settled(used.Destroy_Task(ctx)))).toBe('ResourceInUse');
    expect((await settled(unused.Destroy_Task(ctx))).state).toBe('success');
    const dvs = registry.ofType<ManagedEntity & { portgroup: MoRef[]; summary: DataObject }>('VmwareDistributedVirtualSwitch')[0]!;
    expect(dvs.portgroup.map((r) => r.value)).not.toContain(unused.self.value);
    expect(dvs.summary.portgroupName).not.toContain('DC0_DVPG1');
    expect(events('DVPortgroupDestroyedEvent')).toHaveLength(1);
  });

  it('an ESX host cannot be destroyed, nor its datacenter, nor hold a cluster', async () => {
    const vc = new VCenter({ topology: { ...topologyFromFlags({}), model: 'ESX' } as never, seed: 1 });
    const ctx: CallContext = { vc };
    const dc = vc.registry.ofType<Datacenter>('Datacenter')[0]!;
    const host = vc.registry.ofType<HostSystem>('HostSystem')[0]!;
    for (const entity of [dc, host] as ManagedEntity[]) {
      const task = vc.registry.require<Task>(entity.Destroy_Task(ctx));
      expect(errorType(await task.completion())).toBe('NotSupported');
    }
    const hostFolder = vc.registry.require<Folder>(dc.hostFolder);
    expect(faultOf(() => hostFolder.CreateClusterEx(ctx, { name: 'c', spec: {} }))).toBe('NotSupported');
  });
});

describe('Destroy and tags', () => {
  it('a destroyed cluster, its hosts and a destroyed datastore lose their tags', async () => {
    const { vc, ctx, registry, hostFolder, settled } = setup({ ds: 2 });
    const category = vc.tagging.createCategory({ name: 'env', description: '', cardinality: 'MULTIPLE', associable_types: [] });
    const tag = vc.tagging.createTag({ name: 'prod', description: '', category_id: category });
    const cluster = registry.require<ClusterComputeResource>(hostFolder.CreateClusterEx(ctx, { name: 'tagged', spec: {} }));
    const host = registry.require<HostSystem>((await settled(cluster.AddHost_Task(ctx, { spec: { hostName: 'esx-tagged', force: false }, asConnected: true }))).result as MoRef);
    const ds = registry.ofType<ManagedEntity & { vm: MoRef[] }>('Datastore').find((d) => d.vm.length === 0)!;
    for (const entity of [cluster, host, ds] as ManagedEntity[]) vc.tagging.attach(tag, { type: entity.self.type, id: entity.self.value });
    host.runtime.inMaintenanceMode = true;
    await settled(cluster.Destroy_Task(ctx));
    await settled(ds.Destroy_Task(ctx));
    expect(vc.tagging.listAttachedObjects(tag)).toEqual([]);
  });
});

describe('Folders and inventory', () => {
  it('a cluster host in maintenance mode moved into a host folder becomes a standalone host with its VMs; out of maintenance it is InvalidState', async () => {
    const { ctx, registry, hostFolder, cluster, host, settled } = setup();
    const h = host('DC0_C0_H2');
    expect(errorType(await settled(hostFolder.MoveIntoFolder_Task(ctx, { list: [h.self] })))).toBe('InvalidState');
    h.runtime.inMaintenanceMode = true;
    const vms = [...h.vm];
    expect((await settled(hostFolder.MoveIntoFolder_Task(ctx, { list: [h.self] }))).state).toBe('success');
    const cr = registry.require<ComputeResource>(h.parent!);
    expect(cr.self.type).toBe('ComputeResource');
    expect(cr.name).toBe('DC0_C0_H2');
    expect(hostFolder.childEntity.map((r) => r.value)).toContain(cr.self.value);
    for (const ref of vms) expect(registry.require<VirtualMachine>(ref).resourcePool).toEqual(cr.resourcePool);
    expect(cluster.summary.numHosts).toBe(2);
    expect(cr.summary.numHosts).toBe(1);
    // And back into a cluster (the standalone compute resource goes).
    expect((await settled(cluster.MoveInto_Task(ctx, { host: [h.self] }))).state).toBe('success');
    expect(registry.get(cr.self)).toBeUndefined();
  });

  it('Rename_Task keeps every copy of the name and posts the rename event of the type', async () => {
    const { ctx, registry, dc, cluster, settled, events } = setup();
    const ds = registry.ofType<ManagedEntity & { summary: DataObject; info: DataObject }>('Datastore')[0]!;
    const pg = registry.ofType<ManagedEntity & { config: DataObject }>('DistributedVirtualPortgroup').find((p) => p.name === 'DC0_DVPG0')!;
    const dvs = registry.ofType<ManagedEntity & { summary: DataObject; config: DataObject }>('VmwareDistributedVirtualSwitch')[0]!;
    for (const [entity, name] of [[ds, 'ds-renamed'], [pg, 'pg-renamed'], [dvs, 'dvs-renamed'], [dc, 'DC-renamed'], [cluster, 'C-renamed']] as [ManagedEntity, string][]) {
      expect((await settled(entity.Rename_Task(ctx, { newName: name }))).state).toBe('success');
      expect(entity.name).toBe(name);
    }
    expect([ds.summary.name, ds.info.name]).toEqual(['ds-renamed', 'ds-renamed']);
    expect(pg.config.name).toBe('pg-renamed');
    expect(dvs.summary.portgroupName).toContain('pg-renamed');
    expect([dvs.summary.name, dvs.config.name]).toEqual(['dvs-renamed', 'dvs-renamed']);
    for (const type of ['DatastoreRenamedEvent', 'DVPortgroupRenamedEvent', 'DvsRenamedEvent', 'DatacenterRenamedEvent']) expect(events(type), type).toHaveLength(1);
    expect(events('DatastoreRenamedEvent')[0]).toMatchObject({ oldName: 'LocalDS_0', newName: 'ds-renamed' });
  });
});
