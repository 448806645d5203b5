import { describe, expect, it } from 'vitest';
import type { ClusterComputeResource } from '../../models/cluster/cluster-compute-resource.js';
import type { Datacenter } from '../../models/core/datacenter.js';
import type { VimFault } from '../../models/core/fault.js';
import type { Folder, StoragePod } from '../../models/core/folder.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { Datastore } from '../../models/storage/datastore.js';
import type { StorageResourceManager } from '../../models/storage/storage-resource-manager.js';
import { VCenter } from '../../models/vcenter.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';

describe('StoragePod and Storage DRS placement', () => {
  it('CreateStoragePod, datastores moved in give it their space; RecommendDatastores picks the freest; applying creates the VM there', async () => {
    const vc = new VCenter({ topology: topologyFromFlags({ ds: 2 }), seed: 1 });
    const ctx: CallContext = { vc };
    vc.sessionManager.Login(ctx, { userName: 'alice', password: 'x' });
    const named = <T extends ManagedEntity>(type: string, name: string) => vc.registry.ofType<T>(type).find((o) => o.name === name)!;
    const dc = named<Datacenter>('Datacenter', 'DC0');
    const dsFolder = vc.registry.require<Folder>(dc.datastoreFolder);
    const faultOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as VimFault).type;
      }
      return undefined;
    };
    const podRef = dsFolder.CreateStoragePod(ctx, { name: 'pod-1' });
    expect(podRef.value).toMatch(/^storagepod-\d+$/);
    expect(faultOf(() => dsFolder.CreateStoragePod(ctx, { name: 'pod-1' }))).toBe('DuplicateName');
    expect(faultOf(() => vc.registry.require<Folder>(dc.vmFolder).CreateStoragePod(ctx, { name: 'x' }))).toBe('NotSupported');
    const pod = vc.registry.require<StoragePod>(podRef);
    const [ds0, ds1] = [named<Datastore>('Datastore', 'LocalDS_0'), named<Datastore>('Datastore', 'LocalDS_1')];
    const settled = (ref: MoRef) => vc.registry.require<Task>(ref).completion();
    expect((await settled(pod.MoveIntoFolder_Task(ctx, { list: [ds0.self, ds1.self] }))).state).toBe('success');
    expect(pod.read('summary', ctx)).toMatchObject({ name: 'pod-1', capacity: Number(ds0.summary.capacity) * 2, freeSpace: Number(ds0.summary.freeSpace) + Number(ds1.summary.freeSpace) });

    const srm = vc.registry.require<StorageResourceManager>(vc.content.storageResourceManager as MoRef);
    const cluster = named<ClusterComputeResource>('ClusterComputeResource', 'DC0_C0');
    const disk = { _type: 'VirtualDisk', key: -1, capacityInKB: 1024 * 1024, controllerKey: -2, backing: { _type: 'VirtualDiskFlatVer2BackingInfo', diskMode: 'persistent', thinProvisioned: true } };
    const spec = {
      type: 'create',
      podSelectionSpec: { storagePod: pod.self },
      configSpec: { name: 'placed', files: { vmPathName: '' }, deviceChange: [{ operation: 'add', device: { _type: 'ParaVirtualSCSIController', key: -2, busNumber: 0, sharedBus: 'noSharing' } }, { operation: 'add', fileOperation: 'create', device: disk }] },
      folder: dc.vmFolder,
      resourcePool: cluster.resourcePool,
    };
    const result = srm.RecommendDatastores(ctx, { storageSpec: spec });
    const rec = (result.recommendations as DataObject[])[0]!;
    const freest = Number(ds0.summary.freeSpace) >= Number(ds1.summary.freeSpace) ? ds0 : ds1;
    expect(rec).toMatchObject({ reason: 'storagePlacement', target: pod.self });
    expect(((rec.action as DataObject[])[0]!).destination).toEqual(freest.self);
    const info = await settled(srm.ApplyStorageDrsRecommendation_Task(ctx, { key: [rec.key as string] }));
    expect(info.state).toBe('success');
    const vm = vc.registry.require<VirtualMachine>((info.result as DataObject).vm as MoRef);
    expect(vm.datastore).toEqual([freest.self]);
    expect(faultOf(() => srm.ApplyStorageDrsRecommendation_Task(ctx, { key: [rec.key as string] }))).toBe('InvalidArgument');
    expect(faultOf(() => srm.RecommendDatastores(ctx, { storageSpec: { ...spec, type: 'reconfigure' } }))).toBe('NotSupported');
  });
});
