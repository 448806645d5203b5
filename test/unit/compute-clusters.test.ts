import { describe, expect, it } from 'vitest';
import type { ClusterComputeResource } from '../../models/cluster/cluster-compute-resource.js';
import type { ComputeResource } from '../../models/cluster/compute-resource.js';
import type { Folder } from '../../models/core/folder.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { HostSystem } from '../../models/host/host-system.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import { errorType, faultOf, setup } from './compute-support.js';

describe('Clusters', () => {
  const ruleSpec = (operation: string, info: DataObject, removeKey?: unknown) => ({ _type: 'ClusterRuleSpec', operation, info, removeKey });

  it('CreateClusterEx applies the spec over the defaults, with a pool, an environment browser and ClusterCreatedEvent; DuplicateName, NotSupported', () => {
    const { ctx, registry, hostFolder, dc, events } = setup();
    const ref = hostFolder.CreateClusterEx(ctx, { name: 'C1', spec: { drsConfig: { enabled: true, defaultVmBehavior: 'partiallyAutomated' }, dasConfig: { enabled: true }, vsanConfig: { enabled: true, defaultConfig: { autoClaimStorage: false } } } });
    const cluster = registry.require<ClusterComputeResource>(ref);
    expect(ref.value).toMatch(/^clustercomputeresource-\d+$/);
    expect(cluster.configurationEx.drsConfig).toMatchObject({ enabled: true, defaultVmBehavior: 'partiallyAutomated', vmotionRate: 3 });
    expect(cluster.configurationEx.dasConfig).toMatchObject({ enabled: true, failoverLevel: 1 });
    expect(cluster.configurationEx.vsanConfigInfo).toEqual({ enabled: true, defaultConfig: { autoClaimStorage: false } });
    expect((cluster.configuration.dasConfig as DataObject).enabled).toBe(true);
    expect(registry.require(cluster.resourcePool!)).toMatchObject({ name: 'Resources', owner: ref });
    expect(registry.require(cluster.environmentBrowser!).self.type).toBe('EnvironmentBrowser');
    expect(cluster.summary).toMatchObject({ numHosts: 0, numEffectiveHosts: 0, totalCpu: 0 });
    expect(events('ClusterCreatedEvent')).toHaveLength(1);
    expect(faultOf(() => hostFolder.CreateClusterEx(ctx, { name: 'C1', spec: {} }))).toBe('DuplicateName');
    expect(faultOf(() => registry.require<Folder>(dc.vmFolder).CreateClusterEx(ctx, { name: 'C2', spec: {} }))).toBe('NotSupported');
  });

  it('ReconfigureComputeResource_Task: groups, rules and overrides by add/edit/remove, read back in configurationEx; a bad update changes nothing', async () => {
    const { ctx, cluster, vm, settled, host, events } = setup();
    const [a, b] = [vm('DC0_C0_RP0_VM0'), vm('DC0_C0_RP0_VM1')];
    const h0 = host('DC0_C0_H0');
    const spec = {
      groupSpec: [
        { operation: 'add', info: { _type: 'ClusterVmGroup', name: 'web', vm: [a.self, b.self] } },
        { operation: 'add', info: { _type: 'ClusterHostGroup', name: 'hosts', host: [h0.self] } },
      ],
      rulesSpec: [
        ruleSpec('add', { _type: 'ClusterAntiAffinityRuleSpec', name: 'apart', enabled: true, vm: [a.self, b.self] }),
        ruleSpec('add', { _type: 'ClusterVmHostRuleInfo', name: 'pin', enabled: true, mandatory: true, vmGroupName: 'web', affineHostGroupName: 'hosts' }),
      ],
      drsVmConfigSpec: [{ operation: 'add', info: { key: a.self, enabled: true, behavior: 'manual' } }],
      dasVmConfigSpec: [{ operation: 'add', info: { key: a.self, restartPriority: 'high' } }],
      drsConfig: { defaultVmBehavior: 'partiallyAutomated' },
    };
    expect((await settled(cluster.ReconfigureComputeResource_Task(ctx, { spec, modify: true }))).state).toBe('success');
    const config = cluster.configurationEx;
    expect((config.group as DataObject[]).map((g) => [g._type, g.name])).toEqual([['ClusterVmGroup', 'web'], ['ClusterHostGroup', 'hosts']]);
    const rules = config.rule as DataObject[];
    expect(rules.map((r) => [r._type, r.name, r.key])).toEqual([['ClusterAntiAffinityRuleSpec', 'apart', 1], ['ClusterVmHostRuleInfo', 'pin', 2]]);
    expect(rules[0]!.ruleUuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(config.drsVmConfig).toEqual([{ key: a.self, enabled: true, behavior: 'manual' }]);
    expect(config.drsConfig).toMatchObject({ enabled: true, defaultVmBehavior: 'partiallyAutomated' });
    expect(cluster.FindRulesForVm(ctx, { vm: b.self }).map((r) => r.name)).toEqual(['apart', 'pin']);
    const edit = {
      rulesSpec: [ruleSpec('edit', { _type: 'ClusterAntiAffinityRuleSpec', key: 1, enabled: false }), ruleSpec('remove', undefined as never, 2)],
      groupSpec: [{ operation: 'edit', info: { _type: 'ClusterVmGroup', name: 'web', vm: [a.self] } }],
      drsVmConfigSpec: [{ operation: 'remove', removeKey: a.self }],
    };
    expect((await settled(cluster.ReconfigureComputeResource_Task(ctx, { spec: edit, modify: true }))).state).toBe('success');
    expect((cluster.configurationEx.rule as DataObject[]).map((r) => [r.name, r.enabled])).toEqual([['apart', false]]);
    expect((cluster.configurationEx.group as DataObject[])[0]!.vm).toEqual([a.self]);
    expect(cluster.configurationEx.drsVmConfig).toEqual([]);
    const before = cluster.configurationEx;
    const bad = { drsConfig: { enabled: false }, rulesSpec: [ruleSpec('edit', { key: 99, enabled: true })] };
    expect(errorType(await settled(cluster.ReconfigureComputeResource_Task(ctx, { spec: bad, modify: true })))).toBe('InvalidArgument');
    const orphan = { rulesSpec: [ruleSpec('add', { _type: 'ClusterVmHostRuleInfo', name: 'x', vmGroupName: 'nope', affineHostGroupName: 'hosts' })] };
    expect(errorType(await settled(cluster.ReconfigureComputeResource_Task(ctx, { spec: orphan, modify: true })))).toBe('InvalidArgument');
    expect(cluster.configurationEx).toBe(before);
    expect((cluster.configurationEx.drsConfig as DataObject).enabled).toBe(true);
    expect(events('ClusterReconfiguredEvent')).toHaveLength(2);
    // Without modify, the settings given replace the current ones.
    await settled(cluster.ReconfigureComputeResource_Task(ctx, { spec: { dasConfig: { enabled: true } }, modify: false }));
    expect(cluster.configurationEx.dasConfig).toEqual({ enabled: true });
  });

  it('merges advanced options by key with modify; an option set to an empty value goes (as Terraform removes one)', async () => {
    const { ctx, cluster, settled } = setup();
    const option = (key: string, value: string) => ({ _type: 'OptionValue', key, value });
    const reconfigure = (drsConfig: DataObject, modify = true) => settled(cluster.ReconfigureComputeResource_Task(ctx, { spec: { drsConfig }, modify }));
    await reconfigure({ option: [option('MinGoodness', '0'), option('LimitVMsPerESXHost', '8')] });
    await reconfigure({ option: [option('LimitVMsPerESXHost', '6'), option('CostBenefit', '1')] });
    const keys = () => ((cluster.configurationEx.drsConfig as DataObject).option as DataObject[]).map((o) => `${o.key}=${o.value}`);
    expect(keys()).toEqual(['MinGoodness=0', 'LimitVMsPerESXHost=6', 'CostBenefit=1']);
    await reconfigure({ option: [option('MinGoodness', '')] });
    expect(keys()).toEqual(['LimitVMsPerESXHost=6', 'CostBenefit=1']);
    expect((cluster.configurationEx.drsConfig as DataObject).enabled).toBeDefined();
    await reconfigure({ enabled: true, option: [option('CostBenefit', '0')] }, false);
    expect(keys()).toEqual(['CostBenefit=0']);
  });

  it('AddHost_Task makes a host like the others, in the cluster, counted in the summary; AlreadyConnected; SSLVerifyFault names the thumbprint', async () => {
    const { ctx, registry, cluster, settled, events } = setup();
    const info = await settled(cluster.AddHost_Task(ctx, { spec: { hostName: 'esx-new', userName: 'root', password: 'x', force: false }, asConnected: true }));
    const host = registry.require<HostSystem>(info.result as MoRef);
    expect(host.name).toBe('esx-new');
    expect(host.parent).toEqual(cluster.self);
    expect((host.hardware.systemInfo as DataObject).uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(host.datastore.map((r) => r.value)).toEqual(registry.require<HostSystem>(cluster.host[0]!).datastore.map((r) => r.value));
    expect(cluster.summary).toMatchObject({ numHosts: 4, numEffectiveHosts: 4, numCpuCores: 8 });
    expect(events('HostAddedEvent')).toHaveLength(1);
    expect(errorType(await settled(cluster.AddHost_Task(ctx, { spec: { hostName: 'esx-new', force: false }, asConnected: true })))).toBe('AlreadyConnected');
    const wrong = await settled(cluster.AddHost_Task(ctx, { spec: { hostName: 'esx-2', sslThumbprint: 'AA:BB', force: false }, asConnected: true }));
    expect(errorType(wrong)).toBe('SSLVerifyFault');
    const thumbprint = ((wrong.error as DataObject).fault as DataObject).thumbprint as string;
    expect((await settled(cluster.AddHost_Task(ctx, { spec: { hostName: 'esx-2', sslThumbprint: thumbprint, force: false }, asConnected: false }))).state).toBe('success');
    expect(cluster.summary).toMatchObject({ numHosts: 5, numEffectiveHosts: 4 });
  });

  it('AddStandaloneHost_Task makes a compute resource of one host; MoveInto_Task takes it into a cluster with its VMs, its compute resource gone', async () => {
    const { ctx, registry, cluster, hostFolder, standalone, host, settled } = setup();
    const info = await settled(hostFolder.AddStandaloneHost_Task(ctx, { spec: { hostName: 'esx-solo', force: false }, addConnected: true }));
    const cr = registry.require<ComputeResource>(info.result as MoRef);
    expect(cr.self.type).toBe('ComputeResource');
    expect(cr.host).toHaveLength(1);
    expect(cr.summary).toMatchObject({ numHosts: 1, numEffectiveHosts: 1 });
    const h0 = host('DC0_H0');
    const vms = [...h0.vm];
    expect((await settled(cluster.MoveInto_Task(ctx, { host: [h0.self] }))).state).toBe('success');
    expect(h0.parent).toEqual(cluster.self);
    expect(registry.get(standalone.self)).toBeUndefined();
    expect(registry.get(standalone.resourcePool!)).toBeUndefined();
    for (const ref of vms) expect(registry.require<VirtualMachine>(ref).resourcePool).toEqual(cluster.resourcePool);
    expect(cluster.summary.numHosts).toBe(4);
    const member = host('DC0_C0_H1');
    const other = registry.require<ClusterComputeResource>(hostFolder.CreateClusterEx(ctx, { name: 'C9', spec: {} }));
    expect(errorType(await settled(other.MoveHostInto_Task(ctx, { host: member.self })))).toBe('InvalidState');
    member.runtime.inMaintenanceMode = true;
    expect((await settled(other.MoveHostInto_Task(ctx, { host: member.self }))).state).toBe('success');
    expect(other.summary).toMatchObject({ numHosts: 1, numEffectiveHosts: 0 });
    expect(cluster.summary.numHosts).toBe(3);
  });

  it('PlaceVm, RecommendHostsForVm and GetResourceUsage answer from the hosts', () => {
    const { ctx, cluster, vm } = setup();
    const result = cluster.PlaceVm(ctx, { placementSpec: { placementType: 'create' } });
    const action = ((result.recommendations as DataObject[])[0]!.action as DataObject[])[0]!;
    expect(cluster.host.map((h) => h.value)).toContain((action.targetHost as MoRef).value);
    expect(((action.relocateSpec as DataObject).pool as MoRef).value).toBe(cluster.resourcePool!.value);
    expect(faultOf(() => cluster.PlaceVm(ctx, { placementSpec: {} }))).toBe('InvalidArgument');
    const hosts = cluster.RecommendHostsForVm(ctx, { vm: vm('DC0_C0_RP0_VM0').self });
    expect(hosts).toHaveLength(3);
    expect(hosts[0]!.rating).toBe(5);
    const usage = cluster.GetResourceUsage(ctx);
    expect(usage.cpuCapacityMHz).toBe(cluster.summary.totalCpu);
    expect(usage.storageCapacityMB).toBeGreaterThan(0);
  });
});

describe('DRS placement on power-on', () => {
  it('a fully automated cluster powers a VM on on the least-loaded host; manual DRS keeps it; a host in maintenance mode is InvalidHostState', async () => {
    const { ctx, registry, cluster, settled, vm, host } = setup();
    const loads = () => cluster.hosts(registry).map((h) => h.vm.filter((r) => registry.require<VirtualMachine>(r).powerState === 'poweredOn').length);
    const busiest = cluster.hosts(registry).sort((a, b) => b.vm.length - a.vm.length)[0]!;
    const target = registry.require<VirtualMachine>(busiest.vm[0]!);
    target.setPowerState(ctx, 'poweredOff');
    const least = Math.min(...loads());
    expect((await settled(target.PowerOnVM_Task(ctx, {}))).state).toBe('success');
    const now = registry.require<HostSystem>(target.runtime.host as MoRef);
    expect(now.vm.filter((r) => r !== target.self && registry.require<VirtualMachine>(r).powerState === 'poweredOn').length).toBe(least);
    // Manual DRS: the VM stays on its host, even a busy one.
    await settled(cluster.ReconfigureComputeResource_Task(ctx, { spec: { drsConfig: { defaultVmBehavior: 'manual' } }, modify: true }));
    const other = vm('DC0_C0_RP0_VM1');
    const before = (other.runtime.host as MoRef).value;
    other.setPowerState(ctx, 'poweredOff');
    await settled(other.PowerOnVM_Task(ctx, {}));
    expect((other.runtime.host as MoRef).value).toBe(before);
    other.setPowerState(ctx, 'poweredOff');
    const h = registry.require<HostSystem>(other.runtime.host as MoRef);
    h.runtime.inMaintenanceMode = true;
    expect(errorType(await settled(other.PowerOnVM_Task(ctx, {})))).toBe('InvalidHostState');
    const elsewhere = cluster.hosts(registry).find((x) => x !== h)!;
    expect((await settled(other.PowerOnVM_Task(ctx, { host: elsewhere.self }))).state).toBe('success');
    expect((other.runtime.host as MoRef).value).toBe(elsewhere.self.value);
    expect(host('DC0_H0')).toBeDefined();
  });
});

describe('ClusterEVCManager', () => {
  it('configures a mode the hosts support, refuses a newer one or another vendor, disables', async () => {
    const { ctx, registry, cluster, settled, host } = setup();
    const evc = registry.require<import('../../models/cluster/cluster-evc-manager.js').ClusterEVCManager>(cluster.EvcManager(ctx));
    expect(cluster.EvcManager(ctx)).toEqual(evc.self);
    expect((await settled(evc.ConfigureEvcMode_Task(ctx, { evcModeKey: 'intel-ivybridge' }))).state).toBe('success');
    expect(cluster.summary.currentEVCModeKey).toBe('intel-ivybridge');
    expect(host('DC0_C0_H0').summary.currentEVCModeKey).toBe('intel-ivybridge');
    expect(errorType(await settled(evc.ConfigureEvcMode_Task(ctx, { evcModeKey: 'intel-haswell' })))).toBe('EVCModeUnsupportedByHosts');
    expect(errorType(await settled(evc.ConfigureEvcMode_Task(ctx, { evcModeKey: 'amd-zen' })))).toBe('EVCModeIllegalByVendor');
    expect(errorType(await settled(evc.ConfigureEvcMode_Task(ctx, { evcModeKey: 'nope' })))).toBe('InvalidArgument');
    expect(cluster.summary.currentEVCModeKey).toBe('intel-ivybridge');
    expect((await settled(evc.DisableEvcMode_Task(ctx))).state).toBe('success');
    expect(cluster.summary.currentEVCModeKey).toBeUndefined();
  });
});

describe('Cluster configuration follows its members', () => {
  it('a destroyed VM leaves its overrides, groups and rules; a removed host its host groups', async () => {
    const { ctx, registry, cluster, settled } = setup();
    const [a, b] = cluster.hosts(registry).flatMap((host) => host.vm);
    const h = cluster.hosts(registry)[2]!;
    const spec = {
      groupSpec: [
        { operation: 'add', info: { _type: 'ClusterVmGroup', name: 'vms', vm: [a, b] } },
        { operation: 'add', info: { _type: 'ClusterHostGroup', name: 'hosts', host: [h.self] } },
      ],
      rulesSpec: [{ operation: 'add', info: { _type: 'ClusterAffinityRuleSpec', name: 'together', vm: [a, b] } }],
      drsVmConfigSpec: [{ operation: 'add', info: { key: a, behavior: 'manual' } }],
      dasVmConfigSpec: [{ operation: 'add', info: { key: a, restartPriority: 'high' } }],
    };
    await settled(cluster.ReconfigureComputeResource_Task(ctx, { spec, modify: true }));
    const vm = registry.require<VirtualMachine>(a!);
    vm.setPowerState(ctx, 'poweredOff');
    expect((await settled(vm.Destroy_Task(ctx))).state).toBe('success');
    const config = cluster.configurationEx;
    expect(config.drsVmConfig).toEqual([]);
    expect(config.dasVmConfig).toEqual([]);
    expect((config.group as DataObject[])[0]!.vm).toEqual([b]);
    expect((config.rule as DataObject[])[0]!.vm).toEqual([b]);
    expect((cluster.configuration.drsVmConfig as DataObject[])).toEqual([]);
    for (const ref of [...h.vm]) registry.require<VirtualMachine>(ref).setPowerState(ctx, 'poweredOff');
    h.runtime.inMaintenanceMode = true;
    expect((await settled(h.Destroy_Task(ctx))).state).toBe('success');
    expect((cluster.configurationEx.group as DataObject[])[1]!.host).toEqual([]);
  });
});

describe('CreateVM_Task placement', () => {
  it('a VM created in a cluster pool never lands on a host in maintenance mode', async () => {
    const { ctx, registry, dc, cluster, settled } = setup();
    const hosts = cluster.hosts(registry);
    for (const h of hosts.slice(0, 2)) h.runtime.inMaintenanceMode = true;
    const folder = registry.require<Folder>(dc.vmFolder);
    const info = await settled(folder.CreateVM_Task(ctx, { config: { name: 'placed', files: { vmPathName: '[LocalDS_0]' } } as never, pool: cluster.resourcePool! }));
    expect(((registry.require<VirtualMachine>(info.result as MoRef).runtime.host) as MoRef).value).toBe(hosts[2]!.self.value);
    hosts[2]!.runtime.inMaintenanceMode = true;
    const none = await settled(folder.CreateVM_Task(ctx, { config: { name: 'nowhere', files: { vmPathName: '[LocalDS_0]' } } as never, pool: cluster.resourcePool! }));
    expect(errorType(none)).toBe('InvalidState');
  });
});

describe('Cluster usage summary', () => {
  it('counts the VMs of its hosts as they come and go', async () => {
    const { ctx, registry, cluster, settled } = setup();
    const usage = () => (cluster.summary.usageSummary as DataObject).totalVmCount;
    const before = usage();
    expect(before).toBe(cluster.hosts(registry).reduce((n, h) => n + h.vm.length, 0));
    const vm = registry.require<VirtualMachine>(cluster.hosts(registry).flatMap((h) => h.vm)[0]!);
    vm.setPowerState(ctx, 'poweredOff');
    await settled(vm.Destroy_Task(ctx));
    expect(usage()).toBe((before as number) - 1);
  });
});
