/** The vcenter operations that change the inventory or run tasks, `cis/tasks` that reports those tasks, cluster modules, zones, VM data sets, namespaces and VM templates in libraries. */
import { cisTaskRoutes } from '../cis-tasks.js';
import type { RestRoute } from '../route.js';
import { clusterModuleRoutes } from './cluster-modules.js';
import { hostConnectionRoutes } from './host-connection.js';
import { namespaceManagementRoutes } from './namespace-management.js';
import { namespaceRoutes } from './namespaces.js';
import { storagePolicyRoutes } from './storage-policies.js';
import { vmCreateRoutes } from './vm-create.js';
import { vmDataSetRoutes } from './vm-data-sets.js';
import { vmGuestNetworkingRoutes } from './vm-guest-networking.js';
import { vmHardwareRoutes } from './vm-hardware-routes.js';
import { vmTemplateRoutes } from './vm-template.js';
import { zoneRoutes } from './zones.js';

export const vcenterOperationRoutes: RestRoute[] = [
  ...vmCreateRoutes,
  ...vmHardwareRoutes,
  ...vmGuestNetworkingRoutes,
  ...hostConnectionRoutes,
  ...storagePolicyRoutes,
  ...cisTaskRoutes,
  ...clusterModuleRoutes,
  ...zoneRoutes,
  ...vmDataSetRoutes,
  ...namespaceManagementRoutes,
  ...namespaceRoutes,
  ...vmTemplateRoutes,
];
