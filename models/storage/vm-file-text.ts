/**
 * The text of the files a datastore serves for a VM: its .vmx (VMX key = "value" lines, as ESX
 * writes them, from the VM's configuration) and virtual disk descriptors. Generated on each read
 * from the live configuration, so a reconfigured VM's .vmx says what its config says.
 */
import type { DataObject } from '../core/moref.js';
import type { TypeTable } from '../core/type-table.js';
import type { VirtualMachine } from '../vm/virtual-machine.js';
import type { StoredDisk } from './datastore-files.js';

/** VMX names of controller types (the `virtualDev` of scsiN). */
const scsiDev: Record<string, string> = {
  ParaVirtualSCSIController: 'pvscsi',
  VirtualLsiLogicController: 'lsilogic',
  VirtualLsiLogicSASController: 'lsisas1068',
  VirtualBusLogicController: 'buslogic',
};

const nicDev: Record<string, string> = { VirtualE1000: 'e1000', VirtualE1000e: 'e1000e', VirtualVmxnet3: 'vmxnet3', VirtualVmxnet2: 'vmxnet2', VirtualPCNet32: 'vlance' };

export function vmxText(types: TypeTable, vm: VirtualMachine): string {
  const config = (vm.config ?? {}) as DataObject;
  const hardware = (config.hardware ?? {}) as DataObject;
  const devices = (hardware.device as DataObject[] | undefined) ?? [];
  const lines: [string, unknown][] = [
    ['.encoding', 'UTF-8'],
    ['config.version', '8'],
    ['virtualHW.version', String(config.version ?? 'vmx-13').replace(/^vmx-0?/, '')],
    ['displayName', vm.name],
    ['guestOS', config.guestId],
    ['numvcpus', hardware.numCPU],
    ['cpuid.coresPerSocket', hardware.numCoresPerSocket],
    ['memSize', hardware.memoryMB],
    ['uuid.bios', config.uuid],
    ['vc.uuid', config.instanceUuid],
    ['annotation', config.annotation || undefined],
    ['nvram', `${vm.name}.nvram`],
  ];
  const byKey = new Map(devices.map((d) => [d.key as number, d]));
  for (const device of devices) lines.push(...deviceLines(types, device, byKey));
  for (const option of (config.extraConfig as DataObject[] | undefined) ?? []) lines.push([String(option.key), option.value]);
  return lines
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${key} = "${String(value).replace(/"/g, '|22')}"`)
    .join('\n')
    .concat('\n');
}

function deviceLines(types: TypeTable, device: DataObject, byKey: Map<number, DataObject>): [string, unknown][] {
  const type = String(device._type);
  const backing = (device.backing ?? {}) as DataObject;
  if (scsiDev[type] || types.isSubtypeOf(type, 'VirtualSCSIController')) {
    const id = `scsi${device.busNumber ?? 0}`;
    return [[`${id}.present`, 'TRUE'], [`${id}.virtualDev`, scsiDev[type] ?? 'lsilogic']];
  }
  const controller = byKey.get(device.controllerKey as number);
  const slot = controller ? `${controllerPrefix(types, controller)}${controller.busNumber ?? 0}:${device.unitNumber ?? 0}` : undefined;
  if (slot && types.isSubtypeOf(type, 'VirtualDisk')) {
    return [[`${slot}.present`, 'TRUE'], [`${slot}.fileName`, fileOf(backing.fileName)]];
  }
  if (slot && types.isSubtypeOf(type, 'VirtualCdrom')) {
    const iso = String(backing._type ?? '').includes('Iso');
    return [[`${slot}.present`, 'TRUE'], [`${slot}.deviceType`, iso ? 'cdrom-image' : 'atapi-cdrom'], [`${slot}.fileName`, iso ? fileOf(backing.fileName) : undefined]];
  }
  if (types.isSubtypeOf(type, 'VirtualEthernetCard')) {
    const id = `ethernet${Number(device.key) - 4000}`;
    const port = backing.port as DataObject | undefined;
    return [
      [`${id}.present`, 'TRUE'],
      [`${id}.virtualDev`, nicDev[type] ?? 'e1000'],
      [`${id}.addressType`, 'vpx'],
      [`${id}.generatedAddress`, device.macAddress],
      [`${id}.networkName`, port ? undefined : backing.deviceName],
      [`${id}.dvs.switchId`, port?.switchUuid],
      [`${id}.dvs.portgroupId`, port?.portgroupKey],
    ];
  }
  return [];
}

function controllerPrefix(types: TypeTable, controller: DataObject): string {
  const type = String(controller._type);
  if (types.isSubtypeOf(type, 'VirtualIDEController')) return 'ide';
  if (types.isSubtypeOf(type, 'VirtualSATAController')) return 'sata';
  if (types.isSubtypeOf(type, 'VirtualNVMEController')) return 'nvme';
  return 'scsi';
}

/** A disk's file as the .vmx names it: relative to the VM's directory. */
function fileOf(datastorePath: unknown): string | undefined {
  if (typeof datastorePath !== 'string' || !datastorePath) return undefined;
  const path = datastorePath.replace(/^\[[^\]]*\]\s*/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A monolithic-flat (or thin) disk descriptor, as ESX writes it. */
export function descriptorText(extent: string, disk: StoredDisk): string {
  const sectors = Math.ceil((disk.capacityKb * 1024) / 512);
  const adapter = disk.adapterType === 'ide' ? 'ide' : disk.adapterType === 'busLogic' ? 'buslogic' : 'lsilogic';
  return [
    '# Disk DescriptorFile',
    'version=1',
    'encoding="UTF-8"',
    'CID=fffffffe',
    'parentCID=ffffffff',
    'createType="vmfs"',
    '',
    '# Extent description',
    `RW ${sectors} VMFS "${extent}"`,
    '',
    '# The Disk Data Base',
    '#DDB',
    '',
    `ddb.adapterType = "${adapter}"`,
    `ddb.geometry.cylinders = "${Math.max(1, Math.floor(sectors / (255 * 63)))}"`,
    'ddb.geometry.heads = "255"',
    'ddb.geometry.sectors = "63"',
    `ddb.thinProvisioned = "${disk.diskType === 'thin' ? 1 : 0}"`,
    `ddb.uuid = "${disk.uuid}"`,
    'ddb.virtualHWVersion = "13"',
    '',
  ].join('\n');
}
