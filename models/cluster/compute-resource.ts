import { entityArguments } from '../core/event-manager.js';
import { faults } from '../core/fault.js';
import { ManagedEntity } from '../core/managed-entity.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
import type { Registry } from '../core/registry.js';
import type { HostSystem } from '../host/host-system.js';

/** A standalone host's parent: one host, its root resource pool, and what the host can reach. */
export class ComputeResource extends ManagedEntity {
  resourcePool?: MoRef;
  host: MoRef[] = [];
  datastore: MoRef[] = [];
  network: MoRef[] = [];
  /** ComputeResourceSummary (ClusterComputeResourceSummary for clusters): the sums over the hosts. */
  summary: DataObject = emptySummary();
  environmentBrowser?: MoRef;
  configurationEx: DataObject = { vmSwapPlacement: 'vmDirectory' };
  lifecycleManaged = false;

  /** Changes the compute resource's settings (a standalone host's: swap placement, storage policies, default hardware version). */
  ReconfigureComputeResource_Task(ctx: CallContext, { spec }: { spec: DataObject; modify: boolean }): MoRef {
    return ctx.vc.tasks.start(ctx, {
      method: 'ReconfigureComputeResource_Task',
      descriptionId: 'ComputeResource.reconfigureEx',
      entity: this,
      run: () => {
        if (!spec) throw faults.invalidArgument('spec');
        for (const name of ['vmSwapPlacement', 'spbmEnabled', 'defaultHardwareVersionKey']) if (spec[name] !== undefined) this.configurationEx[name] = spec[name];
        ctx.vc.registry.changed(this);
        return undefined;
      },
    });
  }

  /** A VM or host left: a cluster's configuration stops naming it; a standalone host's has nothing to forget. */
  forgetMember(_ctx: CallContext, _ref: MoRef): void {}

  /** The hosts, as objects. */
  hosts(registry: Registry): HostSystem[] {
    return this.host.map((ref) => registry.get(ref) as HostSystem | undefined).filter((h): h is HostSystem => h !== undefined);
  }

  /** Sums the hosts' capacity again (after a host came, went, or changed state), as vCenter keeps the summary. */
  refreshSummary(registry: Registry): void {
    const fresh = emptySummary();
    for (const host of this.hosts(registry)) addHostCapacity(fresh, host.summary.hardware as DataObject, host.isEffective());
    Object.assign(this.summary, fresh);
    registry.changed(this);
  }

  /** Destroy_Task of a standalone host's compute resource: removing a standalone host needs no maintenance mode; an ESX host cannot remove itself. */
  override checkDestroy(ctx: CallContext): void {
    if (!ctx.vc.isVpx) throw faults.notSupported();
  }

  /** Removes the hosts (their VMs leave the inventory, their files stay), the pools, the environment browser, then itself. */
  override destroy(ctx: CallContext): void {
    for (const host of this.hosts(ctx.vc.registry)) host.removeFromInventory(ctx);
    this.destroyed(ctx);
    if (this.resourcePool) removePoolTree(ctx, this.resourcePool);
    if (this.environmentBrowser) ctx.vc.registry.remove(this.environmentBrowser);
    this.unlink(ctx);
  }

  /** Posts what destroying this type posts (a cluster's ClusterDestroyedEvent); nothing for a standalone host's. */
  protected destroyed(_ctx: CallContext): void {}

  protected eventArguments(ctx: CallContext): DataObject {
    return entityArguments(ctx.vc.registry, this.self);
  }
}

/** A root pool and every pool under it leave the inventory (their VMs are gone already). */
function removePoolTree(ctx: CallContext, ref: MoRef): void {
  const pool = ctx.vc.registry.get(ref) as { resourcePool?: MoRef[] } | undefined;
  for (const child of pool?.resourcePool ?? []) removePoolTree(ctx, child);
  ctx.vc.tagging.forgetObject(ref.type, ref.value);
  ctx.vc.registry.remove(ref);
}

export function emptySummary(): DataObject {
  return {
    totalCpu: 0,
    totalMemory: 0,
    numCpuCores: 0,
    numCpuThreads: 0,
    effectiveCpu: 0,
    effectiveMemory: 0,
    numHosts: 0,
    numEffectiveHosts: 0,
    overallStatus: 'green',
  };
}

/** Adds a host's capacity to a compute resource's summary, as vCenter aggregates it; only effective hosts (connected, not in maintenance) count in effective*. */
export function addHostCapacity(summary: DataObject, hardware: DataObject, effective = true): void {
  const s = summary as Record<string, number>;
  const h = hardware as Record<string, number>;
  s.totalCpu! += h.cpuMhz! * h.numCpuCores!;
  s.totalMemory! += h.memorySize!;
  s.numCpuCores! += h.numCpuCores!;
  s.numCpuThreads! += h.numCpuThreads!;
  s.numHosts! += 1;
  if (!effective) return;
  s.effectiveCpu! += h.cpuMhz! * h.numCpuCores!;
  s.effectiveMemory! += Math.floor(h.memorySize! / (1024 * 1024));
  s.numEffectiveHosts! += 1;
}
