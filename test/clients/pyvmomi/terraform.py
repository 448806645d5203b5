#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) doing what Terraform's vsphere provider does to compute
resources: vsphere_virtual_machine from scratch, vsphere_compute_cluster with its group, rule and
override resources, and the rarer cluster calls.

Run with /usr/bin/python3:  terraform.py SCENARIO --url https://127.0.0.1:PORT/sdk --user U --password P
Prints one JSON document as its last stdout line.
"""

from pyVim.task import WaitForTask
from pyVmomi import vim

from sim import arguments, connect, emit, fault_name, find, task_fault


def reconfigure(cluster, spec):
    WaitForTask(cluster.ReconfigureComputeResource_Task(spec=spec, modify=True))


def terraform_vm(si):
    """vsphere_virtual_machine created from scratch: the provider reads the cluster's environment
    browser (QueryConfigOptionEx for the guest's family, QueryConfigTarget for networks), then
    CreateVM_Task, and destroy powers off and Destroy_Task."""
    content = si.RetrieveContent()
    cluster = find(content, vim.ClusterComputeResource, 'DC0_C0')
    browser = cluster.environmentBrowser
    descriptors = browser.QueryConfigOptionDescriptor()
    spec = vim.EnvironmentBrowser.ConfigOptionQuerySpec(guestId=['centos7_64Guest'])
    option = browser.QueryConfigOptionEx(spec)
    guest = option.guestOSDescriptor[0]
    target = browser.QueryConfigTarget(None)
    network = next(n for n in target.distributedVirtualPortgroup if not n.uplinkPortgroup)
    datastore = target.datastore[0]
    dc = find(content, vim.Datacenter, 'DC0')
    nic = vim.vm.device.VirtualDeviceSpec(
        operation='add',
        device=vim.vm.device.VirtualVmxnet3(
            key=-1,
            backing=vim.vm.device.VirtualEthernetCard.DistributedVirtualPortBackingInfo(
                port=vim.dvs.PortConnection(switchUuid=network.switchUuid, portgroupKey=network.portgroupKey)),
        ))
    scsi = vim.vm.device.VirtualDeviceSpec(operation='add', device=vim.vm.device.ParaVirtualSCSIController(key=-2, busNumber=0, sharedBus='noSharing'))
    disk = vim.vm.device.VirtualDeviceSpec(
        operation='add', fileOperation='create',
        device=vim.vm.device.VirtualDisk(key=-3, controllerKey=-2, unitNumber=0, capacityInKB=guest.recommendedDiskSizeMB * 1024,
                                         backing=vim.vm.device.VirtualDisk.FlatVer2BackingInfo(diskMode='persistent', thinProvisioned=True)))
    config = vim.vm.ConfigSpec(name='tf-vm', guestId=guest.id, numCPUs=2, memoryMB=guest.recommendedMemMB, version=option.version,
                               files=vim.vm.FileInfo(vmPathName='[{0}]'.format(datastore.name)), deviceChange=[scsi, disk, nic])
    task = dc.vmFolder.CreateVM_Task(config=config, pool=cluster.resourcePool)
    WaitForTask(task)
    vm = task.info.result
    created = {'name': vm.name, 'guestId': vm.config.guestId, 'version': vm.config.version,
               'memoryMB': vm.config.hardware.memoryMB, 'host': vm.runtime.host.parent.name,
               'devices': sorted(type(d).__name__.split('.')[-1] for d in vm.config.hardware.device)}
    WaitForTask(vm.PowerOnVM_Task())
    WaitForTask(vm.PowerOffVM_Task())
    # vsphere_drs_vm_override on the new VM; destroying the VM takes the override with it.
    WaitForTask(cluster.ReconfigureComputeResource_Task(spec=vim.cluster.ConfigSpecEx(drsVmConfigSpec=[vim.cluster.DrsVmConfigSpec(
        operation='add', info=vim.cluster.DrsVmConfigInfo(key=vm, enabled=False))]), modify=True))
    overrides = [len(cluster.configurationEx.drsVmConfig)]
    WaitForTask(vm.Destroy_Task())
    overrides.append(len(cluster.configurationEx.drsVmConfig))
    return {
        'descriptorKeys': [d.key for d in descriptors],
        'defaultKey': next(d.key for d in descriptors if d.defaultConfigOption),
        'optionVersion': option.version,
        'guest': {'id': guest.id, 'family': guest.family, 'fullName': guest.fullName, 'disk': guest.recommendedDiskSizeMB,
                  # pyvmomi decodes these type names into the device classes they name
                  'nic': guest.recommendedEthernetCard._wsdlName, 'controller': guest.recommendedSCSIController._wsdlName},
        'hardwareVersion': option.hardwareOptions.hwVersion,
        'defaultDevices': len(option.defaultDevice),
        'targetDatastores': [d.name for d in target.datastore],
        'targetNetworks': sorted([n.name for n in target.network] + [p.portgroupName for p in target.distributedVirtualPortgroup]),
        'targetCpuCores': target.numCpuCores,
        'capabilities': browser.QueryTargetCapabilities(None).maintenanceModeSupported,
        'created': created,
        'destroyed': find(content, vim.VirtualMachine, 'tf-vm') is None,
        'overrides': overrides,
    }


def terraform_cluster(si):
    """vsphere_compute_cluster and its sub-resources: CreateClusterEx with the provider's full spec,
    vm and host groups, a VM-host rule, an anti-affinity rule, DRS and HA VM overrides (each its own
    ReconfigureComputeResource_Task, read back from configurationEx by name or key), a custom
    attribute, then the overrides and rules removed and the cluster destroyed."""
    content = si.RetrieveContent()
    dc = find(content, vim.Datacenter, 'DC0')
    admission = vim.cluster.FailoverResourcesAdmissionControlPolicy(cpuFailoverResourcesPercent=25, memoryFailoverResourcesPercent=25, failoverLevel=1)
    spec = vim.cluster.ConfigSpecEx(
        vmSwapPlacement='vmDirectory',
        drsConfig=vim.cluster.DrsConfigInfo(enabled=True, defaultVmBehavior='fullyAutomated', vmotionRate=3, enableVmBehaviorOverrides=True,
                                            option=[vim.option.OptionValue(key='TryBalanceVmsPerHost', value='1')]),
        dasConfig=vim.cluster.DasConfigInfo(enabled=True, hostMonitoring='enabled', vmMonitoring='vmMonitoringDisabled', admissionControlEnabled=True,
                                            admissionControlPolicy=admission,
                                            defaultVmSettings=vim.cluster.DasVmSettings(restartPriority='medium', isolationResponse='none')),
        dpmConfig=vim.cluster.DpmConfigInfo(enabled=False, defaultDpmBehavior='manual', hostPowerActionRate=3),
        orchestration=vim.cluster.OrchestrationInfo(defaultVmReadiness=vim.cluster.VmReadiness(readyCondition='none', postReadyDelay=0)),
        proactiveDrsConfig=vim.cluster.ProactiveDrsConfigInfo(enabled=False))
    cluster = dc.hostFolder.CreateClusterEx(name='tf-cluster', spec=spec)
    source = find(content, vim.ClusterComputeResource, 'DC0_C0')
    host = source.host[0]
    WaitForTask(host.EnterMaintenanceMode_Task(timeout=0))
    WaitForTask(cluster.MoveInto_Task(host=[host]))
    WaitForTask(host.ExitMaintenanceMode_Task(timeout=0))
    vm = find(content, vim.VirtualMachine, 'DC0_H0_VM0')
    add = vim.option.ArrayUpdateSpec.Operation.add
    reconfigure(cluster, vim.cluster.ConfigSpecEx(groupSpec=[vim.cluster.GroupSpec(operation=add, info=vim.cluster.VmGroup(name='tf-vms', vm=[vm]))]))
    reconfigure(cluster, vim.cluster.ConfigSpecEx(groupSpec=[vim.cluster.GroupSpec(operation=add, info=vim.cluster.HostGroup(name='tf-hosts', host=[host]))]))
    reconfigure(cluster, vim.cluster.ConfigSpecEx(rulesSpec=[vim.cluster.RuleSpec(operation=add, info=vim.cluster.VmHostRuleInfo(
        name='tf-pin', enabled=True, mandatory=False, vmGroupName='tf-vms', affineHostGroupName='tf-hosts'))]))
    reconfigure(cluster, vim.cluster.ConfigSpecEx(rulesSpec=[vim.cluster.RuleSpec(operation=add, info=vim.cluster.AntiAffinityRuleSpec(
        name='tf-apart', enabled=True, vm=[vm]))]))
    reconfigure(cluster, vim.cluster.ConfigSpecEx(drsVmConfigSpec=[vim.cluster.DrsVmConfigSpec(operation=add, info=vim.cluster.DrsVmConfigInfo(
        key=vm, enabled=True, behavior='manual'))]))
    reconfigure(cluster, vim.cluster.ConfigSpecEx(dasVmConfigSpec=[vim.cluster.DasVmConfigSpec(operation=add, info=vim.cluster.DasVmConfigInfo(
        key=vm, dasSettings=vim.cluster.DasVmSettings(restartPriority='highest', isolationResponse='powerOff')))]))
    cluster.setCustomValue(key='owner', value='terraform')
    evc = cluster.EvcManager()
    WaitForTask(evc.ConfigureEvcMode_Task('intel-sandybridge'))
    evc_read = [cluster.summary.currentEVCModeKey, evc.evcState.currentEVCModeKey, len(evc.evcState.supportedEVCMode) > 10]
    too_new = task_fault(lambda: evc.ConfigureEvcMode_Task('intel-cascadelake'))
    check = evc.CheckConfigureEvcMode_Task('amd-zen')
    WaitForTask(check)
    # pyvmomi decodes a LocalizedMethodFault as the fault it carries
    evc_read += [too_new, [(r.evcModeKey, fault_name(r.error)) for r in check.info.result]]
    WaitForTask(evc.DisableEvcMode_Task())
    evc_read.append(cluster.summary.currentEVCModeKey)
    config = cluster.configurationEx
    rule_keys = {r.name: r.key for r in config.rule}
    read = {
        'drs': [config.drsConfig.enabled, config.drsConfig.defaultVmBehavior, [(o.key, o.value) for o in config.drsConfig.option]],
        'ha': [config.dasConfig.enabled, type(config.dasConfig.admissionControlPolicy).__name__.split('.')[-1],
               config.dasConfig.admissionControlPolicy.cpuFailoverResourcesPercent, config.dasConfig.defaultVmSettings.restartPriority],
        'dpm': [config.dpmConfigInfo.enabled, config.dpmConfigInfo.defaultDpmBehavior],
        'readiness': config.orchestration.defaultVmReadiness.readyCondition,
        'groups': sorted((type(g).__name__.split('.')[-1], g.name, len(getattr(g, 'vm', None) or getattr(g, 'host', None) or [])) for g in config.group),
        'rules': sorted((type(r).__name__.split('.')[-1], r.name, r.enabled, bool(r.ruleUuid)) for r in config.rule),
        'drsOverride': [(o.key._moId == vm._moId, o.behavior) for o in config.drsVmConfig],
        'haOverride': [(o.key._moId == vm._moId, o.dasSettings.restartPriority, o.dasSettings.isolationResponse) for o in config.dasVmConfig],
        'customValue': [(f.name, v.value) for f in cluster.availableField for v in cluster.customValue if v.key == f.key],
        'numHosts': cluster.summary.numHosts,
        'pool': cluster.resourcePool.name,
        'evc': evc_read,
    }
    remove = vim.option.ArrayUpdateSpec.Operation.remove
    edit = vim.option.ArrayUpdateSpec.Operation.edit
    reconfigure(cluster, vim.cluster.ConfigSpecEx(rulesSpec=[vim.cluster.RuleSpec(operation=edit, info=vim.cluster.AntiAffinityRuleSpec(
        key=rule_keys['tf-apart'], name='tf-apart', enabled=False, vm=[vm]))]))
    edited = [r.enabled for r in cluster.configurationEx.rule if r.name == 'tf-apart']
    reconfigure(cluster, vim.cluster.ConfigSpecEx(
        rulesSpec=[vim.cluster.RuleSpec(operation=remove, removeKey=key) for key in rule_keys.values()],
        drsVmConfigSpec=[vim.cluster.DrsVmConfigSpec(operation=remove, removeKey=vm)],
        dasVmConfigSpec=[vim.cluster.DasVmConfigSpec(operation=remove, removeKey=vm)],
        groupSpec=[vim.cluster.GroupSpec(operation=remove, removeKey=name) for name in ('tf-vms', 'tf-hosts')]))
    after = cluster.configurationEx
    emptied = [len(after.rule), len(after.group), len(after.drsVmConfig), len(after.dasVmConfig)]
    duplicate = task_fault(lambda: cluster.ReconfigureComputeResource_Task(spec=vim.cluster.ConfigSpecEx(drsVmConfigSpec=[
        vim.cluster.DrsVmConfigSpec(operation=remove, removeKey=vm)]), modify=True))
    not_empty = task_fault(lambda: cluster.Destroy_Task())
    for guest in host.vm:
        if guest.runtime.powerState == 'poweredOn':
            WaitForTask(guest.PowerOffVM_Task())
    WaitForTask(host.EnterMaintenanceMode_Task(timeout=0))
    WaitForTask(cluster.Destroy_Task())
    return {'read': read, 'edited': edited, 'emptied': emptied, 'badRemove': duplicate, 'destroyNotReady': not_empty,
            'gone': find(content, vim.ClusterComputeResource, 'tf-cluster') is None}


def cluster_ops(si):
    """The older and rarer cluster calls: CreateCluster with a ClusterConfigSpec, ReconfigureCluster_Task,
    FindRulesForVm, RecommendHostsForVm, MoveHostInto_Task; DRS placing a VM at power-on; and
    destroying the network objects."""
    content = si.RetrieveContent()
    dc = find(content, vim.Datacenter, 'DC0')
    legacy = dc.hostFolder.CreateCluster('legacy', vim.cluster.ConfigSpec(drsConfig=vim.cluster.DrsConfigInfo(enabled=True, defaultVmBehavior='fullyAutomated')))
    cluster = find(content, vim.ClusterComputeResource, 'DC0_C0')
    vms = [vm for host in cluster.host for vm in host.vm]
    WaitForTask(cluster.ReconfigureCluster_Task(spec=vim.cluster.ConfigSpec(rulesSpec=[vim.cluster.RuleSpec(
        operation='add', info=vim.cluster.AntiAffinityRuleSpec(name='spread', enabled=True, vm=vms[:2]))]), modify=True))
    rules = [r.name for r in cluster.FindRulesForVm(vms[0])]
    ratings = [(h.host.name, h.rating) for h in cluster.RecommendHostsForVm(vm=vms[0], pool=cluster.resourcePool)]
    # DRS at power-on: the busiest host's VM comes back on the least-loaded host.
    loads = {h.name: sum(1 for v in h.vm if v.runtime.powerState == 'poweredOn') for h in cluster.host}
    busiest = max(cluster.host, key=lambda h: loads[h.name])
    moved = busiest.vm[0]
    WaitForTask(moved.PowerOffVM_Task())
    least = min(sum(1 for v in h.vm if v.runtime.powerState == 'poweredOn') for h in cluster.host if h != busiest)
    WaitForTask(moved.PowerOnVM_Task())
    landed = moved.runtime.host
    placed = sum(1 for v in landed.vm if v.runtime.powerState == 'poweredOn' and v != moved) == least
    host = cluster.host[0]
    refused = task_fault(lambda: legacy.MoveHostInto_Task(host=host))
    for v in host.vm:
        if v.runtime.powerState == 'poweredOn':
            WaitForTask(v.PowerOffVM_Task())
    WaitForTask(host.EnterMaintenanceMode_Task(timeout=0))
    WaitForTask(legacy.MoveHostInto_Task(host=host))
    pg = find(content, vim.dvs.DistributedVirtualPortgroup, 'DC0_DVPG0')
    in_use = task_fault(lambda: pg.Destroy_Task())
    dvs = pg.config.distributedVirtualSwitch
    switch_in_use = task_fault(lambda: dvs.Destroy_Task())
    network_in_use = task_fault(lambda: find(content, vim.Network, 'VM Network').Destroy_Task())
    return {
        'legacyDrs': [legacy.configurationEx.drsConfig.enabled, legacy.configuration.drsConfig.defaultVmBehavior],
        'rules': rules, 'ratings': [r for _, r in ratings], 'ratedHosts': len(ratings),
        'placedLeastLoaded': placed, 'moveRefused': refused,
        'legacyHosts': [h.name for h in legacy.host], 'legacySummary': [legacy.summary.numHosts, legacy.summary.numEffectiveHosts],
        'portgroupInUse': in_use, 'switchInUse': switch_in_use, 'networkInUse': network_in_use,
    }


SCENARIOS = {
    'terraform-vm': terraform_vm,
    'terraform-cluster': terraform_cluster,
    'cluster-ops': cluster_ops,
}


def main():
    args = arguments(SCENARIOS).parse_args()
    si = connect(args)
    emit(SCENARIOS[args.scenario](si))


if __name__ == '__main__':
    main()
