/**
 * Appliance management over `/api/appliance/*` and `/rest/appliance/*`, as vmware.vmware_rest's
 * appliance_* modules call it: access settings, a scheduled and cancelled shutdown (recorded,
 * never carried out), component health (system the worst), syslog forwarding; the vAPI errors of
 * bad input with nothing changed, and the settings kept by world snapshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { Content, type Flavour } from './rest-content-support.js';
import { RestTestClient } from './rest-support.js';

describe('REST appliance management', () => {
  let sim: Simulator;
  let http: RestTestClient;
  const clients = {} as Record<Flavour, Content>;
  const stored = () => JSON.stringify(sim.state.save().stores.appliance);

  beforeAll(async () => {
    sim = await createSimulator();
    http = new RestTestClient(sim);
    for (const flavour of ['api', 'rest'] as const) clients[flavour] = new Content(http, flavour, await http.login('user', 'pass', flavour));
  });
  afterAll(async () => {
    http.close();
    await sim.close();
  });

  describe.each(['api', 'rest'] as const)('%s', (flavour) => {
    const c = () => clients[flavour];
    const at = (path: string, action?: string) => `/${flavour}/appliance/${path}${action ? `?${flavour === 'api' ? 'action' : '~action'}=${action}` : ''}`;

    it('reads and changes access to the console, DCUI, SSH and the shell', async () => {
      for (const service of ['consolecli', 'dcui', 'ssh']) {
        expect(await c().ok('GET', at(`access/${service}`))).toBe(true);
        await c().ok('PUT', at(`access/${service}`), { enabled: false });
        expect(await c().ok('GET', at(`access/${service}`))).toBe(false);
        await c().ok('PUT', at(`access/${service}`), { enabled: true });
      }
      expect(await c().ok('GET', at('access/shell'))).toEqual({ enabled: false, timeout: 0 });
      await c().ok('PUT', at('access/shell'), c().wrap('config', { enabled: true, timeout: 600 }));
      expect(await c().ok('GET', at('access/shell'))).toEqual({ enabled: true, timeout: 600 });
      await c().ok('PUT', at('access/shell'), c().wrap('config', { enabled: false, timeout: 0 }));

      const before = stored();
      expect(await c().error('PUT', at('access/ssh'), { enabled: 'yes' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(await c().error('PUT', at('access/shell'), c().wrap('config', { enabled: true, timeout: 0 }))).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(await c().error('PUT', at('access/shell'), c().wrap('config', { enabled: true }))).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(stored()).toBe(before);
    });

    it('schedules a poweroff or reboot, reports and cancels it', async () => {
      expect(await c().ok('GET', at('shutdown'))).toEqual({ action: '', reason: '' });
      expect(await c().error('POST', at('shutdown', 'cancel'))).toMatchObject({ status: 400, type: 'NOT_ALLOWED_IN_CURRENT_STATE' });
      const asked = Date.now();
      await c().ok('POST', at('shutdown', 'reboot'), { delay: 10, reason: 'patching' });
      const pending = await c().ok('GET', at('shutdown'));
      expect(pending).toMatchObject({ action: 'reboot', reason: 'patching' });
      expect(Date.parse(pending.shutdown_time) - asked).toBeGreaterThanOrEqual(10 * 60_000 - 1000);
      await c().ok('POST', at('shutdown', 'poweroff'), { delay: 0, reason: 'end of drill' });
      expect(await c().ok('GET', at('shutdown'))).toMatchObject({ action: 'poweroff', reason: 'end of drill' });
      // The simulator keeps serving after a poweroff: it is recorded, not carried out.
      expect(await c().ok('GET', at('health/system'))).toBe('green');

      const before = stored();
      expect(await c().error('POST', at('shutdown', 'reboot'), { delay: -1, reason: 'x' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(await c().error('POST', at('shutdown', 'reboot'), { delay: 1, reason: '' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(await c().error('POST', at('shutdown', 'reboot'), { reason: 'no delay' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(await c().error('POST', at('shutdown', 'halt'), {})).toMatchObject({ status: 404, type: 'NOT_FOUND' });
      expect(stored()).toBe(before);
      await c().ok('POST', at('shutdown', 'cancel'));
      expect(await c().ok('GET', at('shutdown'))).toEqual({ action: '', reason: '' });
    });

    it('reports component health, system the worst of them', async () => {
      for (const component of ['mem', 'load', 'storage', 'swap', 'database-storage', 'softwarepackages', 'applmgmt', 'system']) {
        expect(await c().ok('GET', at(`health/${component}`))).toBe('green');
      }
      expect(Date.parse(await c().ok('GET', at('health/system/lastcheck')))).not.toBeNaN();
      expect(await c().ok('GET', at('health/database'))).toEqual({ status: 'HEALTHY', messages: [] });
      sim.vc.appliance.setHealth('swap', 'yellow');
      sim.vc.appliance.setHealth('storage', 'red');
      expect(await c().ok('GET', at('health/swap'))).toBe('yellow');
      expect(await c().ok('GET', at('health/system'))).toBe('red');
      sim.vc.appliance.setHealth('swap', 'green');
      sim.vc.appliance.setHealth('storage', 'green');
      expect(await c().error('GET', at('health/nothing'))).toMatchObject({ status: 404 });
    });

    it('configures syslog forwarding and tests it', async () => {
      const cfg = [{ hostname: `syslog-${flavour}.example`, port: 514, protocol: 'UDP' }];
      await c().ok('PUT', at('logging/forwarding'), { cfg_list: cfg });
      expect(await c().ok('GET', at('logging/forwarding'))).toEqual(cfg);
      expect(await c().ok('POST', at('logging/forwarding', 'test'), { send_test_message: true })).toEqual([{ hostname: cfg[0]!.hostname, state: 'UP' }]);
      const before = stored();
      const four = Array.from({ length: 4 }, (_, i) => ({ hostname: `h${i}`, port: 514, protocol: 'TCP' }));
      expect(await c().error('PUT', at('logging/forwarding'), { cfg_list: four })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(await c().error('PUT', at('logging/forwarding'), { cfg_list: [{ hostname: 'h', port: 514, protocol: 'SMTP' }] })).toMatchObject({ type: 'INVALID_ARGUMENT' });
      expect(stored()).toBe(before);
    });
  });

  it('answers the appliance clock', async () => {
    const time = await clients.api.ok('GET', '/api/appliance/system/time');
    expect(time).toMatchObject({ timezone: 'UTC', date: expect.stringMatching(/^[A-Z][a-z]{2} \d{2}-\d{2}-\d{4}$/), time: expect.stringMatching(/^\d{2}:\d{2}:\d{2} [AP]M$/) });
    expect(Math.abs(time.seconds_since_epoch - Date.now() / 1000)).toBeLessThan(60);
  });

  it('keeps the settings in world snapshots', async () => {
    const { id } = sim.state.snapshot('defaults');
    await clients.api.ok('PUT', '/api/appliance/access/ssh', { enabled: false });
    await clients.api.ok('POST', '/api/appliance/shutdown?action=reboot', { delay: 5, reason: 'kept' });
    const saved = JSON.parse(JSON.stringify(sim.state.save()));
    expect(sim.state.restore(id)).toBe(true);
    expect(await clients.api.ok('GET', '/api/appliance/access/ssh')).toBe(true);
    sim.state.load(saved);
    expect(await clients.api.ok('GET', '/api/appliance/access/ssh')).toBe(false);
    expect(await clients.api.ok('GET', '/api/appliance/shutdown')).toMatchObject({ action: 'reboot', reason: 'kept' });
  });
});
