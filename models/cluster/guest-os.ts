/**
 * The guest operating systems an ESXi 7.0 host offers (EnvironmentBrowser's guestOSDescriptor): every
 * VirtualMachineGuestOsIdentifier the client's API version knows, described from a compact table of
 * the common ones and, for the rest, from their family's defaults.
 */
import type { DataObject } from '../core/moref.js';
import type { TypeTable } from '../core/type-table.js';

type Controller = 'pvscsi' | 'lsilogic' | 'lsilogicsas' | 'buslogic' | 'ide' | 'sata';
type Nic = 'vmxnet3' | 'e1000e' | 'e1000' | 'pcnet32';
type Firmware = 'bios' | 'efi';

/** id, full name, recommended memory MB, recommended disk GB, disk controller, NIC, firmware. */
type GuestRow = [string, string, number, number, Controller, Nic, Firmware];

const GUESTS: readonly GuestRow[] = [
  ['windows9_64Guest', 'Microsoft Windows 10 (64-bit)', 2048, 32, 'lsilogicsas', 'e1000e', 'efi'],
  ['windows9Guest', 'Microsoft Windows 10 (32-bit)', 1024, 32, 'lsilogicsas', 'e1000e', 'efi'],
  ['windows9Server64Guest', 'Microsoft Windows Server 2016 or later (64-bit)', 4096, 90, 'lsilogicsas', 'e1000e', 'efi'],
  ['windows8Server64Guest', 'Microsoft Windows Server 2012 (64-bit)', 4096, 40, 'lsilogicsas', 'e1000e', 'bios'],
  ['windows8_64Guest', 'Microsoft Windows 8.x (64-bit)', 2048, 32, 'lsilogicsas', 'e1000e', 'bios'],
  ['windows7Server64Guest', 'Microsoft Windows Server 2008 R2 (64-bit)', 4096, 40, 'lsilogicsas', 'e1000e', 'bios'],
  ['windows7_64Guest', 'Microsoft Windows 7 (64-bit)', 2048, 32, 'lsilogicsas', 'e1000e', 'bios'],
  ['windows7Guest', 'Microsoft Windows 7 (32-bit)', 1024, 32, 'lsilogicsas', 'e1000', 'bios'],
  ['winLonghorn64Guest', 'Microsoft Windows Server 2008 (64-bit)', 2048, 40, 'lsilogicsas', 'e1000', 'bios'],
  ['winNetStandard64Guest', 'Microsoft Windows Server 2003 Standard (64-bit)', 512, 16, 'lsilogic', 'e1000', 'bios'],
  ['winXPProGuest', 'Microsoft Windows XP Professional (32-bit)', 512, 8, 'buslogic', 'pcnet32', 'bios'],
  ['rhel8_64Guest', 'Red Hat Enterprise Linux 8 (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'efi'],
  ['rhel7_64Guest', 'Red Hat Enterprise Linux 7 (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'bios'],
  ['rhel7Guest', 'Red Hat Enterprise Linux 7 (32-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'bios'],
  ['rhel6_64Guest', 'Red Hat Enterprise Linux 6 (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'bios'],
  ['rhel6Guest', 'Red Hat Enterprise Linux 6 (32-bit)', 1024, 16, 'pvscsi', 'vmxnet3', 'bios'],
  ['centos8_64Guest', 'CentOS 8 (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'efi'],
  ['centos7_64Guest', 'CentOS 7 (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'bios'],
  ['centos7Guest', 'CentOS 7 (32-bit)', 1024, 16, 'pvscsi', 'vmxnet3', 'bios'],
  ['centos64Guest', 'CentOS 4/5 (64-bit)', 1024, 16, 'lsilogic', 'vmxnet3', 'bios'],
  ['oracleLinux8_64Guest', 'Oracle Linux 8 (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'efi'],
  ['oracleLinux7_64Guest', 'Oracle Linux 7 (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'bios'],
  ['sles15_64Guest', 'SUSE Linux Enterprise 15 (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'efi'],
  ['sles12_64Guest', 'SUSE Linux Enterprise 12 (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'bios'],
  ['ubuntu64Guest', 'Ubuntu Linux (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'bios'],
  ['ubuntuGuest', 'Ubuntu Linux (32-bit)', 1024, 16, 'lsilogic', 'vmxnet3', 'bios'],
  ['debian10_64Guest', 'Debian GNU/Linux 10 (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'bios'],
  ['debian10Guest', 'Debian GNU/Linux 10 (32-bit)', 1024, 16, 'lsilogic', 'vmxnet3', 'bios'],
  ['debian9_64Guest', 'Debian GNU/Linux 9 (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'bios'],
  ['debian8_64Guest', 'Debian GNU/Linux 8 (64-bit)', 1024, 16, 'lsilogic', 'vmxnet3', 'bios'],
  ['coreos64Guest', 'CoreOS Linux (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'bios'],
  ['vmwarePhoton64Guest', 'VMware Photon OS (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'efi'],
  ['other4xLinux64Guest', 'Other 4.x or later Linux (64-bit)', 2048, 16, 'pvscsi', 'vmxnet3', 'bios'],
  ['other3xLinux64Guest', 'Other 3.x Linux (64-bit)', 1024, 16, 'lsilogic', 'vmxnet3', 'bios'],
  ['otherLinux64Guest', 'Other Linux (64-bit)', 1024, 8, 'lsilogic', 'vmxnet3', 'bios'],
  ['otherLinuxGuest', 'Other Linux (32-bit)', 512, 8, 'lsilogic', 'vmxnet3', 'bios'],
  ['freebsd12_64Guest', 'FreeBSD 12 (64-bit)', 2048, 16, 'lsilogic', 'vmxnet3', 'bios'],
  ['freebsd64Guest', 'FreeBSD Pre-11 versions (64-bit)', 1024, 16, 'lsilogic', 'e1000', 'bios'],
  ['solaris11_64Guest', 'Oracle Solaris 11 (64-bit)', 2048, 16, 'lsilogic', 'vmxnet3', 'bios'],
  ['darwin19_64Guest', 'Apple macOS 10.15 (64-bit)', 4096, 40, 'sata', 'e1000e', 'efi'],
  ['vmkernel7Guest', 'VMware ESXi 7.0 or later', 4096, 32, 'pvscsi', 'vmxnet3', 'efi'],
  ['vmkernel65Guest', 'VMware ESXi 6.5', 4096, 32, 'pvscsi', 'vmxnet3', 'efi'],
  ['otherGuest64', 'Other (64-bit)', 256, 8, 'lsilogic', 'e1000', 'bios'],
  ['otherGuest', 'Other (32-bit)', 256, 8, 'buslogic', 'pcnet32', 'bios'],
  ['dosGuest', 'MS-DOS', 128, 2, 'ide', 'pcnet32', 'bios'],
];

const byId = new Map(GUESTS.map((row) => [row[0], row]));

/** The family of a guest id, from how VMware names them. */
export function guestFamily(id: string): string {
  if (/^win|^dos/.test(id)) return 'windowsGuest';
  if (id.startsWith('darwin')) return 'darwinGuestFamily';
  if (id.startsWith('solaris')) return 'solarisGuest';
  if (id.startsWith('netware')) return 'netwareGuest';
  if (/^other(Guest|Guest64)$|^(os2|eComStation|freebsd|openServer|unixWare|vmkernel)/.test(id)) return 'otherGuestFamily';
  return 'linuxGuest';
}

/** How VMware names the systems of an id's prefix (`rhel` of `rhel6_64Guest`), and the release after it. */
const SYSTEMS: Record<string, string> = {
  rhel: 'Red Hat Enterprise Linux', centos: 'CentOS', oracleLinux: 'Oracle Linux', sles: 'SUSE Linux Enterprise',
  debian: 'Debian GNU/Linux', ubuntu: 'Ubuntu Linux', freebsd: 'FreeBSD', solaris: 'Oracle Solaris', asianux: 'Asianux',
  fedora: 'Fedora', opensuse: 'SUSE openSUSE', amazonlinux: 'Amazon Linux', darwin: 'Apple macOS', vmkernel: 'VMware ESXi',
  netware: 'Novell NetWare', windows: 'Microsoft Windows', win: 'Microsoft Windows', mandriva: 'Mandriva Linux', suse: 'SUSE Linux',
  redhat: 'Red Hat Linux', nld: 'Novell Linux Desktop', oes: 'Open Enterprise Server', sjds: 'Sun Java Desktop System',
  mandrake: 'Mandrake Linux', turboLinux: 'Turbolinux', openServer: 'SCO OpenServer', unixWare: 'SCO UnixWare',
};

/** The names no rule gives (their ids do not follow the pattern), without the width. */
const NAMES: Record<string, string> = {
  windows2019srv_64Guest: 'Microsoft Windows Server 2019', windows2019srvNext_64Guest: 'Microsoft Windows Server 2022',
  win2000ProGuest: 'Microsoft Windows 2000 Professional', win2000ServGuest: 'Microsoft Windows 2000 Server',
  win2000AdvServGuest: 'Microsoft Windows 2000 Advanced Server', winXPHomeGuest: 'Microsoft Windows XP Home Edition',
  winXPPro64Guest: 'Microsoft Windows XP Professional', winNetWebGuest: 'Microsoft Windows Server 2003 Web Edition',
  winNetStandardGuest: 'Microsoft Windows Server 2003 Standard', winNetEnterpriseGuest: 'Microsoft Windows Server 2003 Enterprise',
  winNetDatacenterGuest: 'Microsoft Windows Server 2003 Datacenter', winNetBusinessGuest: 'Microsoft Small Business Server 2003',
  winNetEnterprise64Guest: 'Microsoft Windows Server 2003 Enterprise', winNetDatacenter64Guest: 'Microsoft Windows Server 2003 Datacenter',
  winLonghornGuest: 'Microsoft Windows Server 2008', winVistaGuest: 'Microsoft Windows Vista', winVista64Guest: 'Microsoft Windows Vista',
  windowsHyperVGuest: 'Microsoft Hyper-V Server', winNTGuest: 'Microsoft Windows NT', winMeGuest: 'Microsoft Windows Millenium Edition',
  other5xLinuxGuest: 'Other 5.x or later Linux', other5xLinux64Guest: 'Other 5.x or later Linux', other4xLinuxGuest: 'Other 4.x Linux',
  other3xLinuxGuest: 'Other 3.x Linux', other26xLinuxGuest: 'Other 2.6.x Linux', other26xLinux64Guest: 'Other 2.6.x Linux',
  other24xLinuxGuest: 'Other 2.4.x Linux', other24xLinux64Guest: 'Other 2.4.x Linux', genericLinuxGuest: 'Other Linux',
  crxPod1Guest: 'VMware CRX Pod 1', os2Guest: 'IBM OS/2', vmkernelGuest: 'VMware ESX 4.x', vmkernel5Guest: 'VMware ESXi 5.x', vmkernel6Guest: 'VMware ESXi 6.x',
};

/** A full name made from the id: the system's name, its release, and its width. */
function fullNameOf(id: string): string {
  const is64 = /64/.test(id);
  const [, prefix = id, number = ''] = /^([a-zA-Z]+?)(\d*)(?:_64)?Guest(?:64)?$/.exec(id) ?? [];
  const release = number === '64' ? '' : number; // centos64Guest: the 64 is its width
  // Darwin 10 to 19 are Mac OS X 10.6 to 10.15; Darwin 20 is macOS 11.
  const darwin = prefix === 'darwin' && release ? (Number(release) < 20 ? `10.${Number(release) - 4}` : String(Number(release) - 9)) : release;
  const system = NAMES[id] ?? `${SYSTEMS[prefix] ?? prefix}${darwin ? ` ${darwin}` : ''}`;
  return `${system} (${is64 ? '64' : '32'}-bit)`;
}

/** The row of an id not in the table: its family's usual recommendation, named after the id. */
function defaultRow(id: string): GuestRow {
  const is64 = /64/.test(id);
  const full = fullNameOf(id);
  switch (guestFamily(id)) {
    case 'windowsGuest':
      return [id, full, is64 ? 2048 : 512, 32, 'lsilogicsas', 'e1000e', 'bios'];
    case 'linuxGuest':
      return [id, full, is64 ? 2048 : 1024, 16, is64 ? 'pvscsi' : 'lsilogic', 'vmxnet3', 'bios'];
    default:
      return [id, full, 1024, 16, 'lsilogic', 'e1000', 'bios'];
  }
}

const controllerType: Record<Controller, string> = {
  pvscsi: 'ParaVirtualSCSIController',
  lsilogic: 'VirtualLsiLogicController',
  lsilogicsas: 'VirtualLsiLogicSASController',
  buslogic: 'VirtualBusLogicController',
  ide: 'VirtualIDEController',
  sata: 'VirtualAHCIController',
};
const nicType: Record<Nic, string> = { vmxnet3: 'VirtualVmxnet3', e1000e: 'VirtualE1000e', e1000: 'VirtualE1000', pcnet32: 'VirtualPCNet32' };

/** A GuestOsDescriptor as an ESXi 7.0 host gives it; `maxMemMB` is what the hardware version allows. */
function descriptor([id, fullName, memMB, diskGB, controller, nic, firmware]: GuestRow, maxCpus: number, maxMemMB: number): DataObject {
  const family = guestFamily(id);
  const modern = firmware === 'efi' || /64/.test(id);
  const scsi = controller === 'ide' || controller === 'sata' ? undefined : controllerType[controller];
  return {
    id,
    family,
    fullName,
    supportedMaxCPUs: maxCpus,
    numSupportedPhysicalSockets: 128,
    numSupportedCoresPerSocket: maxCpus,
    supportedMinMemMB: 4,
    supportedMaxMemMB: maxMemMB,
    recommendedMemMB: memMB,
    recommendedColorDepth: 32,
    supportedDiskControllerList: Object.values(controllerType),
    recommendedSCSIController: scsi,
    recommendedDiskController: controllerType[controller],
    supportedNumDisks: 256,
    recommendedDiskSizeMB: diskGB * 1024,
    recommendedCdromController: controller === 'sata' ? 'VirtualAHCIController' : 'VirtualIDEController',
    supportedEthernetCard: Object.values(nicType),
    recommendedEthernetCard: nicType[nic],
    supportsSlaveDisk: true,
    cpuFeatureMask: [],
    smcRequired: family === 'darwinGuestFamily',
    supportsWakeOnLan: true,
    supportsVMI: false,
    supportsMemoryHotAdd: modern,
    supportsCpuHotAdd: modern,
    supportsCpuHotRemove: false,
    supportedFirmware: ['bios', 'efi'],
    recommendedFirmware: firmware,
    supportedUSBControllerList: ['VirtualUSBController', 'VirtualUSBXHCIController'],
    recommendedUSBController: family === 'darwinGuestFamily' ? 'VirtualUSBXHCIController' : undefined,
    supports3D: family === 'windowsGuest' || family === 'linuxGuest',
    recommended3D: false,
    smcRecommended: family === 'darwinGuestFamily',
    ich7mRecommended: family === 'darwinGuestFamily',
    usbRecommended: family === 'darwinGuestFamily',
    supportLevel: 'supported',
    supportedForCreate: true,
    vRAMSizeInKB: { min: 1024, max: 262144, defaultValue: 8192 },
    numSupportedFloppyDevices: 2,
    wakeOnLanEthernetCard: Object.values(nicType),
    supportsPvscsiControllerForBoot: controller === 'pvscsi',
    diskUuidEnabled: false,
    supportsHotPlugPCI: true,
    supportsSecureBoot: firmware === 'efi',
    defaultSecureBoot: false,
    numRecommendedPhysicalSockets: 1,
    numRecommendedCoresPerSocket: 1,
    supportsTPM20: family === 'windowsGuest' && /64/.test(id),
  };
}

/** Every guest the host offers, in the enum's order (the API version's ids only). */
export function guestOsDescriptors(types: TypeTable, maxCpus: number, maxMemMB: number): DataObject[] {
  return types.enumValues('VirtualMachineGuestOsIdentifier').map((id) => descriptor(byId.get(id) ?? defaultRow(id), maxCpus, maxMemMB));
}
