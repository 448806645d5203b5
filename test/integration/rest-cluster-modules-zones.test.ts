/**
 * Cluster modules in the `/api` form (`/api/vcenter/cluster-modules`) and consumption-domain zones
 * with their cluster associations (`/api/vcenter/consumption-domains/zones`), as
 * vmware.vmware_rest sends the calls: results, vAPI errors with nothing changed, a destroyed VM
 * leaving its module, and both kept by world snapshots and state files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from '../clients/inventory.js';
import { Content } from './rest-content-support.js';
import { RestTestClient } from './rest-support.js';

describe('REST cluster modules and zones', () => {
  let sim: Simulator;
  let http: RestTestClient;
  let api: Content;
  let cluster: string;
  const stores = () => JSON.stringify([sim.state.save().stores.clusterModules, sim.state.save().stores.zones]);

  beforeAll(async () => {
    sim = await createSimulator();
    http = new RestTestClient(sim);
    api = new Content(http, 'api', await http.login());
    cluster = named(sim, 'ClusterComputeResource', 'DC0_C0').self.value;
  });
  afterAll(async () => {
    http.close();
    await sim.close();
  });

  const vmId = (name: string) => named(sim, 'VirtualMachine', name).self.value;

  it('creates modules, manages members and drops a destroyed VM', async () => {
    const module = await api.ok('POST', '/api/vcenter/cluster-modules', { cluster });
    expect((await api.raw('POST', '/api/vcenter/cluster-modules', { cluster })).status).toBe(201);
    expect((await api.ok('GET', '/api/vcenter/cluster-modules')).summaries).toContainEqual({ cluster, module });
    const vms = [vmId('DC0_C0_RP0_VM0'), vmId('DC0_C0_RP0_VM1')];
    expect(await api.ok('POST', `/api/vcenter/cluster-modules/${module}/vm?action=add`, { vms })).toEqual({ success: true });
    expect(await api.ok('POST', `/api/vcenter/cluster-modules/${module}/vm?action=add`, { vms: ['vm-999'] })).toEqual({ success: false });
    expect(await api.ok('GET', `/api/vcenter/cluster-modules/${module}/vm`)).toEqual({ vms });
    expect(await api.ok('POST', `/api/vcenter/cluster-modules/${module}/vm?action=remove`, { vms: ['vm-999'] })).toEqual({ success: false });

    await api.ok('POST', `/api/vcenter/vm/${vms[0]}/power?action=stop`);
    await api.ok('DELETE', `/api/vcenter/vm/${vms[0]}`);
    expect(await api.ok('GET', `/api/vcenter/cluster-modules/${module}/vm`)).toEqual({ vms: [vms[1]] });

    const before = stores();
    expect(await api.error('POST', '/api/vcenter/cluster-modules', { cluster: vms[1] })).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(await api.error('POST', '/api/vcenter/cluster-modules', {})).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('POST', `/api/vcenter/cluster-modules/${module}/vm?action=add`, { vms: 'x' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('GET', '/api/vcenter/cluster-modules/nope/vm')).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(await api.error('DELETE', '/api/vcenter/cluster-modules/nope')).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(stores()).toBe(before);
    await api.ok('DELETE', `/api/vcenter/cluster-modules/${module}`);
    expect((await api.ok('GET', '/api/vcenter/cluster-modules')).summaries).not.toContainEqual({ cluster, module });
  });

  it('creates zones and associates clusters, with partial failures', async () => {
    await api.ok('POST', '/api/vcenter/consumption-domains/zones', { zone: 'zone-a', description: 'first' });
    await api.ok('POST', '/api/vcenter/consumption-domains/zones', { zone: 'zone-b' });
    expect(await api.ok('GET', '/api/vcenter/consumption-domains/zones')).toEqual({
      items: [
        { zone: 'zone-a', info: { description: 'first' } },
        { zone: 'zone-b', info: { description: '' } },
      ],
    });
    expect(await api.ok('GET', '/api/vcenter/consumption-domains/zones?zones=zone-b')).toEqual({ items: [{ zone: 'zone-b', info: { description: '' } }] });
    expect(await api.ok('GET', '/api/vcenter/consumption-domains/zones/zone-a')).toEqual({ description: 'first' });

    const add = (zone: string, body: unknown) => api.ok('POST', `/api/vcenter/consumption-domains/zones/cluster/${zone}/associations?action=add`, body);
    expect(await add('zone-a', [cluster])).toEqual({ success: true, failed_clusters: {} });
    expect(await api.ok('GET', '/api/vcenter/consumption-domains/zones/cluster/zone-a/associations')).toEqual([cluster]);
    const partial = await add('zone-b', { clusters: [cluster, 'domain-c999'] });
    expect(partial.success).toBe(false);
    expect(partial.failed_clusters[cluster]).toMatchObject({ error_type: 'ALREADY_EXISTS' });
    expect(partial.failed_clusters['domain-c999']).toMatchObject({ error_type: 'NOT_FOUND' });

    const before = stores();
    const create = (body: unknown) => api.error('POST', '/api/vcenter/consumption-domains/zones', body);
    expect(await create({ zone: 'zone-a' })).toMatchObject({ status: 400, type: 'ALREADY_EXISTS' });
    expect(await create({ zone: 'Bad_Zone' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await create({ zone: '-x' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await create({ description: 'no id' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('DELETE', '/api/vcenter/consumption-domains/zones/zone-a')).toMatchObject({ status: 400, type: 'NOT_ALLOWED_IN_CURRENT_STATE' });
    expect(await api.error('GET', '/api/vcenter/consumption-domains/zones/nope')).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(await api.error('POST', '/api/vcenter/consumption-domains/zones/cluster/nope/associations?action=add', [cluster])).toMatchObject({ status: 404 });
    expect(stores()).toBe(before);

    await api.ok('POST', '/api/vcenter/consumption-domains/zones/cluster/zone-a/associations?action=remove', [cluster]);
    expect(await api.ok('GET', '/api/vcenter/consumption-domains/zones/cluster/zone-a/associations')).toEqual([]);
    await api.ok('DELETE', '/api/vcenter/consumption-domains/zones/zone-a');
    expect(await api.error('GET', '/api/vcenter/consumption-domains/zones/zone-a')).toMatchObject({ status: 404 });
  });

  it('keeps modules and zones in world snapshots and state files', async () => {
    const { id } = sim.state.snapshot('empty');
    const module = await api.ok('POST', '/api/vcenter/cluster-modules', { cluster });
    await api.ok('POST', `/api/vcenter/cluster-modules/${module}/vm?action=add`, { vms: [vmId('DC0_C0_RP0_VM1')] });
    await api.ok('POST', '/api/vcenter/consumption-domains/zones', { zone: 'kept' });
    await api.ok('POST', '/api/vcenter/consumption-domains/zones/cluster/kept/associations?action=add', [cluster]);
    const saved = JSON.parse(JSON.stringify(sim.state.save()));
    expect(sim.state.restore(id)).toBe(true);
    expect(await api.error('GET', `/api/vcenter/cluster-modules/${module}/vm`)).toMatchObject({ status: 404 });
    expect(await api.error('GET', '/api/vcenter/consumption-domains/zones/kept')).toMatchObject({ status: 404 });
    sim.state.load(saved);
    expect(await api.ok('GET', `/api/vcenter/cluster-modules/${module}/vm`)).toEqual({ vms: [vmId('DC0_C0_RP0_VM1')] });
    expect(await api.ok('GET', '/api/vcenter/consumption-domains/zones/cluster/kept/associations')).toEqual([cluster]);
  });
});
