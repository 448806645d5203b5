/**
 * VM templates in content libraries over `/api/vcenter/vm-template/library-items`, as
 * vmware.vmware_rest's vcenter_vm_template_libraryitems module calls it: create from a VM, info,
 * deploy, check-outs (list, get, check-in of a powered-on VM refused, check-in, discard); the vAPI
 * errors with nothing created; the links kept in world state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from '../clients/inventory.js';
import { Content } from './rest-content-support.js';
import { RestTestClient } from './rest-support.js';

describe('REST VM templates in libraries', () => {
  let sim: Simulator;
  let http: RestTestClient;
  let api: Content;
  let library: string;
  let datastore: string;
  let pool: string;
  const base = '/api/vcenter/vm-template/library-items';
  const vmCount = () => sim.vc.registry.ofType('VirtualMachine').length;
  const vm = (id: string) => sim.vc.registry.byId(id) as VirtualMachine;

  beforeAll(async () => {
    sim = await createSimulator();
    http = new RestTestClient(sim);
    api = new Content(http, 'api', await http.login());
    datastore = named(sim, 'Datastore', 'LocalDS_0').self.value;
    pool = (named(sim, 'ClusterComputeResource', 'DC0_C0') as unknown as { resourcePool: { value: string } }).resourcePool.value;
    library = await api.ok('POST', '/api/content/local-library', { name: 'templates', storage_backings: [{ type: 'DATASTORE', datastore_id: datastore }] });
  });
  afterAll(async () => {
    http.close();
    await sim.close();
  });

  it('creates a template item from a VM, describes and deploys it', async () => {
    const source = named(sim, 'VirtualMachine', 'DC0_C0_RP0_VM1') as VirtualMachine;
    const reply = await api.raw('POST', base, { source_vm: source.self.value, name: 'web', library, vm_home_storage: { datastore } });
    expect(reply.status).toBe(201);
    const item = reply.json as string;
    expect(await api.ok('GET', `/api/content/library/item/${item}`)).toMatchObject({ name: 'web', type: 'vm-template', library_id: library });
    const info = await api.ok('GET', `${base}/${item}`);
    const hardware = source.config!.hardware as { numCPU: number; memoryMB: number };
    expect(info).toMatchObject({ cpu: { count: hardware.numCPU }, memory: { size_MiB: hardware.memoryMB }, vm_home_storage: { datastore } });
    expect(vm(info.vm_template)).toMatchObject({ name: 'web', config: { template: true } });
    expect(Object.keys(info.disks).length).toBeGreaterThan(0);

    const deployed = await api.ok('POST', `${base}/${item}?action=deploy`, { name: 'web-1', placement: { resource_pool: pool }, powered_on: true });
    expect(vm(deployed)).toMatchObject({ name: 'web-1', config: { template: false }, runtime: { powerState: 'poweredOn' } });

    const before = vmCount();
    expect(await api.error('POST', base, { source_vm: 'vm-999', name: 'x', library })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('POST', base, { source_vm: source.self.value, name: 'x', library: 'nope' })).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(await api.error('POST', base, { source_vm: source.self.value, name: 'web', library })).toMatchObject({ status: 400, type: 'ALREADY_EXISTS' });
    expect(await api.error('POST', base, { source_vm: source.self.value, library })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('POST', `${base}/${item}?action=deploy`, { name: 'web-2', placement: { resource_pool: 'resgroup-999' } })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('POST', `${base}/nope?action=deploy`, { name: 'web-2' })).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    // An OVF item holds no VM template.
    const ovf = await api.ok('POST', '/api/content/library/item', { library_id: library, name: 'an-ovf', type: 'ovf' });
    expect(await api.error('GET', `${base}/${ovf}`)).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(vmCount()).toBe(before);
  });

  it('checks VMs out and in, or discards them', async () => {
    const source = named(sim, 'VirtualMachine', 'DC0_C0_RP0_VM0') as VirtualMachine;
    const item = await api.ok('POST', base, { source_vm: source.self.value, name: 'db', library, placement: { resource_pool: pool } });
    const first = await api.ok('GET', `${base}/${item}`);
    const edit = await api.ok('POST', `${base}/${item}/check-outs?action=check-out`, { name: 'db-edit', powered_on: true });
    expect(await api.ok('GET', `${base}/${item}/check-outs`)).toEqual([{ vm: edit }]);
    expect(await api.ok('GET', `${base}/${item}/check-outs/${edit}`)).toMatchObject({ user: 'user', time: expect.any(String) });
    // A running VM cannot become the template.
    expect(await api.error('POST', `${base}/${item}/check-outs/${edit}?action=check-in`, { message: 'x' })).toMatchObject({ status: 400, type: 'NOT_ALLOWED_IN_CURRENT_STATE' });
    expect((await api.ok('GET', `${base}/${item}`)).vm_template).toBe(first.vm_template);
    await api.ok('POST', `/api/vcenter/vm/${edit}/power?action=stop`);
    expect(await api.ok('POST', `${base}/${item}/check-outs/${edit}?action=check-in`, { message: 'patched' })).toBe('2');
    expect((await api.ok('GET', `${base}/${item}`)).vm_template).toBe(edit);
    expect(sim.vc.registry.byId(first.vm_template)).toBeUndefined();
    expect(await api.ok('GET', `${base}/${item}/check-outs`)).toEqual([]);

    const scratch = await api.ok('POST', `${base}/${item}/check-outs?action=check-out`, {});
    const saved = JSON.parse(JSON.stringify(sim.state.save()));
    await api.ok('DELETE', `${base}/${item}/check-outs/${scratch}`);
    expect(sim.vc.registry.byId(scratch)).toBeUndefined();
    expect(await api.error('GET', `${base}/${item}/check-outs/${scratch}`)).toMatchObject({ status: 404 });
    expect(await api.error('POST', `${base}/${item}/check-outs/vm-999?action=check-in`, { message: 'x' })).toMatchObject({ status: 404 });
    sim.state.load(saved);
    expect(await api.ok('GET', `${base}/${item}/check-outs`)).toEqual([{ vm: scratch }]);
  });
});
