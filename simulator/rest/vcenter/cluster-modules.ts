/**
 * Cluster modules: `/api/vcenter/cluster-modules[/{module}[/vm]]` and the 7.0 `/rest` form
 * govmomi's vapi/cluster speaks, `/rest/vcenter/cluster/modules[/{module}]` and
 * `/rest/vcenter/cluster/modules/vm/{module}/members` (`?action=add|remove`).
 */
import { z } from 'zod';
import { defineRoute, type RestRoute } from '../route.js';

const modules = { api: '/vcenter/cluster-modules', rest: '/vcenter/cluster/modules' };
const module = { api: '/vcenter/cluster-modules/:module', rest: '/vcenter/cluster/modules/:module' };
const members = { api: '/vcenter/cluster-modules/:module/vm', rest: '/vcenter/cluster/modules/vm/:module/members' };

const vmList = z.object({ vms: z.array(z.string().min(1)) });

export const clusterModuleRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: modules, handle: ({ vc }) => ({ summaries: vc.clusterModules.list() }) }),
  defineRoute({
    method: 'POST',
    path: modules,
    body: z.object({ cluster: z.string().min(1) }),
    restBodyKey: 'spec',
    created: true,
    handle: ({ vc, body }) => vc.clusterModules.create(body.cluster),
  }),
  defineRoute({ method: 'DELETE', path: module, handle: ({ vc, params }) => void vc.clusterModules.delete(params.module!) }),
  defineRoute({ method: 'GET', path: members, handle: ({ vc, params }) => ({ vms: vc.clusterModules.members(params.module!) }) }),
  defineRoute({ method: 'POST', path: members, action: 'add', plainRestAction: true, body: vmList, handle: ({ vc, params, body }) => ({ success: vc.clusterModules.add(params.module!, body.vms) }) }),
  defineRoute({ method: 'POST', path: members, action: 'remove', plainRestAction: true, body: vmList, handle: ({ vc, params, body }) => ({ success: vc.clusterModules.remove(params.module!, body.vms) }) }),
];
