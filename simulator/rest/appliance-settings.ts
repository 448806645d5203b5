/**
 * The appliance's management settings, both flavours: `appliance/access/{consolecli,dcui,ssh}`
 * (GET a boolean, PUT `{"enabled"}`), `appliance/access/shell` (`{enabled, timeout}`; `/rest`
 * wraps the PUT in `config`), `appliance/shutdown` (GET the pending one; `poweroff`, `reboot`
 * with `{delay, reason}`, `cancel`), `appliance/health/<component>` (a level; `system` the worst,
 * `system/lastcheck` a time, `database` a status) and `appliance/logging/forwarding` (GET, PUT
 * `{cfg_list}`, `test`). State in models/rest/appliance.ts.
 */
import { z } from 'zod';
import { HEALTH_COMPONENTS, type AccessService } from '../../models/rest/appliance.js';
import { defineRoute, type RestRoute } from './route.js';

const enabled = z.object({ enabled: z.boolean() });

function accessRoutes(service: AccessService): RestRoute[] {
  const path = `/appliance/access/${service}`;
  return [
    defineRoute({ method: 'GET', path, handle: ({ vc }) => vc.appliance.getAccess(service) }),
    defineRoute({ method: 'PUT', path, body: enabled, handle: ({ vc, body }) => void vc.appliance.setAccess(service, body.enabled) }),
  ];
}

const shutdownSpec = z.object({ delay: z.number().int(), reason: z.string() });

const forwarding = z.object({
  hostname: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  protocol: z.enum(['TLS', 'UDP', 'TCP', 'RELP']),
});

const healthRoutes: RestRoute[] = [
  ...HEALTH_COMPONENTS.filter((c) => c !== 'system').map((component) =>
    defineRoute({ method: 'GET', path: `/appliance/health/${component}`, handle: ({ vc }) => vc.appliance.getHealth(component) }),
  ),
  defineRoute({ method: 'GET', path: '/appliance/health/system', handle: ({ vc }) => vc.appliance.systemHealth() }),
  // Health is evaluated continuously: the last check is now.
  defineRoute({ method: 'GET', path: '/appliance/health/system/lastcheck', handle: ({ vc }) => vc.now().toISOString() }),
  defineRoute({
    method: 'GET',
    path: '/appliance/health/database',
    handle: ({ vc }) => ({ status: vc.appliance.getHealth('database-storage') === 'green' ? 'HEALTHY' : 'DEGRADED', messages: [] }),
  }),
];

export const applianceSettingRoutes: RestRoute[] = [
  ...accessRoutes('consolecli'),
  ...accessRoutes('dcui'),
  ...accessRoutes('ssh'),
  defineRoute({ method: 'GET', path: '/appliance/access/shell', handle: ({ vc }) => vc.appliance.getShell() }),
  defineRoute({
    method: 'PUT',
    path: '/appliance/access/shell',
    body: z.object({ enabled: z.boolean(), timeout: z.number().int() }),
    restBodyKey: 'config',
    handle: ({ vc, body }) => void vc.appliance.setShell(body.enabled, body.timeout),
  }),
  defineRoute({ method: 'GET', path: '/appliance/shutdown', handle: ({ vc }) => vc.appliance.getShutdown() }),
  defineRoute({ method: 'POST', path: '/appliance/shutdown', action: 'poweroff', body: shutdownSpec, handle: ({ vc, body }) => void vc.appliance.scheduleShutdown('poweroff', body.delay, body.reason) }),
  defineRoute({ method: 'POST', path: '/appliance/shutdown', action: 'reboot', body: shutdownSpec, handle: ({ vc, body }) => void vc.appliance.scheduleShutdown('reboot', body.delay, body.reason) }),
  defineRoute({ method: 'POST', path: '/appliance/shutdown', action: 'cancel', handle: ({ vc }) => void vc.appliance.cancelShutdown() }),
  ...healthRoutes,
  defineRoute({ method: 'GET', path: '/appliance/logging/forwarding', handle: ({ vc }) => vc.appliance.getForwarding() }),
  defineRoute({
    method: 'PUT',
    path: '/appliance/logging/forwarding',
    body: z.object({ cfg_list: z.array(forwarding) }),
    handle: ({ vc, body }) => void vc.appliance.setForwarding(body.cfg_list),
  }),
  // Every destination answers: the simulator sends no syslog, so none can be down.
  defineRoute({
    method: 'POST',
    path: '/appliance/logging/forwarding',
    action: 'test',
    body: z.object({ send_test_message: z.boolean().optional() }).optional(),
    handle: ({ vc }) => vc.appliance.getForwarding().map((f) => ({ hostname: f.hostname, state: 'UP' })),
  }),
];
