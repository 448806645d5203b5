import { ManagedEntity } from '../core/managed-entity.js';
import type { DataObject, MoRef } from '../core/moref.js';

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

/** Adds a host's capacity to a compute resource's summary, as vCenter aggregates it. */
export function addHostCapacity(summary: DataObject, hardware: DataObject): void {
  const s = summary as Record<string, number>;
  const h = hardware as Record<string, number>;
  s.totalCpu! += h.cpuMhz! * h.numCpuCores!;
  s.totalMemory! += h.memorySize!;
  s.numCpuCores! += h.numCpuCores!;
  s.numCpuThreads! += h.numCpuThreads!;
  s.effectiveCpu! += h.cpuMhz! * h.numCpuCores!;
  s.effectiveMemory! += Math.floor(h.memorySize! / (1024 * 1024));
  s.numHosts! += 1;
  s.numEffectiveHosts! += 1;
}
