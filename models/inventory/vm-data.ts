/**
 * The property values of a simulated VM, as vcsim's model VMs (1 vCPU, 32 MB, hardware version
 * vmx-13, an otherGuest OS, one 1 MB thin disk on a PVSCSI controller, a CD-ROM, an E1000 NIC),
 * powered on with VMware Tools running and an IP address, as a real powered-on VM reports it.
 * Every call builds fresh objects: VMs share no mutable data.
 */
import type { DataObject, MoRef } from '../core/moref.js';

export const VM_MEMORY_MB = 32;
export const VM_DISK_KB = 1024;
const GUEST_ID = 'otherGuest';
const GUEST_FULL_NAME = 'Other (32-bit)';
const HARDWARE_VERSION = 'vmx-13';
const TOOLS_VERSION = 11269;
/** The key vcsim gives the SCSI controller it adds after the two IDE controllers. */
const SCSI_KEY = 202;
const DISK_KEY = 2000;
const CDROM_KEY = 3000;
const NIC_KEY = 4000;

export interface VmNic {
  /** VirtualEthernetCard backing (network or distributed port). */
  backing: DataObject;
  /** deviceInfo.summary: the network name, or `DVSwitch: <uuid>`. */
  summary: string;
  network: MoRef;
  networkName: string;
  mac: string;
}

export interface VmInput {
  self: MoRef;
  name: string;
  uuid: string;
  instanceUuid: string;
  datastore: { ref: MoRef; name: string; url: string };
  host: MoRef;
  hostCpuMhz: number;
  nic: VmNic;
  ip: string;
  diskUuid: string;
  createTime: Date;
  bootTime: Date;
  /** quickStats values, so VMs do not all look alike. */
  cpuUsageMhz: number;
  memoryUsageMB: number;
}

/** The file names of a VM named `name` on datastore `ds`. */
export function vmFiles(ds: string, name: string) {
  const dir = `[${ds}] ${name}`;
  return {
    dir,
    vmx: `${dir}/${name}.vmx`,
    nvram: `${dir}/${name}.nvram`,
    disk: `${dir}/disk1.vmdk`,
    diskFlat: `${dir}/disk1-flat.vmdk`,
    log: `${dir}/vmware.log`,
  };
}

/** Sizes, in bytes, of the files a VM keeps on its datastore. */
/** Sizes of a VM's own files on its datastore, as vcsim reports them. */
export const FILE_SIZES = { vmx: 2048, nvram: 8684, disk: 512, diskFlat: VM_DISK_KB * 1024, log: 32768 };
export const VM_COMMITTED_BYTES = Object.values(FILE_SIZES).reduce((a, b) => a + b, 0);

/** Every property the inventory sets on a model VM, except name, parent, resourcePool and environmentBrowser. */
export function vmProperties(vm: VmInput): DataObject {
  const files = vmFiles(vm.datastore.name, vm.name);
  const config = vmConfig(vm, files);
  const runtime = vmRuntime(vm);
  const guest = vmGuest(vm);
  return {
    capability: VM_CAPABILITY,
    config,
    layout: { configFile: [`${vm.name}.nvram`], logFile: ['vmware.log'], disk: [{ key: DISK_KEY, diskFile: [files.disk] }], snapshot: [] },
    layoutEx: vmLayoutEx(files, vm.createTime),
    storage: {
      perDatastoreUsage: [{ datastore: vm.datastore.ref, committed: VM_COMMITTED_BYTES, uncommitted: 0, unshared: VM_COMMITTED_BYTES }],
      timestamp: vm.createTime,
    },
    resourceConfig: {
      entity: vm.self,
      cpuAllocation: config.cpuAllocation,
      memoryAllocation: config.memoryAllocation,
    },
    runtime,
    guest,
    summary: {
      vm: vm.self,
      runtime,
      guest: guestSummary(guest),
      config: configSummary(vm, files.vmx),
      storage: { committed: VM_COMMITTED_BYTES, uncommitted: 0, unshared: VM_COMMITTED_BYTES, timestamp: vm.createTime },
      quickStats: quickStats(vm),
      overallStatus: 'green',
      customValue: [],
    },
    datastore: [vm.datastore.ref],
    network: [vm.nic.network],
    guestHeartbeatStatus: 'green',
  };
}

function vmConfig(vm: VmInput, files: ReturnType<typeof vmFiles>): DataObject {
  return {
    changeVersion: vm.createTime.toISOString().replace('Z', '000Z'),
    modified: vm.createTime,
    name: vm.name,
    guestFullName: GUEST_FULL_NAME,
    version: HARDWARE_VERSION,
    uuid: vm.uuid,
    createDate: vm.createTime,
    instanceUuid: vm.instanceUuid,
    npivTemporaryDisabled: true,
    template: false,
    guestId: GUEST_ID,
    alternateGuestName: '',
    annotation: '',
    files: { vmPathName: files.vmx, snapshotDirectory: files.dir, suspendDirectory: files.dir, logDirectory: files.dir },
    tools: {
      toolsVersion: TOOLS_VERSION,
      toolsInstallType: 'guestToolsTypeOpenVMTools',
      afterPowerOn: true,
      afterResume: true,
      beforeGuestStandby: true,
      beforeGuestShutdown: true,
      beforeGuestReboot: true,
      toolsUpgradePolicy: 'manual',
      syncTimeWithHostAllowed: true,
      syncTimeWithHost: false,
    },
    flags: {
      disableAcceleration: false,
      enableLogging: true,
      useToe: false,
      runWithDebugInfo: false,
      monitorType: 'release',
      htSharing: 'any',
      snapshotDisabled: false,
      snapshotLocked: false,
      diskUuidEnabled: false,
      virtualMmuUsage: 'automatic',
      virtualExecUsage: 'hvAuto',
      snapshotPowerOffBehavior: 'powerOff',
      recordReplayEnabled: false,
      faultToleranceType: 'unset',
      cbrcCacheEnabled: false,
      vvtdEnabled: false,
      vbsEnabled: false,
    },
    defaultPowerOps: {
      powerOffType: 'soft',
      suspendType: 'hard',
      resetType: 'soft',
      defaultPowerOffType: 'soft',
      defaultSuspendType: 'hard',
      defaultResetType: 'soft',
      standbyAction: 'checkpoint',
    },
    hardware: {
      numCPU: 1,
      numCoresPerSocket: 1,
      memoryMB: VM_MEMORY_MB,
      virtualICH7MPresent: false,
      virtualSMCPresent: false,
      device: devices(vm, files),
    },
    cpuAllocation: allocation(1000),
    memoryAllocation: allocation(10 * VM_MEMORY_MB),
    latencySensitivity: { level: 'normal' },
    memoryHotAddEnabled: false,
    cpuHotAddEnabled: false,
    cpuHotRemoveEnabled: false,
    // vcsim marks its VMs so; kept for suites that look for it.
    extraConfig: [{ key: 'govcsim', value: 'TRUE' }],
    cpuFeatureMask: [],
    datastoreUrl: [{ name: vm.datastore.name, url: vm.datastore.url }],
    swapPlacement: 'inherit',
    bootOptions: {
      bootDelay: 0,
      enterBIOSSetup: false,
      efiSecureBootEnabled: false,
      bootRetryEnabled: false,
      bootRetryDelay: 10000,
      bootOrder: [],
      networkBootProtocol: 'ipv4',
    },
    vAssertsEnabled: false,
    changeTrackingEnabled: false,
    firmware: 'bios',
    maxMksConnections: 40,
    guestAutoLockEnabled: false,
    memoryReservationLockedToMax: false,
    nestedHVEnabled: false,
    vPMCEnabled: false,
    scheduledHardwareUpgradeInfo: { upgradePolicy: 'never', scheduledHardwareUpgradeStatus: 'none' },
    messageBusTunnelEnabled: false,
    migrateEncryption: 'opportunistic',
  };
}

function allocation(shares: number): DataObject {
  return { reservation: 0, expandableReservation: false, limit: -1, shares: { shares, level: 'normal' } };
}

/** `deviceInfo` of a device whose label never changes: shared, frozen, by all VMs (an edit replaces it). */
const fixedInfo = (label: string, summary = label): DataObject => Object.freeze({ label, summary });
const INFO = {
  ide0: fixedInfo('IDE 0'),
  ide1: fixedInfo('IDE 1'),
  ps2: fixedInfo('PS2 controller 0'),
  pci: fixedInfo('PCI controller 0'),
  sio: fixedInfo('SIO controller 0'),
  keyboard: fixedInfo('Keyboard ', 'Keyboard'),
  pointing: fixedInfo('Pointing device', 'Pointing device; Device'),
  video: fixedInfo('Video card ', 'Video card'),
  vmci: fixedInfo('VMCI device', 'Device on the virtual machine PCI bus that provides support for the virtual machine communication interface'),
  scsi: fixedInfo('SCSI controller 0', 'VMware paravirtual SCSI'),
  cdrom: fixedInfo('CD/DVD drive 1', 'Remote device'),
};

/**
 * The devices every VM has (controllers, keyboard, mouse, video, VMCI), as vcsim's model VM and
 * EnvironmentBrowser's defaultDevice give them; the IDE 0 and PCI controllers also list `ide0` and `pci`.
 */
export function defaultVmDevices(ide0: number[] = [], pci: number[] = []): DataObject[] {
  return [
    { _type: 'VirtualIDEController', key: 200, deviceInfo: INFO.ide0, busNumber: 0, device: ide0 },
    { _type: 'VirtualIDEController', key: 201, deviceInfo: INFO.ide1, busNumber: 1, device: [] },
    { _type: 'VirtualPS2Controller', key: 300, deviceInfo: INFO.ps2, busNumber: 0, device: [600, 700] },
    { _type: 'VirtualPCIController', key: 100, deviceInfo: INFO.pci, busNumber: 0, device: [500, 12000, ...pci] },
    { _type: 'VirtualSIOController', key: 400, deviceInfo: INFO.sio, busNumber: 0, device: [] },
    { _type: 'VirtualKeyboard', key: 600, deviceInfo: INFO.keyboard, controllerKey: 300, unitNumber: 0 },
    {
      _type: 'VirtualPointingDevice',
      key: 700,
      deviceInfo: INFO.pointing,
      backing: { _type: 'VirtualPointingDeviceDeviceBackingInfo', deviceName: '', useAutoDetect: false, hostPointingDevice: 'autodetect' },
      controllerKey: 300,
      unitNumber: 1,
    },
    {
      _type: 'VirtualMachineVideoCard',
      key: 500,
      deviceInfo: INFO.video,
      controllerKey: 100,
      unitNumber: 0,
      videoRamSizeInKB: 4096,
      numDisplays: 1,
      useAutoDetect: false,
      enable3DSupport: false,
      use3dRenderer: 'automatic',
      graphicsMemorySizeInKB: 262144,
    },
    {
      _type: 'VirtualMachineVMCIDevice',
      key: 12000,
      deviceInfo: INFO.vmci,
      controllerKey: 100,
      unitNumber: 17,
      id: -1,
      allowUnrestrictedCommunication: false,
      filterEnable: true,
    },
  ];
}

/** The device list: vcsim's default devices, then the SCSI controller, CD-ROM, disk and NIC. */
function devices(vm: VmInput, files: ReturnType<typeof vmFiles>): DataObject[] {
  const pciSlot = (pciSlotNumber: number) => ({ _type: 'VirtualDevicePciBusSlotInfo', pciSlotNumber });
  return [
    ...defaultVmDevices([CDROM_KEY], [SCSI_KEY, NIC_KEY]),
    {
      _type: 'ParaVirtualSCSIController',
      key: SCSI_KEY,
      deviceInfo: INFO.scsi,
      slotInfo: pciSlot(160),
      controllerKey: 100,
      unitNumber: 3,
      busNumber: 0,
      device: [DISK_KEY],
      hotAddRemove: true,
      sharedBus: 'noSharing',
      scsiCtlrUnitNumber: 7,
    },
    {
      _type: 'VirtualCdrom',
      key: CDROM_KEY,
      deviceInfo: INFO.cdrom,
      backing: { _type: 'VirtualCdromRemotePassthroughBackingInfo', deviceName: '', useAutoDetect: false, exclusive: false },
      connectable: { migrateConnect: 'unset', startConnected: false, allowGuestControl: true, connected: false, status: 'untried' },
      controllerKey: 200,
      unitNumber: 0,
    },
    {
      _type: 'VirtualDisk',
      key: DISK_KEY,
      deviceInfo: { label: 'Hard disk 1', summary: `${thousands(VM_DISK_KB)} KB` },
      backing: {
        _type: 'VirtualDiskFlatVer2BackingInfo',
        fileName: files.disk,
        datastore: vm.datastore.ref,
        diskMode: 'persistent',
        split: false,
        writeThrough: false,
        thinProvisioned: true,
        eagerlyScrub: false,
        uuid: vm.diskUuid,
        contentId: vm.diskUuid.replace(/-/g, '').toLowerCase(),
        digestEnabled: false,
        sharing: 'sharingNone',
      },
      controllerKey: SCSI_KEY,
      unitNumber: 0,
      capacityInKB: VM_DISK_KB,
      capacityInBytes: VM_DISK_KB * 1024,
      shares: { shares: 1000, level: 'normal' },
      storageIOAllocation: { limit: -1, shares: { shares: 1000, level: 'normal' }, reservation: 0 },
      nativeUnmanagedLinkedClone: false,
    },
    {
      _type: 'VirtualE1000',
      key: NIC_KEY,
      deviceInfo: { label: 'Network adapter 1', summary: vm.nic.summary },
      backing: vm.nic.backing,
      connectable: { migrateConnect: 'unset', startConnected: true, allowGuestControl: true, connected: true, status: 'ok' },
      slotInfo: pciSlot(32),
      controllerKey: 100,
      unitNumber: 7,
      addressType: 'generated',
      macAddress: vm.nic.mac,
      wakeOnLanEnabled: true,
      uptCompatibilityEnabled: false,
    },
  ];
}

/** 1024 → '1,024', as vCenter prints sizes in device summaries. */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function vmLayoutEx(files: ReturnType<typeof vmFiles>, timestamp: Date): DataObject {
  const file = (key: number, name: string, type: string, size: number) => ({ key, name, type, size, uniqueSize: size, accessible: true });
  return {
    file: [
      file(0, files.vmx, 'config', FILE_SIZES.vmx),
      file(1, files.nvram, 'nvram', FILE_SIZES.nvram),
      file(2, files.disk, 'diskDescriptor', FILE_SIZES.disk),
      file(3, files.diskFlat, 'diskExtent', FILE_SIZES.diskFlat),
      file(4, files.log, 'log', FILE_SIZES.log),
    ],
    disk: [{ key: DISK_KEY, chain: [{ fileKey: [2, 3] }] }],
    snapshot: [],
    timestamp,
  };
}

function vmRuntime(vm: VmInput): DataObject {
  return {
    device: [],
    host: vm.host,
    connectionState: 'connected',
    powerState: 'poweredOn',
    faultToleranceState: 'notConfigured',
    toolsInstallerMounted: false,
    bootTime: vm.bootTime,
    suspendInterval: 0,
    maxCpuUsage: vm.hostCpuMhz,
    maxMemoryUsage: VM_MEMORY_MB,
    numMksConnections: 0,
    recordReplayState: 'inactive',
    onlineStandby: false,
    consolidationNeeded: false,
    offlineFeatureRequirement: [],
    featureRequirement: [],
    featureMask: [],
    paused: false,
    snapshotInBackground: false,
    instantCloneFrozen: false,
  };
}

function vmGuest(vm: VmInput): DataObject {
  return {
    toolsStatus: 'toolsOk',
    toolsVersionStatus: 'guestToolsCurrent',
    toolsVersionStatus2: 'guestToolsCurrent',
    toolsRunningStatus: 'guestToolsRunning',
    toolsVersion: String(TOOLS_VERSION),
    toolsInstallType: 'guestToolsTypeOpenVMTools',
    guestId: GUEST_ID,
    guestFamily: 'otherGuestFamily',
    guestFullName: GUEST_FULL_NAME,
    hostName: vmHostName(vm.name),
    ipAddress: vm.ip,
    net: [
      {
        network: vm.nic.networkName,
        ipAddress: [vm.ip],
        macAddress: vm.nic.mac,
        connected: true,
        deviceConfigId: NIC_KEY,
        ipConfig: { ipAddress: [{ ipAddress: vm.ip, prefixLength: 8, state: 'preferred' }] },
      },
    ],
    ipStack: [],
    disk: [{ diskPath: '/', capacity: VM_DISK_KB * 1024, freeSpace: (VM_DISK_KB * 1024) / 2, filesystemType: 'ext4', mappings: [] }],
    screen: { width: 1024, height: 768 },
    guestState: 'running',
    appHeartbeatStatus: 'appStatusGray',
    guestKernelCrashed: false,
    appState: 'none',
    guestOperationsReady: true,
    interactiveGuestOperationsReady: false,
    guestStateChangeSupported: true,
    generationInfo: [],
    hwVersion: HARDWARE_VERSION,
  };
}

/** The guest's DNS name: the VM name made a valid host name. */
export function vmHostName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
}

function guestSummary(guest: DataObject): DataObject {
  const { guestId, guestFullName, toolsStatus, toolsVersionStatus, toolsVersionStatus2, toolsRunningStatus, hostName, ipAddress, hwVersion } = guest;
  return { guestId, guestFullName, toolsStatus, toolsVersionStatus, toolsVersionStatus2, toolsRunningStatus, hostName, ipAddress, hwVersion };
}

function configSummary(vm: VmInput, vmPathName: string): DataObject {
  return {
    name: vm.name,
    template: false,
    vmPathName,
    memorySizeMB: VM_MEMORY_MB,
    cpuReservation: 0,
    memoryReservation: 0,
    numCpu: 1,
    numEthernetCards: 1,
    numVirtualDisks: 1,
    uuid: vm.uuid,
    instanceUuid: vm.instanceUuid,
    guestId: GUEST_ID,
    guestFullName: GUEST_FULL_NAME,
    annotation: '',
    installBootRequired: false,
    tpmPresent: false,
    numVmiopBackings: 0,
    hwVersion: HARDWARE_VERSION,
  };
}

function quickStats(vm: VmInput): DataObject {
  return {
    overallCpuUsage: vm.cpuUsageMhz,
    overallCpuDemand: vm.cpuUsageMhz,
    overallCpuReadiness: 0,
    guestMemoryUsage: vm.memoryUsageMB,
    hostMemoryUsage: VM_MEMORY_MB,
    guestHeartbeatStatus: 'green',
    distributedCpuEntitlement: vm.cpuUsageMhz,
    distributedMemoryEntitlement: VM_MEMORY_MB,
    staticCpuEntitlement: vm.hostCpuMhz,
    staticMemoryEntitlement: VM_MEMORY_MB,
    grantedMemory: VM_MEMORY_MB,
    privateMemory: VM_MEMORY_MB,
    sharedMemory: 0,
    swappedMemory: 0,
    balloonedMemory: 0,
    consumedOverheadMemory: 14,
    ftLogBandwidth: -1,
    ftSecondaryLatency: -1,
    ftLatencyStatus: 'gray',
    compressedMemory: 0,
    uptimeSeconds: 0,
    ssdSwappedMemory: 0,
  };
}

const SUPPORTED_CAPABILITIES = [
  'snapshotOperationsSupported', 'multipleSnapshotsSupported', 'snapshotConfigSupported', 'poweredOffSnapshotsSupported',
  'memorySnapshotsSupported', 'revertToSnapshotSupported', 'quiescedSnapshotsSupported', 'consolePreferencesSupported',
  'cpuFeatureMaskSupported', 's1AcpiManagementSupported', 'vmNpivWwnSupported', 'npivWwnOnNonRdmVmSupported',
  'vmNpivWwnDisableSupported', 'vmNpivWwnUpdateSupported', 'swapPlacementSupported', 'toolsSyncTimeSupported',
  'virtualMmuUsageSupported', 'diskSharesSupported', 'bootOptionsSupported', 'bootRetryOptionsSupported',
  'settingVideoRamSizeSupported', 'changeTrackingSupported', 'multipleCoresPerSocketSupported',
  'hostBasedReplicationSupported', 'guestAutoLockSupported', 'memoryReservationLockSupported',
  'featureRequirementSupported', 'poweredOnMonitorTypeChangeSupported', 'seSparseDiskSupported', 'nestedHVSupported',
  'vPMCSupported', 'secureBootSupported', 'perVmEvcSupported', 'diskOnlySnapshotOnSuspendedVMSupported',
];
const UNSUPPORTED_CAPABILITIES = [
  'disableSnapshotsSupported', 'lockSnapshotsSupported', 'settingScreenResolutionSupported', 'toolsAutoUpdateSupported',
  'settingDisplayTopologySupported', 'recordReplaySupported', 'virtualMmuUsageIgnored', 'virtualExecUsageIgnored',
];

/**
 * What every model VM can do. It never changes, so all VMs share one frozen object (a change
 * must replace `capability` as a whole); sharing it keeps inventories of 20,000 VMs light.
 */
const VM_CAPABILITY: DataObject = Object.freeze(
  Object.fromEntries([...SUPPORTED_CAPABILITIES.map((n) => [n, true]), ...UNSUPPORTED_CAPABILITIES.map((n) => [n, false])]),
);
