import * as ops from './cluster-operations.js';
import { legacyConfiguration, withoutMember } from './cluster-config.js';
import { ClusterEVCManager } from './cluster-evc-manager.js';
import { ComputeResource, emptySummary } from './compute-resource.js';
import type { CallContext } from '../core/managed-object.js';
import type { DataObject, MoRef } from '../core/moref.js';
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

  ReconfigureCluster_Task(ctx: CallContext, { spec, modify }: { spec: DataObject; modify: boolean }): MoRef {
    return ops.reconfigureTask(ctx, this, 'ReconfigureCluster_Task', spec, modify);
  }

  /** DRS, HA, DPM, vSAN settings, rules, groups and VM/host overrides: add/edit/remove, all of the spec or nothing. */
  override ReconfigureComputeResource_Task(ctx: CallContext, { spec, modify }: { spec: DataObject; modify: boolean }): MoRef {
    return ops.reconfigureTask(ctx, this, 'ReconfigureComputeResource_Task', spec, modify);
  }

  /** Adds a new host (HostConnectSpec) to the cluster; the task's result is the HostSystem. */
  AddHost_Task(ctx: CallContext, args: { spec: DataObject; asConnected: boolean; resourcePool?: MoRef; license?: string }): MoRef {
    return ops.addHostTask(ctx, this, args);
  }

  /** Moves hosts of the datacenter (standalone, or of another cluster in maintenance mode) into this cluster. */
  MoveInto_Task(ctx: CallContext, { host }: { host: MoRef[] }): MoRef {
    return ops.moveHostsTask(ctx, this, 'MoveInto_Task', host);
  }

  MoveHostInto_Task(ctx: CallContext, { host, resourcePool }: { host: MoRef; resourcePool?: MoRef }): MoRef {
    return ops.moveHostsTask(ctx, this, 'MoveHostInto_Task', host ? [host] : [], resourcePool);
  }

  PlaceVm(ctx: CallContext, { placementSpec }: { placementSpec: DataObject }): DataObject {
    return ops.placeVm(ctx, this, placementSpec);
  }

  RecommendHostsForVm(ctx: CallContext, { vm, pool }: { vm: MoRef; pool?: MoRef }): DataObject[] {
    return ops.recommendHosts(ctx, this, vm, pool);
  }

  GetResourceUsage(ctx: CallContext): DataObject {
    return ops.resourceUsage(ctx, this);
  }

  override forgetMember(ctx: CallContext, ref: MoRef): void {
    const config = withoutMember(this.configurationEx, ref);
    if (config === this.configurationEx) return;
    this.configurationEx = config;
    this.configuration = legacyConfiguration(config);
    ctx.vc.registry.changed(this);
  }

  /** The cluster's EVC manager, made on first use. */
  EvcManager(ctx: CallContext): MoRef {
    const { registry } = ctx.vc;
    const existing = registry.ofType<ClusterEVCManager>('ClusterEVCManager').find((m) => m.managedCluster.value === this.self.value);
    if (existing) return existing.self;
    const manager = registry.addNew(new ClusterEVCManager(), 'ClusterEVCManager', 'evcmanager');
    manager.managedCluster = this.self;
    if (this.summary.currentEVCModeKey) manager.evcState.currentEVCModeKey = this.summary.currentEVCModeKey;
    return manager.self;
  }

  /** The rules that name the VM, directly or through one of its groups. */
  FindRulesForVm(ctx: CallContext, { vm }: { vm: MoRef }): DataObject[] {
    ctx.vc.registry.require(vm);
    const groups = ((this.configurationEx.group as DataObject[] | undefined) ?? []).filter((g) => ((g.vm as MoRef[] | undefined) ?? []).some((r) => r.value === vm.value)).map((g) => g.name);
    return ((this.configurationEx.rule as DataObject[] | undefined) ?? []).filter(
      (rule) => ((rule.vm as MoRef[] | undefined) ?? []).some((r) => r.value === vm.value) || groups.includes(rule.vmGroupName as string),
    );
  }

  override refreshSummary(registry: Registry): void {
    super.refreshSummary(registry);
    const usage = this.summary.usageSummary as Record<string, number> | undefined;
    const totalVmCount = this.hosts(registry).reduce((n, h) => n + h.vm.length, 0);
    if (usage) Object.assign(usage, { totalCpuCapacityMhz: this.summary.totalCpu, totalMemCapacityMB: this.summary.effectiveMemory, totalVmCount });
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
