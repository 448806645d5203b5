/**
 * vSphere Lifecycle Manager over `/api/esx/settings`, as vmware.vmware_rest's esx_settings
 * modules call it: the depot, a cluster's software, a draft (base image, components) committed as
 * a cis task, a scan finding the hosts behind, an apply bringing them up to the spec; the vAPI
 * errors with nothing changed; kept in world state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from '../clients/inventory.js';
import { Content } from './rest-content-support.js';
import { RestTestClient } from './rest-support.js';

describe('REST vSphere Lifecycle Manager', () => {
  let sim: Simulator;
  let http: RestTestClient;
  let api: Content;
  let cluster: string;
  let hosts: string[];
  const stored = () => JSON.stringify(sim.state.save().stores.lifecycle);
  const base = () => `/api/esx/settings/clusters/${cluster}/software`;

  beforeAll(async () => {
    sim = await createSimulator();
    http = new RestTestClient(sim);
    api = new Content(http, 'api', await http.login());
    const found = named(sim, 'ClusterComputeResource', 'DC0_C0') as unknown as { self: { value: string }; host: { value: string }[] };
    cluster = found.self.value;
    hosts = found.host.map((h) => h.value);
  });
  afterAll(async () => {
    http.close();
    await sim.close();
  });

  async function taskResult(task: string) {
    for (let i = 0; i < 100; i++) {
      const info = await api.ok('GET', `/api/cis/tasks/${task}`);
      if (info.status === 'SUCCEEDED' || info.status === 'FAILED') return info;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`task ${task} never ended`);
  }

  it('lists the depot and a cluster software', async () => {
    const images = await api.ok('GET', '/api/esx/settings/depot-content/base-images');
    expect(images.map((i: { version: string }) => i.version)).toEqual(['7.0.3-0.50.20036589', '8.0.0-1.0.20513097']);
    const components = await api.ok('GET', '/api/esx/settings/depot-content/components');
    expect(components[0]).toMatchObject({ name: 'Intel-i40en', versions: [expect.objectContaining({ vendor: 'Intel' }), expect.anything()] });
    expect(await api.ok('GET', base())).toEqual({
      base_image: { version: '7.0.3-0.50.20036589', details: { display_name: 'ESXi', display_version: '7.0 U3f', release_date: '2022-07-12T00:00:00.000Z' } },
      components: {},
      solutions: {},
    });
    expect(await api.ok('POST', `${base()}?action=scan`)).toMatchObject({ status: 'COMPLIANT', commit: '1', compliant_hosts: hosts, non_compliant_hosts: [] });
  });

  it('edits a draft, commits it as a task, scans and applies', async () => {
    const draft = await api.ok('POST', `${base()}/drafts`);
    expect(await api.ok('GET', `${base()}/drafts`)).toEqual({ [draft]: { owner: 'user', status: 'VALID', creation_time: expect.any(String) } });
    await api.ok('PUT', `${base()}/drafts/${draft}/software/base-image`, { version: '8.0.0-1.0.20513097' });
    await api.ok('PATCH', `${base()}/drafts/${draft}/software/components`, { components_to_set: { 'Intel-i40en': '2.3.4.0-1OEM.700.1.0.15843807', 'Broadcom-ELX-lpfc': '14.0.326.12-1OEM.700.1.0.15843807' } });
    await api.ok('DELETE', `${base()}/drafts/${draft}/software/components/Broadcom-ELX-lpfc`);
    expect(await api.ok('GET', `${base()}/drafts/${draft}/software/components`)).toEqual({
      'Intel-i40en': { version: '2.3.4.0-1OEM.700.1.0.15843807', details: { display_name: expect.stringContaining('Intel'), display_version: '2.3.4.0', vendor: 'Intel' } },
    });

    const before = stored();
    expect(await api.error('PUT', `${base()}/drafts/${draft}/software/base-image`, { version: '9.9' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('PATCH', `${base()}/drafts/${draft}/software/components`, { components_to_set: { 'Intel-i40en': '2.1.5.0-1OEM.700.1.0.15843807', Nope: '1.0' } })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('GET', `${base()}/drafts/999`)).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(await api.error('POST', `/api/esx/settings/clusters/${hosts[0]}/software/drafts`)).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(await api.error('POST', `${base()}?action=apply`, { hosts: ['host-999'] })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('POST', `${base()}?action=apply`, { commit: '7' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(stored()).toBe(before);

    const commitTask = await api.ok('POST', `${base()}/drafts/${draft}?action=commit&vmw-task=true`, { message: 'to 8.0' });
    expect(await taskResult(commitTask)).toMatchObject({ status: 'SUCCEEDED', service: 'com.vmware.esx.settings.clusters.software.drafts', operation: 'commit', result: '2' });
    expect(await api.ok('GET', `${base()}/drafts`)).toEqual({});
    expect((await api.ok('GET', base())).base_image.version).toBe('8.0.0-1.0.20513097');

    const scanTask = await api.ok('POST', `${base()}?action=scan&vmw-task=true`);
    expect(await taskResult(scanTask)).toMatchObject({ status: 'SUCCEEDED', operation: 'scan', target: { type: 'ClusterComputeResource', id: cluster } });
    expect(await api.ok('GET', `${base()}/compliance`)).toMatchObject({ status: 'NON_COMPLIANT', commit: '2', compliant_hosts: [], non_compliant_hosts: hosts });

    const saved = JSON.parse(JSON.stringify(sim.state.save()));
    await api.ok('POST', `${base()}?action=apply`, { hosts: [hosts[0]], accept_eula: true });
    expect(await api.ok('GET', `${base()}/compliance`)).toMatchObject({ status: 'NON_COMPLIANT', compliant_hosts: [hosts[0]] });
    expect(await api.ok('POST', `${base()}?action=apply`, { commit: '2' })).toMatchObject({ status: 'COMPLIANT', compliant_hosts: hosts });
    sim.state.load(saved);
    expect(await api.ok('GET', `${base()}/compliance`)).toMatchObject({ status: 'NON_COMPLIANT', non_compliant_hosts: hosts });
  });
});
