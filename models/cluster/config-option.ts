/**
 * What an ESXi host offers a VM (VirtualMachineConfigOption, one per virtual hardware version):
 * the hardware versions each ESXi release runs and creates, and the option built for one of them.
 */
import type { DataObject } from '../core/moref.js';
import type { TypeTable } from '../core/type-table.js';
import { defaultVmDevices } from '../inventory/vm-data.js';
import { guestOsDescriptors } from './guest-os.js';

/** Hardware version, the release it came with, most vCPUs, most memory (MB). */
type HardwareRow = [number, string, number, number];

const HARDWARE: readonly HardwareRow[] = [
  [4, 'ESX 3.x virtual machine', 4, 65532],
  [7, 'ESX/ESXi 4.x virtual machine', 8, 261120],
  [8, 'ESXi 5.0 virtual machine', 32, 1035264],
  [9, 'ESXi 5.1 virtual machine', 64, 1035264],
  [10, 'ESXi 5.5 virtual machine', 64, 1035264],
  [11, 'ESXi 6.0 virtual machine', 128, 4193280],
  [13, 'ESXi 6.5 virtual machine', 128, 6128640],
  [14, 'ESXi 6.7 virtual machine', 128, 6128640],
  [15, 'ESXi 6.7 U2 virtual machine', 256, 6128640],
  [17, 'ESXi 7.0 virtual machine', 256, 6128640],
];

/** The newest hardware version of each ESXi release (major.minor). */
const NEWEST: Record<string, number> = { '6.0': 11, '6.5': 13, '6.7': 14, '7.0': 17 };
/** The first build of ESXi 6.7 Update 2, which brought vmx-15. */
const ESXI_67_U2_BUILD = 13006603;

/** The hardware versions a host of `version` and `build` (its config.product) runs, oldest first. */
export function hardwareVersions(version: string, build = 0): HardwareRow[] {
  const release = version.split('.').slice(0, 2).join('.');
  const newest = release === '6.7' && build >= ESXI_67_U2_BUILD ? 15 : (NEWEST[release] ?? 17);
  return HARDWARE.filter(([hw]) => hw <= newest);
}

export const vmxKey = (hw: number) => `vmx-${String(hw).padStart(2, '0')}`;

/** The row of `key` (`vmx-17`, also `vmx-7`) among `rows`, or undefined. */
export function hardwareRow(rows: HardwareRow[], key: string): HardwareRow | undefined {
  const hw = Number(/^vmx-(\d+)$/.exec(key)?.[1] ?? NaN);
  return rows.find((row) => row[0] === hw);
}

const intOption = (min: number, max: number, defaultValue: number): DataObject => ({ min, max, defaultValue });

function hardwareOptions([hw, , maxCpus, maxMemMB]: HardwareRow): DataObject {
  const allocation = { sharesOption: { sharesOption: intOption(0, 1000000, 1000), defaultLevel: 'normal' } };
  return {
    hwVersion: hw,
    virtualDeviceOption: [],
    deviceListReadonly: false,
    numCPU: Array.from({ length: maxCpus }, (_, i) => i + 1),
    numCoresPerSocket: intOption(1, Math.min(maxCpus, 64), 1),
    numCpuReadonly: false,
    memoryMB: intOption(4, maxMemMB, 32),
    numPCIControllers: intOption(1, 1, 1),
    numIDEControllers: intOption(2, 2, 2),
    numUSBControllers: intOption(0, 1, 0),
    numUSBXHCIControllers: intOption(0, hw >= 8 ? 1 : 0, 0),
    numSIOControllers: intOption(1, 1, 1),
    numPS2Controllers: intOption(1, 1, 1),
    licensingLimit: [],
    numSupportedWwnPorts: intOption(1, 16, 4),
    numSupportedWwnNodes: intOption(1, 1, 1),
    resourceConfigOption: { cpuAllocationOption: allocation, memoryAllocationOption: allocation },
    numNVDIMMControllers: intOption(0, hw >= 14 ? 1 : 0, 0),
    numTPMDevices: intOption(0, hw >= 14 ? 1 : 0, 0),
  };
}

function capabilities(hw: number): DataObject {
  const capability: DataObject = {};
  const yes = [
    'snapshotOperationsSupported', 'multipleSnapshotsSupported', 'snapshotConfigSupported', 'poweredOffSnapshotsSupported',
    'memorySnapshotsSupported', 'revertToSnapshotSupported', 'quiescedSnapshotsSupported', 'disableSnapshotsSupported',
    'lockSnapshotsSupported', 'consolePreferencesSupported', 'cpuFeatureMaskSupported', 's1AcpiManagementSupported',
    'settingScreenResolutionSupported', 'toolsAutoUpdateSupported', 'vmNpivWwnSupported', 'npivWwnOnNonRdmVmSupported',
    'vmNpivWwnDisableSupported', 'vmNpivWwnUpdateSupported', 'swapPlacementSupported', 'toolsSyncTimeSupported',
    'virtualMmuUsageSupported', 'diskSharesSupported', 'bootOptionsSupported', 'bootRetryOptionsSupported',
    'settingVideoRamSizeSupported', 'settingDisplayTopologySupported', 'changeTrackingSupported',
    'multipleCoresPerSocketSupported', 'hostBasedReplicationSupported', 'guestAutoLockSupported',
    'memoryReservationLockSupported', 'featureRequirementSupported', 'poweredOnMonitorTypeChangeSupported',
    'seSparseDiskSupported', 'nestedHVSupported', 'vPMCSupported', 'secureBootSupported', 'perVmEvcSupported',
    'virtualMmuUsageIgnored', 'virtualExecUsageIgnored', 'diskOnlySnapshotOnSuspendedVMSupported', 'toolsSyncTimeAllowSupported',
  ];
  for (const name of yes) capability[name] = true;
  capability.recordReplaySupported = false;
  capability.sevSupported = false;
  // Features that came with later hardware are off for older versions.
  if (hw < 9) capability.nestedHVSupported = capability.vPMCSupported = false;
  if (hw < 13) capability.secureBootSupported = false;
  if (hw < 14) capability.perVmEvcSupported = false;
  return capability;
}

/** The VirtualMachineConfigOption of hardware `row`, its guests filtered to `guestIds` when any of them is known. */
export function configOption(types: TypeTable, row: HardwareRow, guestIds: string[] = []): DataObject {
  const [hw, description, maxCpus, maxMemMB] = row;
  const all = guestOsDescriptors(types, maxCpus, maxMemMB);
  // As the API says: the list is filtered to the guest ids asked for, and whole when none matches.
  const wanted = all.filter((g) => guestIds.includes(g.id as string));
  const guests = wanted.length > 0 ? wanted : all;
  const defaultIndex = Math.max(0, guests.findIndex((g) => g.id === 'otherGuest'));
  return {
    version: vmxKey(hw),
    description,
    guestOSDescriptor: guests,
    guestOSDefaultIndex: defaultIndex,
    hardwareOptions: hardwareOptions(row),
    capabilities: capabilities(hw),
    datastore: { unsupportedVolumes: [] },
    defaultDevice: defaultVmDevices(),
    supportedMonitorType: ['release', 'debug', 'stats'],
    supportedOvfEnvironmentTransport: ['com.vmware.guestInfo', 'iso'],
    supportedOvfInstallTransport: ['iso'],
  };
}
