/**
 * The content library's trust over `/api`, as vmware.vmware_rest's content modules call it:
 * trusted certificates (create from PEM, list, get, delete; duplicates and bad PEM refused,
 * nothing changed) and security policies a library may name (an unknown one refused); kept in
 * world state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { selfSigned } from '../../simulator/tls.js';
import { named } from '../clients/inventory.js';
import { Content } from './rest-content-support.js';
import { RestTestClient } from './rest-support.js';

describe('REST content library trust', () => {
  let sim: Simulator;
  let http: RestTestClient;
  let api: Content;
  const stored = () => JSON.stringify(sim.state.save().stores.trustedCertificates);

  beforeAll(async () => {
    sim = await createSimulator();
    http = new RestTestClient(sim);
    api = new Content(http, 'api', await http.login());
  });
  afterAll(async () => {
    http.close();
    await sim.close();
  });

  it('adds, lists, reads and deletes trusted certificates', async () => {
    const pem = selfSigned('publisher.example').cert;
    const reply = await api.raw('POST', '/api/content/trusted-certificates', { cert_text: pem });
    expect(reply.status).toBe(201);
    const id = reply.json as string;
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(await api.ok('GET', '/api/content/trusted-certificates')).toEqual({ certificates: [{ certificate: id, cert_text: pem.trim() }] });
    expect(await api.ok('GET', `/api/content/trusted-certificates/${id}`)).toEqual({ cert_text: pem.trim() });

    const before = stored();
    expect(await api.error('POST', '/api/content/trusted-certificates', { cert_text: pem })).toMatchObject({ status: 400, type: 'ALREADY_EXISTS' });
    expect(await api.error('POST', '/api/content/trusted-certificates', { cert_text: 'not a certificate' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('POST', '/api/content/trusted-certificates', {})).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('GET', '/api/content/trusted-certificates/nope')).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(stored()).toBe(before);

    const saved = JSON.parse(JSON.stringify(sim.state.save()));
    await api.ok('DELETE', `/api/content/trusted-certificates/${id}`);
    expect(await api.ok('GET', '/api/content/trusted-certificates')).toEqual({ certificates: [] });
    sim.state.load(saved);
    expect(await api.ok('GET', `/api/content/trusted-certificates/${id}`)).toEqual({ cert_text: pem.trim() });
  });

  it('lists security policies and applies one to a library', async () => {
    const [policy] = await api.ok('GET', '/api/content/security-policies');
    expect(policy).toEqual({ policy: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'OVF default policy', item_type_policies: { ovf: 'OVF_STRICT_VERIFICATION' } });
    const backing = [{ type: 'DATASTORE', datastore_id: named(sim, 'Datastore', 'LocalDS_0').self.value }];
    const library = await api.ok('POST', '/api/content/local-library', { name: 'signed', storage_backings: backing, security_policy_id: policy.policy });
    expect(await api.ok('GET', `/api/content/library/${library}`)).toMatchObject({ security_policy_id: policy.policy });
    expect(await api.error('POST', '/api/content/local-library', { name: 'unsigned', storage_backings: backing, security_policy_id: 'nope' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.error('PATCH', `/api/content/local-library/${library}`, { security_policy_id: 'nope' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await api.ok('GET', '/api/content/library')).toEqual([library]);
  });
});
