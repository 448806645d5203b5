/**
 * VM data sets over `/api/vcenter/vm/{vm}/data-sets`, as vmware.vmware_rest would call them:
 * create, list, get (with `used`), update, entries (set, list, get, delete), host access modes,
 * delete with and without force; the vAPI errors with nothing changed; a VM snapshot keeps the
 * data sets not omitted from it (revert brings their entries back), a destroyed VM takes its data
 * sets along; kept in world state files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MoRef } from '../../models/core/moref.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from '../clients/inventory.js';
import { Content } from './rest-content-support.js';
import { RestTestClient } from './rest-support.js';

describe('REST VM data sets', () => {
  let sim: Simulator;
  let http: RestTestClient;
  let api: Content;
  let vm: string;
  const stored = () => JSON.stringify(sim.state.save().stores.dataSets);

  beforeAll(async () => {
    sim = await createSimulator();
    http = new RestTestClient(sim);
    api = new Content(http, 'api', await http.login());
    vm = named(sim, 'VirtualMachine', 'DC0_H0_VM0').self.value;
  });
  afterAll(async () => {
    http.close();
    await sim.close();
  });

  const sets = (id = vm) => `/api/vcenter/vm/${id}/data-sets`;
  const spec = (name: string, extra: Record<string, unknown> = {}) => ({ name, description: `${name} settings`, host: 'READ_WRITE', guest: 'READ_ONLY', ...extra });

  /** Runs a task the model started and waits for it to succeed; its result. */
  async function settle(ref: MoRef): Promise<MoRef | undefined> {
    const task = () => sim.vc.registry.byId(ref.value) as unknown as { info: { state: string; result?: MoRef } };
    for (let i = 0; i < 200 && !['success', 'error'].includes(task().info.state); i++) await new Promise((r) => setTimeout(r, 5));
    expect(task().info.state, JSON.stringify(task().info)).toBe("success");
    return task().info.result;
  }

  it('creates data sets and manages their entries', async () => {
    const id = await api.ok('POST', sets(), spec('app'));
    expect((await api.raw('POST', sets(), spec('other'))).status).toBe(201);
    expect(await api.ok('GET', sets())).toContainEqual({ data_set: id, name: 'app', description: 'app settings' });
    await api.ok('PUT', `${sets()}/${id}/entries/color`, 'blue');
    await api.ok('PUT', `${sets()}/${id}/entries/${encodeURIComponent('a key/with slash')}`, 'x');
    expect(await api.ok('GET', `${sets()}/${id}/entries`)).toEqual(['color', 'a key/with slash']);
    expect(await api.ok('GET', `${sets()}/${id}/entries/color`)).toBe('blue');
    expect(await api.ok('GET', `${sets()}/${id}`)).toEqual({ name: 'app', description: 'app settings', host: 'READ_WRITE', guest: 'READ_ONLY', omit_from_snapshot_and_clone: false, used: 9 + 'a key/with slash'.length + 1 });
    await api.ok('DELETE', `${sets()}/${id}/entries/${encodeURIComponent('a key/with slash')}`);
    expect(await api.ok('GET', `${sets()}/${id}/entries`)).toEqual(['color']);

    // Host access: READ_ONLY reads, NONE neither reads nor writes.
    await api.ok('PATCH', `${sets()}/${id}`, { host: 'READ_ONLY', description: 'read only now' });
    expect(await api.ok('GET', `${sets()}/${id}`)).toMatchObject({ host: 'READ_ONLY', description: 'read only now' });
    expect(await api.ok('GET', `${sets()}/${id}/entries/color`)).toBe('blue');
    expect(await api.error('PUT', `${sets()}/${id}/entries/color`, 'red')).toMatchObject({ status: 403, type: 'UNAUTHORIZED' });
    await api.ok('PATCH', `${sets()}/${id}`, { host: 'NONE' });
    expect(await api.error('GET', `${sets()}/${id}/entries`)).toMatchObject({ status: 403, type: 'UNAUTHORIZED' });
    await api.ok('PATCH', `${sets()}/${id}`, { host: 'READ_WRITE' });

    const before = stored();
    expect(await api.error('POST', sets(), spec('app'))).toMatchObject({ status: 400, type: 'ALREADY_EXISTS' });
    expect(await api.error('POST', sets(), spec('bad', { host: 'WRITE' }))).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('POST', sets(), { name: 'no access modes', description: '' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('POST', sets('vm-999'), spec('x'))).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(await api.error('GET', `${sets()}/nope`)).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(await api.error('GET', `${sets()}/${id}/entries/nope`)).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(await api.error('PUT', `${sets()}/${id}/entries/big`, 'x'.repeat(1024 * 1024 + 1))).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('PUT', `${sets()}/${id}/entries/n`, 42)).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    // Another VM does not see this VM's data set.
    const other = named(sim, 'VirtualMachine', 'DC0_H0_VM1').self.value;
    expect(await api.error('GET', `${sets(other)}/${id}`)).toMatchObject({ status: 404 });
    expect(await api.error('DELETE', `${sets()}/${id}`)).toMatchObject({ status: 400, type: 'RESOURCE_IN_USE' });
    expect(stored()).toBe(before);
    await api.ok('DELETE', `${sets()}/${id}?force=true`);
    expect(await api.error('GET', `${sets()}/${id}`)).toMatchObject({ status: 404 });
  });

  it('reverts snapshotted data sets with the VM and leaves omitted ones alone; goes with the VM', async () => {
    const target = named(sim, 'VirtualMachine', 'DC0_C0_RP0_VM0') as VirtualMachine;
    const at = sets(target.self.value);
    const kept = await api.ok('POST', at, spec('kept'));
    const omitted = await api.ok('POST', at, spec('omitted', { omit_from_snapshot_and_clone: true }));
    await api.ok('PUT', `${at}/${kept}/entries/k`, 'before');
    await api.ok('PUT', `${at}/${omitted}/entries/k`, 'before');
    const ctx = { vc: sim.vc };
    const snapshot = (await settle(target.CreateSnapshot_Task(ctx, { name: 's1', memory: false, quiesce: false })))!;
    await api.ok('PUT', `${at}/${kept}/entries/k`, 'after');
    await api.ok('PUT', `${at}/${omitted}/entries/k`, 'after');
    const later = await api.ok('POST', at, spec('later'));

    const snapshotObject = sim.vc.registry.byId(snapshot.value) as unknown as { RevertToSnapshot_Task: (c: unknown, a: unknown) => MoRef };
    await settle(snapshotObject.RevertToSnapshot_Task(ctx, {}));
    expect(await api.ok('GET', `${at}/${kept}/entries/k`)).toBe('before');
    expect(await api.ok('GET', `${at}/${omitted}/entries/k`)).toBe('after');
    expect(await api.error('GET', `${at}/${later}`)).toMatchObject({ status: 404 });

    // The revert powered the VM off (the snapshot has no memory): it can go.
    expect(target.runtime.powerState).toBe('poweredOff');
    const saved = JSON.parse(JSON.stringify(sim.state.save()));
    await settle(target.Destroy_Task(ctx));
    expect(JSON.stringify(sim.state.save().stores.dataSets)).not.toContain(target.self.value);
    sim.state.load(saved);
    expect(await api.ok('GET', `${at}/${kept}/entries/k`)).toBe('before');
  });
});
