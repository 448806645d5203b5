/**
 * vCenter's advanced settings (ServiceContent.setting, VpxSettings) on a fresh install: the keys
 * vcsim captured (its SSO settings with sso.enabled false, the instance name, event retention)
 * and the task retention, FQDN, database, mail, client timeout and logging settings every vCenter
 * has (those Ansible's vmware_vcenter_settings reads). New keys may be added under `config.` only.
 */
import { Typed, type DataObject } from '../core/moref.js';
import { deepFreeze } from '../host/host-config-defaults.js';

const strings: readonly [string, string][] = [
  ['config.vpxd.sso.sts.uri', 'https://127.0.0.1/sts/STSService/vsphere.local'],
  ['config.vpxd.sso.solutionUser.privateKey', '/etc/vmware-vpx/ssl/vcsoluser.key'],
  ['config.vpxd.sso.solutionUser.name', 'vpxd-b643d01c-928f-469b-96a5-d571d762a78e@vsphere.local'],
  ['config.vpxd.sso.solutionUser.certificate', '/etc/vmware-vpx/ssl/vcsoluser.crt'],
  ['config.vpxd.sso.groupcheck.uri', 'https://127.0.0.1/sso-adminserver/sdk/vsphere.local'],
  ['config.vpxd.sso.enabled', 'false'],
  ['config.vpxd.sso.default.isGroup', 'false'],
  ['config.vpxd.sso.default.admin', 'Administrator@vsphere.local'],
  ['config.vpxd.sso.admin.uri', 'https://127.0.0.1/sso-adminserver/sdk/vsphere.local'],
  ['VirtualCenter.InstanceName', '127.0.0.1'],
  ['VirtualCenter.FQDN', '127.0.0.1'],
  ['mail.smtp.server', ''],
  ['mail.sender', ''],
  ['log.level', 'info'],
];

const typed: readonly [string, string, number | boolean][] = [
  ['event.batchsize', 'int', 2000],
  ['event.maxAge', 'int', 30],
  ['event.maxAgeEnabled', 'boolean', true],
  ['task.maxAge', 'int', 30],
  ['task.maxAgeEnabled', 'boolean', true],
  ['VirtualCenter.MaxDBConnection', 'int', 50],
  ['mail.smtp.port', 'int', 25],
  ['client.timeout.normal', 'long', 30],
  ['client.timeout.long', 'long', 120],
];

export const vcenterSettings: readonly DataObject[] = deepFreeze([
  ...strings.map(([key, value]) => ({ _type: 'OptionValue', key, value })),
  ...typed.map(([key, type, value]) => ({ _type: 'OptionValue', key, value: new Typed(type, value) })),
]);

/** The prefix under which vCenter accepts keys it does not know. */
export const VCENTER_NEW_OPTION_PREFIX = 'config.';

/**
 * The settings with every service URI (`config.vpxd.sso.sts.uri`, ...) moved to `serverUrl`'s scheme,
 * host and port, as vcsim points them at itself: clients find the STS and the lookup service there.
 */
export function settingsServedAt(settings: readonly DataObject[], serverUrl: string): DataObject[] {
  if (!settings.some(isUri)) return settings as DataObject[];
  const server = new URL(serverUrl);
  return settings.map((option) => {
    if (!isUri(option)) return option;
    const uri = new URL(option.value as string);
    uri.protocol = server.protocol;
    uri.host = server.host;
    return { ...option, value: uri.toString() };
  });
}

const isUri = (option: DataObject) => String(option.key).endsWith('.uri') && typeof option.value === 'string' && URL.canParse(option.value);
