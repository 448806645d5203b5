/** /_sim/reset, /_sim/snapshots, /_sim/state and sim.state: what SOAP clients see of them. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { basic, control, propertyCollector } from '../support/control.js';

const entityTypes = ['Folder', 'Datacenter', 'ClusterComputeResource', 'ComputeResource', 'HostSystem', 'ResourcePool', 'VirtualMachine', 'Datastore', 'Network', 'DistributedVirtualPortgroup'];

/** Every property of every entity under the root folder, as the SOAP bytes a client reads. */
async function inventoryDump(soap: SoapClient): Promise<string> {
  const view = await soap.call(
    'CreateContainerView',
    { type: 'ViewManager', value: 'ViewManager' },
    `<container type="Folder">group-d1</container>${entityTypes.map((t) => `<type>${t}</type>`).join('')}<recursive>true</recursive>`,
  );
  const id = /<returnval type="ContainerView">([^<]+)</.exec(view.body)![1]!;
  const reply = await soap.call(
    'RetrievePropertiesEx',
    propertyCollector,
    `<specSet>${entityTypes.map((t) => `<propSet><type>${t}</type><all>true</all></propSet>`).join('')}` +
      `<objectSet><obj type="ContainerView">${id}</obj><skip>true</skip><selectSet xsi:type="TraversalSpec"><type>ContainerView</type><path>view</path><skip>false</skip></selectSet></objectSet></specSet><options/>`,
  );
  await soap.call('DestroyView', { type: 'ContainerView', value: id });
  expect(reply.status).toBe(200);
  return reply.body;
}

const vmIds = (dump: string) => [...dump.matchAll(/<obj type="VirtualMachine">([^<]+)</g)].map((m) => m[1]!);

async function eventually(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('world state: snapshots, reset, JSON documents', () => {
  let sim: Simulator;
  let soap: SoapClient;

  beforeAll(async () => {
    sim = await createSimulator();
    soap = new SoapClient({ url: sim.url });
    await soap.login('user', 'pass');
  });
  afterAll(async () => {
    soap?.close();
    await sim?.close();
  });

  it('snapshot, destroy VMs, restore: the same inventory byte for byte, the session still logged in', async () => {
    const before = await inventoryDump(soap);
    const events = () => (sim.vc.events.QueryEvents({ vc: sim.vc }, { filter: {} }) as { key: number }[]).map((e) => e.key);
    const eventsBefore = events();
    const taken = await control(sim).post('/snapshots', { name: 'before' });
    expect(taken.status).toBe(201);
    expect(taken.json).toMatchObject({ id: expect.any(String), name: 'before', objects: expect.any(Number) });

    const vms = vmIds(before);
    expect(vms.length).toBeGreaterThan(1);
    const powerState = (vm: string) => (sim.vc.registry.byId(vm) as unknown as { runtime: { powerState: string } } | undefined)?.runtime.powerState;
    for (const vm of vms) {
      await soap.call('PowerOffVM_Task', { type: 'VirtualMachine', value: vm });
      await eventually(() => powerState(vm) === 'poweredOff');
      await soap.call('Destroy_Task', { type: 'VirtualMachine', value: vm });
      await eventually(() => powerState(vm) === undefined);
    }
    expect(vmIds(await inventoryDump(soap))).toEqual([]);

    const restored = await control(sim).post(`/snapshots/${taken.json.id}/restore`);
    expect(restored.status).toBe(204);
    expect(await inventoryDump(soap)).toBe(before);
    // The event history goes back too: the destroy steps' events are gone.
    expect(events()).toEqual(eventsBefore);
    expect((await control(sim).get('/snapshots')).json).toEqual([taken.json]);
  });

  it('a restore reaches a WaitForUpdatesEx client as the changes it undoes', async () => {
    const vm = vmIds(await inventoryDump(soap))[0]!;
    const filterSpec =
      `<spec><propSet><type>VirtualMachine</type><pathSet>runtime.powerState</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm}</obj></objectSet></spec><partialUpdates>false</partialUpdates>`;
    const collector = await soap.call('CreatePropertyCollector', propertyCollector);
    const pc = { type: 'PropertyCollector', value: /<returnval type="PropertyCollector">([^<]+)</.exec(collector.body)![1]! };
    await soap.call('CreateFilter', pc, filterSpec);
    const first = await soap.call('WaitForUpdatesEx', pc, '<options><maxWaitSeconds>0</maxWaitSeconds></options>');
    const version = /<version>([^<]+)</.exec(first.body)![1]!;
    const powerState = /<name>runtime.powerState<\/name><op>assign<\/op><val[^>]*>([^<]+)</;
    const initial = powerState.exec(first.body)![1]!;

    const { id } = sim.state.snapshot('power');
    const method = initial === 'poweredOn' ? 'PowerOffVM_Task' : 'PowerOnVM_Task';
    await soap.call(method, { type: 'VirtualMachine', value: vm });
    const live = () => (sim.vc.registry.byId(vm) as unknown as { runtime: { powerState: string } }).runtime.powerState;
    await eventually(() => live() !== initial);
    const changed = await soap.call('WaitForUpdatesEx', pc, `<version>${version}</version><options><maxWaitSeconds>5</maxWaitSeconds></options>`);
    const next = /<version>([^<]+)</.exec(changed.body)![1]!;
    expect(powerState.exec(changed.body)![1]).not.toBe(initial);

    expect(sim.state.restore(id)).toBe(true);
    const back = await soap.call('WaitForUpdatesEx', pc, `<version>${next}</version><options><maxWaitSeconds>5</maxWaitSeconds></options>`);
    expect(powerState.exec(back.body)![1]).toBe(initial);
    expect(back.body).toContain('<kind>modify</kind>');

    // The restored VM's summary.runtime is its runtime again: a power change shows in both.
    const restoredVm = sim.vc.registry.byId(vm) as unknown as { runtime: { powerState: string }; summary: { runtime: unknown } };
    expect(restoredVm.summary.runtime).toBe(restoredVm.runtime);
    await soap.call(method, { type: 'VirtualMachine', value: vm });
    await eventually(() => live() !== initial);
    const summary = await soap.call('RetrievePropertiesEx', propertyCollector,
      `<specSet><propSet><type>VirtualMachine</type><pathSet>summary.runtime.powerState</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm}</obj></objectSet></specSet><options/>`);
    expect(summary.body).toContain(`>${live()}<`);
  });

  it('reset: the start inventory again, rules and journal cleared unless kept, ids handed out again', async () => {
    const fresh = await createSimulator();
    try {
      const start = JSON.stringify(fresh.state.save());
      const vm = vmIds(await inventoryDump(soap))[0]!;
      await soap.call('Rename_Task', { type: 'VirtualMachine', value: vm }, '<newName>renamed</newName>');
      expect((await soap.call('CreateFolder', { type: 'Folder', value: 'folder-3' }, '<name>extra</name>')).body).toContain('<returnval type="Folder">');
      sim.faults.add({ match: { method: 'NoSuchMethod' }, action: { kind: 'fault', fault: 'NotSupported' } });
      expect(JSON.stringify(sim.state.save())).not.toBe(start);

      sim.vc.clockOffsetMs = 3_600_000;
      sim.state.reset({ keepRules: true });
      expect(sim.vc.clockOffsetMs).toBe(0);
      expect(JSON.stringify(sim.state.save())).toBe(start);
      expect(sim.faults.list()).toHaveLength(1);
      expect(sim.journal.entries({})).toEqual([]);

      const again = await control(sim).post('/reset');
      expect(again.status).toBe(204);
      expect(sim.faults.list()).toEqual([]);
      // The same id comes out of a fresh build and of the reset one.
      const made = await soap.call('CreateFolder', { type: 'Folder', value: 'folder-3' }, '<name>extra</name>');
      const freshSoap = new SoapClient({ url: fresh.url });
      await freshSoap.login('user', 'pass');
      const freshMade = await freshSoap.call('CreateFolder', { type: 'Folder', value: 'folder-3' }, '<name>extra</name>');
      freshSoap.close();
      expect(made.body).toContain('<returnval type="Folder">');
      expect(made.body).toBe(freshMade.body);
    } finally {
      await fresh.close();
    }
  });

  it('VM snapshot trees come back whole: restored and loaded VMs go on taking, reverting and removing snapshots', async () => {
    const ctx = { vc: sim.vc };
    const settle = async (vc: typeof sim.vc, ref: { value: string }) => {
      const task = () => vc.registry.byId(ref.value) as unknown as { info: { state: string; result?: unknown } };
      await eventually(() => ['success', 'error'].includes(task().info.state));
      expect(task().info.state).toBe('success');
      return task().info.result as { value: string } | undefined;
    };
    type Vm = { rootSnapshot: unknown[]; snapshot?: { currentSnapshot?: { value: string }; rootSnapshotList: { name: string; childSnapshotList: unknown[] }[] }; CreateSnapshot_Task: Function; RemoveAllSnapshots_Task: Function };
    const vmIn = (vc: typeof sim.vc) => vc.registry.byId(vmIds(before)[1]!) as unknown as Vm;
    const before = await inventoryDump(soap);
    const first = await settle(sim.vc, vmIn(sim.vc).CreateSnapshot_Task(ctx, { name: 'one', memory: false, quiesce: false }));
    const { id } = sim.state.snapshot('with a VM snapshot');
    const document = JSON.parse(JSON.stringify(sim.state.save()));
    await settle(sim.vc, vmIn(sim.vc).CreateSnapshot_Task(ctx, { name: 'two', memory: false, quiesce: false }));
    expect(sim.state.restore(id)).toBe(true);

    const names = (vm: Vm) => vm.snapshot?.rootSnapshotList.map((r) => [r.name, r.childSnapshotList.length]);
    expect(names(vmIn(sim.vc))).toEqual([['one', 0]]);
    await settle(sim.vc, vmIn(sim.vc).CreateSnapshot_Task(ctx, { name: 'three', memory: false, quiesce: false }));
    expect(names(vmIn(sim.vc))).toEqual([['one', 1]]);
    const one = sim.vc.registry.byId(first!.value) as unknown as { RevertToSnapshot_Task: Function };
    await settle(sim.vc, one.RevertToSnapshot_Task(ctx, {}));
    expect(vmIn(sim.vc).snapshot?.currentSnapshot?.value).toBe(first!.value);

    const other = await createSimulator();
    try {
      other.state.load(document);
      const otherCtx = { vc: other.vc };
      await settle(other.vc, vmIn(other.vc).CreateSnapshot_Task(otherCtx, { name: 'four', memory: false, quiesce: false }));
      expect(names(vmIn(other.vc))).toEqual([['one', 1]]);
      await settle(other.vc, vmIn(other.vc).RemoveAllSnapshots_Task(otherCtx));
      expect(vmIn(other.vc).snapshot).toBeUndefined();
    } finally {
      await other.close();
    }
    await settle(sim.vc, vmIn(sim.vc).RemoveAllSnapshots_Task(ctx));
    expect(vmIn(sim.vc).rootSnapshot).toEqual([]);
  });

  it('a restore undoes a whole workload: the world document equals the one at the snapshot', async () => {
    const ctx = { vc: sim.vc };
    const run = async (ref: { value: string }) => {
      const task = () => sim.vc.registry.byId(ref.value) as unknown as { info: { state: string; result?: { value: string }; error?: unknown } };
      await eventually(() => ['success', 'error'].includes(task().info.state));
      expect(task().info).toMatchObject({ state: 'success' });
      return task().info.result!;
    };
    const obj = (id: string) => sim.vc.registry.byId(id) as any;
    const vmId = vmIds(await inventoryDump(soap))[0]!;
    const vmFolder = obj(vmId).parent.value as string;
    const pool = obj(vmId).resourcePool.value as string;
    const { id } = sim.state.snapshot('workload');
    const saved = JSON.stringify(sim.state.save());

    if (obj(vmId).runtime.powerState !== 'poweredOff') await run(obj(vmId).PowerOffVM_Task(ctx));
    await run(obj(vmId).ReconfigVM_Task(ctx, { spec: { numCPUs: 4, memoryMB: 512, annotation: 'changed' } }));
    const snap = await run(obj(vmId).CreateSnapshot_Task(ctx, { name: 's1', memory: false, quiesce: false }));
    obj(snap.value).RenameSnapshot(ctx, { name: 's1-renamed' });
    await run(obj(vmId).Rename_Task(ctx, { newName: 'renamed-vm' }));
    const clone = await run(obj(vmId).CloneVM_Task(ctx, { folder: { type: 'Folder', value: vmFolder }, name: 'clone-1', spec: { location: {}, powerOn: false, template: false } }));
    await run(obj(clone.value).PowerOnVM_Task(ctx));
    obj(vmFolder).CreateFolder(ctx, { name: 'extra-folder' });
    const allocation = { reservation: 0, expandableReservation: true, limit: -1, shares: { level: 'normal', shares: 4000 } };
    obj(pool).CreateResourcePool(ctx, { name: 'extra-pool', spec: { cpuAllocation: allocation, memoryAllocation: allocation } });
    const category = sim.vc.tagging.createCategory({ name: 'workload', description: '', cardinality: 'MULTIPLE', associable_types: [] });
    sim.vc.tagging.createTag({ name: 'w', description: '', category_id: category });
    sim.actions.hostDisconnect({ name: 'DC0_H0' });
    sim.actions.datastoreFill({ datastore: 'LocalDS_0', freePercent: 10 });
    expect(JSON.stringify(sim.state.save())).not.toBe(saved);

    expect(sim.state.restore(id)).toBe(true);
    expect(JSON.stringify(sim.state.save())).toBe(saved);
  });

  it('sessions survive a restore unless asked to end', async () => {
    const { id } = sim.state.snapshot('sessions');
    expect((await control(sim).post(`/snapshots/${id}/restore`, { endSessions: false })).status).toBe(204);
    expect((await soap.call('CurrentTime', { type: 'ServiceInstance', value: 'ServiceInstance' })).status).toBe(200);
    expect((await control(sim).post(`/snapshots/${id}/restore`, { endSessions: true })).status).toBe(204);
    const refused = await soap.call('CurrentTime', { type: 'ServiceInstance', value: 'ServiceInstance' });
    expect(refused.body).toContain('NotAuthenticated');
    await soap.login('user', 'pass');
    expect((await control(sim).delete(`/snapshots/${id}`)).status).toBe(204);
    expect((await control(sim).delete(`/snapshots/${id}`)).status).toBe(404);
  });

  it('GET /_sim/state into another simulator with PUT: the same world there, tags included', async () => {
    const category = sim.vc.tagging.createCategory({ name: 'env', description: '', cardinality: 'SINGLE', associable_types: [] });
    const other = await createSimulator({ topology: undefined, seed: 7 });
    try {
      const document = await control(sim).get('/state');
      expect(document.status).toBe(200);
      expect(document.json.format).toBe('vcenter-sim-world/1');
      expect((await control(other).call('PUT', '/state', document.text)).status).toBe(204);
      expect(JSON.stringify(other.state.save())).toBe(document.text);
      expect(other.vc.tagging.listCategories()).toEqual([category]);
      const otherSoap = new SoapClient({ url: other.url });
      await otherSoap.login('user', 'pass');
      expect(await inventoryDump(otherSoap)).toBe(await inventoryDump(soap));
      otherSoap.close();
    } finally {
      await other.close();
    }
  });

  it('--state and --save-on-exit files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcsim-state-'));
    const saved = join(dir, 'saved.json');
    const first = await createSimulator({ saveOnExit: saved });
    first.vc.tagging.createCategory({ name: 'kept', description: '', cardinality: 'MULTIPLE', associable_types: [] });
    const expected = JSON.stringify(first.state.save());
    await first.close();
    expect(readFileSync(saved, 'utf8')).toBe(expected);

    const second = await createSimulator({ stateFile: saved });
    try {
      expect(JSON.stringify(second.state.save())).toBe(expected);
      // The loaded world is the start a reset goes back to.
      second.vc.tagging.createCategory({ name: 'later', description: '', cardinality: 'MULTIPLE', associable_types: [] });
      second.state.reset();
      expect(JSON.stringify(second.state.save())).toBe(expected);
    } finally {
      await second.close();
    }
    writeFileSync(join(dir, 'bad.json'), '{"format":"something else"}');
    await expect(createSimulator({ stateFile: join(dir, 'bad.json') })).rejects.toThrow(/Not a world document/);
  });

  it('bad requests: 400 naming the field, 404 for unknown snapshots, 401 without credentials', async () => {
    const before = JSON.stringify(sim.state.save());
    const noName = await control(sim).post('/snapshots', {});
    expect(noName.status).toBe(400);
    expect(noName.json).toMatchObject({ error: 'invalid_argument', field: 'name' });
    expect((await control(sim).post('/reset', { keepRules: 'yes' })).json).toMatchObject({ error: 'invalid_argument', field: 'keepRules' });
    expect((await control(sim).post('/snapshots/snapshot-999/restore')).status).toBe(404);
    const badDocument = await control(sim).call('PUT', '/state', { format: 'vcenter-sim-world/1', objects: 'no' });
    expect(badDocument.status).toBe(400);
    expect((await control(sim).call('PUT', '/state', '{"format": "other"}')).status).toBe(400);
    expect((await control(sim).call('PUT', '/state', 'not json')).status).toBe(400);
    const unknownClass = { format: 'vcenter-sim-world/1', idCounter: 1, stores: {}, objects: [{ $class: 'Nope', self: { $ref: ['Folder', 'x'] } }] };
    expect((await control(sim).call('PUT', '/state', unknownClass)).json).toMatchObject({ error: 'invalid_argument', message: expect.stringContaining('Nope') });
    expect(JSON.stringify(sim.state.save())).toBe(before);
    for (const [method, path] of [['POST', '/reset'], ['GET', '/state'], ['GET', '/snapshots'], ['PUT', '/state']] as const) {
      expect((await control(sim, null).call(method, path, method === 'PUT' ? '{}' : undefined)).status).toBe(401);
      expect((await control(sim, basic('user', 'wrong')).call(method, path)).status).toBe(401);
    }
  });
});
