/** What the compute unit suites share: a fresh VPX world with its usual objects at hand, and fault readers. */
import type { ClusterComputeResource } from '../../models/cluster/cluster-compute-resource.js';
import type { ComputeResource } from '../../models/cluster/compute-resource.js';
import type { EnvironmentBrowser } from '../../models/cluster/environment-browser.js';
import type { Datacenter } from '../../models/core/datacenter.js';
import type { VimFault } from '../../models/core/fault.js';
import type { Folder } from '../../models/core/folder.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import type { HostSystem } from '../../models/host/host-system.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { VCenter } from '../../models/vcenter.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';

export function setup(flags: Record<string, number> = {}) {
  const vc = new VCenter({ topology: topologyFromFlags(flags), seed: 1 });
  const ctx: CallContext = { vc };
  vc.sessionManager.Login(ctx, { userName: 'alice', password: 'x' });
  const { registry } = vc;
  const named = <T extends ManagedEntity>(type: string, name: string) => registry.ofType<T>(type).find((o) => o.name === name)!;
  const dc = named<Datacenter>('Datacenter', 'DC0');
  const hostFolder = registry.require<Folder>(dc.hostFolder);
  const cluster = named<ClusterComputeResource>('ClusterComputeResource', 'DC0_C0');
  const standalone = named<ComputeResource>('ComputeResource', 'DC0_H0');
  const host = (name: string) => named<HostSystem>('HostSystem', name);
  const vm = (name: string) => named<VirtualMachine>('VirtualMachine', name);
  const browser = (cr: ComputeResource) => registry.require<EnvironmentBrowser>(cr.environmentBrowser!);
  /** The task's info once it ended. */
  const settled = async (ref: MoRef) => {
    const task = registry.require<Task>(ref);
    await task.completion();
    return task.info;
  };
  const events = (type: string) => vc.events.QueryEvents(ctx, { filter: { type: [type] } }) as DataObject[];
  return { vc, ctx, registry, named, dc, hostFolder, cluster, standalone, host, vm, browser, settled, events };
}

export const faultOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as VimFault).type;
  }
  return undefined;
};
export const errorType = (info: DataObject) => ((info.error as DataObject | undefined)?.fault as DataObject | undefined)?._type;
