/**
 * The inventory: topologies (vcsim flags or a declarative file), the ServiceContent of each
 * model, and the builder that fills a world's registry.
 */
export { buildInventory, BASE_TIME } from './build.js';
export { serviceContent, VCENTER_ABOUT, ESX_ABOUT } from './service-content.js';
export {
  topologySchema,
  topologyFromFlags,
  loadTopologyFile,
  parseTopology,
  flagsSchema,
  type Topology,
  type VcsimFlags,
  type DatacenterSpec,
  type ClusterSpec,
  type HostSpec,
  type Override,
} from './topology.js';
export { resolve as resolveInventoryPath } from './overrides.js';
export { vmProperties, vmFiles, type VmInput, type VmNic } from './vm-data.js';
