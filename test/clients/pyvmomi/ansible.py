#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) doing what Ansible's community.vmware modules do to
clusters and hosts (vmware_cluster, _drs, _ha, _vsan, _info, vmware_host_facts,
vmware_maintenancemode), a host's own operations, and inventory folders and names.

Run with /usr/bin/python3:  ansible.py SCENARIO --url https://127.0.0.1:PORT/sdk --user U --password P
Prints one JSON document as its last stdout line.
"""

from pyVim.task import WaitForTask
from pyVmomi import vim

from sim import arguments, connect, emit, find, task_fault


def reconfigure(cluster, spec):
    WaitForTask(cluster.ReconfigureComputeResource_Task(spec=spec, modify=True))


def ansible_cluster(si):
    """community.vmware's vmware_cluster (create), vmware_cluster_drs, vmware_cluster_ha and
    vmware_cluster_vsan (ReconfigureComputeResource_Task with modify, after comparing with
    configurationEx as the modules do to decide whether anything changes), then vmware_cluster_info."""
    content = si.RetrieveContent()
    dc = find(content, vim.Datacenter, 'DC0')
    cluster = dc.hostFolder.CreateClusterEx(name='ans-cluster', spec=vim.cluster.ConfigSpecEx())
    drs = cluster.configurationEx.drsConfig
    changed = []
    if not (drs.enabled and drs.defaultVmBehavior == 'partiallyAutomated'):
        reconfigure(cluster, vim.cluster.ConfigSpecEx(drsConfig=vim.cluster.DrsConfigInfo(
            enabled=True, enableVmBehaviorOverrides=True, defaultVmBehavior='partiallyAutomated', vmotionRate=2,
            option=[vim.option.OptionValue(key='MinGoodness', value='1')])))
        changed.append('drs')
    das = cluster.configurationEx.dasConfig
    if not das.enabled:
        policy = vim.cluster.FailoverLevelAdmissionControlPolicy(failoverLevel=1)
        settings = vim.cluster.DasVmSettings(restartPriority='high', isolationResponse='none',
                                             vmToolsMonitoringSettings=vim.cluster.VmToolsMonitoringSettings(
                                                 enabled=True, vmMonitoring='vmMonitoringOnly', clusterSettings=False,
                                                 failureInterval=30, minUpTime=120, maxFailures=3, maxFailureWindow=-1))
        reconfigure(cluster, vim.cluster.ConfigSpecEx(dasConfig=vim.cluster.DasConfigInfo(
            enabled=True, hostMonitoring='enabled', vmMonitoring='vmMonitoringOnly', admissionControlEnabled=True,
            admissionControlPolicy=policy, defaultVmSettings=settings, hBDatastoreCandidatePolicy='allFeasibleDsWithUserPreference')))
        changed.append('ha')
    vsan = cluster.configurationEx.vsanConfigInfo
    if not (vsan and vsan.enabled):
        reconfigure(cluster, vim.cluster.ConfigSpecEx(vsanConfig=vim.vsan.cluster.ConfigInfo(
            enabled=True, defaultConfig=vim.vsan.cluster.ConfigInfo.HostDefaultInfo(autoClaimStorage=False))))
        changed.append('vsan')
    # A second run of the modules finds nothing to change.
    drs, das, vsan = cluster.configurationEx.drsConfig, cluster.configurationEx.dasConfig, cluster.configurationEx.vsanConfigInfo
    idempotent = drs.enabled and drs.defaultVmBehavior == 'partiallyAutomated' and das.enabled and vsan.enabled
    info = {}
    for c in [find(content, vim.ClusterComputeResource, name) for name in ('DC0_C0', 'ans-cluster')]:
        config = c.configurationEx
        das = config.dasConfig
        summary = c.summary
        info[c.name] = {
            'hosts': sorted(h.name for h in c.host),
            'drs_enabled': config.drsConfig.enabled,
            'drs_default_vm_behavior': config.drsConfig.defaultVmBehavior,
            'drs_vmotion_rate': config.drsConfig.vmotionRate,
            'ha_enabled': das.enabled,
            'ha_failover_level': das.admissionControlPolicy.failoverLevel if das.admissionControlPolicy else None,
            'ha_restart_priority': das.defaultVmSettings.restartPriority if das.defaultVmSettings else None,
            'ha_vm_monitoring': das.vmMonitoring,
            'ha_vm_tools_monitoring': das.defaultVmSettings.vmToolsMonitoringSettings.vmMonitoring if das.defaultVmSettings else None,
            'enabled_vsan': bool(config.vsanConfigInfo and config.vsanConfigInfo.enabled),
            'vsan_auto_claim_storage': config.vsanConfigInfo.defaultConfig.autoClaimStorage if config.vsanConfigInfo and config.vsanConfigInfo.defaultConfig else None,
            'resource_summary': {
                'cpuCapacityMHz': c.GetResourceUsage().cpuCapacityMHz,
                'numHosts': summary.numHosts, 'numEffectiveHosts': summary.numEffectiveHosts,
                'totalMemory': summary.totalMemory, 'effectiveMemory': summary.effectiveMemory,
                'totalVmCount': summary.usageSummary.totalVmCount,
            },
            'moid': c._moId,
        }
    return {'changed': changed, 'idempotent': bool(idempotent), 'info': info}


def ansible_host(si):
    """community.vmware's vmware_host_facts (what it reads of a host) and vmware_maintenancemode
    (enter with a vSAN decommission mode, unless already in maintenance mode; then exit)."""
    content = si.RetrieveContent()
    host = find(content, vim.HostSystem, 'DC0_C0_H0')
    summary = host.summary
    hardware = host.hardware
    serial = next((i.identifierValue for i in summary.hardware.otherIdentifyingInfo if i.identifierType.key == 'ServiceTag'), None)
    facts = {
        'ansible_processor': summary.hardware.cpuModel,
        'ansible_processor_cores': summary.hardware.numCpuCores,
        'ansible_processor_count': summary.hardware.numCpuPkgs,
        'ansible_processor_vcpus': summary.hardware.numCpuThreads,
        'ansible_memtotal_mb': summary.hardware.memorySize // 1024 // 1024,
        'ansible_bios_version': hardware.biosInfo.biosVersion,
        'ansible_system_vendor': hardware.systemInfo.vendor,
        'ansible_product_serial': serial,
        'ansible_distribution_version': host.config.product.version,
        'ansible_in_maintenance_mode': host.runtime.inMaintenanceMode,
        'ansible_datastore': sorted(ds.summary.name for ds in host.datastore),
        'ansible_interfaces': sorted(n.device for n in host.config.network.vnic),
        'cpu_features': [f.level for f in hardware.cpuFeature],
        'cpu_pkg_threads': [list(p.threadId) for p in hardware.cpuPkg],
        'numa_nodes': hardware.numaInfo.numNodes,
        'pci_devices': len(hardware.pciDevice),
        'pci_first': [hardware.pciDevice[0].id, hardware.pciDevice[0].vendorId, hardware.pciDevice[0].vendorName],
        'serial_number': hardware.systemInfo.serialNumber,
    }
    result = {'facts': facts}
    if not host.runtime.inMaintenanceMode:
        spec = vim.host.MaintenanceSpec(vsanMode=vim.vsan.host.DecommissionMode(objectAction='ensureObjectAccessibility'))
        WaitForTask(host.EnterMaintenanceMode_Task(timeout=0, evacuatePoweredOffVms=True, maintenanceSpec=spec))
    result['entered'] = host.runtime.inMaintenanceMode
    result['vmsLeft'] = len(host.vm)
    WaitForTask(host.ExitMaintenanceMode_Task(timeout=0))
    result['exited'] = not host.runtime.inMaintenanceMode
    result['exitAgain'] = task_fault(lambda: host.ExitMaintenanceMode_Task(timeout=0))
    result['shutdownRefused'] = task_fault(lambda: host.ShutdownHost_Task(force=False))
    standalone = find(content, vim.HostSystem, 'DC0_H0')
    result['timedOut'] = task_fault(lambda: standalone.EnterMaintenanceMode_Task(timeout=1))
    return result


def host_ops(si):
    """A host's own operations as pyvmomi users call them: flags, TPM report, reconnect with a
    spec, reboot and shutdown (maintenance mode or force), standby and back."""
    content = si.RetrieveContent()
    host = find(content, vim.HostSystem, 'DC0_C0_H2')
    host.UpdateFlags(vim.host.FlagInfo(backgroundSnapshotsEnabled=True))
    out = {'flags': host.config.flags.backgroundSnapshotsEnabled, 'tpm': host.QueryTpmAttestationReport() is None}
    out['reconnectWrongHost'] = task_fault(lambda: host.ReconnectHost_Task(cnxSpec=vim.host.ConnectSpec(hostName='elsewhere', force=False)))
    WaitForTask(host.ReconnectHost_Task(cnxSpec=vim.host.ConnectSpec(hostName='DC0_C0_H2', userName='root', password='x', force=False),
                                        reconnectSpec=vim.HostSystem.ReconnectSpec(syncState=True)))
    out['rebootRefused'] = task_fault(lambda: host.RebootHost_Task(force=False))
    WaitForTask(host.EnterMaintenanceMode_Task(timeout=0))
    WaitForTask(host.RebootHost_Task(force=False))
    WaitForTask(host.ExitMaintenanceMode_Task(timeout=0))
    cluster = host.parent
    WaitForTask(host.PowerDownHostToStandBy_Task(timeoutSec=0, evacuatePoweredOffVms=False))
    out['standby'] = [host.runtime.powerState, host.runtime.standbyMode, cluster.summary.numEffectiveHosts]
    WaitForTask(host.PowerUpHostFromStandBy_Task(timeoutSec=0))
    out['awake'] = [host.runtime.powerState, cluster.summary.numEffectiveHosts]
    solo = find(content, vim.HostSystem, 'DC0_H0')
    WaitForTask(solo.ShutdownHost_Task(force=True))
    out['shutdown'] = [solo.runtime.powerState, solo.runtime.connectionState,
                       sorted({vm.runtime.powerState for vm in solo.vm})]
    return out


def inventory(si):
    """Folders and names: datacenters in nested folders, datastores, networks and compute resources
    moved into sub-folders, a cluster host moved out into the host folder (a standalone host),
    renames of every kind, custom values on hosts, clusters and datastores, and destroys."""
    content = si.RetrieveContent()
    root = content.rootFolder
    nested = root.CreateFolder('region').CreateFolder('site')
    dc2 = nested.CreateDatacenter('DC-nested')
    dc = find(content, vim.Datacenter, 'DC0')
    ds = find(content, vim.Datastore, 'LocalDS_0')
    net = find(content, vim.Network, 'VM Network')
    pg = find(content, vim.dvs.DistributedVirtualPortgroup, 'DC0_DVPG0')
    cluster = find(content, vim.ClusterComputeResource, 'DC0_C0')
    storage = dc.datastoreFolder.CreateFolder('storage')
    nets = dc.networkFolder.CreateFolder('nets')
    computes = dc.hostFolder.CreateFolder('computes')
    WaitForTask(storage.MoveIntoFolder_Task([ds]))
    WaitForTask(nets.MoveIntoFolder_Task([net, pg]))
    WaitForTask(computes.MoveIntoFolder_Task([cluster]))
    host = cluster.host[-1]
    WaitForTask(host.EnterMaintenanceMode_Task(timeout=0))
    WaitForTask(dc.hostFolder.MoveIntoFolder_Task([host]))
    standalone = host.parent
    renames = {}
    for entity, name in ((cluster, 'prod'), (ds, 'fast-ds'), (pg, 'web-pg'), (dc2, 'DC-renamed'), (standalone, 'solo')):
        WaitForTask(entity.Rename_Task(name))
        renames[name] = entity.name
    for entity in (host, cluster, ds):
        entity.setCustomValue(key='team', value='compute')
    wrong_type = task_fault(lambda: storage.MoveIntoFolder_Task([cluster]))
    empty = nets.CreateFolder('empty')
    WaitForTask(empty.Destroy_Task())
    WaitForTask(nested.Destroy_Task())
    return {
        'paths': {
            'datastore': content.searchIndex.FindByInventoryPath('DC0/datastore/storage/fast-ds') is not None,
            'portgroup': content.searchIndex.FindByInventoryPath('DC0/network/nets/web-pg') is not None,
            'cluster': content.searchIndex.FindByInventoryPath('DC0/host/computes/prod') is not None,
            'standalone': [type(standalone).__name__.split('.')[-1], standalone.parent.name, len(standalone.host)],
        },
        'renames': renames,
        'datastoreSummaryName': ds.summary.name,
        'customValues': sorted((e.name, v.value) for e in (host, cluster, ds) for v in e.customValue),
        'wrongType': wrong_type,
        'emptyGone': len(nets.childEntity),
        'nestedGone': len(root.CreateFolder('region-check').childEntity) == 0 and find(content, vim.Datacenter, 'DC-renamed') is None,
    }


SCENARIOS = {
    'ansible-cluster': ansible_cluster,
    'ansible-host': ansible_host,
    'host-ops': host_ops,
    'inventory': inventory,
}


def main():
    args = arguments(SCENARIOS).parse_args()
    si = connect(args)
    emit(SCENARIOS[args.scenario](si))


if __name__ == '__main__':
    main()
