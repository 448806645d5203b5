#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) building inventory: datacenters, folders, pools, moves.

Run with /usr/bin/python3:  folders.py --url https://127.0.0.1:PORT/sdk --user U --password P
Prints one JSON document as its last stdout line.
"""

from pyVim.task import WaitForTask

from pyVmomi import vim

from sim import arguments, connect, emit, fault_of, task_fault


def pool_spec():
    allocation = vim.ResourceAllocationInfo(reservation=0, expandableReservation=True, limit=-1,
                                            shares=vim.SharesInfo(level='normal', shares=0))
    return vim.ResourceConfigSpec(cpuAllocation=allocation, memoryAllocation=allocation)


def pools(content):
    """Terraform's vsphere_resource_pool parent change and a VM's resource_pool_id change: MoveIntoResourcePool."""
    cluster = content.searchIndex.FindByInventoryPath('DC0/host/DC0_C0')
    root = cluster.resourcePool
    team = root.CreateResourcePool('team', pool_spec())
    batch = root.CreateResourcePool('batch', pool_spec())
    vm = content.searchIndex.FindByInventoryPath('DC0/vm/DC0_C0_RP0_VM0')
    team.MoveIntoResourcePool([batch, vm])
    standalone = content.searchIndex.FindByInventoryPath('DC0/host/DC0_H0').resourcePool
    return {
        'batchParent': batch.parent.name,
        'vmPool': vm.resourcePool.name,
        'teamChildren': sorted(p.name for p in team.resourcePool),
        'teamVms': [v.name for v in team.vm],
        'intoOwnChild': fault_of(lambda: batch.MoveIntoResourcePool([team])),
        'otherHost': fault_of(lambda: standalone.MoveIntoResourcePool([vm])),
    }


def main():
    parser = arguments()
    args = parser.parse_args()
    si = connect(args)
    content = si.RetrieveContent()
    root = content.rootFolder
    dc = root.CreateDatacenter('DC-new')
    folders = [dc.vmFolder.name, dc.hostFolder.name, dc.datastoreFolder.name, dc.networkFolder.name]
    duplicate = fault_of(lambda: root.CreateDatacenter('DC-new'))

    dc0 = content.searchIndex.FindByInventoryPath('DC0')
    web = dc0.vmFolder.CreateFolder('web')
    inner = web.CreateFolder('inner')
    vm = content.searchIndex.FindByInventoryPath('DC0/vm/DC0_H0_VM0')
    WaitForTask(web.MoveIntoFolder_Task([vm]))
    moved = content.searchIndex.FindByInventoryPath('DC0/vm/web/DC0_H0_VM0')
    emit({
        'datacenter': dc.name,
        'folders': folders,
        'duplicate': duplicate,
        'movedFound': moved is not None and moved._moId == vm._moId,
        'vmParent': vm.parent.name,
        'oldPathGone': content.searchIndex.FindByInventoryPath('DC0/vm/DC0_H0_VM0') is None,
        'intoHostFolder': task_fault(lambda: dc0.hostFolder.MoveIntoFolder_Task([vm])),
        'intoOwnChild': task_fault(lambda: inner.MoveIntoFolder_Task([web])),
        'datacenterInVmFolder': fault_of(lambda: web.CreateDatacenter('nope')),
        'pools': pools(content),
    })


if __name__ == '__main__':
    main()
