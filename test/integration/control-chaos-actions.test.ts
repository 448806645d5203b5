/** POST /_sim/actions/host-fail, vm-guest, clock-advance and sim.actions: what SOAP, REST, PropertyCollector and event clients see. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import type { ClusterComputeResource } from '../../models/cluster/cluster-compute-resource.js';
import type { HostSystem } from '../../models/host/host-system.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { PropertyCollector } from '../../models/core/property-collector.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { control, serviceInstance } from '../support/control.js';
import { RestTestClient } from './rest-support.js';

/** A change's value: boxed primitives and morefs unwrapped to the string. */
const plain = (val: unknown): unknown => (val !== null && typeof val === 'object' && 'value' in val ? plain((val as { value: unknown }).value) : val);

describe('world actions: host-fail, vm-guest, clock-advance', () => {
  let sim: Simulator;
  let ctx: CallContext;
  let pc: PropertyCollector;

  beforeAll(async () => {
    sim = await createSimulator();
    ctx = { vc: sim.vc };
    sim.vc.sessionManager.Login(ctx, { userName: 'user', password: 'pass' });
    pc = sim.vc.registry.require<PropertyCollector>(sim.vc.content.propertyCollector as never);
  });
  afterAll(async () => {
    await sim?.close();
  });

  const host = (name: string) => sim.vc.registry.ofType<HostSystem>('HostSystem').find((h) => h.name === name)!;
  const vm = (name: string) => sim.vc.registry.ofType<VirtualMachine>('VirtualMachine').find((v) => v.name === name)!;
  const events = (type: string) => sim.vc.events.QueryEvents({ vc: sim.vc }, { filter: { eventTypeId: [type] } }) as DataObject[];
  const changes = (set: DataObject | undefined) =>
    ((set?.filterSet as DataObject[] | undefined) ?? [])
      .flatMap((f) => f.objectSet as DataObject[])
      .flatMap((o) => (o.changeSet as { name: string; val: unknown }[]).map((c) => [(o.obj as MoRef).value, c.name, plain(c.val)]));

  it('host-fail: the clustered host stops responding, HA restarts its running VMs on other hosts of the cluster, with the events vCenter posts', async () => {
    // The cluster's VMs: DC0_C0_RP0_VM0 on DC0_C0_H1, DC0_C0_RP0_VM1 (powered off here) on DC0_C0_H2; DC0_C0_H0 runs none.
    const failed = host('DC0_C0_H1');
    const cluster = sim.vc.registry.get(failed.parent!) as ClusterComputeResource;
    const running = failed.vm.map((ref) => sim.vc.registry.get(ref) as VirtualMachine);
    expect(running.map((v) => v.name)).toEqual(['DC0_C0_RP0_VM0']);
    const off = vm('DC0_C0_RP0_VM1');
    off.setPowerState(ctx, 'poweredOff');

    const summaryBefore = { ...(cluster.summary as Record<string, number>) };
    pc.CreateFilter(ctx, {
      spec: { propSet: [{ type: 'VirtualMachine', pathSet: ['runtime.host'] }, { type: 'HostSystem', pathSet: ['runtime.connectionState'] }], objectSet: [{ obj: failed.self }, ...running.map((v) => ({ obj: v.self }))] },
      partialUpdates: false,
    });
    const first = await pc.WaitForUpdatesEx(ctx, { version: '', options: { maxWaitSeconds: 0 } });
    const waiting = pc.WaitForUpdatesEx(ctx, { version: first!.version as string, options: { maxWaitSeconds: 5 } });

    const reply = await control(sim).post('/actions/host-fail', { name: 'DC0_C0_H1' });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      host: failed.self.value,
      connectionState: 'notResponding',
      changed: true,
      restarted: [{ vm: running[0]!.self.value, name: 'DC0_C0_RP0_VM0', host: host('DC0_C0_H0').self.value }],
      disconnected: [],
    });
    expect(failed.runtime.connectionState).toBe('notResponding');
    expect(failed.vm).toEqual([]);
    const hardware = failed.summary.hardware as Record<string, number>;
    expect(cluster.summary).toMatchObject({
      numHosts: summaryBefore.numHosts,
      numEffectiveHosts: summaryBefore.numEffectiveHosts! - 1,
      effectiveCpu: summaryBefore.effectiveCpu! - hardware.cpuMhz! * hardware.numCpuCores!,
      effectiveMemory: summaryBefore.effectiveMemory! - Math.floor(hardware.memorySize! / 1024 ** 2),
    });
    const rest = new RestTestClient(sim);
    try {
      const hosts = await rest.get(`/api/vcenter/host?hosts=${failed.self.value}`, await rest.login());
      expect(hosts.json).toEqual([expect.objectContaining({ host: failed.self.value, connection_state: 'NOT_RESPONDING' })]);
    } finally {
      rest.close();
    }
    for (const v of running) {
      const now = sim.vc.registry.get(v.runtime.host as MoRef) as HostSystem;
      expect(now).not.toBe(failed);
      expect(cluster.host.map((h) => h.value)).toContain(now.self.value);
      expect(now.vm.map((r) => r.value)).toContain(v.self.value);
      expect(v.runtime).toMatchObject({ powerState: 'poweredOn', connectionState: 'connected' });
    }
    const update = changes(await waiting);
    expect(update).toContainEqual([failed.self.value, 'runtime.connectionState', 'notResponding']);
    for (const v of running) expect(update).toContainEqual([v.self.value, 'runtime.host', (v.runtime.host as MoRef).value]);

    expect(events('HostConnectionLostEvent').at(-1)).toMatchObject({ host: { host: failed.self, name: 'DC0_C0_H1' } });
    expect(events('DasHostFailedEvent').at(-1)).toMatchObject({ failedHost: { name: 'DC0_C0_H1' }, computeResource: { name: cluster.name } });
    const restarted = events('VmRestartedOnAlternateHostEvent').slice(-running.length);
    expect(restarted.map((e) => (e.vm as DataObject).name)).toEqual(running.map((v) => v.name));
    for (const e of restarted) {
      expect(e).toMatchObject({ sourceHost: { host: failed.self, name: 'DC0_C0_H1' }, host: { name: 'DC0_C0_H0' }, computeResource: { name: cluster.name } });
    }
    // Again: nothing changes.
    expect(sim.actions.hostFail({ host: failed.self.value })).toMatchObject({ changed: false, restarted: [], disconnected: [] });

    // A VM that is off is not restarted: it stays on its failed host, disconnected, until host-reconnect.
    const second = host('DC0_C0_H2');
    expect(sim.actions.hostFail({ name: 'DC0_C0_H2' })).toMatchObject({ changed: true, restarted: [], disconnected: [off.self.value] });
    expect(off.runtime).toMatchObject({ host: second.self, connectionState: 'disconnected' });
    expect(sim.actions.hostReconnect({ host: second.self.value })).toMatchObject({ connectionState: 'connected', changed: true });
    expect(off.runtime.connectionState).toBe('connected');
    sim.actions.hostReconnect({ host: failed.self.value });
    off.setPowerState(ctx, 'poweredOn');
  });

  it('host-fail on a standalone host: its VMs just become disconnected', () => {
    const standalone = host('DC0_H0');
    const before = standalone.vm.map((r) => r.value);
    const result = sim.actions.hostFail({ name: 'DC0_H0' });
    expect(result).toMatchObject({ changed: true, restarted: [], disconnected: before });
    for (const ref of standalone.vm) expect((sim.vc.registry.get(ref) as VirtualMachine).runtime.connectionState).toBe('disconnected');
    sim.actions.hostReconnect({ name: 'DC0_H0' });
  });

  it('vm-guest sets guest.ipAddress, hostName, net and tools state, seen over SOAP and REST', async () => {
    const target = vm('DC0_H0_VM0');
    const reply = await control(sim).post('/actions/vm-guest', { vm: target.name, ipAddress: '10.1.2.3', hostName: 'web-1', toolsRunningStatus: 'guestToolsRunning' });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ vm: target.self.value, guest: { ipAddress: '10.1.2.3', hostName: 'web-1', toolsRunningStatus: 'guestToolsRunning' } });
    expect(target.guest).toMatchObject({ ipAddress: '10.1.2.3', hostName: 'web-1' });
    expect((target.guest!.net as DataObject[])[0]).toMatchObject({ ipAddress: ['10.1.2.3'] });
    expect(target.summary.guest).toMatchObject({ ipAddress: '10.1.2.3', hostName: 'web-1' });

    const soap = new SoapClient({ url: sim.url });
    const rest = new RestTestClient(sim);
    try {
      await soap.login('user', 'pass');
      const props = await soap.call(
        'RetrievePropertiesEx',
        { type: 'PropertyCollector', value: 'propertyCollector' },
        `<specSet><propSet><type>VirtualMachine</type><pathSet>guest.ipAddress</pathSet><pathSet>guest.hostName</pathSet></propSet><objectSet><obj type="VirtualMachine">${target.self.value}</obj></objectSet></specSet><options/>`,
      );
      expect(props.body).toContain('10.1.2.3');
      expect(props.body).toContain('web-1');
      const token = await rest.login();
      const identity = await rest.get(`/api/vcenter/vm/${target.self.value}/guest/identity`, token);
      expect(identity.status).toBe(200);
      expect(identity.json).toMatchObject({ ip_address: '10.1.2.3', host_name: 'web-1' });
    } finally {
      soap.close();
      rest.close();
    }

    const stopped = sim.actions.vmGuest({ vm: target.self.value, toolsRunningStatus: 'guestToolsNotRunning', net: [{ ipAddress: ['192.168.0.9', 'fe80::1'] }] });
    expect(stopped.guest).toMatchObject({ toolsRunningStatus: 'guestToolsNotRunning', ipAddress: '192.168.0.9' });
    expect(target.guest).toMatchObject({ toolsStatus: 'toolsNotRunning', guestState: 'notRunning' });
    sim.actions.vmGuest({ vm: target.self.value, toolsRunningStatus: 'guestToolsRunning' });
  });

  it('vm-guest on a VM that is off: the values show at its next power-on', () => {
    const target = vm('DC0_H0_VM1');
    target.setPowerState(ctx, 'poweredOff');
    sim.actions.vmGuest({ vm: target.name, ipAddress: '10.9.9.9' });
    expect(target.guest?.ipAddress).toBeUndefined();
    target.setPowerState(ctx, 'poweredOn');
    expect(target.guest?.ipAddress).toBe('10.9.9.9');
  });

  it('clock-advance moves CurrentTime, and rule time windows follow it', async () => {
    const soap = new SoapClient({ url: sim.url });
    try {
      await soap.login('user', 'pass');
      const time = async () => new Date(/<returnval>([^<]+)<\/returnval>/.exec((await soap.call('CurrentTime', serviceInstance)).body)![1]!).getTime();
      const before = await time();
      const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
      sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'http', status: 503 }, from: inAnHour });
      const reply = await control(sim).post('/actions/clock-advance', { seconds: 7200 });
      expect(reply.status).toBe(200);
      expect(reply.json.offsetSeconds).toBe(7200);
      expect(new Date(reply.json.now).getTime()).toBeGreaterThanOrEqual(before + 7_200_000);
      // Two hours idle on the simulator's clock: the session is gone, as after a real wait.
      expect((await soap.call('CreateListView', { type: 'ViewManager', value: 'ViewManager' })).body).toContain('NotAuthenticated');
      await soap.login('user', 'pass');
      // The rule's window has opened: CurrentTime gets the 503 now.
      expect((await soap.call('CurrentTime', serviceInstance)).status).toBe(503);
      sim.faults.clear();
      expect(await time()).toBeGreaterThanOrEqual(before + 7_200_000);
      expect((await control(sim).post('/actions/clock-advance', { seconds: -1 })).json).toMatchObject({ error: 'invalid_argument', field: 'seconds' });
    } finally {
      soap.close();
    }
  });

  it('clock-advance past the idle timeout ends idle sessions', async () => {
    const idle = await createSimulator({ sessionIdleTimeoutMs: 60_000 });
    const soap = new SoapClient({ url: idle.url });
    try {
      await soap.login('user', 'pass');
      idle.actions.clockAdvance({ seconds: 30 });
      expect((await soap.call('CurrentTime', serviceInstance)).status).toBe(200);
      idle.actions.clockAdvance({ seconds: 61 });
      expect((await soap.call('CurrentTime', serviceInstance)).body).toContain('NotAuthenticated');
    } finally {
      soap.close();
      await idle.close();
    }
  });

  it('refuses unknown objects (404) and bad bodies (400), naming the field', async () => {
    const api = control(sim);
    expect((await api.post('/actions/host-fail', { host: 'host-999' })).json).toMatchObject({ error: 'not_found', field: 'host' });
    expect((await api.post('/actions/vm-guest', { vm: 'nope' })).json).toMatchObject({ error: 'not_found', field: 'vm' });
    const bad = await api.post('/actions/vm-guest', { vm: 'DC0_H0_VM0', toolsRunningStatus: 'sometimes' });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('toolsRunningStatus');
  });
});
