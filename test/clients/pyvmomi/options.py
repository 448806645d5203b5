#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) reading and changing vCenter's advanced settings as
govc's option.ls / option.set and Ansible's vmware_vcenter_settings do (QueryOptions on
ServiceContent.setting, UpdateOptions with typed values).

Run with /usr/bin/python3:  options.py --url https://127.0.0.1:PORT/sdk --user U --password P
Prints one JSON document as its last stdout line.
"""

from pyVmomi import vim

from sim import arguments, connect, emit, fault_of



def main():
    args = arguments().parse_args()
    content = connect(args).RetrieveContent()
    om = content.setting
    every = {o.key: o.value for o in om.setting}
    events = {o.key: o.value for o in om.QueryOptions(name='event.')}
    fqdn = om.QueryOptions(name='VirtualCenter.FQDN')[0].value
    # vmware_vcenter_settings: read the current value, change only what differs.
    changes = [vim.option.OptionValue(key=k, value=v) for k, v in [('event.maxAge', 60), ('task.maxAgeEnabled', False), ('mail.smtp.server', 'smtp.example.com')]
               if om.QueryOptions(name=k)[0].value != v]
    om.UpdateOptions(changedValue=changes)
    om.UpdateOptions(changedValue=[vim.option.OptionValue(key='config.vpxd.sim.note', value='hello')])  # govc option.set on a new config. key
    after = {k: om.QueryOptions(name=k)[0].value for k in ['event.maxAge', 'task.maxAgeEnabled', 'mail.smtp.server', 'config.vpxd.sim.note']}
    emit({
        'hasKeys': sorted(k for k in ['VirtualCenter.FQDN', 'VirtualCenter.InstanceName', 'event.maxAge', 'task.maxAge', 'config.vpxd.sso.enabled'] if k in every),
        'events': events, 'fqdn': fqdn, 'changed': len(changes), 'after': after,
        'types': [type(after['event.maxAge']).__name__, type(after['task.maxAgeEnabled']).__name__],
        'unknown': fault_of(lambda: om.QueryOptions(name='no.such.key')),
        'badNew': fault_of(lambda: om.UpdateOptions(changedValue=[vim.option.OptionValue(key='brand.new', value='x')])),
    })


if __name__ == '__main__':
    main()
