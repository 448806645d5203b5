/**
 * A VM's `config` (VirtualMachineConfigInfo) as the vAPI `vcenter.VM.Info` describes hardware:
 * CPU, memory, boot, and each kind of device as a map from device key to its info. Read straight
 * from the registry object: whatever SOAP or `setProperty` changed shows here.
 */
import type { DataObject } from '../../../models/core/moref.js';
import { VapiMap } from '../route.js';

type Device = DataObject & { key: number; _type?: string };

const upper = (value: unknown) => (typeof value === 'string' ? value.toUpperCase() : undefined);
const keyOf = (device: Device) => String(device.key);
const label = (device: Device) => (device.deviceInfo as { label?: string } | undefined)?.label ?? '';
const pciSlot = (device: Device) => (device.slotInfo as { pciSlotNumber?: number } | undefined)?.pciSlotNumber;

const NIC_TYPES: Record<string, string> = {
  VirtualE1000: 'E1000',
  VirtualE1000e: 'E1000E',
  VirtualPCNet32: 'PCNET32',
  VirtualVmxnet: 'VMXNET',
  VirtualVmxnet2: 'VMXNET2',
  VirtualVmxnet3: 'VMXNET3',
  VirtualVmxnet3Vrdma: 'VMXNET3_VRDMA',
};

const SCSI_TYPES: Record<string, string> = {
  ParaVirtualSCSIController: 'PVSCSI',
  VirtualLsiLogicController: 'LSILOGIC',
  VirtualLsiLogicSASController: 'LSILOGICSAS',
  VirtualBusLogicController: 'BUSLOGIC',
};

/** The bus a device sits on, by the type of its controller. */
const BUS_OF_CONTROLLER: Record<string, 'IDE' | 'SCSI' | 'SATA' | 'NVME'> = {
  VirtualIDEController: 'IDE',
  VirtualAHCIController: 'SATA',
  VirtualSATAController: 'SATA',
  VirtualNVMEController: 'NVME',
  ...Object.fromEntries(Object.keys(SCSI_TYPES).map((type) => [type, 'SCSI' as const])),
};

/** The device list of one VM, indexed by key for controller lookups. */
class Devices {
  private readonly byKey = new Map<number, Device>();

  constructor(readonly all: Device[]) {
    for (const device of all) this.byKey.set(device.key, device);
  }

  /** `info` of every device `select` picks, keyed by device key. */
  map(select: (device: Device) => boolean, info: (device: Device) => unknown): VapiMap<unknown> {
    const out = new VapiMap<unknown>();
    for (const device of this.all) if (select(device)) out.set(keyOf(device), info(device));
    return out;
  }

  /** The bus type and the address on it (`{scsi: {bus, unit}}`, `{ide: {primary, master}}`, ...). */
  address(device: Device): { type?: string } & DataObject {
    const controller = this.byKey.get(device.controllerKey as number);
    const type = controller ? BUS_OF_CONTROLLER[controller._type ?? ''] : undefined;
    if (!controller || !type) return {};
    const bus = controller.busNumber as number;
    const unit = device.unitNumber as number;
    // One shape for every bus (unset fields stay out of the JSON): cheap to build and to read.
    const at = { bus, unit };
    return {
      type,
      ide: type === 'IDE' ? { primary: bus === 0, master: unit === 0 } : undefined,
      scsi: type === 'SCSI' ? at : undefined,
      sata: type === 'SATA' ? at : undefined,
      nvme: type === 'NVME' ? at : undefined,
    };
  }
}

function connection(device: Device): DataObject {
  const c = (device.connectable ?? {}) as { connected?: boolean; startConnected?: boolean; allowGuestControl?: boolean };
  return { state: c.connected ? 'CONNECTED' : 'NOT_CONNECTED', start_connected: Boolean(c.startConnected), allow_guest_control: Boolean(c.allowGuestControl) };
}

const backingOf = (device: Device) => (device.backing ?? {}) as DataObject & { _type?: string };

function diskInfo(devices: Devices, disk: Device): DataObject {
  const backing = backingOf(disk);
  const capacity = (disk.capacityInBytes as number | undefined) ?? Number(disk.capacityInKB ?? 0) * 1024;
  const { type, ide, scsi, sata, nvme } = devices.address(disk);
  return { label: label(disk), type, ide, scsi, sata, nvme, backing: { type: 'VMDK_FILE', vmdk_file: backing.fileName }, capacity };
}

function nicBacking(backing: DataObject & { _type?: string }): DataObject {
  switch (backing._type) {
    case 'VirtualEthernetCardNetworkBackingInfo':
      return { type: 'STANDARD_PORTGROUP', network: (backing.network as { value?: string } | undefined)?.value, network_name: backing.deviceName };
    case 'VirtualEthernetCardDistributedVirtualPortBackingInfo': {
      const port = (backing.port ?? {}) as DataObject;
      return {
        type: 'DISTRIBUTED_PORTGROUP',
        network: port.portgroupKey,
        distributed_switch_uuid: port.switchUuid,
        distributed_port: port.portKey,
        connection_cookie: port.connectionCookie,
      };
    }
    case 'VirtualEthernetCardOpaqueNetworkBackingInfo':
      return { type: 'OPAQUE_NETWORK', opaque_network_type: backing.opaqueNetworkType, opaque_network_id: backing.opaqueNetworkId };
    default:
      return { type: 'HOST_DEVICE', host_device: backing.deviceName };
  }
}

function nicInfo(nic: Device): DataObject {
  const type = NIC_TYPES[nic._type ?? '']!;
  return {
    label: label(nic),
    type,
    upt_compatibility_enabled: type === 'VMXNET3' ? Boolean(nic.uptCompatibilityEnabled) : undefined,
    mac_type: upper(nic.addressType),
    mac_address: nic.macAddress,
    pci_slot_number: pciSlot(nic),
    wake_on_lan_enabled: Boolean(nic.wakeOnLanEnabled),
    backing: nicBacking(backingOf(nic)),
    ...connection(nic),
  };
}

function cdromBacking(backing: DataObject & { _type?: string }): DataObject {
  const access = backing.exclusive ? 'PASSTHRU_EXCLUSIVE' : 'PASSTHRU';
  switch (backing._type) {
    case 'VirtualCdromIsoBackingInfo':
      return { type: 'ISO_FILE', iso_file: backing.fileName };
    case 'VirtualCdromAtapiBackingInfo':
    case 'VirtualCdromPassthroughBackingInfo':
      return { type: 'HOST_DEVICE', host_device: backing.deviceName, auto_detect: Boolean(backing.useAutoDetect) };
    case 'VirtualCdromRemoteAtapiBackingInfo':
      return { type: 'CLIENT_DEVICE', device_access_type: 'EMULATION' };
    default:
      return { type: 'CLIENT_DEVICE', device_access_type: access };
  }
}

function cdromInfo(devices: Devices, cdrom: Device): DataObject {
  // Fields copied one by one rather than spread: spreading these per call cost more than the rest of VM.Info.
  const { type, ide, sata } = devices.address(cdrom);
  const { state, start_connected, allow_guest_control } = connection(cdrom);
  return { type, ide, sata, label: label(cdrom), backing: cdromBacking(backingOf(cdrom)), state, start_connected, allow_guest_control };
}

function floppyBacking(backing: DataObject & { _type?: string }): DataObject {
  if (backing._type === 'VirtualFloppyImageBackingInfo') return { type: 'IMAGE_FILE', image_file: backing.fileName };
  if (backing._type === 'VirtualFloppyDeviceBackingInfo') {
    return { type: 'HOST_DEVICE', host_device: backing.deviceName, auto_detect: Boolean(backing.useAutoDetect) };
  }
  return { type: 'CLIENT_DEVICE' };
}

function portBacking(backing: DataObject & { _type?: string }): DataObject {
  switch (backing._type) {
    case 'VirtualSerialPortFileBackingInfo':
    case 'VirtualParallelPortFileBackingInfo':
      return { type: 'FILE', file: backing.fileName };
    case 'VirtualSerialPortPipeBackingInfo':
      return { type: backing.endpoint === 'client' ? 'PIPE_CLIENT' : 'PIPE_SERVER', pipe: backing.pipeName, no_rx_loss: Boolean(backing.noRxLoss) };
    case 'VirtualSerialPortURIBackingInfo':
      return { type: backing.direction === 'client' ? 'NETWORK_CLIENT' : 'NETWORK_SERVER', network_location: backing.serviceURI, proxy: backing.proxyURI };
    default:
      return { type: 'HOST_DEVICE', host_device: backing.deviceName, auto_detect: Boolean(backing.useAutoDetect) };
  }
}

function scsiAdapterInfo(adapter: Device): DataObject {
  return {
    label: label(adapter),
    type: SCSI_TYPES[adapter._type ?? ''],
    scsi: { bus: adapter.busNumber, unit: adapter.scsiCtlrUnitNumber ?? 7 },
    pci_slot_number: pciSlot(adapter),
    sharing: { noSharing: 'NONE', virtualSharing: 'VIRTUAL', physicalSharing: 'PHYSICAL' }[String(adapter.sharedBus)] ?? 'NONE',
  };
}

const isType = (...types: string[]) => (device: Device) => types.includes(device._type ?? '');

/** The device maps of `vcenter.VM.Info`. */
export function deviceInfo(list: DataObject[] | undefined) {
  const devices = new Devices((list ?? []) as Device[]);
  return {
    disks: devices.map(isType('VirtualDisk'), (d) => diskInfo(devices, d)),
    nics: devices.map((d) => (d._type ?? '') in NIC_TYPES, nicInfo),
    cdroms: devices.map(isType('VirtualCdrom'), (d) => cdromInfo(devices, d)),
    floppies: devices.map(isType('VirtualFloppy'), (d) => ({ label: label(d), backing: floppyBacking(backingOf(d)), ...connection(d) })),
    parallel_ports: devices.map(isType('VirtualParallelPort'), (d) => ({ label: label(d), backing: portBacking(backingOf(d)), ...connection(d) })),
    serial_ports: devices.map(isType('VirtualSerialPort'), (d) => ({
      label: label(d),
      yield_on_poll: Boolean(d.yieldOnPoll),
      backing: portBacking(backingOf(d)),
      ...connection(d),
    })),
    sata_adapters: devices.map(isType('VirtualAHCIController'), (d) => ({ label: label(d), type: 'AHCI', bus: d.busNumber, pci_slot_number: pciSlot(d) })),
    scsi_adapters: devices.map((d) => (d._type ?? '') in SCSI_TYPES, scsiAdapterInfo),
  };
}

/** `vmx-13` → `VMX_13`. */
export const hardwareVersion = (version: unknown) => upper(version)?.replace('-', '_');

export function hardwareInfo(config: DataObject): DataObject {
  const upgrade = (config.scheduledHardwareUpgradeInfo ?? {}) as DataObject;
  const policy = { never: 'NEVER', onSoftPowerOff: 'AFTER_CLEAN_SHUTDOWN', always: 'ALWAYS' }[String(upgrade.upgradePolicy)] ?? 'NEVER';
  return {
    version: hardwareVersion(config.version),
    upgrade_policy: policy,
    upgrade_version: policy === 'NEVER' ? undefined : hardwareVersion(upgrade.versionKey),
    upgrade_status: upper(upgrade.scheduledHardwareUpgradeStatus) ?? 'NONE',
  };
}

export function bootInfo(config: DataObject): DataObject {
  const options = (config.bootOptions ?? {}) as DataObject;
  const efi = config.firmware === 'efi';
  return {
    type: efi ? 'EFI' : 'BIOS',
    efi_legacy_boot: efi ? false : undefined,
    network_protocol: efi ? upper(options.networkBootProtocol) : undefined,
    delay: options.bootDelay ?? 0,
    retry: Boolean(options.bootRetryEnabled),
    retry_delay: options.bootRetryDelay ?? 10000,
    enter_setup_mode: Boolean(options.enterBIOSSetup),
  };
}

const BOOT_DEVICE_TYPES: Record<string, string> = {
  VirtualMachineBootOptionsBootableCdromDevice: 'CDROM',
  VirtualMachineBootOptionsBootableDiskDevice: 'DISK',
  VirtualMachineBootOptionsBootableEthernetDevice: 'ETHERNET',
  VirtualMachineBootOptionsBootableFloppyDevice: 'FLOPPY',
};

export function bootDevices(config: DataObject): DataObject[] {
  const order = ((config.bootOptions as DataObject | undefined)?.bootOrder ?? []) as (DataObject & { _type?: string })[];
  return order.map((entry) => {
    const type = BOOT_DEVICE_TYPES[entry._type ?? ''] ?? 'DISK';
    if (type === 'DISK') return { type, disks: [String(entry.deviceKey)] };
    if (type === 'ETHERNET') return { type, nic: String(entry.deviceKey) };
    return { type };
  });
}

/**
 * vSphere guest ids as the vAPI GuestOS enum: the id without its `Guest` suffix, split into
 * words at case and digit boundaries (`windows9_64Guest` → `WINDOWS_9_64`, `otherGuest64` →
 * `OTHER_64`, `win2000ProGuest` → `WIN_2000_PRO`, `other3xLinux64Guest` → `OTHER_3X_LINUX_64`).
 */
export function guestOs(guestId: unknown): string | undefined {
  if (typeof guestId !== 'string') return undefined;
  const base = guestId.replace(/Guest(64)?$/, (_m, bits: string | undefined) => (bits ? '_64' : ''));
  return base
    .replace(/([a-z])([A-Z0-9])/g, '$1_$2')
    .replace(/([0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
}
