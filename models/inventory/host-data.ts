/**
 * The property values of a simulated ESXi host: vcsim's host (a 2-socket, 2-core, 4 GB VMware
 * virtual machine running ESXi, which is what vcsim's esx/ templates were captured from), raised
 * to ESXi 7.0. Every call builds fresh objects, so hosts never share mutable data.
 */
import { MoRef, Typed, type DataObject } from '../core/moref.js';
import { ESX_ABOUT } from './service-content.js';

export const HOST_CPU_MHZ = 2294;
export const HOST_CPU_CORES = 2;
export const HOST_MEMORY_BYTES = 4294430720;
const CPU_MODEL = 'Intel(R) Core(TM) i7-3615QM CPU @ 2.30GHz';

export interface HostIdentity {
  self: MoRef;
  name: string;
  uuid: string;
  /** MAC of vmnic0 (also vmk0's); vmnic1 gets the next one. */
  macs: [string, string];
  /** Management IP (vmk0): the address clients reach the host at, the simulator's own. */
  ip: string;
  bootTime: Date;
}

export function hostRuntime(bootTime: Date): DataObject {
  return {
    connectionState: 'connected',
    powerState: 'poweredOn',
    standbyMode: 'none',
    inMaintenanceMode: false,
    inQuarantineMode: false,
    bootTime,
    healthSystemRuntime: {
      systemHealthInfo: { numericSensorInfo: [sensor('VMware Rollup Health State', 'system')] },
      hardwareStatusInfo: {
        memoryStatusInfo: [],
        cpuStatusInfo: [0, 1].map((i) => ({
          _type: 'HostHardwareElementInfo',
          name: `CPU socket #${i}`,
          status: { label: 'Green', summary: 'Physical element is functioning as expected', key: 'Green' },
        })),
        storageStatusInfo: [],
      },
    },
    networkRuntimeInfo: {
      netStackInstanceRuntimeInfo: [
        { netStackInstanceKey: 'defaultTcpipStack', state: 'active', vmknicKeys: ['vmk0'], maxNumberOfConnections: 11000, currentIpV6Enabled: true },
      ],
    },
    hostMaxVirtualDiskCapacity: 68169720922112,
    cryptoState: 'incapable',
  };
}

function sensor(name: string, sensorType: string): DataObject {
  return {
    name,
    healthState: { label: 'Green', summary: 'Sensor is operating under normal conditions', key: 'green' },
    currentReading: 0,
    unitModifier: 0,
    baseUnits: '',
    sensorType,
  };
}

export function hardwareSummary(uuid: string): DataObject {
  return {
    vendor: 'VMware, Inc.',
    model: 'VMware Virtual Platform',
    uuid,
    otherIdentifyingInfo: identifyingInfo(uuid),
    memorySize: HOST_MEMORY_BYTES,
    cpuModel: CPU_MODEL,
    cpuMhz: HOST_CPU_MHZ,
    numCpuPkgs: 2,
    numCpuCores: HOST_CPU_CORES,
    numCpuThreads: HOST_CPU_CORES,
    numNics: 2,
    numHBAs: 3,
  };
}

function identifyingInfo(uuid: string): DataObject[] {
  const hex = uuid.replace(/-/g, '');
  const pairs = (s: string) => s.match(/../g)!.join(' ');
  const serial = `VMware-${pairs(hex.slice(0, 16))}-${pairs(hex.slice(16))}`;
  const info = (identifierValue: string, key: string, label: string): DataObject => ({
    identifierValue,
    identifierType: { label, summary: label, key },
  });
  return [
    info(' No Asset Tag', 'AssetTag', 'Asset Tag'),
    info('[MS_VM_CERT/SHA1/27d66596a61c48dd3dc7216fd715126e33f59ae7]', 'OemSpecificString', 'OEM specific string'),
    info('Welcome to the Virtual Machine', 'OemSpecificString', 'OEM specific string'),
    info(serial, 'ServiceTag', 'Service tag'),
    info(serial, 'SerialNumberTag', 'Serial number tag'),
  ];
}

/** `summary` of a host; `runtime` is shared with the host's own `runtime` property. */
export function hostSummary(id: HostIdentity, runtime: DataObject): DataObject {
  return {
    host: id.self,
    hardware: hardwareSummary(id.uuid),
    runtime,
    config: {
      name: id.name,
      port: 902,
      product: { ...ESX_ABOUT },
      vmotionEnabled: false,
      faultToleranceEnabled: true,
      featureVersion: [],
    },
    quickStats: {
      overallCpuUsage: 67,
      overallMemoryUsage: 1404,
      distributedCpuFairness: 0,
      distributedMemoryFairness: 0,
      availablePMemCapacity: 0,
      uptime: 77229,
    },
    overallStatus: 'green',
    rebootRequired: false,
    customValue: [],
    managementServerIp: '',
    maxEVCModeKey: 'intel-ivybridge',
    currentEVCModeKey: '',
  };
}

export function hostHardware(uuid: string): DataObject {
  const hz = HOST_CPU_MHZ * 1_000_000;
  return {
    systemInfo: { vendor: 'VMware, Inc.', model: 'VMware Virtual Platform', uuid, otherIdentifyingInfo: identifyingInfo(uuid), serialNumber: serialNumber(uuid) },
    cpuPowerManagementInfo: { currentPolicy: 'Balanced', hardwareSupport: 'ACPI P-states, ACPI C-states' },
    cpuInfo: { numCpuPackages: 2, numCpuCores: HOST_CPU_CORES, numCpuThreads: HOST_CPU_CORES, hz },
    cpuPkg: [0, 1].map((index) => ({ index, vendor: 'intel', hz, busHz: 66666666, description: CPU_MODEL, threadId: [index], cpuFeature: cpuFeatures() })),
    memorySize: HOST_MEMORY_BYTES,
    numaInfo: {
      type: 'NUMA',
      numNodes: 1,
      numaNode: [{ typeId: 0, cpuID: [1, 0], memoryRangeBegin: 4294967296, memoryRangeLength: 1073741824, pciId: PCI_DEVICES.map(([id]) => id) }],
    },
    smcPresent: false,
    pciDevice: pciDevices(),
    cpuFeature: cpuFeatures(),
    biosInfo: { biosVersion: '6.00', releaseDate: new Date('2015-07-02T00:00:00Z'), vendor: 'Phoenix Technologies LTD', majorRelease: 4, minorRelease: 6 },
  };
}

/** The serial number the BIOS of a VMware virtual machine reports: VMware- and its UUID's bytes. */
function serialNumber(uuid: string): string {
  const hex = uuid.replace(/-/g, '');
  const pairs = (text: string) => text.match(/../g)!.join(' ');
  return `VMware-${pairs(hex.slice(0, 16))}-${pairs(hex.slice(16))}`;
}

/**
 * CPUID leaves of the host's Ivy Bridge CPU (family 6, model 0x3a) as ESXi reports them: each
 * register a 32-bit string in groups of four bits. [level, vendor, eax, ebx, ecx, edx]
 */
const CPUID: [number, string, number, number, number, number][] = [
  [0, '', 0x0000000d, 0x756e6547, 0x6c65746e, 0x49656e69],
  [1, '', 0x000306a9, 0x00010800, 0xfeba2203, 0x0f8bfbff],
  [7, '', 0x00000000, 0x00000281, 0x00000000, 0x00000000],
  [0x80000000, '', 0x80000008, 0x00000000, 0x00000000, 0x00000000],
  [0x80000001, '', 0x00000000, 0x00000000, 0x00000001, 0x28100800],
  [0x80000008, '', 0x00003028, 0x00000000, 0x00000000, 0x00000000],
];

const bits = (value: number) => (value >>> 0).toString(2).padStart(32, '0').match(/.{4}/g)!.join(':');

function cpuFeatures(): DataObject[] {
  // `level` is an int: the extended leaves show as the negative numbers vCenter sends for them.
  return CPUID.map(([level, vendor, eax, ebx, ecx, edx]) => ({ level: level | 0, vendor: vendor || undefined, eax: bits(eax), ebx: bits(ebx), ecx: bits(ecx), edx: bits(edx) }));
}

/** The PCI devices of the VMware virtual platform: [id, class, vendor, device, name, parent bridge]. */
const PCI_DEVICES: [string, number, number, number, string, string?][] = [
  ['0000:00:00.0', 0x0600, 0x8086, 0x7190, 'Virtual Machine Chipset'],
  ['0000:00:01.0', 0x0604, 0x8086, 0x7191, '440BX/ZX/DX - 82443BX/ZX/DX AGP bridge'],
  ['0000:00:07.0', 0x0601, 0x8086, 0x7110, 'Virtual Machine Chipset'],
  ['0000:00:07.1', 0x0101, 0x8086, 0x7111, 'PIIX4 for 430TX/440BX/MX IDE Controller'],
  ['0000:00:07.7', 0x0880, 0x15ad, 0x0740, 'Virtual Machine Communication Interface'],
  ['0000:00:0f.0', 0x0300, 0x15ad, 0x0405, 'SVGA II Adapter'],
  ['0000:00:11.0', 0x0604, 0x15ad, 0x0790, 'PCI bridge'],
  ['0000:00:15.0', 0x0604, 0x15ad, 0x07a0, 'PCI Express Root Port'],
  ['0000:03:00.0', 0x0107, 0x15ad, 0x07c0, 'PVSCSI SCSI Controller', '0000:00:15.0'],
  ['0000:0b:00.0', 0x0200, 0x15ad, 0x07b0, 'vmxnet3 Virtual Ethernet Controller', '0000:00:15.0'],
  ['0000:13:00.0', 0x0200, 0x15ad, 0x07b0, 'vmxnet3 Virtual Ethernet Controller', '0000:00:15.0'],
];

const vendorNames: Record<number, string> = { 0x8086: 'Intel Corporation', 0x15ad: 'VMware' };
/** `short` fields carry the 16 bits signed, as vCenter sends them (Intel's 0x8086 is -32634). */
const short = (value: number) => (value << 16) >> 16;

function pciDevices(): DataObject[] {
  return PCI_DEVICES.map(([id, classId, vendorId, deviceId, deviceName, parentBridge]) => {
    const [, bus, slot, fn] = /^[0-9a-f]{4}:([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$/.exec(id)!;
    return {
      id,
      classId: short(classId),
      bus: parseInt(bus!, 16),
      slot: parseInt(slot!, 16),
      function: Number(fn),
      vendorId: short(vendorId),
      subVendorId: short(0x15ad),
      vendorName: vendorNames[vendorId],
      deviceId: short(deviceId),
      subDeviceId: short(deviceId),
      parentBridge,
      deviceName,
    };
  });
}

export function hostCapability(): DataObject {
  const supported = [
    'recursiveResourcePoolsSupported', 'cpuMemoryResourceConfigurationSupported', 'rebootSupported', 'shutdownSupported',
    'vmotionSupported', 'datastorePrincipalSupported', 'sanSupported', 'nfsSupported', 'iscsiSupported',
    'vlanTaggingSupported', 'nicTeamingSupported', 'highGuestMemSupported', 'maintenanceModeSupported',
    'suspendedRelocateSupported', 'restrictedSnapshotRelocateSupported', 'perVmSwapFiles', 'localSwapDatastoreSupported',
    'unsharedSwapVMotionSupported', 'backgroundSnapshotsSupported', 'preAssignedPCIUnitNumbersSupported',
    'screenshotSupported', 'scaledScreenshotSupported', 'storageVMotionSupported', 'vmotionWithStorageVMotionSupported',
    'vmotionAcrossNetworkSupported', 'hbrNicSelectionSupported', 'vrNfcNicSelectionSupported', 'ftSupported',
    'smpFtSupported', 'loginBySSLThumbprintSupported', 'cloneFromSnapshotSupported', 'deltaDiskBackingsSupported',
    'perVMNetworkTrafficShapingSupported', 'virtualExecUsageSupported', 'storageIORMSupported', 'vStorageCapable',
    'snapshotRelayoutSupported', 'firewallIpRulesSupported', 'servicePackageInfoSupported', 'vmfsDatastoreMountCapable',
    'eightPlusHostVmfsSharedAccessSupported', 'nestedHVSupported', 'vPMCSupported',
    'interVMCommunicationThroughVMCISupported', 'scheduledHardwareUpgradeSupported', 'featureCapabilitiesSupported',
    'latencySensitivitySupported', 'storagePolicySupported', 'multipleNetworkStackInstanceSupported',
    'messageBusProxySupported', 'vsanSupported', 'vFlashSupported', 'hostAccessManagerSupported',
    'provisioningNicSelectionSupported', 'nfs41Supported', 'nfs41Krb5iSupported', 'virtualVolumeDatastoreSupported',
    'markAsSsdSupported', 'markAsLocalSupported', 'cryptoSupported', 'oneKVolumeAPIsSupported', 'gatewayOnNicSupported',
    'cpuHwMmuSupported', 'encryptedVMotionSupported', 'vmCreateDateSupported', 'quickBootSupported', 'standbySupported',
  ];
  const unsupported = [
    'ipmiSupported', 'recordReplaySupported', 'tpmSupported', 'vmDirectPathGen2Supported',
    'accel3dSupported', 'reliableMemoryAware', 'turnDiskLocatorLedSupported', 'smartCardAuthenticationSupported',
    'pMemSupported', 'pMemSnapshotSupported', 'upitSupported',
  ];
  const capability: DataObject = {
    maxSupportedVMs: 1024,
    maxRunningVMs: 1024,
    maxSupportedVcpus: 4096,
    maxRegisteredVMs: 4096,
    maxNumDisksSVMotion: 248,
    maxVcpusPerFtVm: 8,
    maxHostRunningVms: 1024,
    maxHostSupportedVcpus: 4096,
    supportedVmfsMajorVersion: [5, 6],
    replayCompatibilityIssues: [],
    ftCompatibilityIssues: [],
    smpFtCompatibilityIssues: [],
    vmDirectPathGen2UnsupportedReason: [],
    supportedCpuFeature: [],
  };
  for (const name of supported) capability[name] = true;
  for (const name of unsupported) capability[name] = false;
  return capability;
}

/** The ids of the host's configuration manager objects, as the builder registered them. */
export interface HostManagers {
  datastoreSystem: MoRef;
  networkSystem: MoRef;
  advancedOption: MoRef;
  firewallSystem: MoRef;
  storageSystem: MoRef;
}

/** `config`: product, network (vSwitch0 with 'VM Network' and 'Management Network', vmk0), storage adapters, clock. */
export function hostConfig(id: HostIdentity, datastoreMounts: DataObject[]): DataObject {
  return {
    host: id.self,
    product: { ...ESX_ABOUT },
    deploymentInfo: { bootedFromStatelessCache: false },
    hyperThread: { available: false, active: false, config: true },
    storageDevice: storageDevice(),
    fileSystemVolume: { volumeTypeList: ['VMFS', 'NFS', 'NFS41', 'vsan', 'VVOL', 'VFFS', 'OTHER', 'PMEM'], mountInfo: datastoreMounts },
    systemFile: [],
    network: hostNetwork(id),
    vmotion: { netConfig: { candidateVnic: [vmk0(id)], selectedVnic: 'VMotionConfig.vmotion.key-vim.host.VirtualNic-vmk0' }, ipConfig: { dhcp: false, ipAddress: id.ip, subnetMask: '255.0.0.0' } },
    capabilities: {
      canSetPhysicalNicLinkSpeed: true,
      supportsNicTeaming: true,
      nicTeamingPolicy: ['loadbalance_ip', 'loadbalance_srcmac', 'loadbalance_srcid', 'failover_explicit'],
      supportsVlan: true,
      usesServiceConsoleNic: false,
      supportsNetworkHints: true,
      vswitchConfigSupported: true,
      vnicConfigSupported: true,
      ipRouteConfigSupported: true,
      dnsConfigSupported: true,
      dhcpOnVnicSupported: true,
      ipV6Supported: true,
    },
    datastoreCapabilities: { nfsMountCreationRequired: true, nfsMountCreationSupported: true, localDatastoreSupported: false, vmfsExtentExpansionSupported: true },
    offloadCapabilities: { csumOffload: true, tcpSegmentation: true, zeroCopyXmit: true },
    option: [],
    optionDef: [],
    // dateTimeInfo: the host's HostDateTimeSystem sets it (models/host/host-managers.ts).
    flags: { backgroundSnapshotsEnabled: false },
    adminDisabled: false,
    lockdownMode: 'lockdownDisabled',
    featureVersion: [],
    cacheConfigurationInfo: [],
    wakeOnLanCapable: false,
    featureCapability: [],
    maskedFeatureCapability: [],
    domainList: [],
    graphicsInfo: [],
    sharedPassthruGpuTypes: [],
    ioFilterInfo: [],
    sriovDevicePool: [],
  };
}

function hostNetwork(id: HostIdentity): DataObject {
  const teaming = () => ({
    policy: 'loadbalance_srcid',
    reversePolicy: true,
    notifySwitches: true,
    rollingOrder: false,
    failureCriteria: { checkSpeed: 'minimum', speed: 10, checkDuplex: false, fullDuplex: false, checkErrorPercent: false, percentage: 0, checkBeacon: false },
    nicOrder: { activeNic: ['vmnic0'], standbyNic: [] },
  });
  const policy = () => ({
    security: { allowPromiscuous: false, macChanges: true, forgedTransmits: true },
    nicTeaming: teaming(),
    offloadPolicy: { csumOffload: true, tcpSegmentation: true, zeroCopyXmit: true },
    shapingPolicy: { enabled: false },
  });
  const portgroup = (name: string, ports: DataObject[]) => ({
    key: `key-vim.host.PortGroup-${name}`,
    port: ports,
    vswitch: 'key-vim.host.VirtualSwitch-vSwitch0',
    computedPolicy: policy(),
    spec: { name, vlanId: 0, vswitchName: 'vSwitch0', policy: { security: {}, nicTeaming: { failureCriteria: {} }, offloadPolicy: {}, shapingPolicy: {} } },
  });
  return {
    vswitch: [
      {
        name: 'vSwitch0',
        key: 'key-vim.host.VirtualSwitch-vSwitch0',
        numPorts: 2560,
        numPortsAvailable: 2552,
        mtu: 1500,
        portgroup: ['key-vim.host.PortGroup-VM Network', 'key-vim.host.PortGroup-Management Network'],
        pnic: ['key-vim.host.PhysicalNic-vmnic0'],
        spec: {
          numPorts: 128,
          bridge: { _type: 'HostVirtualSwitchBondBridge', nicDevice: ['vmnic0'], beacon: { interval: 1 }, linkDiscoveryProtocolConfig: { protocol: 'cdp', operation: 'listen' } },
          policy: policy(),
          mtu: 1500,
        },
      },
    ],
    proxySwitch: [],
    portgroup: [
      portgroup('VM Network', []),
      portgroup('Management Network', [{ key: 'key-vim.host.PortGroup.Port-33554436', mac: [id.macs[0]], type: 'host' }]),
    ],
    pnic: id.macs.map((mac, i) => physicalNic(i, mac)),
    vnic: [vmk0(id)],
    consoleVnic: [],
    dnsConfig: {
      _type: 'HostDnsConfig',
      dhcp: false,
      virtualNicDevice: 'vmk0',
      ...dnsName(id.name),
      address: ['8.8.8.8'],
      searchDomain: ['localdomain'],
    },
    ipRouteConfig: { _type: 'HostIpRouteConfig', defaultGateway: id.ip, gatewayDevice: 'vmk0' },
    routeTableInfo: {
      ipRoute: [
        { network: '0.0.0.0', prefixLength: 0, gateway: id.ip, deviceName: 'vmk0' },
        { network: '127.0.0.0', prefixLength: 8, gateway: '0.0.0.0', deviceName: 'vmk0' },
      ],
      ipv6Route: [],
    },
    dhcp: [],
    nat: [],
    ipV6Enabled: true,
    atBootIpV6Enabled: true,
    netStackInstance: [],
    opaqueSwitch: [],
    opaqueNetwork: [],
  };
}

function physicalNic(index: number, mac: string): DataObject {
  const link = () => ({ speedMb: 10000, duplex: true });
  return {
    key: `key-vim.host.PhysicalNic-vmnic${index}`,
    device: `vmnic${index}`,
    pci: `0000:${index === 0 ? '0b' : '13'}:00.0`,
    driver: 'nvmxnet3',
    linkSpeed: link(),
    validLinkSpecification: [link()],
    spec: { linkSpeed: link() },
    wakeOnLanSupported: false,
    mac,
    vmDirectPathGen2Supported: false,
    resourcePoolSchedulerAllowed: true,
    resourcePoolSchedulerDisallowedReason: [],
    autoNegotiateSupported: false,
    enhancedNetworkingStackSupported: false,
  };
}

function vmk0(id: HostIdentity): DataObject {
  return {
    device: 'vmk0',
    key: 'key-vim.host.VirtualNic-vmk0',
    portgroup: 'Management Network',
    spec: {
      ip: { dhcp: false, ipAddress: id.ip, subnetMask: '255.0.0.0' },
      mac: id.macs[0],
      portgroup: 'Management Network',
      mtu: 1500,
      tsoEnabled: true,
      netStackInstanceKey: 'defaultTcpipStack',
      systemOwned: false,
    },
    port: 'key-vim.host.PortGroup.Port-33554436',
  };
}

function storageDevice(): DataObject {
  const hba = (device: string, kind: string, bus: number, model: string, driver: string, pci: string) => ({
    _type: `Host${kind}Hba`,
    key: `key-vim.host.${kind}Hba-${device}`,
    device,
    bus,
    status: 'unknown',
    model,
    driver,
    pci,
  });
  return {
    hostBusAdapter: [
      hba('vmhba0', 'ParallelScsi', 3, 'PVSCSI SCSI Controller', 'pvscsi', '0000:03:00.0'),
      hba('vmhba1', 'Block', 0, 'PIIX4 for 430TX/440BX/MX IDE Controller', 'vmkata', '0000:00:07.1'),
      hba('vmhba64', 'Block', 0, 'PIIX4 for 430TX/440BX/MX IDE Controller', 'vmkata', '0000:00:07.1'),
    ],
    scsiLun: [localDisk()],
    softwareInternetScsiEnabled: false,
  };
}

/** The local disk vcsim's hosts have (32 GB): free for a VMFS datastore (HostDatastoreSystem.CreateVmfsDatastore). */
function localDisk(): DataObject {
  const name = 'mpx.vmhba0:C0:T0:L0';
  const uuid = '0000000000766d686261303a303a30';
  return {
    _type: 'HostScsiDisk',
    deviceName: `/vmfs/devices/disks/${name}`,
    deviceType: 'disk',
    key: `key-vim.host.ScsiDisk-${uuid}`,
    uuid,
    descriptor: [{ quality: 'lowQuality', id: name }, { quality: 'lowQuality', id: `vml.${uuid}` }],
    canonicalName: name,
    displayName: `Local VMware, Disk (${name})`,
    lunType: 'disk',
    vendor: 'VMware, ',
    model: 'VMware Virtual S',
    revision: '1.0 ',
    scsiLevel: 2,
    serialNumber: 'unavailable',
    queueDepth: 1024,
    operationalState: ['ok'],
    capabilities: { updateDisplayNameSupported: true },
    vStorageSupport: 'vStorageUnsupported',
    protocolEndpoint: false,
    capacity: { blockSize: 512, block: 67108864 },
    devicePath: `/vmfs/devices/disks/${name}`,
    ssd: true,
    localDisk: true,
    emulatedDIXDIFEnabled: false,
    scsiDiskType: 'native512',
  };
}

/** The DNS host and domain name of a host named `name` (an inventory name may not be a valid host name). */
export function dnsName(name: string): { hostName: string; domainName: string } {
  const fqdn = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  const dot = fqdn.indexOf('.');
  return dot > 0 ? { hostName: fqdn.slice(0, dot), domainName: fqdn.slice(dot + 1) } : { hostName: fqdn, domainName: 'localdomain' };
}

/** `licensableResource`: what vCenter counts against the license. */
export function licensableResource(): DataObject {
  return {
    resource: [
      { key: 'numCpuPackages', value: new Typed('int', 2) },
      { key: 'numCpuCores', value: new Typed('int', 2 * HOST_CPU_CORES) },
      { key: 'memorySize', value: new Typed('long', Math.floor(HOST_MEMORY_BYTES / (1024 * 1024))) },
    ],
  };
}
