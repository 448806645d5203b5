/** `vcenter/datacenter`, `vcenter/folder`, `vcenter/datastore` and `vcenter/network`: lists with their FilterSpecs, and get where vCenter has it. */
import { z } from 'zod';
import { Datacenter } from '../../../models/core/datacenter.js';
import { Datastore } from '../../../models/storage/datastore.js';
import type { Folder } from '../../../models/core/folder.js';
import type { DataObject } from '../../../models/core/moref.js';
import type { Network } from '../../../models/network/network.js';
import type { VCenter } from '../../../models/vcenter.js';
import { enumSet, queryEnum, stringSet } from '../query.js';
import { defineRoute, type RestRoute } from '../route.js';
import { allows, containedIn, filterSet, listOf, lookup, objectsOf } from './filters.js';

// --- datacenters ------------------------------------------------------------------------------

const datacenterFilter = z.object({ datacenters: stringSet(), names: stringSet(), folders: stringSet() });

function datacenterMatcher(vc: VCenter, filter: z.output<typeof datacenterFilter>) {
  const [datacenters, names, folders] = [filter.datacenters, filter.names, filter.folders].map(filterSet);
  return (dc: Datacenter) => allows(datacenters, dc.self.value) && allows(names, dc.name) && containedIn(vc, dc.parent, folders);
}

function datacenterInfo(dc: Datacenter) {
  return {
    name: dc.name,
    datastore_folder: dc.datastoreFolder.value,
    host_folder: dc.hostFolder.value,
    network_folder: dc.networkFolder.value,
    vm_folder: dc.vmFolder.value,
  };
}

// --- folders ----------------------------------------------------------------------------------

const FOLDER_TYPES = ['DATACENTER', 'DATASTORE', 'HOST', 'NETWORK', 'VIRTUAL_MACHINE'] as const;

/** A folder's vAPI type, from the kind of child it may hold (the root folder holds datacenters). */
function folderType(folder: Folder): (typeof FOLDER_TYPES)[number] {
  const holds = (type: string) => folder.childType.includes(type);
  if (holds('VirtualMachine')) return 'VIRTUAL_MACHINE';
  if (holds('ComputeResource')) return 'HOST';
  if (holds('Datastore')) return 'DATASTORE';
  if (holds('Network')) return 'NETWORK';
  return 'DATACENTER';
}

const folderFilter = z.object({
  folders: stringSet(),
  names: stringSet(),
  type: queryEnum(FOLDER_TYPES),
  parent_folders: stringSet(),
  datacenters: stringSet(),
});

function folderMatcher(vc: VCenter, filter: z.output<typeof folderFilter>) {
  const [folders, names, parents, datacenters] = [filter.folders, filter.names, filter.parent_folders, filter.datacenters].map(filterSet);
  return (folder: Folder) =>
    allows(folders, folder.self.value) &&
    allows(names, folder.name) &&
    (filter.type === undefined || folderType(folder) === filter.type) &&
    containedIn(vc, folder.parent, parents) &&
    containedIn(vc, folder.parent, datacenters);
}

// --- datastores -------------------------------------------------------------------------------

const DATASTORE_TYPES = ['VMFS', 'NFS', 'NFS41', 'CIFS', 'VSAN', 'VFFS', 'VVOL'] as const;

/**
 * The vAPI enum has no `OTHER` (what vcsim's local datastores report over SOAP): those stand for
 * a host's local disk, a VMFS volume on a real host.
 */
function datastoreType(ds: Datastore): (typeof DATASTORE_TYPES)[number] {
  const type = String(ds.summary.type).toUpperCase();
  return (DATASTORE_TYPES as readonly string[]).includes(type) ? (type as (typeof DATASTORE_TYPES)[number]) : 'VMFS';
}

const datastoreFilter = z.object({
  datastores: stringSet(),
  names: stringSet(),
  types: enumSet(DATASTORE_TYPES),
  folders: stringSet(),
  datacenters: stringSet(),
});

function datastoreMatcher(vc: VCenter, filter: z.output<typeof datastoreFilter>) {
  const [datastores, names, types, folders, datacenters] = [filter.datastores, filter.names, filter.types, filter.folders, filter.datacenters].map(filterSet);
  return (ds: Datastore) =>
    allows(datastores, ds.self.value) &&
    allows(names, ds.name) &&
    allows(types, datastoreType(ds)) &&
    containedIn(vc, ds.parent, folders) &&
    containedIn(vc, ds.parent, datacenters);
}

function datastoreSummary(ds: Datastore) {
  return { datastore: ds.self.value, name: ds.name, type: datastoreType(ds), free_space: ds.summary.freeSpace, capacity: ds.summary.capacity };
}

function datastoreInfo(ds: Datastore) {
  return {
    name: ds.name,
    type: datastoreType(ds),
    accessible: ds.summary.accessible !== false,
    free_space: ds.summary.freeSpace,
    multiple_host_access: Boolean(ds.summary.multipleHostAccess),
    thin_provisioning_supported: Boolean((ds.capability as DataObject).perFileThinProvisioningSupported),
  };
}

// --- networks ---------------------------------------------------------------------------------

/** Each managed type that is a network to this API, and its vAPI type; a switch itself is none. */
const NETWORK_TYPES = {
  Network: 'STANDARD_PORTGROUP',
  DistributedVirtualPortgroup: 'DISTRIBUTED_PORTGROUP',
  OpaqueNetwork: 'OPAQUE_NETWORK',
} as const;
type NetworkType = (typeof NETWORK_TYPES)[keyof typeof NETWORK_TYPES];

const networkType = (network: Network): NetworkType => NETWORK_TYPES[network.self.type as keyof typeof NETWORK_TYPES] ?? 'STANDARD_PORTGROUP';

const networkFilter = z.object({
  networks: stringSet(),
  names: stringSet(),
  types: enumSet(Object.values(NETWORK_TYPES) as [NetworkType, ...NetworkType[]]),
  folders: stringSet(),
  datacenters: stringSet(),
});

function networkMatcher(vc: VCenter, filter: z.output<typeof networkFilter>) {
  const [networks, names, types, folders, datacenters] = [filter.networks, filter.names, filter.types, filter.folders, filter.datacenters].map(filterSet);
  return (network: Network) =>
    allows(networks, network.self.value) &&
    allows(names, network.name) &&
    allows(types, networkType(network)) &&
    containedIn(vc, network.parent, folders) &&
    containedIn(vc, network.parent, datacenters);
}

// --- routes -----------------------------------------------------------------------------------

export const inventoryRoutes: RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/vcenter/datacenter',
    query: datacenterFilter,
    filterQuery: true,
    handle: ({ vc, query }) =>
      listOf(vc.registry.ofType<Datacenter>('Datacenter'), datacenterMatcher(vc, query), (dc) => ({ datacenter: dc.self.value, name: dc.name }), 'datacenter', 'datacenters'),
  }),
  defineRoute({
    method: 'GET',
    path: '/vcenter/datacenter/:datacenter',
    handle: ({ vc, params }) => datacenterInfo(lookup(vc, params.datacenter!, Datacenter, 'datacenter', 'Datacenter')),
  }),
  defineRoute({
    method: 'GET',
    path: '/vcenter/folder',
    query: folderFilter,
    filterQuery: true,
    handle: ({ vc, query }) =>
      listOf(vc.registry.ofType<Folder>('Folder'), folderMatcher(vc, query), (f) => ({ folder: f.self.value, name: f.name, type: folderType(f) }), 'folder', 'folders'),
  }),
  defineRoute({
    method: 'GET',
    path: '/vcenter/datastore',
    query: datastoreFilter,
    filterQuery: true,
    handle: ({ vc, query }) => listOf(vc.registry.ofType<Datastore>('Datastore'), datastoreMatcher(vc, query), datastoreSummary, 'datastore', 'datastores'),
  }),
  defineRoute({
    method: 'GET',
    path: '/vcenter/datastore/:datastore',
    handle: ({ vc, params }) => datastoreInfo(lookup(vc, params.datastore!, Datastore, 'datastore', 'Datastore')),
  }),
  defineRoute({
    method: 'GET',
    path: '/vcenter/network',
    query: networkFilter,
    filterQuery: true,
    handle: ({ vc, query }) =>
      listOf(
        objectsOf<Network>(vc, ...Object.keys(NETWORK_TYPES)),
        networkMatcher(vc, query),
        (n) => ({ network: n.self.value, name: n.name, type: networkType(n) }),
        'network',
        'networks',
      ),
  }),
];
