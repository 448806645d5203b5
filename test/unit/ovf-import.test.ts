import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Datacenter } from '../../models/core/datacenter.js';
import type { VimFault } from '../../models/core/fault.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import type { ResourcePool } from '../../models/cluster/resource-pool.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { Datastore } from '../../models/storage/datastore.js';
import { LEASE_TIMEOUT_MS, type HttpNfcLease } from '../../models/vm/http-nfc-lease.js';
import type { OvfManager } from '../../models/vm/ovf-manager.js';
import { writeOvf } from '../../models/vm/ovf-descriptor.js';
import { VCenter } from '../../models/vcenter.js';

const faultOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as VimFault).type;
  }
  return undefined;
};

describe('OVF import leases', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a lease with no progress for its timeout ends in error: its task fails and its VM goes; a bad descriptor is InvalidArgument', async () => {
    vi.useFakeTimers();
    const vc = new VCenter({ topology: topologyFromFlags({}), seed: 1 });
    const ctx: CallContext = { vc };
    vc.sessionManager.Login(ctx, { userName: 'alice', password: 'x' });
    const named = <T extends ManagedEntity>(type: string, name: string) => vc.registry.ofType<T>(type).find((o) => o.name === name)!;
    const ovf = vc.registry.require<OvfManager>(vc.content.ovfManager as MoRef);
    const pool = vc.registry.require<ResourcePool>(named<ManagedEntity & { resourcePool: MoRef }>('ClusterComputeResource', 'DC0_C0').resourcePool);
    const ds = named<Datastore>('Datastore', 'LocalDS_0');
    expect(faultOf(() => ovf.CreateImportSpec(ctx, { ovfDescriptor: 'not xml', resourcePool: pool.self, datastore: ds.self, cisp: {} }))).toBe('InvalidArgument');
    const descriptor = writeOvf({ name: 'timed', guestId: 'otherGuest', numCPUs: 4, memoryMB: 512 });
    const spec = ovf.CreateImportSpec(ctx, { ovfDescriptor: descriptor, resourcePool: pool.self, datastore: ds.self, cisp: { entityName: 'timed' } });
    expect((spec.importSpec as DataObject).configSpec).toMatchObject({ name: 'timed', numCPUs: 4, memoryMB: 512, files: { vmPathName: '[LocalDS_0]' } });
    const lease = vc.registry.require<HttpNfcLease>(pool.ImportVApp(ctx, { spec: spec.importSpec as DataObject, folder: named<Datacenter>('Datacenter', 'DC0').vmFolder }));
    expect(lease.state).toBe('ready');
    const vmRef = lease.info!.entity as MoRef;
    expect(vc.registry.get(vmRef)).toBeDefined();
    const task = vc.registry.require<Task>(lease.importTask!);
    expect(task.info.state).toBe('running');
    vi.advanceTimersByTime(LEASE_TIMEOUT_MS / 2);
    lease.HttpNfcLeaseProgress(ctx, { percent: 50 });
    vi.advanceTimersByTime(LEASE_TIMEOUT_MS - 1);
    expect(lease.state).toBe('ready');
    vi.advanceTimersByTime(2);
    expect(lease.state).toBe('error');
    expect(task.info.state).toBe('error');
    expect(((task.info.error as DataObject).fault as DataObject)._type).toBe('Timedout');
    await vi.runAllTimersAsync();
    expect(vc.registry.get(vmRef)).toBeUndefined();
    expect(faultOf(() => lease.HttpNfcLeaseComplete(ctx))).toBe('InvalidState');
  });
});
