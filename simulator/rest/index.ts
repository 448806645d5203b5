/**
 * The vCenter REST APIs, `/api` and `/rest`, over the same registry as SOAP. One route table;
 * each entry is served in both flavours (see plugin.ts and flavours.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { VCenter } from '../../models/vcenter.js';
import type { Sts } from '../sts/sts.js';
import type { CallInterceptor } from '../control/interceptor.js';
import { applianceRoutes } from './appliance.js';
import { contentRoutes, contentTransferRoutes } from './content/index.js';
import { lifecycleRoutes } from './esx/settings.js';
import { createRestPlugin } from './plugin.js';
import type { RestRoute } from './route.js';
import { sessionRoutes } from './session.js';
import { taggingRoutes } from './tagging/index.js';
import { computeRoutes } from './vcenter/compute.js';
import { inventoryRoutes } from './vcenter/inventory.js';
import { ovfLibraryItemRoutes } from './vcenter/ovf-library-item.js';
import { vmPowerRoutes } from './vcenter/vm-power.js';
import { vmRoutes } from './vcenter/vm.js';
import { vcenterOperationRoutes } from './vcenter/routes.js';

/** Every REST operation of `vc`'s simulator. */
export function allRoutes(startedAt = Date.now()): RestRoute[] {
  return [...sessionRoutes, ...vmRoutes, ...vcenterOperationRoutes, ...vmPowerRoutes, ...computeRoutes, ...inventoryRoutes, ...taggingRoutes, ...contentRoutes, ...ovfLibraryItemRoutes, ...lifecycleRoutes, ...applianceRoutes(startedAt)];
}

/** The fastify plugin serving `/api` and `/rest` for `vc`; with an interceptor, calls meet the fault rules and the journal. */
export function restRoutes(vc: VCenter, interceptor?: CallInterceptor, sts?: Sts) {
  const rest = createRestPlugin(vc, allRoutes(), interceptor, sts);
  // The content library's byte transfers sit beside /api and /rest (at /cls-data), as on vCenter.
  return async function restAndTransfers(app: FastifyInstance): Promise<void> {
    await app.register(rest);
    await app.register(contentTransferRoutes(vc, interceptor));
  };
}

export { createRestPlugin } from './plugin.js';
export { defineRoute, VapiMap, type RestRoute, type RestContext, type Flavour } from './route.js';
export { VapiError, vapiErrors } from './errors.js';
