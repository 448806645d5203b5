/** The customization specs vcsim ships (vcsim-linux, vcsim-linux-static, vcsim-windows-static, vcsim-windows-domain). */
import type { DataObject } from '../core/moref.js';

function nic(ip: DataObject, subnetMask = '', gateway?: string[]): DataObject[] {
  return [{ _type: 'CustomizationAdapterMapping', adapter: { _type: 'CustomizationIPSettings', ip, subnetMask: subnetMask || undefined, gateway } }];
}

function linux(hostName: DataObject, timeZone: string, ip: DataObject, subnetMask?: string, gateway?: string[]): DataObject {
  return {
    _type: 'CustomizationSpec',
    options: { _type: 'CustomizationLinuxOptions' },
    identity: { _type: 'CustomizationLinuxPrep', hostName, domain: 'eng.vmware.com', timeZone, hwClockUTC: true },
    globalIPSettings: { _type: 'CustomizationGlobalIPSettings', dnsServerList: ['127.0.1.1'] },
    nicSettingMap: nic(ip, subnetMask, gateway),
  };
}

function windows(guiUnattended: DataObject, fullName: string, identification: DataObject): DataObject {
  return {
    _type: 'CustomizationSpec',
    options: { _type: 'CustomizationWinOptions', changeSID: true, deleteAccounts: false },
    identity: {
      _type: 'CustomizationSysprep',
      guiUnattended: { _type: 'CustomizationGuiUnattended', autoLogon: false, autoLogonCount: 1, ...guiUnattended },
      userData: { _type: 'CustomizationUserData', fullName, orgName: 'VMware', computerName: { _type: 'CustomizationVirtualMachineName' }, productId: '' },
      identification: { _type: 'CustomizationIdentification', ...identification },
      licenseFilePrintData: { _type: 'CustomizationLicenseFilePrintData', autoMode: 'perServer', autoUsers: 5 },
    },
    globalIPSettings: { _type: 'CustomizationGlobalIPSettings' },
    nicSettingMap: nic({ _type: 'CustomizationUnknownIpGenerator' }, '255.255.255.0', ['10.0.0.1']),
  };
}

const password = (value: string): DataObject => ({ _type: 'CustomizationPassword', value, plainText: false });

/** [name, type, changeVersion, spec] */
const specs: [string, string, string, DataObject][] = [
  ['vcsim-linux', 'Linux', '1569965707', linux({ _type: 'CustomizationVirtualMachineName' }, 'Pacific/Apia', { _type: 'CustomizationDhcpIpGenerator' })],
  ['vcsim-linux-static', 'Linux', '1569969598', linux({ _type: 'CustomizationPrefixName', base: 'vcsim' }, 'Africa/Cairo', { _type: 'CustomizationUnknownIpGenerator' }, '255.255.255.0', ['10.0.0.1'])],
  ['vcsim-windows-static', 'Windows', '1569978029', windows({ timeZone: 2 }, 'vcsim', { joinWorkgroup: 'WORKGROUP' })],
  ['vcsim-windows-domain', 'Windows', '1569970234', windows({ timeZone: 15, password: password('3Gs...==') }, 'dougm', { joinDomain: 'DOMAIN', domainAdmin: 'vcsim', domainAdminPassword: password('H3g...==') })],
];

/** Fresh copies of vcsim's specs, last updated at `now`. */
export function defaultCustomizationSpecs(now: Date): DataObject[] {
  return specs.map(([name, type, changeVersion, spec]) => ({
    _type: 'CustomizationSpecItem',
    info: { _type: 'CustomizationSpecInfo', name, description: '', type, changeVersion, lastUpdateTime: now },
    spec: structuredClone(spec),
  }));
}
