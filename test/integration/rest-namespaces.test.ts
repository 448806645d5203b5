/**
 * vSphere with Tanzu over `/api`, as vmware.vmware_rest's namespace modules call it: a Supervisor
 * enabled as a cis task (`?vmw-task=true`), its Info and the size table, namespaces with access,
 * storage and VM service specs (create, get, patch, put, delete), VM classes; the vAPI errors with
 * nothing changed; disable takes the namespaces along; kept in world state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from '../clients/inventory.js';
import { Content } from './rest-content-support.js';
import { RestTestClient } from './rest-support.js';

const POLICY = 'aa6d5a82-1c88-45da-85d3-3d74b91a5bad';

describe('REST namespace management and namespaces', () => {
  let sim: Simulator;
  let http: RestTestClient;
  let api: Content;
  let cluster: string;
  const stored = () => JSON.stringify([sim.state.save().stores.supervisors, sim.state.save().stores.namespaces]);

  beforeAll(async () => {
    sim = await createSimulator({ methodDelayMs: { EnableSupervisor: 100 } });
    http = new RestTestClient(sim);
    api = new Content(http, 'api', await http.login());
    cluster = named(sim, 'ClusterComputeResource', 'DC0_C0').self.value;
  });
  afterAll(async () => {
    http.close();
    await sim.close();
  });

  const enableSpec = () => ({
    size_hint: 'SMALL',
    network_provider: 'VSPHERE_NETWORK',
    image_storage: { storage_policy: POLICY },
    master_storage_policy: POLICY,
    ephemeral_storage_policy: POLICY,
    master_management_network: { mode: 'DHCP', network: named(sim, 'DistributedVirtualPortgroup', 'DC0_DVPG0').self.value },
    service_cidr: { address: '10.96.0.0', prefix: 23 },
  });
  const clusterPath = (action?: string) => `/api/vcenter/namespace-management/clusters/${cluster}${action ? `?action=${action}` : ''}`;

  async function taskDone(task: string) {
    for (let i = 0; i < 100; i++) {
      const info = await api.ok('GET', `/api/cis/tasks/${task}`);
      if (info.status === 'SUCCEEDED' || info.status === 'FAILED') return info;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`task ${task} never ended`);
  }

  it('enables a Supervisor as a task, reports it, refuses bad specs', async () => {
    const before = stored();
    const enable = (body: unknown) => api.error('POST', clusterPath('enable'), body);
    expect(await enable({ ...enableSpec(), size_hint: 'HUGE' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    const badPolicy = await enable({ ...enableSpec(), image_storage: { storage_policy: 'nope' } });
    expect(badPolicy).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(badPolicy.message).toContain('image_storage.storage_policy');
    const vm = named(sim, 'VirtualMachine', 'DC0_H0_VM0').self.value;
    expect(await api.error('POST', `/api/vcenter/namespace-management/clusters/${vm}?action=enable`, enableSpec())).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(await api.error('GET', clusterPath())).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(stored()).toBe(before);

    const task = await api.ok('POST', `${clusterPath('enable')}&vmw-task=true`, enableSpec());
    expect(await api.ok('GET', '/api/vcenter/namespace-management/clusters')).toEqual([{ cluster, cluster_name: 'DC0_C0', kubernetes_status: 'WARNING', config_status: 'CONFIGURING' }]);
    // Namespaces wait for a running Supervisor.
    expect(await api.error('POST', '/api/vcenter/namespaces/instances', { cluster, namespace: 'early' })).toMatchObject({ status: 400, type: 'NOT_ALLOWED_IN_CURRENT_STATE' });
    expect(await taskDone(task)).toMatchObject({ status: 'SUCCEEDED', service: 'com.vmware.vcenter.namespace_management.clusters', operation: 'enable', target: { type: 'ClusterComputeResource', id: cluster } });
    const info = await api.ok('GET', clusterPath());
    expect(info).toMatchObject({ config_status: 'RUNNING', kubernetes_status: 'READY', size_hint: 'SMALL', network_provider: 'VSPHERE_NETWORK', image_storage: { storage_policy: POLICY }, api_servers: [info.api_server_cluster_endpoint] });
    expect(info.stat_summary.cpu_capacity).toBeGreaterThan(0);
    expect(await api.error('POST', clusterPath('enable'), enableSpec())).toMatchObject({ status: 400, type: 'ALREADY_EXISTS' });
    const sizes = await api.ok('GET', '/api/vcenter/namespace-management/cluster-size-info');
    expect(Object.keys(sizes)).toEqual(['TINY', 'SMALL', 'MEDIUM', 'LARGE']);
    expect(sizes.TINY).toMatchObject({ num_supported_pods: 1000, master_vm_info: { num_cpus: 2 } });
  });

  it('creates, reads, patches, puts and deletes namespaces', async () => {
    const library = await api.ok('POST', '/api/content/local-library', { name: 'vmsvc', storage_backings: [{ type: 'DATASTORE', datastore_id: named(sim, 'Datastore', 'LocalDS_0').self.value }] });
    const owner = { subject: 'devs', subject_type: 'GROUP', domain: 'vsphere.local', role: 'EDIT' };
    await api.ok('POST', '/api/vcenter/namespaces/instances', {
      cluster,
      namespace: 'team-a',
      description: 'team A',
      access_list: [owner],
      storage_specs: [{ policy: POLICY, limit: 10240 }],
      vm_service_spec: { vm_classes: ['best-effort-small'], content_libraries: [library] },
    });
    expect(await api.ok('GET', '/api/vcenter/namespaces/instances')).toEqual([expect.objectContaining({ namespace: 'team-a', cluster, description: 'team A', config_status: 'RUNNING' })]);
    expect(await api.ok('GET', '/api/vcenter/namespaces/instances/team-a')).toMatchObject({
      cluster,
      description: 'team A',
      access_list: [owner],
      storage_specs: [{ policy: POLICY, limit: 10240 }],
      vm_service_spec: { vm_classes: ['best-effort-small'], content_libraries: [library] },
    });
    await api.ok('PATCH', '/api/vcenter/namespaces/instances/team-a', { description: 'renamed' });
    expect(await api.ok('GET', '/api/vcenter/namespaces/instances/team-a')).toMatchObject({ description: 'renamed', access_list: [owner] });
    expect((await api.ok('GET', '/api/vcenter/namespace-management/virtual-machine-classes/best-effort-small')).namespaces).toEqual(['team-a']);
    expect(await api.error('DELETE', '/api/vcenter/namespace-management/virtual-machine-classes/best-effort-small')).toMatchObject({ status: 400, type: 'RESOURCE_IN_USE' });
    await api.ok('PUT', '/api/vcenter/namespaces/instances/team-a', { description: 'replaced' });
    expect(await api.ok('GET', '/api/vcenter/namespaces/instances/team-a')).toMatchObject({ description: 'replaced', access_list: [], vm_service_spec: { vm_classes: [], content_libraries: [] } });

    const before = stored();
    const create = (body: Record<string, unknown>) => api.error('POST', '/api/vcenter/namespaces/instances', { cluster, ...body });
    expect(await create({ namespace: 'team-a' })).toMatchObject({ status: 400, type: 'ALREADY_EXISTS' });
    expect(await create({ namespace: 'Team_B' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await create({ namespace: 'b', access_list: [{ ...owner, role: 'ADMIN' }] })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await create({ namespace: 'b', vm_service_spec: { vm_classes: ['no-such-class'] } })).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(await create({ namespace: 'b', vm_service_spec: { content_libraries: ['nope'] } })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('POST', '/api/vcenter/namespaces/instances', { cluster: 'domain-c999', namespace: 'b' })).toMatchObject({ status: 404 });
    expect(await api.error('PATCH', '/api/vcenter/namespaces/instances/nope', {})).toMatchObject({ status: 404 });
    expect(stored()).toBe(before);
  });

  it('manages VM classes', async () => {
    const classes = await api.ok('GET', '/api/vcenter/namespace-management/virtual-machine-classes');
    expect(classes.map((c: { id: string }) => c.id)).toContain('guaranteed-8xlarge');
    expect(classes).toHaveLength(16);
    await api.ok('POST', '/api/vcenter/namespace-management/virtual-machine-classes', { id: 'custom-1', cpu_count: 3, memory_MB: 3072 });
    await api.ok('PATCH', '/api/vcenter/namespace-management/virtual-machine-classes/custom-1', { cpu_count: 6, description: 'bigger' });
    expect(await api.ok('GET', '/api/vcenter/namespace-management/virtual-machine-classes/custom-1')).toMatchObject({ id: 'custom-1', cpu_count: 6, memory_MB: 3072, description: 'bigger', config_status: 'READY', namespaces: [] });
    expect(await api.error('POST', '/api/vcenter/namespace-management/virtual-machine-classes', { id: 'custom-1', cpu_count: 1, memory_MB: 1 })).toMatchObject({ type: 'ALREADY_EXISTS' });
    expect(await api.error('POST', '/api/vcenter/namespace-management/virtual-machine-classes', { id: 'x', cpu_count: 0, memory_MB: 1 })).toMatchObject({ type: 'INVALID_ARGUMENT' });
    await api.ok('DELETE', '/api/vcenter/namespace-management/virtual-machine-classes/custom-1');
    expect(await api.error('GET', '/api/vcenter/namespace-management/virtual-machine-classes/custom-1')).toMatchObject({ status: 404 });
  });

  it('keeps Supervisors and namespaces in world state; disable takes the namespaces along', async () => {
    const saved = JSON.parse(JSON.stringify(sim.state.save()));
    const task = await api.ok('POST', `${clusterPath('disable')}&vmw-task=true`);
    expect(await taskDone(task)).toMatchObject({ status: 'SUCCEEDED', operation: 'disable' });
    expect(await api.ok('GET', '/api/vcenter/namespace-management/clusters')).toEqual([]);
    expect(await api.ok('GET', '/api/vcenter/namespaces/instances')).toEqual([]);
    sim.state.load(saved);
    expect(await api.ok('GET', clusterPath())).toMatchObject({ config_status: 'RUNNING' });
    expect(await api.ok('GET', '/api/vcenter/namespaces/instances/team-a')).toMatchObject({ description: 'replaced' });
  });
});
