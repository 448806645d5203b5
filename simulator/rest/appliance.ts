/**
 * `appliance/system/version`, `appliance/system/uptime`, `appliance/system/time`: the vCenter
 * Server Appliance's view of itself, consistent with the service content's `about`; and its
 * management settings (access, shutdown, health, logging: appliance-settings.ts).
 */
import { BASE_TIME } from '../../models/inventory/index.js';
import type { DataObject } from '../../models/core/moref.js';
import type { VCenter } from '../../models/vcenter.js';
import { applianceSettingRoutes } from './appliance-settings.js';
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
    defineRoute({ method: 'GET', path: '/appliance/system/uptime', handle: () => (Date.now() - startedAt) / 1000 }),
    defineRoute({ method: 'GET', path: '/appliance/system/time', handle: ({ vc }) => systemTime(vc.now()) }),
    ...applianceSettingRoutes,
  ];
}

/** As the appliance writes its clock: `Fri 12-04-2026`, `06:20:11 PM`, UTC. */
function systemTime(now: Date) {
  const two = (n: number) => String(n).padStart(2, '0');
  const weekday = now.toUTCString().slice(0, 3);
  const hours = now.getUTCHours();
  return {
    date: `${weekday} ${two(now.getUTCMonth() + 1)}-${two(now.getUTCDate())}-${now.getUTCFullYear()}`,
    time: `${two(hours % 12 || 12)}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`,
    timezone: 'UTC',
    seconds_since_epoch: now.getTime() / 1000,
  };
}
