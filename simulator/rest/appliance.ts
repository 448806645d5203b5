/**
 * `appliance/system/version`, `appliance/health/system`, `appliance/system/uptime`: the vCenter
 * Server Appliance's view of itself, consistent with the service content's `about`.
 */
import { BASE_TIME } from '../../models/inventory/index.js';
import type { DataObject } from '../../models/core/moref.js';
import type { VCenter } from '../../models/vcenter.js';
import { defineRoute, type RestRoute } from './route.js';

/** vCenter 7.0.0 build 15952498 shipped as appliance release 7.0.0.10100, released on this date. */
const APPLIANCE_PATCH = '10100';
const RELEASE_DATE = 'March 16, 2020';

function version(vc: VCenter) {
  const about = vc.content.about as DataObject;
  return {
    version: `${about.version}.${APPLIANCE_PATCH}`,
    product: 'VMware vCenter Server',
    build: about.build,
    type: 'vCenter Server with an embedded Platform Services Controller',
    summary: `${about.fullName}`,
    releasedate: RELEASE_DATE,
    // The inventory's own past starts then: the appliance was installed before any host booted.
    install_time: new Date(BASE_TIME).toISOString(),
  };
}

/** `startedAt`: when this simulator instance started, the appliance's boot. */
export function applianceRoutes(startedAt: number): RestRoute[] {
  return [
    defineRoute({ method: 'GET', path: '/appliance/system/version', handle: ({ vc }) => version(vc) }),
    defineRoute({ method: 'GET', path: '/appliance/health/system', handle: () => 'green' }),
    defineRoute({ method: 'GET', path: '/appliance/system/uptime', handle: () => (Date.now() - startedAt) / 1000 }),
  ];
}
