/**
 * REST and SOAP as two views of one inventory: VM power changed over REST shows over SOAP (power
 * state and events, as the REST user), a reconfigure over SOAP shows in the REST VM info, and a
 * configured task duration holds a REST power call for that long. Also the power and guest
 * operations' errors in both flavours.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoapClient } from '../../client/soap.js';
import { MoRef, type DataObject } from '../../models/core/moref.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import { taskEnded } from '../../simulator/rest/vcenter/vm-power.js';
import type { Simulator } from '../../simulator/index.js';
import { named } from '../clients/inventory.js';
import { closeCrossApi, openCrossApi, type RestTestClient } from './rest-support.js';

const collector = { type: 'PropertyCollector', value: 'propertyCollector' };

const powerStateSpec = (vm: string) =>
  `<specSet><propSet><type>VirtualMachine</type><pathSet>runtime.powerState</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm}</obj></objectSet></specSet><options/>`;

const eventsSpec = (vm: string, type: string) =>
  `<filter><entity><entity type="VirtualMachine">${vm}</entity><recursion>self</recursion></entity><eventTypeId>${type}</eventTypeId></filter>`;

describe('REST and SOAP over one inventory', () => {
  let sim: Simulator;
  let rest: RestTestClient;
  let soap: SoapClient;
  let token: string;
  let restToken: string;

  const vmId = (name: string) => named(sim, 'VirtualMachine', name).self.value;
  const vmOf = (name: string) => named(sim, 'VirtualMachine', name) as VirtualMachine;
  const post = (path: string, tok = token) => rest.send('POST', path, { token: tok });

  const soapPowerState = async (vm: string) => {
    const reply = await soap.call('RetrievePropertiesEx', collector, powerStateSpec(vm));
    expect(reply.status, reply.body).toBe(200);
    return /<name>runtime\.powerState<\/name><val[^>]*>([^<]*)<\/val>/.exec(reply.body)?.[1];
  };
  const soapEvents = async (vm: string, type: string) => {
    const eventManager = sim.vc.content.eventManager as MoRef;
    const reply = await soap.call('QueryEvents', { type: 'EventManager', value: eventManager.value }, eventsSpec(vm, type));
    expect(reply.status, reply.body).toBe(200);
    return reply.body.split(`xsi:type="${type}"`).length - 1;
  };

  beforeAll(async () => ({ sim, rest, soap, token, restToken } = await openCrossApi({ methodDelayMs: { PowerOnVM_Task: 300 } })));
  afterAll(() => closeCrossApi({ sim, rest, soap }));

  it('powers a VM off and on over REST; SOAP sees the power state and the events, by the REST user', async () => {
    const vm = vmId('DC0_H0_VM0');
    expect(await soapPowerState(vm)).toBe('poweredOn');
    const offBefore = await soapEvents(vm, 'VmPoweredOffEvent');
    const onBefore = await soapEvents(vm, 'VmPoweredOnEvent');

    const off = await post(`/api/vcenter/vm/${vm}/power?action=stop`);
    expect(off.status, off.text).toBe(204);
    expect(await soapPowerState(vm)).toBe('poweredOff');
    expect(await soapEvents(vm, 'VmPoweredOffEvent')).toBe(offBefore + 1);
    expect((await rest.get(`/api/vcenter/vm/${vm}/power`, token)).json).toEqual({ state: 'POWERED_OFF', clean_power_off: true });

    const on = await post(`/api/vcenter/vm/${vm}/power?action=start`);
    expect(on.status, on.text).toBe(204);
    expect(await soapPowerState(vm)).toBe('poweredOn');
    expect(await soapEvents(vm, 'VmPoweredOnEvent')).toBe(onBefore + 1);
    const events = sim.vc.events.QueryEvents({ vc: sim.vc }, { filter: { eventTypeId: ['VmPoweredOnEvent'] } as never }) as DataObject[];
    expect(events.at(-1)?.userName).toBe('user');
    expect((await rest.get(`/api/vcenter/vm/${vm}/power`, token)).json).toEqual({ state: 'POWERED_ON' });
  });

  it('serves the 6.7 /rest spelling, POST /rest/vcenter/vm/{vm}/power/{operation}', async () => {
    const vm = vmId('DC0_H0_VM1');
    const stop = await post(`/rest/vcenter/vm/${vm}/power/stop`, restToken);
    expect(stop.status, stop.text).toBe(200);
    expect(stop.text).toBe('');
    expect(await soapPowerState(vm)).toBe('poweredOff');
    const again = await post(`/rest/vcenter/vm/${vm}/power/stop`, restToken);
    expect(again.status).toBe(400);
    expect(again.json.type).toBe('com.vmware.vapi.std.errors.already_in_desired_state');
    expect((await post(`/rest/vcenter/vm/${vm}/power/start`, restToken)).status).toBe(200);
    expect(await soapPowerState(vm)).toBe('poweredOn');
    expect((await post(`/rest/vcenter/vm/${vm}/power/suspend`, restToken)).status).toBe(200);
    expect((await rest.get(`/rest/vcenter/vm/${vm}/power`, restToken)).json).toEqual({ value: { state: 'SUSPENDED' } });
    expect(await soapPowerState(vm)).toBe('suspended');
    expect((await post(`/rest/vcenter/vm/${vm}/power/start`, restToken)).status).toBe(200);
  });

  it('maps power faults to vAPI errors as vCenter does', async () => {
    const vm = vmId('DC0_C0_RP0_VM0');
    const already = await post(`/api/vcenter/vm/${vm}/power?action=start`);
    expect(already.status).toBe(400);
    expect(already.headers['content-type']).toMatch(/^application\/json/);
    expect(already.json.error_type).toBe('ALREADY_IN_DESIRED_STATE');
    expect(already.json.messages[0].id).toBe('com.vmware.api.vcenter.vm.power.already_powered_on');

    expect((await post(`/api/vcenter/vm/${vm}/power?action=stop`)).status).toBe(204);
    const suspend = await post(`/api/vcenter/vm/${vm}/power?action=suspend`);
    expect(suspend.status).toBe(400);
    expect(suspend.json.error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE');
    const reset = await post(`/api/vcenter/vm/${vm}/power?action=reset`);
    expect(reset.json.error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE');
    const legacy = await post(`/rest/vcenter/vm/${vm}/power/reset`, restToken);
    expect(legacy.status).toBe(400);
    expect(legacy.json.type).toBe('com.vmware.vapi.std.errors.not_allowed_in_current_state');
    expect((await post(`/api/vcenter/vm/${vm}/power?action=start`)).status).toBe(204);
    expect((await post(`/api/vcenter/vm/${vm}/power?action=reset`)).status).toBe(204);

    const missing = await post('/api/vcenter/vm/vm-999999/power?action=start');
    expect(missing.status).toBe(404);
    expect(missing.json.error_type).toBe('NOT_FOUND');
    expect((await post('/rest/vcenter/vm/vm-999999/power/start', restToken)).json.type).toBe('com.vmware.vapi.std.errors.not_found');
    expect((await post(`/api/vcenter/vm/${vm}/power?action=explode`)).status).toBe(404);
    expect((await post(`/api/vcenter/vm/${vm}/power?action=start`, 'bogus')).status).toBe(401);
  });

  it('holds a REST power call for the configured task duration', async () => {
    const vm = vmId('DC0_C0_RP0_VM1');
    expect((await post(`/api/vcenter/vm/${vm}/power?action=stop`)).status).toBe(204);
    const started = performance.now();
    const reply = await post(`/api/vcenter/vm/${vm}/power?action=start`);
    const took = performance.now() - started;
    expect(reply.status, reply.text).toBe(204);
    expect(took).toBeGreaterThanOrEqual(280);
    expect(took).toBeLessThan(10_000);
    expect(vmOf('DC0_C0_RP0_VM1').runtime.powerState).toBe('poweredOn');
  });

  it('shows a reconfigure made over SOAP in GET /api/vcenter/vm/{vm}', async () => {
    const vm = vmId('DC0_H0_VM1');
    expect((await post(`/api/vcenter/vm/${vm}/power?action=stop`)).status).toBe(204);
    const reply = await soap.call('ReconfigVM_Task', { type: 'VirtualMachine', value: vm }, '<spec><numCPUs>4</numCPUs><memoryMB>256</memoryMB></spec>');
    expect(reply.status, reply.body).toBe(200);
    const task = /<returnval type="Task">([^<]+)<\/returnval>/.exec(reply.body)?.[1];
    expect(task).toBeDefined();
    expect((await taskEnded(sim.vc, new MoRef('Task', task!))).state).toBe('success');
    const info = await rest.get(`/api/vcenter/vm/${vm}`, token);
    expect(info.json.cpu.count).toBe(4);
    expect(info.json.memory.size_MiB).toBe(256);
    const summary = await rest.get(`/api/vcenter/vm?vms=${vm}`, token);
    expect(summary.json).toEqual([expect.objectContaining({ vm, cpu_count: 4, memory_size_MiB: 256, power_state: 'POWERED_OFF' })]);
  });

  describe('guest', () => {
    it('reports guest power and identity while tools run, both flavours', async () => {
      const vm = vmOf('DC0_C0_RP0_VM0');
      const id = vm.self.value;
      const powerInfo = await rest.get(`/api/vcenter/vm/${id}/guest/power`, token);
      expect(powerInfo.json).toEqual({ state: 'RUNNING', operations_ready: true });
      const identity = await rest.get(`/api/vcenter/vm/${id}/guest/identity`, token);
      expect(identity.status, identity.text).toBe(200);
      const guest = vm.guest as DataObject;
      expect(identity.json).toMatchObject({
        family: 'OTHER',
        host_name: guest.hostName,
        ip_address: guest.ipAddress,
        full_name: { default_message: guest.guestFullName, args: [] },
      });
      expect(identity.json.name).toMatch(/^[A-Z0-9_]+$/);
      expect((await rest.get(`/rest/vcenter/vm/${id}/guest/identity`, restToken)).json).toEqual({ value: identity.json });
    });

    it('shuts down, answers 503 for identity with tools stopped, and refuses guest operations when off', async () => {
      const id = vmId('DC0_C0_RP0_VM0');
      const shutdown = await post(`/api/vcenter/vm/${id}/guest/power?action=shutdown`);
      expect(shutdown.status, shutdown.text).toBe(204);
      expect(await soapPowerState(id)).toBe('poweredOff');
      expect(await soapEvents(id, 'VmGuestShutdownEvent')).toBe(1);
      expect((await rest.get(`/api/vcenter/vm/${id}/guest/power`, token)).json).toEqual({ state: 'NOT_RUNNING', operations_ready: false });

      const identity = await rest.get(`/api/vcenter/vm/${id}/guest/identity`, token);
      expect(identity.status).toBe(503);
      expect(identity.json.error_type).toBe('SERVICE_UNAVAILABLE');
      const legacy = await rest.get(`/rest/vcenter/vm/${id}/guest/identity`, restToken);
      expect(legacy.status).toBe(503);
      expect(legacy.json.type).toBe('com.vmware.vapi.std.errors.service_unavailable');

      const reboot = await post(`/api/vcenter/vm/${id}/guest/power?action=reboot`);
      expect(reboot.status).toBe(400);
      expect(reboot.json.error_type).toBe('NOT_ALLOWED_IN_CURRENT_STATE');
      expect((await post(`/api/vcenter/vm/${id}/power?action=start`)).status).toBe(204);
      expect((await rest.get(`/api/vcenter/vm/${id}/guest/identity`, token)).status).toBe(200);
    });

    it('takes /rest guest power as ?action= (6.7) and ?~action=', async () => {
      const id = vmId('DC0_C0_RP0_VM0');
      const reboot = await post(`/rest/vcenter/vm/${id}/guest/power?action=reboot`, restToken);
      expect(reboot.status, reboot.text).toBe(200);
      expect(await soapEvents(id, 'VmGuestRebootEvent')).toBe(1);
      const standby = await post(`/rest/vcenter/vm/${id}/guest/power?~action=standby`, restToken);
      expect(standby.status, standby.text).toBe(200);
      expect(await soapPowerState(id)).toBe('suspended');
      const bad = await post(`/rest/vcenter/vm/${id}/guest/power?action=explode`, restToken);
      expect(bad.status).toBe(400);
      expect(bad.json.type).toBe('com.vmware.vapi.std.errors.invalid_argument');
    });

    it('answers 503 for guest power operations when tools are not running', async () => {
      const vm = vmOf('DC0_C0_RP0_VM1');
      vm.guest = { ...(vm.guest as DataObject), toolsRunningStatus: 'guestToolsNotRunning' };
      const reply = await post(`/api/vcenter/vm/${vm.self.value}/guest/power?action=shutdown`);
      expect(reply.status).toBe(503);
      expect(reply.json.error_type).toBe('SERVICE_UNAVAILABLE');
      expect(vm.runtime.powerState).toBe('poweredOn');
    });
  });
});
