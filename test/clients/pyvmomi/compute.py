#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) doing what Terraform's vsphere provider and Ansible's
community.vmware modules do to compute resources: clusters, hosts, and VMs created from scratch.

Run with /usr/bin/python3:  compute.py SCENARIO --url https://127.0.0.1:PORT/sdk --user U --password P
Prints one JSON document as its last stdout line.
"""

from pyVim.task import WaitForTask
from pyVmomi import vim, vmodl

from sim import arguments, connect, emit


def find(content, vimtype, name):
    view = content.viewManager.CreateContainerView(content.rootFolder, [vimtype], True)
    try:
        return next((obj for obj in view.view if obj.name == name), None)
    finally:
        view.DestroyView()


def fault_name(error):
    return getattr(error, '_wsdlName', type(error).__name__)


def task_fault(start):
    try:
        WaitForTask(start())
    except (vim.fault.VimFault, vmodl.MethodFault) as error:
        return fault_name(error)
    return None


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
    WaitForTask(vm.Destroy_Task())
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
    }


SCENARIOS = {
    'terraform-vm': terraform_vm,
}


def main():
    args = arguments(SCENARIOS).parse_args()
    si = connect(args)
    emit(SCENARIOS[args.scenario](si))


if __name__ == '__main__':
    main()
