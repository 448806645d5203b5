#!/usr/bin/python3
"""pyvmomi creating and cloning VMs against vcenter-sim: CreateVM_Task with a disk and a NIC in
DC0's vm folder and DC0_C0's pool, power on, CloneVM_Task, a duplicate clone name, a clone
cancelled mid-run, a linked clone from a snapshot, Rename_Task, power off, destroy both, each waited for with
pyVim.task.WaitForTask, what pyVmomi reads back at each step, and the events of every step read
both through QueryEvents and through an EventHistoryCollector.

Run with /usr/bin/python3:  create_clone.py --url https://127.0.0.1:PORT/sdk --user U --password P
Prints one JSON document as its last stdout line.
"""

from pyVim.connect import Disconnect
from pyVim.task import WaitForTask
from pyVmomi import vim, vmodl

from sim import arguments, connect, emit

from client import fault_info


def create_spec(name):
    controller = vim.vm.device.VirtualLsiLogicController(key=-100, busNumber=0, sharedBus='noSharing')
    disk = vim.vm.device.VirtualDisk(
        key=-101, controllerKey=-100, unitNumber=0, capacityInKB=4 * 1024 * 1024,
        backing=vim.vm.device.VirtualDisk.FlatVer2BackingInfo(fileName='', diskMode='persistent', thinProvisioned=True))
    nic = vim.vm.device.VirtualVmxnet3(
        key=-102, backing=vim.vm.device.VirtualEthernetCard.NetworkBackingInfo(deviceName='VM Network'),
        connectable=vim.vm.device.VirtualDevice.ConnectInfo(startConnected=True, allowGuestControl=True, connected=False))
    add = vim.vm.device.VirtualDeviceSpec.Operation.add
    return vim.vm.ConfigSpec(
        name=name, guestId='otherLinux64Guest', numCPUs=2, memoryMB=256,
        files=vim.vm.FileInfo(vmPathName='[LocalDS_0]'),
        deviceChange=[
            vim.vm.device.VirtualDeviceSpec(operation=add, device=controller),
            vim.vm.device.VirtualDeviceSpec(operation=add, fileOperation='create', device=disk),
            vim.vm.device.VirtualDeviceSpec(operation=add, device=nic),
        ])


def describe(vm):
    devices = vm.config.hardware.device
    disks = [d for d in devices if isinstance(d, vim.vm.device.VirtualDisk)]
    nics = [d for d in devices if isinstance(d, vim.vm.device.VirtualEthernetCard)]
    return {
        'name': vm.name, 'moid': vm._moId, 'powerState': vm.runtime.powerState,
        'numCPU': vm.config.hardware.numCPU, 'memoryMB': vm.config.hardware.memoryMB,
        'guestId': vm.config.guestId, 'vmx': vm.config.files.vmPathName, 'uuid': vm.config.uuid,
        'template': vm.config.template,
        'controllers': sorted(type(d).__name__.split('.')[-1] for d in devices if isinstance(d, vim.vm.device.VirtualController)),
        'disks': [{'file': d.backing.fileName, 'capacityInKB': d.capacityInKB, 'controllerKey': d.controllerKey,
                   'datastore': d.backing.datastore.name if d.backing.datastore else None} for d in disks],
        'nics': [{'type': type(d).__name__.split('.')[-1], 'mac': d.macAddress,
                  'network': d.backing.network.name if d.backing.network else None} for d in nics],
        'networks': [n.name for n in vm.network], 'datastores': [d.name for d in vm.datastore],
        'pool': vm.resourcePool.name if vm.resourcePool else None, 'parent': vm.parent.name,
        'host': vm.runtime.host.name, 'hostHasVm': vm in vm.runtime.host.vm,
        'poolHasVm': vm.resourcePool is not None and vm in vm.resourcePool.vm,
        'ip': vm.guest.ipAddress,
    }


def event_name(event):
    return type(event).__name__.split('.')[-1]


def events_of(si, vm):
    spec = vim.event.EventFilterSpec(entity=vim.event.EventFilterSpec.ByEntity(entity=vm, recursion='self'))
    return [event_name(e) for e in si.content.eventManager.QueryEvents(spec)]


def collected_events(si, vm):
    """The VM's events through an EventHistoryCollector: the latest page, then from the start in pages of 3."""
    spec = vim.event.EventFilterSpec(entity=vim.event.EventFilterSpec.ByEntity(entity=vm, recursion='self'))
    collector = si.content.eventManager.CreateCollectorForEvents(spec)
    try:
        collector.SetCollectorPageSize(5)
        latest = [e.key for e in collector.latestPage]
        collector.RewindCollector()
        events = []
        while True:
            page = collector.ReadNextEvents(3)
            if not page:
                break
            events.extend(page)
        return {'latestPage': latest, 'keys': [e.key for e in events], 'types': [event_name(e) for e in events],
                'queried': [e.key for e in si.content.eventManager.QueryEvents(spec)]}
    finally:
        collector.DestroyCollector()


def cancelled_clone(folder, vm):
    """A clone cancelled while it runs: RequestCanceled, and no VM of that name afterwards."""
    task = vm.CloneVM_Task(folder=folder, name='pyvm-cancelled', spec=vim.vm.CloneSpec(
        location=vim.vm.RelocateSpec(), powerOn=False, template=False))
    while task.info.state == 'queued':
        pass
    state_when_cancelled = task.info.state
    task.CancelTask()
    try:
        WaitForTask(task)
        outcome = {'fault': None}
    except vmodl.fault.RequestCanceled as error:
        outcome = fault_info(error)
    outcome.update({'stateWhenCancelled': state_when_cancelled, 'state': task.info.state,
                    'cancelled': task.info.cancelled, 'cancelable': task.info.cancelable,
                    'left': [c.name for c in folder.childEntity if c.name == 'pyvm-cancelled']})
    return outcome


def linked_clone(folder, vm):
    """A linked clone from a snapshot: its disk is a child of the source's; then it is destroyed."""
    snapshot_task = vm.CreateSnapshot_Task(name='golden', description='', memory=False, quiesce=False)
    WaitForTask(snapshot_task)
    ds = vm.datastore[0]
    free = ds.summary.freeSpace
    task = vm.CloneVM_Task(folder=folder, name='pyvm-linked', spec=vim.vm.CloneSpec(
        location=vim.vm.RelocateSpec(diskMoveType='createNewChildDiskBacking'),
        snapshot=snapshot_task.info.result, powerOn=False, template=False))
    WaitForTask(task)
    clone = task.info.result
    disk = next(d for d in clone.config.hardware.device if isinstance(d, vim.vm.device.VirtualDisk))
    out = {'file': disk.backing.fileName, 'parent': disk.backing.parent.fileName if disk.backing.parent else None,
           'spaceUsed': free - ds.summary.freeSpace}
    WaitForTask(clone.Destroy_Task())
    WaitForTask(vm.RemoveAllSnapshots_Task())
    out['spaceAfterDestroy'] = free - ds.summary.freeSpace
    return out


def main():
    parser = arguments()
    args = parser.parse_args()
    si = connect(args)
    try:
        dc = si.content.searchIndex.FindByInventoryPath('DC0')
        cluster = si.content.searchIndex.FindByInventoryPath('DC0/host/DC0_C0')
        folder = dc.vmFolder
        task = folder.CreateVM_Task(config=create_spec('pyvm'), pool=cluster.resourcePool)
        WaitForTask(task)
        vm = task.info.result
        created = describe(vm)
        created['taskEntity'] = task.info.entity.name
        created['inFolder'] = vm in folder.childEntity
        WaitForTask(vm.PowerOnVM_Task())
        powered = describe(vm)
        clone_task = vm.CloneVM_Task(folder=folder, name='pyvm-clone', spec=vim.vm.CloneSpec(
            location=vim.vm.RelocateSpec(), powerOn=False, template=False))
        WaitForTask(clone_task)
        clone = clone_task.info.result
        cloned = describe(clone)
        try:
            WaitForTask(vm.CloneVM_Task(folder=folder, name='pyvm-clone', spec=vim.vm.CloneSpec(
                location=vim.vm.RelocateSpec(), powerOn=False, template=False)))
            duplicate = {'fault': None}
        except vim.fault.DuplicateName as error:
            duplicate = fault_info(error)
        cancelled = cancelled_clone(folder, vm)
        linked = linked_clone(folder, vm)
        WaitForTask(clone.Rename_Task('pyvm-renamed'))
        renamed = {'name': clone.name, 'configName': clone.config.name, 'summaryName': clone.summary.config.name}
        WaitForTask(vm.PowerOffVM_Task())
        events = {'vm': events_of(si, vm), 'clone': events_of(si, clone)}
        collected = collected_events(si, vm)
        WaitForTask(vm.Destroy_Task())
        WaitForTask(clone.Destroy_Task())
        left = [c.name for c in folder.childEntity if c.name in ('pyvm', 'pyvm-clone', 'pyvm-renamed')]
        removed = vim.event.EventFilterSpec(eventTypeId=['VmRemovedEvent'],
                                            entity=vim.event.EventFilterSpec.ByEntity(entity=dc, recursion='all'))
        emit({'created': created, 'powered': powered, 'cloned': cloned, 'duplicate': duplicate,
              'cancelled': cancelled, 'linked': linked, 'renamed': renamed, 'events': events, 'collected': collected,
              'removed': [e.vm.name for e in si.content.eventManager.QueryEvents(removed)], 'left': left})
    finally:
        Disconnect(si)


if __name__ == '__main__':
    main()
