import { ComputeResource, emptySummary } from './compute-resource.js';
import type { DataObject } from '../core/moref.js';

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
