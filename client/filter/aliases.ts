/**
 * Short names for common property paths, per managed object type. Data only: an alias is a whole
 * word (`powerState`), never part of a dotted path, and every target is a real vSphere path.
 */

export const FILTER_OBJECT_TYPES = [
  'VirtualMachine',
  'HostSystem',
  'Datastore',
  'ClusterComputeResource',
  'Network',
  'ResourcePool',
  'Folder',
] as const;

export type FilterObjectType = (typeof FILTER_OBJECT_TYPES)[number];

type AliasTable = Readonly<Record<string, string>>;

/** Every managed entity has these. */
const COMMON: AliasTable = { name: 'name', status: 'overallStatus', parent: 'parent' };

const VIRTUAL_MACHINE: AliasTable = {
  powerState: 'runtime.powerState',
  connectionState: 'runtime.connectionState',
  host: 'runtime.host',
  bootTime: 'runtime.bootTime',
  numCPU: 'config.hardware.numCPU',
  numCoresPerSocket: 'config.hardware.numCoresPerSocket',
  memoryMB: 'config.hardware.memoryMB',
  guestId: 'config.guestId',
  guestFullName: 'config.guestFullName',
  template: 'config.template',
  uuid: 'config.uuid',
  instanceUuid: 'config.instanceUuid',
  annotation: 'config.annotation',
  hwVersion: 'config.version',
  ip: 'guest.ipAddress',
  ips: 'guest.net.ipAddress',
  hostName: 'guest.hostName',
  guestState: 'guest.guestState',
  toolsStatus: 'guest.toolsStatus',
  toolsRunningStatus: 'guest.toolsRunningStatus',
  datastore: 'datastore',
  network: 'network',
  resourcePool: 'resourcePool',
  committed: 'summary.storage.committed',
  uncommitted: 'summary.storage.uncommitted',
  cpuUsage: 'summary.quickStats.overallCpuUsage',
  memoryUsage: 'summary.quickStats.guestMemoryUsage',
  uptime: 'summary.quickStats.uptimeSeconds',
};

const HOST_SYSTEM: AliasTable = {
  connectionState: 'runtime.connectionState',
  powerState: 'runtime.powerState',
  inMaintenanceMode: 'runtime.inMaintenanceMode',
  bootTime: 'runtime.bootTime',
  numCpuCores: 'summary.hardware.numCpuCores',
  numCpuThreads: 'summary.hardware.numCpuThreads',
  numCpuPkgs: 'summary.hardware.numCpuPkgs',
  cpuMhz: 'summary.hardware.cpuMhz',
  memorySize: 'summary.hardware.memorySize',
  model: 'summary.hardware.model',
  vendor: 'summary.hardware.vendor',
  version: 'summary.config.product.version',
  build: 'summary.config.product.build',
  cpuUsage: 'summary.quickStats.overallCpuUsage',
  memoryUsage: 'summary.quickStats.overallMemoryUsage',
  uptime: 'summary.quickStats.uptime',
  vm: 'vm',
  datastore: 'datastore',
  network: 'network',
};

const DATASTORE: AliasTable = {
  freeSpace: 'summary.freeSpace',
  capacity: 'summary.capacity',
  uncommitted: 'summary.uncommitted',
  accessible: 'summary.accessible',
  type: 'summary.type',
  url: 'summary.url',
  maintenanceMode: 'summary.maintenanceMode',
  multipleHostAccess: 'summary.multipleHostAccess',
  host: 'host.key',
  vm: 'vm',
};

const CLUSTER: AliasTable = {
  numHosts: 'summary.numHosts',
  numEffectiveHosts: 'summary.numEffectiveHosts',
  numCpuCores: 'summary.numCpuCores',
  numCpuThreads: 'summary.numCpuThreads',
  totalCpu: 'summary.totalCpu',
  totalMemory: 'summary.totalMemory',
  effectiveCpu: 'summary.effectiveCpu',
  effectiveMemory: 'summary.effectiveMemory',
  drsEnabled: 'configurationEx.drsConfig.enabled',
  haEnabled: 'configurationEx.dasConfig.enabled',
  host: 'host',
  datastore: 'datastore',
  network: 'network',
  resourcePool: 'resourcePool',
};

const NETWORK: AliasTable = { accessible: 'summary.accessible', host: 'host', vm: 'vm' };

const RESOURCE_POOL: AliasTable = {
  cpuReservation: 'config.cpuAllocation.reservation',
  cpuLimit: 'config.cpuAllocation.limit',
  memoryReservation: 'config.memoryAllocation.reservation',
  memoryLimit: 'config.memoryAllocation.limit',
  cpuUsage: 'runtime.cpu.overallUsage',
  memoryUsage: 'runtime.memory.overallUsage',
  owner: 'owner',
  resourcePool: 'resourcePool',
  vm: 'vm',
};

const FOLDER: AliasTable = { childType: 'childType', childEntity: 'childEntity' };

const withCommon = (table: AliasTable): AliasTable => Object.freeze({ ...COMMON, ...table });

export const FILTER_ALIASES: Readonly<Record<FilterObjectType, AliasTable>> = Object.freeze({
  VirtualMachine: withCommon(VIRTUAL_MACHINE),
  HostSystem: withCommon(HOST_SYSTEM),
  Datastore: withCommon(DATASTORE),
  ClusterComputeResource: withCommon(CLUSTER),
  Network: withCommon(NETWORK),
  ResourcePool: withCommon(RESOURCE_POOL),
  Folder: withCommon(FOLDER),
});

export type AliasResolution = { path: string } | { ambiguous: { type: FilterObjectType; path: string }[] };

/**
 * The path a word names for objects of `type`. A type outside the table gets only the common
 * aliases. Without a type, an alias resolves if every type that has it agrees on its path, and is
 * ambiguous otherwise; a word that is no alias is its own path.
 */
export function resolveAlias(word: string, type?: string): AliasResolution {
  if (type !== undefined) {
    const table = Object.hasOwn(FILTER_ALIASES, type) ? FILTER_ALIASES[type as FilterObjectType] : COMMON;
    return { path: Object.hasOwn(table, word) ? table[word]! : word };
  }
  const meanings = FILTER_OBJECT_TYPES.filter((t) => Object.hasOwn(FILTER_ALIASES[t], word)).map((t) => ({ type: t, path: FILTER_ALIASES[t][word]! }));
  const paths = new Set(meanings.map((m) => m.path));
  if (paths.size > 1) return { ambiguous: meanings };
  return { path: meanings[0]?.path ?? word };
}
