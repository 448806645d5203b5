#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) managing roles and permissions as Ansible's
vmware_local_role_manager and vmware_object_role_permission do, and as govc's role.ls,
role.create/update/remove, permissions.set/ls/remove read and change them.

Run with /usr/bin/python3:  roles.py --url https://127.0.0.1:PORT/sdk --user U --password P
Prints one JSON document as its last stdout line.
"""

from pyVmomi import vim

from sim import arguments, connect, emit, fault_of



def main():
    args = arguments().parse_args()
    si = connect(args)
    content = si.RetrieveContent()
    auth = content.authorizationManager

    def find_role(name):  # vmware_local_role_manager.find_role_by_name
        return next((r for r in auth.roleList if r.name == name), None)

    system_roles = [(r.roleId, r.name, r.system) for r in auth.roleList]
    privileges = {p.privId: p.privGroupName for p in auth.privilegeList}

    # vmware_local_role_manager state: present, then again with other privileges (update), then absent.
    role_id = auth.AddAuthorizationRole(name='vm-operator', privIds=['VirtualMachine.Interact.PowerOn', 'VirtualMachine.Interact.PowerOff'])
    created = sorted(find_role('vm-operator').privilege)
    duplicate = fault_of(lambda: auth.AddAuthorizationRole(name='vm-operator', privIds=[]))
    bad_privilege = fault_of(lambda: auth.AddAuthorizationRole(name='bad', privIds=['No.Such.Privilege']))
    auth.UpdateAuthorizationRole(roleId=role_id, newName='vm-operator', privIds=['VirtualMachine.Interact.PowerOn'])
    updated = sorted(find_role('vm-operator').privilege)

    # vmware_object_role_permission: a permission for a user on a VM's folder, propagating.
    datacenter = content.rootFolder.childEntity[0]
    vm_folder = datacenter.vmFolder
    vm = vm_folder.childEntity[0]
    permission = vim.AuthorizationManager.Permission(principal='ops', group=False, roleId=role_id, propagate=True)
    auth.SetEntityPermissions(entity=vm_folder, permission=[permission])
    folder_permissions = [(p.principal, p.roleId, p.propagate, p.entity._moId) for p in vm_folder.permission]
    inherited = [(p.principal, p.entity._moId) for p in auth.RetrieveEntityPermissions(entity=vm, inherited=True)]
    own = [p.principal for p in auth.RetrieveEntityPermissions(entity=vm, inherited=False)]
    role_permissions = [p.principal for p in auth.RetrieveRolePermissions(roleId=role_id)]
    all_principals = sorted({p.principal for p in auth.RetrieveAllPermissions()})
    user_privileges = auth.HasUserPrivilegeOnEntities(entities=[vm], userName='ops', privId=['VirtualMachine.Interact.PowerOn', 'VirtualMachine.Interact.PowerOff'])
    granted = [(a.privId, a.isGranted) for a in user_privileges[0].privAvailability]
    session_id = content.sessionManager.currentSession.key
    mine = auth.HasPrivilegeOnEntity(entity=vm, sessionId=session_id, privId=['System.Read', 'VirtualMachine.Interact.PowerOn'])
    fetched = sorted(auth.FetchUserPrivilegeOnEntities(entities=[vm], userName='ops')[0].privileges)
    effective = list(vm.effectiveRole)
    in_use = fault_of(lambda: auth.RemoveAuthorizationRole(roleId=role_id, failIfUsed=True))
    bad_role = fault_of(lambda: auth.SetEntityPermissions(entity=vm_folder, permission=[vim.AuthorizationManager.Permission(principal='x', group=False, roleId=4242, propagate=True)]))
    auth.RemoveEntityPermission(entity=vm_folder, user='ops', isGroup=False)
    after_remove = [p.principal for p in vm_folder.permission]
    remove_again = fault_of(lambda: auth.RemoveEntityPermission(entity=vm_folder, user='ops', isGroup=False))
    auth.RemoveAuthorizationRole(roleId=role_id, failIfUsed=True)
    emit({
        'systemRoles': system_roles, 'privilegeCount': len(privileges), 'powerOnGroup': privileges.get('VirtualMachine.Interact.PowerOn'),
        'roleId': role_id, 'created': created, 'duplicate': duplicate, 'badPrivilege': bad_privilege, 'updated': updated,
        'folderPermissions': folder_permissions, 'inherited': inherited, 'own': own, 'rolePermissions': role_permissions,
        'allPrincipals': all_principals, 'granted': granted, 'mine': list(mine), 'fetched': fetched, 'effective': effective,
        'inUse': in_use, 'badRole': bad_role, 'afterRemove': after_remove, 'removeAgain': remove_again,
        'rolesAfter': [r.name for r in auth.roleList],
    })


if __name__ == '__main__':
    main()
