/**
 * StorageResourceManager's Storage DRS placement: RecommendDatastores picks, for a VM to be
 * created in a datastore cluster (StoragePod), the pod's datastore with the most free space that
 * holds it; ApplyStorageDrsRecommendation_Task creates the VM there (govc vm.create
 * -datastore-cluster's sequence). Recommendations are kept until applied or superseded.
 */
import type { StoragePod } from '../core/folder.js';
import type { Folder } from '../core/folder.js';
import { faults } from '../core/fault.js';
import { ManagedObject, type CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import { createVm } from '../vm/vm-provisioning.js';
import type { Datastore } from './datastore.js';

interface Pending {
  pod: MoRef;
  datastore: MoRef;
  spec: DataObject;
}

export class StorageResourceManager extends ManagedObject {
  /** Recommendations not yet applied, by key. */
  pending = new Map<string, Pending>();
  lastKey = 0;

  RecommendDatastores(ctx: CallContext, { storageSpec }: { storageSpec: DataObject }): DataObject {
    if (storageSpec.type !== 'create') throw faults.notSupported();
    const podRef = (storageSpec.podSelectionSpec as DataObject | undefined)?.storagePod as MoRef | undefined;
    if (!podRef) throw faults.invalidArgument('storageSpec.podSelectionSpec.storagePod');
    const pod = ctx.vc.registry.require<StoragePod>(podRef);
    const config = (storageSpec.configSpec ?? {}) as DataObject;
    const needed = diskBytes(config);
    const candidates = pod.childEntity
      .map((ref) => ctx.vc.registry.get(ref) as Datastore | undefined)
      .filter((ds): ds is Datastore => !!ds && ds.self.type === 'Datastore' && Number(ds.summary.freeSpace) >= needed)
      .sort((a, b) => Number(b.summary.freeSpace) - Number(a.summary.freeSpace));
    const best = candidates[0];
    if (!best) return { recommendations: [], drsFault: { reason: `No datastore of ${pod.name} has ${needed} bytes free.`, faultsByVm: [] } };
    const key = String(++this.lastKey);
    this.pending.set(key, { pod: pod.self, datastore: best.self, spec: storageSpec });
    ctx.vc.registry.changed(this);
    const capacity = Number(best.summary.capacity) || 1;
    const utilBefore = (100 * (capacity - Number(best.summary.freeSpace))) / capacity;
    return {
      recommendations: [{
        key,
        type: 'V1',
        time: ctx.vc.now(),
        rating: 1,
        reason: 'storagePlacement',
        reasonText: 'Satisfy storage initial placement requests',
        target: pod.self,
        action: [{
          _type: 'StoragePlacementAction',
          type: 'StoragePlacementV1',
          target: best.self,
          relocateSpec: { datastore: best.self },
          destination: best.self,
          spaceUtilBefore: utilBefore,
          spaceUtilAfter: utilBefore + (100 * needed) / capacity,
          ioLatencyBefore: 0,
        }],
      }],
    };
  }

  ApplyStorageDrsRecommendation_Task(ctx: CallContext, { key }: { key: string[] }): MoRef {
    const chosen = this.pending.get(String(key?.[0]));
    if (!chosen) throw faults.invalidArgument('key');
    const pod = ctx.vc.registry.require<StoragePod>(chosen.pod);
    return ctx.vc.tasks.start(ctx, {
      method: 'ApplyStorageDrsRecommendation_Task',
      descriptionId: 'StorageResourceManager.applyRecommendation',
      entity: pod,
      run: (task) => {
        const { spec } = chosen;
        const ds = ctx.vc.registry.require<Datastore>(chosen.datastore);
        const folder = ctx.vc.registry.require<Folder>(spec.folder as MoRef);
        const config = { ...(spec.configSpec as DataObject), files: { ...((spec.configSpec as DataObject).files as DataObject), vmPathName: `[${ds.name}]` } };
        const vm = createVm(ctx, folder, { config, pool: spec.resourcePool as MoRef, host: spec.host as MoRef | undefined }, task);
        this.pending.delete(String(key[0]));
        ctx.vc.registry.changed(this);
        return { _type: 'ApplyStorageRecommendationResult', vm: vm.self };
      },
    });
  }
}

/** The bytes a new VM's disks take. */
function diskBytes(config: DataObject): number {
  let total = 0;
  for (const change of (config.deviceChange as DataObject[] | undefined) ?? []) {
    const device = change.device as DataObject;
    if (String(device?._type ?? '').includes('VirtualDisk')) total += Number(device.capacityInBytes ?? Number(device.capacityInKB ?? 0) * 1024);
  }
  return total;
}
