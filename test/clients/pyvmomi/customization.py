#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) managing guest customization specs as govc's
customization.ls/info/create/rename/rm do and as Ansible's vmware_guest_customization_info reads them.

Run with /usr/bin/python3:  customization.py --url https://127.0.0.1:PORT/sdk --user U --password P
Prints one JSON document as its last stdout line.
"""

from pyVmomi import vim

from sim import arguments, connect, emit, fault_of



def web_spec(name, version=None):
    identity = vim.vm.customization.LinuxPrep(hostName=vim.vm.customization.FixedName(name='web'), domain='example.com', timeZone='UTC', hwClockUTC=True)
    adapter = vim.vm.customization.AdapterMapping(adapter=vim.vm.customization.IPSettings(ip=vim.vm.customization.FixedIp(ipAddress='10.0.0.5'), subnetMask='255.255.255.0', gateway=['10.0.0.1']))
    spec = vim.vm.customization.Specification(identity=identity, globalIPSettings=vim.vm.customization.GlobalIPSettings(dnsServerList=['10.0.0.2']), nicSettingMap=[adapter])
    info = vim.CustomizationSpecInfo(name=name, description='web tier', type='Linux', changeVersion=version)
    return vim.CustomizationSpecItem(info=info, spec=spec)


def main():
    args = arguments().parse_args()
    csm = connect(args).RetrieveContent().customizationSpecManager
    listed = [(i.name, i.type) for i in csm.info]  # govc customization.ls
    static = csm.GetCustomizationSpec('vcsim-linux-static').spec  # vmware_guest_customization_info
    csm.CreateCustomizationSpec(web_spec('web'))
    duplicate = fault_of(lambda: csm.CreateCustomizationSpec(web_spec('web')))
    got = csm.GetCustomizationSpec('web')
    ip = got.spec.nicSettingMap[0].adapter.ip.ipAddress
    csm.OverwriteCustomizationSpec(web_spec('web', got.info.changeVersion))
    stale = fault_of(lambda: csm.OverwriteCustomizationSpec(web_spec('web', got.info.changeVersion)))
    csm.DuplicateCustomizationSpec('web', 'web-copy')
    csm.RenameCustomizationSpec('web-copy', 'app')
    csm.DeleteCustomizationSpec('web')
    emit({
        'listed': listed, 'staticHost': [static.identity.hostName._wsdlName, static.identity.hostName.base], 'duplicate': duplicate,
        'ip': ip, 'stale': stale, 'exists': [csm.DoesCustomizationSpecExist(n) for n in ['web', 'app']],
        'missing': fault_of(lambda: csm.GetCustomizationSpec('web')), 'names': [i.name for i in csm.info],
    })


if __name__ == '__main__':
    main()
