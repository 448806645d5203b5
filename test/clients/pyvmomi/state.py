#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) against vcenter-sim's world snapshots and reset.

Run with /usr/bin/python3:  state.py --url https://127.0.0.1:PORT/sdk --user U --password P
Takes a snapshot through the control API, powers off and destroys every VM with pyVmomi, restores
the snapshot, and reads the inventory again; then renames a VM and resets. Prints one JSON document
as its last stdout line: the inventory read at each step, as pyVmomi decoded it.
"""

from pyVim.task import WaitForTask
from pyVmomi import vim, vmodl

from sim import arguments, connect, control, emit

PROPERTIES = ['name', 'config.uuid', 'config.hardware.numCPU', 'config.hardware.memoryMB',
              'runtime.powerState', 'runtime.host', 'summary.config.vmPathName', 'guest.ipAddress']


def inventory(si):
    """Every VM's properties, as pyVmomi decodes them, sorted by moref: a comparable picture."""
    content = si.RetrieveContent()
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    spec = vmodl.query.PropertyCollector.FilterSpec(
        objectSet=[vmodl.query.PropertyCollector.ObjectSpec(
            obj=view, skip=True,
            selectSet=[vmodl.query.PropertyCollector.TraversalSpec(type=vim.view.ContainerView, path='view', skip=False)])],
        propSet=[vmodl.query.PropertyCollector.PropertySpec(type=vim.VirtualMachine, pathSet=PROPERTIES)])
    result = content.propertyCollector.RetrieveContents([spec])
    view.DestroyView()
    return {obj.obj._moId: {p.name: str(p.val) for p in obj.propSet} for obj in result}


def main():
    parser = arguments()
    args = parser.parse_args()
    si = connect(args)
    before = inventory(si)
    status, snapshot = control(args, 'POST', '/snapshots', {'name': 'pyvmomi'})
    assert status == 201, status

    content = si.RetrieveContent()
    vm_folder = content.rootFolder.childEntity[0].vmFolder
    made = vm_folder.CreateFolder('made-by-pyvmomi')
    try:
        vm_folder.CreateFolder('made-by-pyvmomi')
        duplicate = None
    except vim.fault.DuplicateName as fault:
        duplicate = {'name': fault.name, 'object': fault.object._moId}
    folder = {'made': made._moId, 'name': made.name, 'duplicate': duplicate}
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    for vm in view.view:
        if vm.runtime.powerState != 'poweredOff':
            WaitForTask(vm.PowerOffVM_Task())
        WaitForTask(vm.Destroy_Task())
    view.DestroyView()
    destroyed = inventory(si)

    status, _ = control(args, 'POST', '/snapshots/{0}/restore'.format(snapshot['id']))
    assert status == 204, status
    restored = inventory(si)
    folder['afterRestore'] = [f.name for f in vm_folder.childEntity if isinstance(f, vim.Folder)]

    first = vim.VirtualMachine(next(iter(sorted(before))), si._stub)
    WaitForTask(first.Rename_Task('renamed-by-pyvmomi'))
    renamed = first.name
    status, _ = control(args, 'POST', '/reset')
    assert status == 204, status
    after_reset = inventory(si)
    emit({'before': before, 'destroyed': destroyed, 'restored': restored, 'renamed': renamed,
          'afterReset': after_reset, 'snapshot': snapshot, 'folder': folder})


if __name__ == '__main__':
    main()
