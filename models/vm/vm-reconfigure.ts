import { createHash } from 'node:crypto';
import { VimFault } from '../core/fault.js';
import type { DataObject } from '../core/moref.js';
import type { TypeTable } from '../core/type-table.js';
import { checkHardwareLimits } from './hardware-limits.js';

/** The parts of a VirtualMachineConfigSpec ReconfigVM_Task applies. */
export interface ConfigSpec {
  name?: string;
  numCPUs?: number;
  numCoresPerSocket?: number;
  memoryMB?: number;
  annotation?: string;
  cpuHotAddEnabled?: boolean;
  memoryHotAddEnabled?: boolean;
  cpuHotRemoveEnabled?: boolean;
  scheduledHardwareUpgradeInfo?: DataObject;
  latencySensitivity?: DataObject;
  nestedHVEnabled?: boolean;
  vPMCEnabled?: boolean;
  memoryReservationLockedToMax?: boolean;
  tools?: DataObject;
  flags?: DataObject;
  bootOptions?: DataObject;
  cpuAllocation?: DataObject;
  memoryAllocation?: DataObject;
  extraConfig?: { key: string; value?: unknown }[];
  deviceChange?: { operation?: 'add' | 'remove' | 'edit'; fileOperation?: string; device: DataObject }[];
}

/** Device key ranges vCenter uses, by device kind: new devices get the next free key of theirs. */
const keyBases: [string, number, string][] = [
  ['VirtualDisk', 2000, 'Hard disk'],
  ['VirtualCdrom', 3000, 'CD/DVD drive'],
  ['VirtualEthernetCard', 4000, 'Network adapter'],
  ['VirtualSCSIController', 1000, 'SCSI controller'],
  ['VirtualNVMEController', 31000, 'NVME controller'],
  ['VirtualSATAController', 15000, 'SATA controller'],
  ['VirtualFloppy', 8000, 'Floppy drive'],
];

/** The PCI unit of a VM's first NIC; the next ones follow. */
const FIRST_NIC_UNIT = 7;

/**
 * Checks the hardware part of a spec against the power state: CPU and memory change on a running
 * VM only with hot-add enabled, as vCenter requires.
 */
export function checkHotChanges(spec: ConfigSpec, config: DataObject, poweredOn: boolean): void {
  if (!poweredOn) return;
  const hardware = config.hardware as DataObject;
  const cpus = hardware.numCPU as number;
  const cpuAdded = spec.numCPUs !== undefined && spec.numCPUs > cpus;
  const cpuRemoved = spec.numCPUs !== undefined && spec.numCPUs < cpus;
  const memoryAdded = spec.memoryMB !== undefined && spec.memoryMB > (hardware.memoryMB as number);
  // Memory is never taken from a running guest; hot-plug settings change only while the VM is off.
  const memoryRemoved = spec.memoryMB !== undefined && spec.memoryMB < (hardware.memoryMB as number);
  const toggled = (['cpuHotAddEnabled', 'cpuHotRemoveEnabled', 'memoryHotAddEnabled'] as const).some(
    (flag) => spec[flag] !== undefined && spec[flag] !== Boolean(config[flag]),
  );
  if ((cpuAdded && !config.cpuHotAddEnabled) || (cpuRemoved && !config.cpuHotRemoveEnabled) || (memoryAdded && !config.memoryHotAddEnabled) || memoryRemoved || toggled) {
    throw new VimFault('InvalidPowerState', { requestedState: 'poweredOff', existingState: 'poweredOn' }, 'The attempted operation cannot be performed in the current state (Powered on).');
  }
}

/**
 * Applies `spec` to `config` (and the summary beside it); devices as vCenter numbers and names
 * them. All or nothing: the device changes, the part that can fail, are worked out on copies first.
 */
export function applyConfigSpec(types: TypeTable, spec: ConfigSpec, config: DataObject, summary: DataObject, datastoreName: string): void {
  const hardware = config.hardware as DataObject;
  checkHardwareLimits(spec, hardware);
  const devices = spec.deviceChange?.length
    ? changeDevices(types, (hardware.device as DataObject[]).map((d) => ({ ...d })), spec.deviceChange, config, datastoreName)
    : undefined;
  if (spec.numCPUs !== undefined) hardware.numCPU = summary.numCpu = spec.numCPUs;
  if (spec.numCoresPerSocket !== undefined) hardware.numCoresPerSocket = spec.numCoresPerSocket;
  if (spec.memoryMB !== undefined) hardware.memoryMB = summary.memorySizeMB = spec.memoryMB;
  if (spec.annotation !== undefined) config.annotation = summary.annotation = spec.annotation;
  if (spec.cpuHotAddEnabled !== undefined) config.cpuHotAddEnabled = spec.cpuHotAddEnabled;
  if (spec.memoryHotAddEnabled !== undefined) config.memoryHotAddEnabled = spec.memoryHotAddEnabled;
  if (spec.cpuHotRemoveEnabled !== undefined) config.cpuHotRemoveEnabled = spec.cpuHotRemoveEnabled;
  if (spec.scheduledHardwareUpgradeInfo !== undefined) config.scheduledHardwareUpgradeInfo = spec.scheduledHardwareUpgradeInfo;
  for (const name of replacedSettings) if (spec[name] !== undefined) config[name] = spec[name];
  // A spec's data object carries only what changes (govc sends `<tools><syncTimeWithHost>`): merged into the current one.
  for (const name of mergedSettings) if (spec[name] !== undefined) config[name] = mergeSetting(config[name] as DataObject | undefined, spec[name]!);
  if (spec.extraConfig) config.extraConfig = mergeOptions((config.extraConfig as DataObject[]) ?? [], spec.extraConfig);
  if (devices) {
    hardware.device = devices;
    summary.numVirtualDisks = devices.filter((d) => types.isSubtypeOf(d._type as string, 'VirtualDisk')).length;
    summary.numEthernetCards = devices.filter((d) => types.isSubtypeOf(d._type as string, 'VirtualEthernetCard')).length;
  }
}

const replacedSettings = ['latencySensitivity', 'nestedHVEnabled', 'vPMCEnabled', 'memoryReservationLockedToMax'] as const;
const mergedSettings = ['tools', 'flags', 'bootOptions', 'cpuAllocation', 'memoryAllocation'] as const;

/** `current` with the properties `change` sets; nested data objects (an allocation's shares) merged the same way. */
function mergeSetting(current: DataObject | undefined, change: DataObject): DataObject {
  const merged: DataObject = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined || key === '_type') continue;
    const isObject = value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
    merged[key] = isObject && typeof merged[key] === 'object' ? mergeSetting(merged[key] as DataObject, value as DataObject) : value;
  }
  return merged;
}

/** extraConfig semantics: a key with an empty value is removed, others set. */
function mergeOptions(current: DataObject[], changes: { key: string; value?: unknown }[]): DataObject[] {
  const merged = new Map(current.map((o) => [o.key as string, o]));
  for (const { key, value } of changes) {
    if (value === undefined || value === '') merged.delete(key);
    else merged.set(key, { _type: 'OptionValue', key, value });
  }
  return [...merged.values()];
}

/** The device list after `changes`; `devices` are copies this may change. */
function changeDevices(types: TypeTable, devices: DataObject[], changes: NonNullable<ConfigSpec['deviceChange']>, config: DataObject, datastoreName: string): DataObject[] {
  changes.forEach((change, index) => {
    const device = change.device;
    const key = device.key as number | undefined;
    const existing = devices.findIndex((d) => d.key === key);
    const invalid = (reason: string) => new VimFault('InvalidDeviceSpec', { deviceIndex: index, property: 'device.key' }, `Invalid configuration for device '${index}': ${reason}`);
    switch (change.operation) {
      case 'remove':
        if (existing < 0) throw invalid('no device with that key');
        devices = devices.filter((d) => d.key !== key);
        for (const d of devices) if (Array.isArray(d.device)) d.device = (d.device as number[]).filter((k) => k !== key);
        break;
      case 'edit':
        if (existing < 0) throw invalid('no device with that key');
        devices[existing] = { ...devices[existing], ...device };
        break;
      default:
        devices.push(newDevice(types, device, devices, config, datastoreName, invalid));
    }
  });
  return devices;
}

function newDevice(types: TypeTable, device: DataObject, devices: DataObject[], config: DataObject, datastoreName: string, invalid: (reason: string) => VimFault): DataObject {
  const type = device._type as string;
  const [, base, label] = keyBases.find(([kind]) => types.isSubtypeOf(type, kind)) ?? ['', 100, 'Device'];
  const taken = new Set(devices.map((d) => d.key as number));
  let key = base;
  while (taken.has(key)) key++;
  const ordinal = devices.filter((d) => keyBases.find(([kind]) => types.isSubtypeOf(d._type as string, kind))?.[2] === label).length + 1;
  const isNic = types.isSubtypeOf(type, 'VirtualEthernetCard');
  const summary = (isNic && nicSummary(device.backing as DataObject | undefined)) || `${label} ${ordinal}`;
  const added: DataObject = { ...device, key, deviceInfo: { _type: 'Description', label: `${label} ${ordinal}`, summary } };
  // A NIC given no controller goes on the PCI bus, as vCenter puts it (govc names NICs by unit number: ethernet-0 is unit 7).
  if (isNic && added.controllerKey === undefined) added.controllerKey = devices.find((d) => types.isSubtypeOf(d._type as string, 'VirtualPCIController'))?.key;
  const controller = devices.find((d) => d.key === added.controllerKey);
  if (added.controllerKey !== undefined) {
    if (!controller) throw invalid(`no controller with key ${String(added.controllerKey)}`);
    const used = new Set(devices.filter((d) => d.controllerKey === added.controllerKey).map((d) => d.unitNumber));
    if (added.unitNumber === undefined) {
      let unit = isNic ? FIRST_NIC_UNIT : 0;
      while (used.has(unit) || (unit === 7 && types.isSubtypeOf(controller._type as string, 'VirtualSCSIController'))) unit++;
      added.unitNumber = unit;
    }
    controller.device = [...((controller.device as number[]) ?? []), key];
  }
  if (types.isSubtypeOf(type, 'VirtualDisk')) fillDiskBacking(added, config, datastoreName, ordinal);
  if (types.isSubtypeOf(type, 'VirtualEthernetCard') && !added.macAddress) {
    added.macAddress = macFor(`${config.uuid as string}:${key}`);
    added.addressType = 'generated';
  }
  return added;
}

/** What vCenter shows as a NIC's summary: its network's name, or the switch of its distributed port. */
function nicSummary(backing: DataObject | undefined): string | undefined {
  const port = backing?.port as DataObject | undefined;
  if (port?.switchUuid) return `DVSwitch: ${String(port.switchUuid)}`;
  return backing?.deviceName ? String(backing.deviceName) : undefined;
}

function fillDiskBacking(disk: DataObject, config: DataObject, datastoreName: string, ordinal: number): void {
  const backing = (disk.backing ??= { _type: 'VirtualDiskFlatVer2BackingInfo', diskMode: 'persistent', thinProvisioned: true }) as DataObject;
  if (!backing.fileName) backing.fileName = `[${datastoreName}] ${config.name as string}/${config.name as string}_${ordinal - 1}.vmdk`;
  if (disk.capacityInKB !== undefined && disk.capacityInBytes === undefined) disk.capacityInBytes = (disk.capacityInKB as number) * 1024;
  if (disk.capacityInBytes !== undefined && disk.capacityInKB === undefined) disk.capacityInKB = Math.floor((disk.capacityInBytes as number) / 1024);
}

/** A VMware-range MAC (00:50:56) derived from `seed`, so the same VM and device get the same one. */
function macFor(seed: string): string {
  const bytes = createHash('sha256').update(seed).digest();
  return ['00', '50', '56', (bytes[0]! & 0x3f).toString(16), bytes[1]!.toString(16), bytes[2]!.toString(16)].map((b) => b.padStart(2, '0')).join(':');
}
