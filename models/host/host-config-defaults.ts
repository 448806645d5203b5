/**
 * What a fresh ESXi 7 host's configuration managers report: its services, firewall rulesets,
 * advanced options and power policies. Frozen and shared by every host (thousands of hosts cost
 * nothing more); a manager replaces the list it changes with its own copy (copy on write).
 */
import { Typed, type DataObject } from '../core/moref.js';

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value as object)) deepFreeze(item);
  }
  return value;
};

/** [key, label, running, policy, required, rulesets] of ESXi's services (`esxcli`-less `govc host.service ls`). */
const services: [string, string, boolean, string, boolean, string[]][] = [
  ['DCUI', 'Direct Console UI', true, 'on', false, []],
  ['TSM', 'ESXi Shell', false, 'off', false, []],
  ['TSM-SSH', 'SSH', false, 'off', false, ['sshServer']],
  ['attestd', 'attestd', false, 'off', false, []],
  ['dpd', 'dpd', false, 'off', false, []],
  ['kmxd', 'kmxd', false, 'off', false, []],
  ['lbtd', 'Load-Based Teaming Daemon', true, 'on', false, []],
  ['lwsmd', 'Active Directory Service', false, 'off', false, ['activeDirectoryAll']],
  ['ntpd', 'NTP Daemon', false, 'off', false, ['ntpClient']],
  ['pcscd', 'PC/SC Smart Card Daemon', false, 'off', false, []],
  ['ptpd', 'PTP Daemon', false, 'off', false, []],
  ['sfcbd-watchdog', 'CIM Server', false, 'on', false, ['CIMHttpServer', 'CIMHttpsServer']],
  ['slpd', 'slpd', false, 'off', false, ['CIMSLP']],
  ['snmpd', 'SNMP Server', false, 'on', false, ['snmp']],
  ['vltd', 'vltd', false, 'off', false, []],
  ['vmsyslogd', 'Syslog Server', true, 'on', true, []],
  ['vpxa', 'VMware vCenter Agent', true, 'on', false, ['vpxHeartbeats']],
  ['xorg', 'X.Org Server', false, 'on', false, []],
];

export const defaultServices: readonly DataObject[] = deepFreeze(
  services.map(([key, label, running, policy, required, ruleset]) => ({
    _type: 'HostService',
    key,
    label,
    required,
    uninstallable: false,
    running,
    ruleset,
    policy,
    sourcePackage: { _type: 'HostServiceSourcePackage', sourcePackageName: key === 'vpxa' ? 'vpxa' : 'esx-base', description: 'This VIB contains all of the base functionality of vSphere ESXi.' },
  })),
);

/** [key, label, enabled, required, service, rules as [port, direction, protocol, endPort?]] of ESXi's firewall rulesets. */
const rulesets: [string, string, boolean, boolean, string | undefined, [number, string, string, number?][]][] = [
  ['CIMHttpServer', 'CIM Server', true, false, 'sfcbd-watchdog', [[5988, 'inbound', 'tcp']]],
  ['CIMHttpsServer', 'CIM Secure Server', true, false, 'sfcbd-watchdog', [[5989, 'inbound', 'tcp']]],
  ['CIMSLP', 'CIM SLP', true, false, 'slpd', [[427, 'inbound', 'udp'], [427, 'outbound', 'udp'], [427, 'inbound', 'tcp'], [427, 'outbound', 'tcp']]],
  ['DHCPv6', 'DHCPv6', false, false, undefined, [[547, 'outbound', 'tcp'], [546, 'inbound', 'udp']]],
  ['NFC', 'NFC', true, false, undefined, [[902, 'inbound', 'tcp'], [902, 'outbound', 'tcp']]],
  ['WOL', 'WOL', true, false, undefined, [[9, 'outbound', 'udp']]],
  ['activeDirectoryAll', 'Active Directory All', false, false, 'lwsmd', [[88, 'outbound', 'udp'], [389, 'outbound', 'tcp'], [445, 'outbound', 'tcp']]],
  ['dhcp', 'DHCP Client', true, true, undefined, [[68, 'inbound', 'udp'], [68, 'outbound', 'udp']]],
  ['dns', 'DNS Client', true, true, undefined, [[53, 'inbound', 'udp'], [53, 'outbound', 'udp'], [53, 'outbound', 'tcp']]],
  ['faultTolerance', 'Fault Tolerance', true, false, undefined, [[80, 'outbound', 'tcp'], [8300, 'inbound', 'tcp'], [8100, 'outbound', 'tcp', 8200]]],
  ['ftpClient', 'FTP Client', false, false, undefined, [[21, 'outbound', 'tcp'], [20, 'inbound', 'tcp']]],
  ['httpClient', 'httpClient', false, false, undefined, [[80, 'outbound', 'tcp'], [443, 'outbound', 'tcp']]],
  ['iSCSI', 'Software iSCSI Client', false, false, undefined, [[3260, 'outbound', 'tcp']]],
  ['nfs41Client', 'nfs41Client', false, false, undefined, [[0, 'outbound', 'tcp', 65535]]],
  ['nfsClient', 'NFS Client', false, false, undefined, [[0, 'outbound', 'tcp', 65535]]],
  ['ntpClient', 'NTP Client', false, false, 'ntpd', [[123, 'outbound', 'udp']]],
  ['snmp', 'SNMP Server', true, false, 'snmpd', [[161, 'inbound', 'udp']]],
  ['sshClient', 'SSH Client', false, false, undefined, [[22, 'outbound', 'tcp']]],
  ['sshServer', 'SSH Server', true, true, 'TSM-SSH', [[22, 'inbound', 'tcp']]],
  ['syslog', 'syslog', false, false, undefined, [[514, 'outbound', 'udp'], [514, 'outbound', 'tcp'], [1514, 'outbound', 'tcp']]],
  ['updateManager', 'vCenter Update Manager', true, false, undefined, [[80, 'outbound', 'tcp'], [9000, 'outbound', 'tcp', 9100]]],
  ['vMotion', 'vMotion', true, false, undefined, [[8000, 'inbound', 'tcp'], [8000, 'outbound', 'tcp']]],
  ['vSphereClient', 'vSphere Web Client', true, true, undefined, [[902, 'inbound', 'tcp'], [443, 'inbound', 'tcp']]],
  ['vpxHeartbeats', 'VMware vCenter Agent', true, true, 'vpxa', [[902, 'outbound', 'udp']]],
  ['webAccess', 'vSphere Web Access', true, false, undefined, [[80, 'inbound', 'tcp']]],
];

export const allowAll: DataObject = deepFreeze({ _type: 'HostFirewallRulesetIpList', ipAddress: [], ipNetwork: [], allIp: true });

export const defaultRulesets: readonly DataObject[] = deepFreeze(
  rulesets.map(([key, label, enabled, required, service, rules]) => ({
    _type: 'HostFirewallRuleset',
    key,
    label,
    required,
    rule: rules.map(([port, direction, protocol, endPort]) => ({ _type: 'HostFirewallRule', port, endPort, direction, portType: 'dst', protocol })),
    service,
    enabled,
    allowedHosts: allowAll,
  })),
);

export const defaultFirewallPolicy: DataObject = deepFreeze({ _type: 'HostFirewallDefaultPolicy', incomingBlocked: true, outgoingBlocked: true });

type OptionKind = 'string' | 'bool' | 'int' | 'long';
/** [key, label, kind, default, min, max] of the advanced options ESXi hosts commonly have set. */
const options: [string, string, OptionKind, string | boolean | number, number?, number?][] = [
  ['Config.HostAgent.log.level', 'Logging level of hostd', 'string', 'info'],
  ['Config.HostAgent.plugins.solo.enableMob', 'Enable the Managed Object Browser', 'bool', false],
  ['Config.HostAgent.plugins.hostsvc.esxAdminsGroup', 'ESX Admins group name', 'string', 'ESX Admins'],
  ['Config.HostAgent.vmacore.soap.sessionTimeout', 'SOAP session timeout, minutes', 'int', 30, 0, 1440],
  ['Annotations.WelcomeMessage', 'Welcome message of the DCUI and Host Client', 'string', ''],
  ['DCUI.Access', 'Users allowed on the DCUI in lockdown mode', 'string', 'root'],
  ['Mem.ShareForceSalting', 'Page sharing salting', 'long', 2, 0, 2],
  ['Misc.BlueScreenTimeout', 'Timeout in seconds before rebooting after a PSOD', 'long', 0, 0, 65535],
  ['Net.BlockGuestBPDU', 'Block BPDU frames sent by guests', 'long', 0, 0, 1],
  ['Net.FollowHardwareMac', 'Follow hardware MAC changes', 'long', 1, 0, 1],
  ['Net.TcpipHeapMax', 'Max megabytes the tcpip module heap can grow to', 'long', 1024, 32, 1536],
  ['Net.TcpipHeapSize', 'Size of the tcpip module heap in megabytes', 'long', 0, 0, 32],
  ['Security.AccountLockFailures', 'Failed logins before an account is locked, 0 never', 'long', 5, 0, 99],
  ['Security.AccountUnlockTime', 'Seconds an account stays locked', 'long', 900, 0, 999999999],
  ['Security.PasswordQualityControl', 'pam_passwdqc settings', 'string', 'retry=3 min=disabled,disabled,disabled,7,7'],
  ['Syslog.global.defaultRotate', 'Default number of rotated logs to keep', 'long', 8, 1, 100],
  ['Syslog.global.defaultSize', 'Default size of logs before rotation, in KiB', 'long', 1024, 1, 10240],
  ['Syslog.global.logDir', 'Datastore path of the directory to output logs to', 'string', '[] /scratch/log'],
  ['Syslog.global.logHost', 'Remote hosts to send logs to (udp://host:514, ...)', 'string', ''],
  ['UserVars.DcuiTimeOut', 'Idle seconds before the DCUI logs out, 0 never', 'long', 600, 0, 3600],
  ['UserVars.ESXiShellInteractiveTimeOut', 'Idle seconds before an interactive shell logs out, 0 never', 'long', 0, 0, 86400],
  ['UserVars.ESXiShellTimeOut', 'Seconds the ESXi Shell and SSH stay available, 0 always', 'long', 0, 0, 86400],
  ['UserVars.HostClientCEIPOptIn', 'Host Client CEIP opt-in: 0 ask, 1 yes, 2 no', 'long', 0, 0, 2],
  ['UserVars.SuppressCoredumpWarning', 'Suppress the no-coredump-target warning', 'long', 0, 0, 1],
  ['UserVars.SuppressShellWarning', 'Suppress the shell-enabled warning', 'long', 0, 0, 1],
];

const xsdType: Record<OptionKind, string> = { string: 'string', bool: 'boolean', int: 'int', long: 'long' };
const optionType: Record<OptionKind, string> = { string: 'StringOption', bool: 'BoolOption', int: 'IntOption', long: 'LongOption' };

/** The wire type of an option's value, by its OptionDef's optionType: clients convert by it. */
export const optionXsdType: Record<string, string> = { StringOption: 'string', BoolOption: 'boolean', IntOption: 'int', LongOption: 'long' };

export const defaultOptionDefs: readonly DataObject[] = deepFreeze(
  options.map(([key, label, kind, value, min, max]) => ({
    _type: 'OptionDef',
    label,
    summary: label,
    key,
    optionType:
      kind === 'string' || kind === 'bool'
        ? { _type: optionType[kind], valueIsReadonly: false, defaultValue: value, ...(kind === 'bool' ? { supported: true } : {}) }
        : { _type: optionType[kind], valueIsReadonly: false, min, max, defaultValue: value },
  })),
);

export const defaultSettings: readonly DataObject[] = deepFreeze(
  options.map(([key, , kind, value]) => (kind === 'string' ? { _type: 'OptionValue', key, value } : { _type: 'OptionValue', key, value: new Typed(xsdType[kind], value) })),
);

/** ESXi's power policies: key, name, short name; Balanced is current on a fresh host. */
export const powerPolicies: readonly DataObject[] = deepFreeze(
  [
    [1, 'High performance', 'static', 'Do not use any power management features.'],
    [2, 'Balanced', 'dynamic', 'Reduce energy consumption with minimal performance compromise'],
    [3, 'Low power', 'low', 'Reduce energy consumption at the risk of lower performance'],
    [4, 'Custom', 'custom', 'User-defined power management policy'],
  ].map(([key, name, shortName, description]) => ({ _type: 'HostPowerPolicy', key, name, shortName, description })),
);

export { deepFreeze };
