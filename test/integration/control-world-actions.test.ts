/** POST /_sim/actions/host-disconnect, host-reconnect, datastore-fill and sim.actions: what clients see. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Datastore } from '../../models/storage/datastore.js';
import type { HostSystem } from '../../models/host/host-system.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject } from '../../models/core/moref.js';
import type { PropertyCollector } from '../../models/core/property-collector.js';
import { createSimulator, WorldActionError, type Simulator } from '../../simulator/index.js';
import { control } from '../support/control.js';

describe('world actions on hosts and datastores', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await createSimulator();
  });
  afterAll(async () => {
    await sim?.close();
  });

  const host = (name: string) => sim.vc.registry.ofType<HostSystem>('HostSystem').find((h) => h.name === name)!;
  const vmState = (ref: { value: string }) => (sim.vc.registry.byId(ref.value) as unknown as { runtime: DataObject }).runtime.connectionState;
  const changes = (set: DataObject | undefined) =>
    ((set?.filterSet as DataObject[] | undefined) ?? [])
      .flatMap((f) => f.objectSet as DataObject[])
      .flatMap((o) => o.changeSet as { name: string; val: { value: unknown } }[])
      .map((c) => [c.name, c.val?.value ?? c.val]);
  const events = (type: string) => sim.vc.events.QueryEvents({ vc: sim.vc }, { filter: { eventTypeId: [type] } as never }) as DataObject[];

  it('host-disconnect and host-reconnect show in WaitForUpdatesEx, on the VMs, and as events', async () => {
    const h0 = host('DC0_H0');
    const ctx: CallContext = { vc: sim.vc };
    sim.vc.sessionManager.Login(ctx, { userName: 'user', password: 'pass' });
    const pc = sim.vc.registry.require<PropertyCollector>(sim.vc.content.propertyCollector as never);
    pc.CreateFilter(ctx, { spec: { propSet: [{ type: 'HostSystem', pathSet: ['runtime.connectionState'] }], objectSet: [{ obj: h0.self }] }, partialUpdates: false });
    const first = await pc.WaitForUpdatesEx(ctx, { version: '', options: { maxWaitSeconds: 0 } });
    expect(changes(first)).toEqual([['runtime.connectionState', 'connected']]);

    const waiting = pc.WaitForUpdatesEx(ctx, { version: first!.version as string, options: { maxWaitSeconds: 5 } });
    const reply = await control(sim).post('/actions/host-disconnect', { host: h0.self.value });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ host: h0.self.value, connectionState: 'disconnected', changed: true, vms: h0.vm.length });
    const update = await waiting;
    expect(changes(update)).toEqual([['runtime.connectionState', 'disconnected']]);
    expect(h0.summary.runtime).toMatchObject({ connectionState: 'disconnected' });
    expect(h0.vm.length).toBeGreaterThan(0);
    for (const vm of h0.vm) expect(vmState(vm)).toBe('disconnected');
    const disconnected = events('HostDisconnectedEvent').at(-1)!;
    expect(disconnected).toMatchObject({ host: { host: h0.self, name: 'DC0_H0' } });
    // Again: nothing changes.
    expect((await control(sim).post('/actions/host-disconnect', { name: 'DC0_H0' })).json).toMatchObject({ changed: false });

    const result = sim.actions.hostReconnect({ name: 'DC0_H0' });
    expect(result).toMatchObject({ connectionState: 'connected', changed: true });
    const again = await pc.WaitForUpdatesEx(ctx, { version: update!.version as string, options: { maxWaitSeconds: 0 } });
    expect(changes(again)).toEqual([['runtime.connectionState', 'connected']]);
    for (const vm of h0.vm) expect(vmState(vm)).toBe('connected');
    expect(events('HostConnectedEvent').at(-1)).toMatchObject({ host: { host: h0.self, name: 'DC0_H0' } });
  });

  it('datastore-fill sets summary.freeSpace and info.freeSpace, in bytes or percent', async () => {
    const ds = sim.vc.registry.ofType<Datastore>('Datastore')[0]!;
    const reply = await control(sim).post('/actions/datastore-fill', { datastore: ds.name, freeSpace: 0 });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ datastore: ds.self.value, freeSpace: 0 });
    expect(ds.summary.freeSpace).toBe(0);
    expect(ds.info.freeSpace).toBe(0);
    const capacity = ds.summary.capacity as number;
    expect(sim.actions.datastoreFill({ datastore: ds.self.value, freePercent: 50 })).toMatchObject({ freeSpace: Math.round(capacity / 2) });
    expect(ds.summary.freeSpace).toBe(Math.round(capacity / 2));
  });

  it('refuses unknown hosts and datastores (404) and bad bodies (400), naming the field', async () => {
    const api = control(sim);
    const noHost = await api.post('/actions/host-disconnect', { host: 'host-999' });
    expect(noHost.status).toBe(404);
    expect(noHost.json).toMatchObject({ error: 'not_found', field: 'host' });
    expect((await api.post('/actions/host-reconnect', { name: 'nope' })).json).toMatchObject({ field: 'name' });
    const noDs = await api.post('/actions/datastore-fill', { datastore: 'nope', freeSpace: 0 });
    expect(noDs.status).toBe(404);
    expect(noDs.json).toMatchObject({ field: 'datastore' });
    const neither = await api.post('/actions/datastore-fill', { datastore: 'nope' });
    expect(neither.status).toBe(400);
    expect(neither.json.field).toBe('freeSpace');
    const extra = await api.post('/actions/host-disconnect', { host: 'host-21', bogus: 1 });
    expect(extra.status).toBe(400);
    expect(extra.json.field).toBe('bogus');
    expect((await api.post('/actions/host-disconnect', {})).status).toBe(400);
    expect(() => sim.actions.hostDisconnect({ host: 'host-999' })).toThrow(WorldActionError);
  });
});
