#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) managing custom attributes as Ansible's
vmware_custom_attribute_manager / vmware_custom_attribute and govc's fields.add, fields.ls,
fields.rename, fields.set, fields.info and fields.rm do.

Run with /usr/bin/python3:  fields.py --url https://127.0.0.1:PORT/sdk --user U --password P
Prints one JSON document as its last stdout line.
"""

from pyVmomi import vim

from sim import arguments, connect, emit, fault_of



def main():
    args = arguments().parse_args()
    content = connect(args).RetrieveContent()
    manager = content.customFieldsManager
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.VirtualMachine], True)
    vm, other = sorted(view.view, key=lambda v: v.name)[:2]
    host = content.viewManager.CreateContainerView(content.rootFolder, [vim.HostSystem], True).view[0]

    owner = manager.AddCustomFieldDef(name='owner', moType=vim.VirtualMachine)  # vmware_custom_attribute (present)
    cost = manager.AddCustomFieldDef(name='cost-center')  # govc fields.add (global)
    duplicate = fault_of(lambda: manager.AddCustomFieldDef(name='owner', moType=vim.VirtualMachine))
    listed = [(f.key, f.name, f.type.__name__, getattr(f.managedObjectType, '_wsdlName', None)) for f in manager.field]
    vm_fields = [f.name for f in vm.availableField]
    host_fields = [f.name for f in host.availableField]

    manager.SetField(entity=vm, key=owner.key, value='alice')  # vmware_custom_attribute_manager
    vm.setCustomValue(key='team', value='blue')  # govc fields.set on a new name
    values = {f.name: next((v.value for v in vm.customValue if v.key == f.key), None) for f in vm.availableField}
    wrong_entity = fault_of(lambda: manager.SetField(entity=host, key=owner.key, value='x'))
    manager.RenameCustomFieldDef(key=owner.key, name='owned-by')
    renamed = [f.name for f in other.availableField]
    manager.RemoveCustomFieldDef(key=cost.key)  # govc fields.rm
    remove_again = fault_of(lambda: manager.RemoveCustomFieldDef(key=cost.key))
    emit({
        'listed': listed, 'duplicate': duplicate, 'vmFields': vm_fields, 'hostFields': host_fields, 'values': values,
        'wrongEntity': wrong_entity, 'renamed': renamed, 'removeAgain': remove_again,
        'after': [f.name for f in manager.field], 'vmValues': sorted((v.key, v.value) for v in vm.value),
    })


if __name__ == '__main__':
    main()
