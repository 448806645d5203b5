#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) as least-privilege users: what a read-only user sees and
may not do, what an operator (a custom role through a group) may, and an administrator granting
and revoking permissions as Ansible's vmware_object_role_permission does.

Run with /usr/bin/python3:
  access.py --url URL --user ADMIN --password P --reader USER:PASS --operator USER:PASS
Prints one JSON document as its last stdout line.
"""
import argparse

from pyVim.task import WaitForTask
from pyVmomi import vim

from sim import arguments, connect, emit, fault_name, find, task_fault


def session(args, credentials):
    user, password = credentials.split(':', 1)
    return connect(argparse.Namespace(url=args.url, user=user, password=password))


def vm_names(content):
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    try:
        return sorted(vm.name for vm in view.view)
    finally:
        view.DestroyView()


def denied(call):
    """(fault type, object id, privilegeId) of the fault `call()` raises, or None."""
    try:
        call()
    except vim.fault.NoPermission as error:
        return [fault_name(error), error.object._moId if error.object else None, error.privilegeId]
    return None


def main():
    parser = arguments()
    parser.add_argument('--reader', required=True)
    parser.add_argument('--operator', required=True)
    args = parser.parse_args()
    admin = connect(args).RetrieveContent()
    reader = session(args, args.reader).RetrieveContent()
    operator = session(args, args.operator).RetrieveContent()

    result = {'adminVms': vm_names(admin), 'readerVms': vm_names(reader)}
    hidden = find(admin, vim.VirtualMachine, 'DC0_H0_VM1')
    # The same VM as the reader's stub: reading a property of what it may not see.
    result['hiddenName'] = denied(lambda: vim.VirtualMachine(hidden._moId, reader.rootFolder._stub).name)

    clustered = find(reader, vim.VirtualMachine, 'DC0_C0_RP0_VM0')
    result['readerPowerOn'] = denied(lambda: clustered.PowerOnVM_Task())
    result['readerEffectiveRole'] = clustered.effectiveRole

    mine = find(operator, vim.VirtualMachine, 'DC0_C0_RP0_VM0')
    WaitForTask(mine.PowerOffVM_Task())
    WaitForTask(mine.PowerOnVM_Task())
    result['operatorPowerState'] = mine.runtime.powerState
    standalone = find(operator, vim.VirtualMachine, 'DC0_H0_VM0')
    result['operatorElsewhere'] = denied(lambda: standalone.PowerOffVM_Task())
    result['operatorDestroy'] = denied(lambda: mine.Destroy_Task())

    # vmware_object_role_permission as the administrator: grant the reader the operator role on one
    # VM's folder without propagation, then on the VM itself, then take it away again.
    auth = admin.authorizationManager
    role = next(r for r in auth.roleList if r.name == 'VmOperator')
    target = find(admin, vim.VirtualMachine, 'DC0_H0_VM0')
    folder = target.parent
    user = reader.sessionManager.currentSession.userName
    auth.SetEntityPermissions(entity=folder, permission=[vim.AuthorizationManager.Permission(principal=user, group=False, roleId=role.roleId, propagate=False)])
    as_reader = find(reader, vim.VirtualMachine, 'DC0_H0_VM0')
    result['notPropagated'] = denied(lambda: as_reader.PowerOffVM_Task())
    auth.SetEntityPermissions(entity=folder, permission=[vim.AuthorizationManager.Permission(principal=user, group=False, roleId=role.roleId, propagate=True)])
    result['propagated'] = task_fault(lambda: as_reader.PowerOffVM_Task())
    result['granted'] = auth.HasPrivilegeOnEntity(entity=target, sessionId=reader.sessionManager.currentSession.key, privId=['VirtualMachine.Interact.PowerOn', 'VirtualMachine.Inventory.Delete'])
    auth.RemoveEntityPermission(entity=folder, user=user, isGroup=False)
    result['revoked'] = denied(lambda: as_reader.PowerOnVM_Task())
    result['readerGrants'] = denied(lambda: reader.authorizationManager.SetEntityPermissions(entity=folder, permission=[]))
    WaitForTask(target.PowerOnVM_Task())

    # Events as the reader sees them (Ansible's vmware_guest events, govc events): none of the hidden VM's.
    WaitForTask(hidden.PowerOffVM_Task())
    WaitForTask(hidden.PowerOnVM_Task())
    def powered_off(content):
        spec = vim.event.EventFilterSpec(eventTypeId=['VmPoweredOffEvent'])
        return sorted({e.vm.name for e in content.eventManager.QueryEvents(spec) if e.vm})
    result['adminPoweredOff'] = powered_off(admin)
    result['readerPoweredOff'] = powered_off(reader)
    emit(result)


if __name__ == '__main__':
    main()
