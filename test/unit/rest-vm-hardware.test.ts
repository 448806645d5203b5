import { describe, expect, it } from 'vitest';
import { MoRef } from '../../models/core/moref.js';
import { bootDevices, bootInfo, deviceInfo, guestOs, hardwareInfo } from '../../simulator/rest/vcenter/vm-hardware.js';

const plain = (map: Map<string, unknown>) => Object.fromEntries(map);

describe('vAPI guest OS names', () => {
  it.each([
    ['otherGuest', 'OTHER'],
    ['otherGuest64', 'OTHER_64'],
    ['ubuntu64Guest', 'UBUNTU_64'],
    ['windows9_64Guest', 'WINDOWS_9_64'],
    ['windows9Server64Guest', 'WINDOWS_9_SERVER_64'],
    ['win2000ProGuest', 'WIN_2000_PRO'],
    ['winXPProGuest', 'WIN_XP_PRO'],
    ['rhel7_64Guest', 'RHEL_7_64'],
    ['other3xLinux64Guest', 'OTHER_3X_LINUX_64'],
    ['windows2019srv_64Guest', 'WINDOWS_2019SRV_64'],
    ['dosGuest', 'DOS'],
  ])('%s → %s', (guestId, expected) => {
    expect(guestOs(guestId)).toBe(expected);
  });
});

describe('VM hardware as vAPI info', () => {
  const devices = [
    { _type: 'VirtualIDEController', key: 200, busNumber: 0, deviceInfo: { label: 'IDE 0' } },
    { _type: 'VirtualIDEController', key: 201, busNumber: 1, deviceInfo: { label: 'IDE 1' } },
    { _type: 'VirtualAHCIController', key: 15000, busNumber: 0, deviceInfo: { label: 'SATA controller 0' }, slotInfo: { pciSlotNumber: 33 } },
    { _type: 'VirtualLsiLogicSASController', key: 1000, busNumber: 1, scsiCtlrUnitNumber: 7, sharedBus: 'virtualSharing', deviceInfo: { label: 'SCSI controller 1' } },
    {
      _type: 'VirtualCdrom',
      key: 3000,
      controllerKey: 201,
      unitNumber: 1,
      deviceInfo: { label: 'CD/DVD drive 1' },
      backing: { _type: 'VirtualCdromIsoBackingInfo', fileName: '[ds] iso/x.iso' },
      connectable: { connected: true, startConnected: true, allowGuestControl: false },
    },
    { _type: 'VirtualCdrom', key: 16000, controllerKey: 15000, unitNumber: 0, deviceInfo: { label: 'CD/DVD drive 2' }, backing: { _type: 'VirtualCdromAtapiBackingInfo', deviceName: '/dev/cdrom', useAutoDetect: true } },
    { _type: 'VirtualDisk', key: 2001, controllerKey: 1000, unitNumber: 3, capacityInKB: 2048, deviceInfo: { label: 'Hard disk 2' }, backing: { fileName: '[ds] vm/vm_1.vmdk' } },
    { _type: 'VirtualFloppy', key: 8000, deviceInfo: { label: 'Floppy drive 1' }, backing: { _type: 'VirtualFloppyImageBackingInfo', fileName: '[ds] a.flp' } },
    { _type: 'VirtualSerialPort', key: 9000, yieldOnPoll: true, deviceInfo: { label: 'Serial port 1' }, backing: { _type: 'VirtualSerialPortURIBackingInfo', direction: 'client', serviceURI: 'tcp://h:1', proxyURI: 'telnet://p:2' } },
    { _type: 'VirtualParallelPort', key: 10000, deviceInfo: { label: 'Parallel port 1' }, backing: { _type: 'VirtualParallelPortFileBackingInfo', fileName: '[ds] p.out' } },
    {
      _type: 'VirtualVmxnet3',
      key: 4001,
      deviceInfo: { label: 'Network adapter 2' },
      addressType: 'manual',
      macAddress: '00:50:56:00:00:01',
      uptCompatibilityEnabled: true,
      backing: { _type: 'VirtualEthernetCardNetworkBackingInfo', deviceName: 'VM Network', network: new MoRef('Network', 'network-7') },
      connectable: { connected: false, startConnected: false, allowGuestControl: true },
    },
  ];

  it('maps disks, CD-ROMs, floppies, ports, adapters and NICs with their addresses and backings', () => {
    const info = deviceInfo(devices);
    expect(plain(info.disks)).toEqual({
      2001: { label: 'Hard disk 2', type: 'SCSI', scsi: { bus: 1, unit: 3 }, backing: { type: 'VMDK_FILE', vmdk_file: '[ds] vm/vm_1.vmdk' }, capacity: 2048 * 1024 },
    });
    expect(plain(info.cdroms)).toEqual({
      3000: {
        type: 'IDE',
        ide: { primary: false, master: false },
        label: 'CD/DVD drive 1',
        backing: { type: 'ISO_FILE', iso_file: '[ds] iso/x.iso' },
        state: 'CONNECTED',
        start_connected: true,
        allow_guest_control: false,
      },
      16000: {
        type: 'SATA',
        sata: { bus: 0, unit: 0 },
        label: 'CD/DVD drive 2',
        backing: { type: 'HOST_DEVICE', host_device: '/dev/cdrom', auto_detect: true },
        state: 'NOT_CONNECTED',
        start_connected: false,
        allow_guest_control: false,
      },
    });
    expect(plain(info.floppies)['8000']).toMatchObject({ label: 'Floppy drive 1', backing: { type: 'IMAGE_FILE', image_file: '[ds] a.flp' } });
    expect(plain(info.serial_ports)['9000']).toMatchObject({
      yield_on_poll: true,
      backing: { type: 'NETWORK_CLIENT', network_location: 'tcp://h:1', proxy: 'telnet://p:2' },
    });
    expect(plain(info.parallel_ports)['10000']).toMatchObject({ backing: { type: 'FILE', file: '[ds] p.out' } });
    expect(plain(info.sata_adapters)).toEqual({ 15000: { label: 'SATA controller 0', type: 'AHCI', bus: 0, pci_slot_number: 33 } });
    expect(plain(info.scsi_adapters)).toEqual({ 1000: { label: 'SCSI controller 1', type: 'LSILOGICSAS', scsi: { bus: 1, unit: 7 }, sharing: 'VIRTUAL' } });
    expect(JSON.parse(JSON.stringify(plain(info.nics)))).toEqual({
      4001: {
        label: 'Network adapter 2',
        type: 'VMXNET3',
        upt_compatibility_enabled: true,
        mac_type: 'MANUAL',
        mac_address: '00:50:56:00:00:01',
        wake_on_lan_enabled: false,
        backing: { type: 'STANDARD_PORTGROUP', network: 'network-7', network_name: 'VM Network' },
        state: 'NOT_CONNECTED',
        start_connected: false,
        allow_guest_control: true,
      },
    });
  });

  it('reads EFI boot options, the boot order and a scheduled hardware upgrade', () => {
    const config = {
      firmware: 'efi',
      version: 'vmx-15',
      bootOptions: {
        bootDelay: 500,
        bootRetryEnabled: true,
        bootRetryDelay: 2000,
        enterBIOSSetup: true,
        networkBootProtocol: 'ipv6',
        bootOrder: [
          { _type: 'VirtualMachineBootOptionsBootableDiskDevice', deviceKey: 2000 },
          { _type: 'VirtualMachineBootOptionsBootableEthernetDevice', deviceKey: 4000 },
          { _type: 'VirtualMachineBootOptionsBootableCdromDevice' },
        ],
      },
      scheduledHardwareUpgradeInfo: { upgradePolicy: 'onSoftPowerOff', versionKey: 'vmx-17', scheduledHardwareUpgradeStatus: 'pending' },
    };
    expect(bootInfo(config)).toEqual({
      type: 'EFI',
      efi_legacy_boot: false,
      network_protocol: 'IPV6',
      delay: 500,
      retry: true,
      retry_delay: 2000,
      enter_setup_mode: true,
    });
    expect(bootDevices(config)).toEqual([{ type: 'DISK', disks: ['2000'] }, { type: 'ETHERNET', nic: '4000' }, { type: 'CDROM' }]);
    expect(hardwareInfo(config)).toEqual({ version: 'VMX_15', upgrade_policy: 'AFTER_CLEAN_SHUTDOWN', upgrade_version: 'VMX_17', upgrade_status: 'PENDING' });
  });
});
