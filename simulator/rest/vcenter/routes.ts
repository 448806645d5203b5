/** The vcenter operations that change the inventory or run tasks, and `cis/tasks` that reports those tasks. */
import { cisTaskRoutes } from '../cis-tasks.js';
import type { RestRoute } from '../route.js';
import { hostConnectionRoutes } from './host-connection.js';
import { storagePolicyRoutes } from './storage-policies.js';
import { vmCreateRoutes } from './vm-create.js';
import { vmGuestNetworkingRoutes } from './vm-guest-networking.js';
import { vmHardwareRoutes } from './vm-hardware-routes.js';

export const vcenterOperationRoutes: RestRoute[] = [
  ...vmCreateRoutes,
  ...vmHardwareRoutes,
  ...vmGuestNetworkingRoutes,
  ...hostConnectionRoutes,
  ...storagePolicyRoutes,
  ...cisTaskRoutes,
];
