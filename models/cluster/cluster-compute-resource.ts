import { ComputeResource, emptySummary } from './compute-resource.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject } from '../core/moref.js';
import type { Registry } from '../core/registry.js';

/** A cluster: hosts sharing a root resource pool, with DRS on and HA off (vcsim's defaults). */
export class ClusterComputeResource extends ComputeResource {
  /** The pre-4.0 ClusterConfigInfo; configurationEx holds the same settings and more. */
  configuration: DataObject = {
    dasConfig: dasConfig(),
    dasVmConfig: [],
    drsConfig: drsConfig(),
    drsVmConfig: [],
    rule: [],
  };
  recommendation: DataObject[] = [];
  drsRecommendation: DataObject[] = [];
  migrationHistory: DataObject[] = [];
  actionHistory: DataObject[] = [];
  drsFault: DataObject[] = [];

  constructor() {
    super();
    this.summary = clusterSummary();
    this.configurationEx = {
      _type: 'ClusterConfigInfoEx',
      vmSwapPlacement: 'vmDirectory',
      dasConfig: dasConfig(),
      dasVmConfig: [],
      drsConfig: drsConfig(),
      drsVmConfig: [],
      rule: [],
      group: [],
      dpmConfigInfo: { enabled: false, defaultDpmBehavior: 'automated', hostPowerActionRate: 3, option: [] },
      dpmHostConfig: [],
      vmOrchestration: [],
    };
  }

  override refreshSummary(registry: Registry): void {
    super.refreshSummary(registry);
    const usage = this.summary.usageSummary as Record<string, number> | undefined;
    if (usage) Object.assign(usage, { totalCpuCapacityMhz: this.summary.totalCpu, totalMemCapacityMB: this.summary.effectiveMemory });
  }

  /** Destroy_Task: every host must be in maintenance mode or disconnected (then they leave the inventory with the cluster). */
  override checkDestroy(ctx: CallContext): void {
    super.checkDestroy(ctx);
    for (const host of this.hosts(ctx.vc.registry)) host.checkDestroy(ctx);
  }

  protected override destroyed(ctx: CallContext): void {
    ctx.vc.events.post(ctx, { _type: 'ClusterDestroyedEvent', fullFormattedMessage: `Removed cluster ${this.name}`, ...this.eventArguments(ctx) });
  }
}

function dasConfig(): DataObject {
  return {
    enabled: false,
    vmMonitoring: 'vmMonitoringDisabled',
    hostMonitoring: 'enabled',
    vmComponentProtecting: 'disabled',
    failoverLevel: 1,
    admissionControlEnabled: true,
    option: [],
    heartbeatDatastore: [],
    hBDatastoreCandidatePolicy: 'allFeasibleDsWithUserPreference',
  };
}

function drsConfig(): DataObject {
  return { enabled: true, enableVmBehaviorOverrides: true, defaultVmBehavior: 'fullyAutomated', vmotionRate: 3, option: [] };
}

function clusterSummary(): DataObject {
  return {
    _type: 'ClusterComputeResourceSummary',
    ...emptySummary(),
    currentFailoverLevel: 0,
    numVmotions: 0,
    targetBalance: 200,
    currentBalance: 0,
    usageSummary: {
      totalCpuCapacityMhz: 0,
      totalMemCapacityMB: 0,
      cpuReservationMhz: 0,
      memReservationMB: 0,
      cpuDemandMhz: 0,
      memDemandMB: 0,
      statsGenNumber: 0,
      cpuEntitledMhz: 0,
      memEntitledMB: 0,
      poweredOffVmCount: 0,
      totalVmCount: 0,
    },
  };
}
