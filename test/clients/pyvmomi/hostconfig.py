#!/usr/bin/python3
"""pyvmomi (Debian python3-pyvmomi 6.7.1) configuring hosts as Ansible's community.vmware modules do:
vmware_host_service_info / _service_manager, vmware_host_ntp (+ _ntp_info), vmware_host_firewall_info /
_firewall_manager, vmware_host_config_info / _config_manager, each on every host of cluster DC0_C0
(the modules' cluster_name), with the calls and property reads those modules make.

Run with /usr/bin/python3:  hostconfig.py --url https://127.0.0.1:PORT/sdk --user U --password P
Prints one JSON document as its last stdout line.
"""

from pyVmomi import VmomiSupport, vim

from sim import arguments, connect, emit, fault_of



def cluster_hosts(content, name):
    view = content.viewManager.CreateContainerView(content.rootFolder, [vim.ClusterComputeResource], True)
    try:
        cluster = next(c for c in view.view if c.name == name)
    finally:
        view.Destroy()
    return sorted(cluster.host, key=lambda h: h.name)


def service_info(host):  # vmware_host_service_info
    return [dict(key=s.key, label=s.label, required=s.required, uninstallable=s.uninstallable, running=s.running, policy=s.policy,
                 source_package_name=s.sourcePackage.sourcePackageName if s.sourcePackage else None)
            for s in host.configManager.serviceSystem.serviceInfo.service]


def service_manager(host, key, state, policy):  # vmware_host_service_manager
    system = host.configManager.serviceSystem
    service = next((s for s in system.serviceInfo.service if s.key == key), None)
    if service is None:
        return 'Failed to find service %s' % key
    if state == 'start' and not service.running:
        system.StartService(id=key)
    elif state == 'stop' and service.running:
        system.StopService(id=key)
    elif state == 'restart':
        system.RestartService(id=key)
    if policy and service.policy != policy:
        system.UpdateServicePolicy(id=key, policy=policy)
    system.RefreshServices()
    return 'changed'


def ntp(host, servers):  # vmware_host_ntp (state present) and vmware_host_ntp_info
    system = host.configManager.dateTimeSystem
    configured = list(system.dateTimeInfo.ntpConfig.server or [])
    wanted = configured + [s for s in servers if s not in configured]
    if wanted != configured:
        system.UpdateDateTimeConfig(config=vim.HostDateTimeConfig(ntpConfig=vim.HostNtpConfig(server=wanted)))
    system.RefreshDateTimeSystem()
    info = host.config.dateTimeInfo
    zones = [z.key for z in system.QueryAvailableTimeZones()]
    return dict(time_zone=info.timeZone.key, ntp_servers=list(info.ntpConfig.server), host_time=system.QueryDateTime().year > 2000, zones=zones)


def firewall_info(host):  # vmware_host_firewall_info
    return {r.key: dict(enabled=r.enabled, service=r.service, rule=[dict(port=x.port, direction=x.direction, protocol=x.protocol) for x in r.rule],
                        allowed_hosts=dict(all_ip=r.allowedHosts.allIp, ip_address=list(r.allowedHosts.ipAddress), ip_network=[
                            '%s/%d' % (n.network, n.prefixLength) for n in r.allowedHosts.ipNetwork]))
            for r in host.configManager.firewallSystem.firewallInfo.ruleset}


def firewall_manager(host, rules):  # vmware_host_firewall_manager
    system = host.configManager.firewallSystem
    current = {r.key: r for r in system.firewallInfo.ruleset}
    for rule in rules:
        if rule['name'] not in current:
            return 'rule named %s wasn\'t found' % rule['name']
        if current[rule['name']].enabled != rule['enabled']:
            (system.EnableRuleset if rule['enabled'] else system.DisableRuleset)(id=rule['name'])
        if 'allowed_hosts' in rule:
            hosts = rule['allowed_hosts']
            networks = [vim.host.Ruleset.IpNetwork(network=n.split('/')[0], prefixLength=int(n.split('/')[1])) for n in hosts['ip_network']]
            spec = vim.host.Ruleset.RulesetSpec(allowedHosts=vim.host.Ruleset.IpList(allIp=hosts['all_ip'], ipAddress=hosts['ip_address'], ipNetwork=networks))
            system.UpdateRuleset(id=rule['name'], spec=spec)
    return 'changed'


def config_info(host):  # vmware_host_config_info
    return {o.key: o.value for o in host.configManager.advancedOption.setting}


def config_manager(host, options):  # vmware_host_config_manager: typed by supportedOption
    manager = host.configManager.advancedOption
    facts = {o.key: o.value for o in manager.QueryOptions()}
    changes = []
    for key, value in options.items():
        if key not in facts:
            return 'Unsupported option %s' % key
        kind = next(d.optionType for d in manager.supportedOption if d.key == key)
        if isinstance(kind, vim.option.BoolOption):
            value = value in (True, 'true', 'True', 1)
        elif isinstance(kind, vim.option.IntOption):
            value = VmomiSupport.vmodlTypes['int'](value)
        elif isinstance(kind, vim.option.LongOption):
            value = VmomiSupport.vmodlTypes['long'](value)
        if facts[key] != value:
            changes.append(vim.option.OptionValue(key=key, value=value))
    if changes:
        manager.UpdateOptions(changedValue=changes)
    return 'changed' if changes else 'unchanged'


def main():
    args = arguments().parse_args()
    si = connect(args)
    content = si.RetrieveContent()
    hosts = cluster_hosts(content, 'DC0_C0')
    first = hosts[0]
    before = {s['key']: s for s in service_info(first)}

    services = [service_manager(h, 'ntpd', 'start', 'on') for h in hosts]
    ntp_results = [ntp(h, ['0.pool.ntp.org', '1.pool.ntp.org']) for h in hosts]
    firewall = [firewall_manager(h, [{'name': 'ntpClient', 'enabled': True},
                                     {'name': 'sshServer', 'enabled': True, 'allowed_hosts': {'all_ip': False, 'ip_address': ['192.168.1.10'], 'ip_network': ['10.10.0.0/16']}}])
                for h in hosts]
    options = [config_manager(h, {'UserVars.SuppressShellWarning': '1', 'Config.HostAgent.plugins.solo.enableMob': False,
                                  'Syslog.global.logHost': 'udp://10.0.0.1:514', 'Config.HostAgent.vmacore.soap.sessionTimeout': 45}) for h in hosts]
    after = {s['key']: s for s in service_info(first)}
    rules = firewall_info(first)
    settings = config_info(first)
    emit({
        'hosts': [h.name for h in hosts],
        'ntpdBefore': before['ntpd'], 'ntpdAfter': after['ntpd'],
        'services': services, 'ntp': ntp_results, 'firewall': firewall, 'options': options,
        'optionsAgain': config_manager(first, {'UserVars.SuppressShellWarning': '1'}),
        'ntpClient': rules['ntpClient'], 'sshServer': rules['sshServer'],
        'settings': {k: settings[k] for k in ('UserVars.SuppressShellWarning', 'Syslog.global.logHost', 'Config.HostAgent.vmacore.soap.sessionTimeout', 'Config.HostAgent.plugins.solo.enableMob')},
        'settingTypes': {k: type(settings[k]).__name__ for k in ('UserVars.SuppressShellWarning', 'Config.HostAgent.vmacore.soap.sessionTimeout', 'Config.HostAgent.plugins.solo.enableMob')},
        'missingService': service_manager(first, 'nope', 'start', None),
        'missingRule': firewall_manager(first, [{'name': 'nope', 'enabled': True}]),
        'unsupportedOption': config_manager(first, {'No.Such.Option': 1}),
        'faults': {
            'StartService': fault_of(lambda: first.configManager.serviceSystem.StartService(id='nope')),
            'EnableRuleset': fault_of(lambda: first.configManager.firewallSystem.EnableRuleset(id='nope')),
            'QueryOptions': fault_of(lambda: first.configManager.advancedOption.QueryOptions(name='No.Such.Option')),
            'UpdateOptions': fault_of(lambda: first.configManager.advancedOption.UpdateOptions(changedValue=[
                vim.option.OptionValue(key='UserVars.SuppressShellWarning', value=VmomiSupport.vmodlTypes['long'](9))])),
            'UpdateServicePolicy': fault_of(lambda: first.configManager.serviceSystem.UpdateServicePolicy(id='ntpd', policy='never')),
        },
        'otherClusterUntouched': [s.running for s in cluster_hosts(content, 'DC0_C1')[0].configManager.serviceSystem.serviceInfo.service if s.key == 'ntpd'],
    })


if __name__ == '__main__':
    main()
