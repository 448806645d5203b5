#!/usr/bin/python3
"""pyvmomi tasks and events against vcenter-sim: power operations waited for with
pyVim.task.WaitForTask (a PropertyCollector filter on Task.info and WaitForUpdates), their faults,
and the events they post read back through QueryEvents.

Run with /usr/bin/python3:  tasks.py --url https://127.0.0.1:PORT/sdk --user U --password P
Prints one JSON document as its last stdout line.
"""

from pyVim.connect import Disconnect
from pyVim.task import WaitForTask
from pyVmomi import vim

from sim import arguments, connect, emit

from client import fault_info


def power_cycle(si, vm):
    steps = []
    WaitForTask(vm.PowerOffVM_Task())
    steps.append({'after': 'PowerOffVM_Task', 'powerState': vm.runtime.powerState, 'ip': vm.guest.ipAddress})
    try:
        WaitForTask(vm.PowerOffVM_Task())
        steps.append({'after': 'second PowerOffVM_Task', 'fault': None})
    except vim.fault.InvalidPowerState as error:
        steps.append({'after': 'second PowerOffVM_Task', **fault_info(error), 'existingState': error.existingState})
    create = vm.CreateSnapshot_Task(name='base', description='before reconfiguring', memory=False, quiesce=False)
    WaitForTask(create)
    snapshot = create.info.result
    steps.append(reconfigure(vm))
    steps.append(snapshots(vm, snapshot))
    task = vm.PowerOnVM_Task()
    WaitForTask(task)
    steps.append({
        'after': 'PowerOnVM_Task', 'powerState': vm.runtime.powerState, 'ip': vm.guest.ipAddress,
        'taskState': task.info.state, 'descriptionId': task.info.descriptionId, 'entityName': task.info.entityName,
    })
    return steps


def reconfigure(vm):
    controller = next(d for d in vm.config.hardware.device if isinstance(d, vim.vm.device.VirtualSCSIController))
    disk = vim.vm.device.VirtualDisk(key=-1, controllerKey=controller.key, capacityInKB=2 * 1024 * 1024,
                                     backing=vim.vm.device.VirtualDisk.FlatVer2BackingInfo(diskMode='persistent', thinProvisioned=True))
    spec = vim.vm.ConfigSpec(numCPUs=2, memoryMB=64, annotation='reconfigured by pyvmomi', deviceChange=[
        vim.vm.device.VirtualDeviceSpec(operation='add', fileOperation='create', device=disk)])
    WaitForTask(vm.ReconfigVM_Task(spec=spec))
    disks = [d for d in vm.config.hardware.device if isinstance(d, vim.vm.device.VirtualDisk)]
    return {'after': 'ReconfigVM_Task', 'numCPU': vm.config.hardware.numCPU, 'memoryMB': vm.config.hardware.memoryMB,
            'annotation': vm.config.annotation, 'disks': [{'label': d.deviceInfo.label, 'capacityInKB': d.capacityInKB,
                                                          'file': d.backing.fileName} for d in disks]}


def snapshots(vm, snapshot):
    tree = vm.snapshot.rootSnapshotList
    layout = vm.layoutEx
    files = sorted(f.type for f in layout.file)
    snapshot_layout = [{'snapshot': s.key._moId, 'data': next(f.name for f in layout.file if f.key == s.dataKey),
                        'chainBefore': [len(d.chain) for d in s.disk]} for s in layout.snapshot]
    chains = [len(d.chain) for d in layout.disk]
    WaitForTask(vm.RevertToCurrentSnapshot_Task())
    after_revert = vm.config.hardware.numCPU
    WaitForTask(vm.RemoveAllSnapshots_Task())
    return {'after': 'snapshots', 'snapshotType': snapshot._wsdlName,
            'tree': [t.name for t in tree], 'current': vm.snapshot is None and 'removed',
            'numCPUAfterRevert': after_revert, 'rootSnapshots': len(vm.rootSnapshot),
            'layout': {'files': files, 'snapshots': snapshot_layout, 'chains': chains,
                       'filesAfterRemoveAll': sorted(f.type for f in vm.layoutEx.file),
                       'chainsAfterRemoveAll': [len(d.chain) for d in vm.layoutEx.disk]}}


def events_of(si, vm):
    spec = vim.event.EventFilterSpec(entity=vim.event.EventFilterSpec.ByEntity(entity=vm, recursion='self'))
    return [{'type': type(e).__name__.split('.')[-1], 'chainId': e.chainId, 'user': e.userName,
             'message': e.fullFormattedMessage} for e in si.content.eventManager.QueryEvents(spec)]


def main():
    parser = arguments()
    parser.add_argument('--path', default='DC0/vm/DC0_H0_VM0')
    args = parser.parse_args()
    si = connect(args)
    try:
        vm = si.content.searchIndex.FindByInventoryPath(args.path)
        steps = power_cycle(si, vm)
        latest = si.content.eventManager.latestEvent
        emit({'steps': steps, 'events': events_of(si, vm), 'latestEvent': type(latest).__name__.split('.')[-1],
              'recentTasks': len(si.content.taskManager.recentTask)})
    finally:
        Disconnect(si)


if __name__ == '__main__':
    main()
