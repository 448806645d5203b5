#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) managing an ESX host's local accounts as Ansible's
vmware_local_user_manager and vmware_local_user_info do: find a user through the UserDirectory,
then CreateUser / UpdateUser / RemoveUser on ServiceContent.accountManager; and groups.

Run with /usr/bin/python3:  localusers.py --url https://127.0.0.1:PORT/sdk --user U --password P
Prints one JSON document as its last stdout line.
"""

from pyVmomi import vim

from sim import arguments, connect, emit, fault_of



def main():
    args = arguments().parse_args()
    content = connect(args).RetrieveContent()
    directory, accounts = content.userDirectory, content.accountManager

    def find_user(name):  # vmware_local_user_manager.find_user
        return directory.RetrieveUserGroups(None, name, None, None, True, True, False)

    def ensure(name, password, description):  # state: present
        spec = vim.host.LocalAccountManager.AccountSpecification(id=name, password=password, description=description)
        if find_user(name):
            accounts.UpdateUser(spec)
            return 'updated'
        accounts.CreateUser(spec)
        return 'created'

    def user_info():  # vmware_local_user_info
        return sorted([dict(user_name=u.principal, description=u.fullName, group=u.group, user_id=getattr(u, 'id', None), shell_access=getattr(u, 'shellAccess', None))
                       for u in directory.RetrieveUserGroups(None, '', None, None, False, True, True)], key=lambda u: u['user_name'])

    first = ensure('ops', 'S3cret!x', 'Operations')
    second = ensure('ops', 'S3cret!y', 'Operations team')
    found = [(u.principal, u.fullName) for u in find_user('ops')]
    accounts.CreateGroup(vim.host.LocalAccountManager.AccountSpecification(id='admins'))
    accounts.AssignUserToGroup(user='ops', group='admins')
    members = [u.principal for u in directory.RetrieveUserGroups(None, '', 'admins', None, False, True, False)]
    listed = user_info()
    duplicate = fault_of(lambda: accounts.CreateUser(vim.host.LocalAccountManager.AccountSpecification(id='ops', password='x')))
    accounts.UnassignUserFromGroup(user='ops', group='admins')
    members_after = [u.principal for u in directory.RetrieveUserGroups(None, '', 'admins', None, False, True, False)]
    unassign_again = fault_of(lambda: accounts.UnassignUserFromGroup(user='ops', group='admins'))
    accounts.RemoveGroup(groupName='admins')
    groups_after = [g.principal for g in directory.RetrieveUserGroups(None, '', None, None, False, False, True)]
    accounts.RemoveUser('ops')  # state: absent
    emit({
        'membersAfterUnassign': members_after, 'unassignAgain': unassign_again, 'groupsAfterRemove': groups_after,
        'first': first, 'second': second, 'found': found, 'members': members, 'listed': listed, 'duplicate': duplicate,
        'afterRemove': [u.principal for u in find_user('ops')],
        'removeAgain': fault_of(lambda: accounts.RemoveUser('ops')),
        'updateMissing': fault_of(lambda: accounts.UpdateUser(vim.host.LocalAccountManager.AccountSpecification(id='ghost', description='x'))),
        'assignMissingGroup': fault_of(lambda: accounts.AssignUserToGroup(user='root', group='nope')),
        'partial': sorted(u.principal for u in directory.RetrieveUserGroups(None, 'U', None, None, False, True, False)),
    })


if __name__ == '__main__':
    main()
