/**
 * The vAPI device specs (`vcenter.vm.hardware.Disk/Ethernet/Cdrom.CreateSpec`) as the SOAP
 * VirtualDeviceConfigSpecs ReconfigVM_Task and CreateVM_Task take. New devices carry temporary
 * negative keys, so a disk can name the controller added before it in the same spec.
 */
import { z } from 'zod';
import type { DataObject } from '../../../models/core/moref.js';
import type { VCenter } from '../../../models/vcenter.js';
import { message, VapiError } from '../errors.js';

export type Device = DataObject & { key: number; _type?: string };
export interface DeviceChange {
  operation: 'add' | 'edit' | 'remove';
  fileOperation?: string;
  device: DataObject;
}

/** `field.name`, or `name` alone at the top of a body. */
const sub = (field: string, name: string) => (field ? `${field}.${name}` : name);

const invalid = (field: string, text: string) =>
  new VapiError('invalid_argument', [message('com.vmware.api.vcenter.vm.hardware.invalid_field', `Invalid value for field '${field}': ${text}`, [field, text])]);

// --- schemas -----------------------------------------------------------------------------------

const busAddress = z.object({ bus: z.number().int().min(0), unit: z.number().int().min(0).optional() });
const ideAddress = z.object({ primary: z.boolean().optional(), master: z.boolean().optional() });

export const diskCreateSpec = z.object({
  type: z.enum(['IDE', 'SCSI', 'SATA', 'NVME']).optional(),
  ide: ideAddress.optional(),
  scsi: busAddress.optional(),
  sata: busAddress.optional(),
  nvme: busAddress.optional(),
  backing: z.object({ type: z.literal('VMDK_FILE'), vmdk_file: z.string().min(1) }).optional(),
  new_vmdk: z
    .object({ name: z.string().optional(), capacity: z.number().int().positive().optional(), storage_policy: z.object({ policy: z.string() }).optional() })
    .optional(),
});
export type DiskCreateSpec = z.output<typeof diskCreateSpec>;

export const NIC_TYPES = ['E1000', 'E1000E', 'PCNET32', 'VMXNET', 'VMXNET2', 'VMXNET3', 'VMXNET3_VRDMA'] as const;
const nicDeviceTypes: Record<(typeof NIC_TYPES)[number], string> = {
  E1000: 'VirtualE1000',
  E1000E: 'VirtualE1000e',
  PCNET32: 'VirtualPCNet32',
  VMXNET: 'VirtualVmxnet',
  VMXNET2: 'VirtualVmxnet2',
  VMXNET3: 'VirtualVmxnet3',
  VMXNET3_VRDMA: 'VirtualVmxnet3Vrdma',
};

const nicBacking = z.object({
  type: z.enum(['STANDARD_PORTGROUP', 'HOST_DEVICE', 'DISTRIBUTED_PORTGROUP', 'OPAQUE_NETWORK']),
  network: z.string().optional(),
  distributed_port: z.string().optional(),
});

const nicCommon = {
  upt_compatibility_enabled: z.boolean().optional(),
  mac_type: z.enum(['MANUAL', 'GENERATED', 'ASSIGNED']).optional(),
  mac_address: z.string().regex(/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/, 'not a MAC address').optional(),
  wake_on_lan_enabled: z.boolean().optional(),
  backing: nicBacking.optional(),
  start_connected: z.boolean().optional(),
  allow_guest_control: z.boolean().optional(),
};

export const nicCreateSpec = z.object({ type: z.enum(NIC_TYPES).optional(), pci_slot_number: z.number().int().min(0).optional(), ...nicCommon });
export const nicUpdateSpec = z.object(nicCommon);
export type NicCreateSpec = z.output<typeof nicCreateSpec>;
export type NicUpdateSpec = z.output<typeof nicUpdateSpec>;

const cdromBacking = z.object({
  type: z.enum(['ISO_FILE', 'HOST_DEVICE', 'CLIENT_DEVICE']),
  iso_file: z.string().optional(),
  host_device: z.string().optional(),
  device_access_type: z.enum(['EMULATION', 'PASSTHRU', 'PASSTHRU_EXCLUSIVE']).optional(),
});
const cdromCommon = { backing: cdromBacking.optional(), start_connected: z.boolean().optional(), allow_guest_control: z.boolean().optional() };
export const cdromCreateSpec = z.object({ type: z.enum(['IDE', 'SATA']).optional(), ide: ideAddress.optional(), sata: busAddress.optional(), ...cdromCommon });
export const cdromUpdateSpec = z.object(cdromCommon);
export type CdromCreateSpec = z.output<typeof cdromCreateSpec>;
export type CdromUpdateSpec = z.output<typeof cdromUpdateSpec>;

// --- planning ----------------------------------------------------------------------------------

const controllerTypes = {
  SCSI: ['ParaVirtualSCSIController', 'VirtualLsiLogicController', 'VirtualLsiLogicSASController', 'VirtualBusLogicController'],
  IDE: ['VirtualIDEController'],
  SATA: ['VirtualAHCIController'],
  NVME: ['VirtualNVMEController'],
} as const;
type Bus = keyof typeof controllerTypes;

/** The controller a new one of each bus is made as. */
const newControllerType: Record<Bus, string> = { SCSI: 'VirtualLsiLogicController', IDE: 'VirtualIDEController', SATA: 'VirtualAHCIController', NVME: 'VirtualNVMEController' };
const controllerLimits: Record<Bus, number> = { SCSI: 4, IDE: 2, SATA: 4, NVME: 4 };
/** Units per controller; SCSI unit 7 is the controller's own. */
const unitsPerController: Record<Bus, number> = { SCSI: 16, IDE: 2, SATA: 30, NVME: 15 };

/**
 * The device changes of one spec, worked out against a VM's devices (or a new VM's defaults):
 * new controllers as they are needed, units that are free.
 */
export class DevicePlan {
  readonly changes: DeviceChange[] = [];
  private readonly devices: Device[];
  private nextKey = -100;

  constructor(
    private readonly vc: VCenter,
    existing: readonly DataObject[],
    /** The VM's datastore, for new disks' files (`[ds]` lets the model name them). */
    private readonly datastoreName: string,
  ) {
    this.devices = existing.map((d) => ({ ...d }) as Device);
  }

  /** The key a device added by this plan has until the task gives it its own. */
  private tempKey(): number {
    return this.nextKey--;
  }

  private add(device: DataObject): Device {
    const added = { ...device, key: this.tempKey() } as Device;
    this.devices.push(added);
    this.changes.push({ operation: 'add', device: added, ...(device._type === 'VirtualDisk' && !(device.backing as DataObject).fileName ? { fileOperation: 'create' } : {}) });
    return added;
  }

  private controllers(bus: Bus): Device[] {
    return this.devices.filter((d) => (controllerTypes[bus] as readonly string[]).includes(d._type ?? ''));
  }

  private usedUnits(controller: Device): Set<number> {
    return new Set(this.devices.filter((d) => d.controllerKey === controller.key).map((d) => d.unitNumber as number));
  }

  private freeUnit(bus: Bus, controller: Device): number | undefined {
    const used = this.usedUnits(controller);
    for (let unit = 0; unit < unitsPerController[bus]; unit++) if (!(bus === 'SCSI' && unit === 7) && !used.has(unit)) return unit;
    return undefined;
  }

  /** The controller of `bus` with bus number `number`, added when the VM has none there yet. */
  private controller(bus: Bus, number: number, field: string): Device {
    const found = this.controllers(bus).find((c) => c.busNumber === number);
    if (found) return found;
    if (number >= controllerLimits[bus]) throw invalid(field, `no ${bus} adapter ${number}`);
    const device: DataObject = { _type: newControllerType[bus], busNumber: number, device: [] };
    if (bus === 'SCSI') Object.assign(device, { sharedBus: 'noSharing', scsiCtlrUnitNumber: 7, hotAddRemove: true });
    return this.add(device);
  }

  /** Where a disk or CD-ROM goes: its controller and unit, picked as vCenter picks when unset. */
  private placement(bus: Bus, address: { bus?: number; unit?: number; primary?: boolean; master?: boolean } | undefined, field: string) {
    if (bus === 'IDE') {
      const candidates = address?.primary === undefined ? [0, 1] : [address.primary ? 0 : 1];
      for (const number of candidates) {
        const controller = this.controller('IDE', number, field);
        const units = address?.master === undefined ? [0, 1] : [address.master ? 0 : 1];
        const unit = units.find((u) => !this.usedUnits(controller).has(u));
        if (unit !== undefined) return { controller, unit };
      }
      throw invalid(field, 'no free IDE slot');
    }
    const number = address?.bus ?? this.controllers(bus)[0]?.busNumber ?? 0;
    const controller = this.controller(bus, number as number, field);
    const unit = address?.unit ?? this.freeUnit(bus, controller);
    if (unit === undefined) throw invalid(field, `no free unit on ${bus} adapter ${String(number)}`);
    if (this.usedUnits(controller).has(unit) || (bus === 'SCSI' && unit === 7)) throw invalid(sub(field, 'unit'), `unit ${unit} is in use`);
    return { controller, unit };
  }

  addDisk(spec: DiskCreateSpec, field: string): Device {
    if (!spec.backing === !spec.new_vmdk) throw invalid(field, "exactly one of 'backing' and 'new_vmdk' must be set");
    const bus: Bus = spec.type ?? (spec.ide ? 'IDE' : spec.sata ? 'SATA' : spec.nvme ? 'NVME' : 'SCSI');
    const { controller, unit } = this.placement(bus, spec[bus.toLowerCase() as 'scsi'] ?? spec.ide, field);
    const capacity = spec.new_vmdk?.capacity ?? (spec.backing ? 0 : 16 * 1024 ** 3);
    const fileName = spec.backing?.vmdk_file ?? (spec.new_vmdk?.name ? `[${this.datastoreName}] ${spec.new_vmdk.name}.vmdk` : undefined);
    return this.add({
      _type: 'VirtualDisk',
      controllerKey: controller.key,
      unitNumber: unit,
      capacityInBytes: capacity,
      capacityInKB: Math.floor(capacity / 1024),
      backing: { _type: 'VirtualDiskFlatVer2BackingInfo', diskMode: 'persistent', thinProvisioned: true, ...(fileName ? { fileName } : {}) },
    });
  }

  addNic(spec: NicCreateSpec, field: string): Device {
    const type = nicDeviceTypes[spec.type ?? 'VMXNET3'];
    return this.add({
      _type: type,
      ...(spec.pci_slot_number !== undefined ? { slotInfo: { _type: 'VirtualDevicePciBusSlotInfo', pciSlotNumber: spec.pci_slot_number } } : {}),
      ...nicFields(this.vc, spec, field, true),
    });
  }

  addCdrom(spec: CdromCreateSpec, field: string): Device {
    const bus: Bus = spec.type ?? (spec.sata ? 'SATA' : 'IDE');
    const { controller, unit } = this.placement(bus, bus === 'SATA' ? spec.sata : spec.ide, field);
    return this.add({
      _type: 'VirtualCdrom',
      controllerKey: controller.key,
      unitNumber: unit,
      backing: cdromBackingOf(spec.backing ?? { type: 'CLIENT_DEVICE' }, sub(field, 'backing')),
      connectable: connectable(spec, false),
    });
  }
}

function connectable(spec: { start_connected?: boolean; allow_guest_control?: boolean }, connected: boolean, current: DataObject = {}): DataObject {
  return {
    _type: 'VirtualDeviceConnectInfo',
    ...current,
    connected: current.connected ?? connected,
    startConnected: spec.start_connected ?? current.startConnected ?? false,
    allowGuestControl: spec.allow_guest_control ?? current.allowGuestControl ?? false,
    status: current.status ?? 'untried',
  };
}

/** The SOAP fields of a NIC from a create or update spec; `creating` fills defaults. */
export function nicFields(vc: VCenter, spec: NicUpdateSpec, field: string, creating: boolean, current: DataObject = {}): DataObject {
  const out: DataObject = {};
  if (spec.backing || creating) out.backing = nicBackingOf(vc, spec.backing, sub(field, 'backing'));
  if (spec.mac_type === 'MANUAL' && !spec.mac_address && !current.macAddress) throw invalid(sub(field, 'mac_address'), 'a MANUAL MAC type needs mac_address');
  if (spec.mac_type) out.addressType = spec.mac_type.toLowerCase();
  if (spec.mac_address) {
    if ((spec.mac_type ?? String(current.addressType ?? '').toUpperCase()) !== 'MANUAL') throw invalid(sub(field, 'mac_address'), 'only a MANUAL MAC type takes mac_address');
    out.macAddress = spec.mac_address.toLowerCase();
  }
  if (spec.wake_on_lan_enabled !== undefined || creating) out.wakeOnLanEnabled = spec.wake_on_lan_enabled ?? true;
  if (spec.upt_compatibility_enabled !== undefined) out.uptCompatibilityEnabled = spec.upt_compatibility_enabled;
  if (creating || spec.start_connected !== undefined || spec.allow_guest_control !== undefined) {
    out.connectable = connectable(spec, false, (current.connectable ?? {}) as DataObject);
  }
  return out;
}

function nicBackingOf(vc: VCenter, backing: NicCreateSpec['backing'], field: string): DataObject {
  const type = backing?.type ?? 'STANDARD_PORTGROUP';
  if (type === 'HOST_DEVICE' || type === 'OPAQUE_NETWORK') throw invalid(sub(field, 'type'), `${type} backings are not supported here`);
  const id = backing?.network ?? vc.registry.ofType('Network')[0]?.self.value;
  const network = id ? vc.registry.byId(id) : undefined;
  const name = (network as { name?: string } | undefined)?.name;
  if (type === 'STANDARD_PORTGROUP') {
    if (!network || network.self.type !== 'Network') throw invalid(sub(field, 'network'), `no standard portgroup '${id ?? ''}'`);
    return { _type: 'VirtualEthernetCardNetworkBackingInfo', deviceName: name, network: network.self };
  }
  if (!network || network.self.type !== 'DistributedVirtualPortgroup') throw invalid(sub(field, 'network'), `no distributed portgroup '${id ?? ''}'`);
  const dvs = vc.registry.byId(((network as unknown as { config: DataObject }).config.distributedVirtualSwitch as { value: string }).value) as { uuid?: string } | undefined;
  return {
    _type: 'VirtualEthernetCardDistributedVirtualPortBackingInfo',
    port: { _type: 'DistributedVirtualSwitchPortConnection', switchUuid: dvs?.uuid, portgroupKey: network.self.value, ...(backing?.distributed_port ? { portKey: backing.distributed_port } : {}) },
  };
}

export function cdromBackingOf(backing: NonNullable<CdromCreateSpec['backing']>, field: string): DataObject {
  switch (backing.type) {
    case 'ISO_FILE':
      if (!backing.iso_file) throw invalid(sub(field, 'iso_file'), 'an ISO_FILE backing needs iso_file');
      return { _type: 'VirtualCdromIsoBackingInfo', fileName: backing.iso_file };
    case 'HOST_DEVICE':
      return { _type: 'VirtualCdromAtapiBackingInfo', deviceName: backing.host_device ?? '', useAutoDetect: !backing.host_device };
    default:
      return { _type: 'VirtualCdromRemotePassthroughBackingInfo', deviceName: '', exclusive: backing.device_access_type === 'PASSTHRU_EXCLUSIVE', useAutoDetect: false };
  }
}

export function cdromFields(spec: CdromUpdateSpec, field: string, current: DataObject): DataObject {
  const out: DataObject = {};
  if (spec.backing) out.backing = cdromBackingOf(spec.backing, sub(field, 'backing'));
  if (spec.start_connected !== undefined || spec.allow_guest_control !== undefined) out.connectable = connectable(spec, false, (current.connectable ?? {}) as DataObject);
  return out;
}
