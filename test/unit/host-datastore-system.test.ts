import { describe, expect, it } from 'vitest';
import type { ComputeResource } from '../../models/cluster/compute-resource.js';
import type { Datacenter } from '../../models/core/datacenter.js';
import type { VimFault } from '../../models/core/fault.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { HostSystem } from '../../models/host/host-system.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { Datastore } from '../../models/storage/datastore.js';
import type { HostDatastoreSystem } from '../../models/storage/host-datastore-system.js';
import type { HostStorageSystem } from '../../models/storage/host-storage-system.js';
import { VCenter } from '../../models/vcenter.js';

function setup() {
  const vc = new VCenter({ topology: topologyFromFlags({}), seed: 1 });
  const ctx: CallContext = { vc };
  const named = <T extends ManagedEntity>(type: string, name: string) => vc.registry.ofType<T>(type).find((o) => o.name === name)!;
  const system = (host: HostSystem) => vc.registry.require<HostDatastoreSystem>((host.configManager as { datastoreSystem: MoRef }).datastoreSystem);
  const h0 = named<HostSystem>('HostSystem', 'DC0_C0_H0');
  const h1 = named<HostSystem>('HostSystem', 'DC0_C0_H1');
  const dc = named<Datacenter>('Datacenter', 'DC0');
  return { vc, ctx, named, system, h0, h1, dc };
}

const faultOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as VimFault).type;
  }
  return undefined;
};
const has = (list: MoRef[], ref: MoRef) => list.some((r) => r.value === ref.value);

describe('HostDatastoreSystem', () => {
  it('CreateNasDatastore adds a NAS datastore to the host, its cluster, the datacenter and folder; a second host mounts the same share', () => {
    const { vc, ctx, system, h0, h1, dc } = setup();
    const spec = { remoteHost: 'nfs.example.com', remotePath: '/exports/vm', localPath: 'nfs-vm', accessMode: 'readWrite', type: 'NFS' };
    const ref = system(h0).CreateNasDatastore(ctx, { spec });
    const ds = vc.registry.require<Datastore>(ref);
    expect(ds.summary).toMatchObject({ name: 'nfs-vm', type: 'NFS', accessible: true, multipleHostAccess: false });
    expect(ds.info).toMatchObject({ _type: 'NasDatastoreInfo', nas: { remoteHost: 'nfs.example.com', remotePath: '/exports/vm', type: 'NFS' } });
    expect(has(h0.datastore, ref)).toBe(true);
    expect(system(h0).read('datastore', ctx)).toBe(h0.datastore);
    expect(has(dc.datastore, ref)).toBe(true);
    expect(ds.parent).toEqual(dc.datastoreFolder);
    expect(has(vc.registry.require<ComputeResource>(h0.parent!).datastore, ref)).toBe(true);
    expect(ds.browser).toEqual(h0.datastoreBrowser);
    expect(system(h1).CreateNasDatastore(ctx, { spec })).toEqual(ref);
    expect(ds.host.map((m) => (m.key as MoRef).value)).toEqual([h0.self.value, h1.self.value]);
    expect(ds.summary.multipleHostAccess).toBe(true);
    expect(faultOf(() => system(h1).CreateNasDatastore(ctx, { spec }))).toBe('DuplicateName');
    expect(faultOf(() => system(h1).CreateNasDatastore(ctx, { spec: { ...spec, remotePath: '/other' } }))).toBe('DuplicateName');
    expect(faultOf(() => system(h1).CreateNasDatastore(ctx, { spec: { ...spec, localPath: 'LocalDS_0', remotePath: '/x' } }))).toBe('DuplicateName');
    expect(faultOf(() => system(h1).CreateNasDatastore(ctx, { spec: { ...spec, remoteHost: '' } }))).toBe('InvalidArgument');
    // Removing from one host unmounts; from the last, the datastore goes.
    system(h0).RemoveDatastore(ctx, { datastore: ref });
    expect(has(h0.datastore, ref)).toBe(false);
    expect(vc.registry.get(ref)).toBe(ds);
    system(h1).RemoveDatastore(ctx, { datastore: ref });
    expect(vc.registry.get(ref)).toBeUndefined();
    expect(has(dc.datastore, ref)).toBe(false);
  });

  it('CreateVmfsDatastore formats a free disk (QueryAvailableDisksForVmfs then lists it no more); CreateLocalDatastore; RemoveDatastore refuses while VMs use it', () => {
    const { vc, ctx, system, h0, named } = setup();
    const disks = system(h0).QueryAvailableDisksForVmfs(ctx);
    expect(disks.map((d) => d.canonicalName)).toEqual(['mpx.vmhba0:C0:T0:L0']);
    const ref = system(h0).CreateVmfsDatastore(ctx, { spec: { _type: 'VmfsDatastoreCreateSpec', diskUuid: disks[0]!.uuid, vmfs: { volumeName: 'vmfs-1', majorVersion: 6, extent: { diskName: 'mpx.vmhba0:C0:T0:L0', partition: 1 } } } });
    const ds = vc.registry.require<Datastore>(ref);
    expect(ds.summary).toMatchObject({ type: 'VMFS', capacity: 512 * 67108864 });
    expect((ds.info.vmfs as DataObject).extent).toEqual([{ diskName: 'mpx.vmhba0:C0:T0:L0', partition: 1 }]);
    expect(system(h0).QueryAvailableDisksForVmfs(ctx)).toEqual([]);
    expect(faultOf(() => system(h0).CreateVmfsDatastore(ctx, { spec: { vmfs: { volumeName: 'vmfs-2', extent: { diskName: 'mpx.vmhba0:C0:T0:L0' } } } }))).toBe('NotFound');
    const volumes = ((h0.config as DataObject).fileSystemVolume as { mountInfo: DataObject[] }).mountInfo;
    expect(volumes.some((v) => (v.volume as DataObject).name === 'vmfs-1')).toBe(true);
    const storage = vc.registry.require<HostStorageSystem>((h0.configManager as { storageSystem: MoRef }).storageSystem);
    expect(storage.read('fileSystemVolumeInfo', ctx)).toBe((h0.config as DataObject).fileSystemVolume);
    storage.RescanAllHba(ctx);
    const local = system(h0).CreateLocalDatastore(ctx, { name: 'local-2', path: '/tmp/local-2' });
    expect(vc.registry.require<Datastore>(local).info).toMatchObject({ _type: 'LocalDatastoreInfo', path: '/tmp/local-2' });
    const shared = named<Datastore>('Datastore', 'LocalDS_0');
    const standalone = named<HostSystem>('HostSystem', 'DC0_H0');
    expect(standalone.vm.length).toBe(2);
    expect(faultOf(() => system(standalone).RemoveDatastore(ctx, { datastore: shared.self }))).toBe('ResourceInUse');
    expect(has(standalone.datastore, shared.self)).toBe(true);
  });
});

describe('datastore browsers of new datastores', () => {
  it('a host with no datastore gets a browser with its first one; browsers list the datastores mounted after a world restore', async () => {
    const vc = new VCenter({ topology: topologyFromFlags({ ds: 0 }), seed: 1 });
    const ctx: CallContext = { vc };
    vc.sessionManager.Login(ctx, { userName: 'alice', password: 'x' });
    const host = vc.registry.ofType<HostSystem>('HostSystem').find((h) => h.name === 'DC0_H0')!;
    expect(vc.registry.get(host.datastoreBrowser)).toBeUndefined();
    const system = vc.registry.require<HostDatastoreSystem>((host.configManager as { datastoreSystem: MoRef }).datastoreSystem);
    const { captureWorld, restoreWorld } = await import('../../models/core/world-state.js');
    restoreWorld(vc, captureWorld(vc));
    const ds = vc.registry.require<Datastore>(system.CreateNasDatastore(ctx, { spec: { remoteHost: 'nas', remotePath: '/a', localPath: 'nas-a', type: 'NFS' } }));
    const browser = vc.registry.require<import('../../models/storage/host-datastore-browser.js').HostDatastoreBrowser>(ds.browser);
    expect(host.datastoreBrowser).toEqual(ds.browser);
    const task = vc.registry.require<import('../../models/core/task.js').Task>(browser.SearchDatastore_Task(ctx, { datastorePath: '[nas-a]' }));
    expect((await task.completion()).state).toBe('success');
    expect(browser.read('datastore', ctx)).toEqual([ds.self]);
  });
});
