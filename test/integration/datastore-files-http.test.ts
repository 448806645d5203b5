/**
 * Datastore files over HTTP (/folder/<path>?dcPath=&dsName=): upload (streamed, bounded by the
 * content budget), download, HEAD, directory listings, DELETE, the .vmx of a VM, and the refusals
 * (401 without a session, 404 for unknown datacenters, datastores and files, 403 for a VM's files,
 * 409 for POST over a file). A service ticket from AcquireGenericServiceTicket opens one URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Datastore } from '../../models/storage/datastore.js';
import { DatastoreFiles } from '../../models/storage/datastore-files.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from '../clients/inventory.js';
import { basic, http, soapEnvelope } from '../support/control.js';

describe('datastore files over HTTP', () => {
  let sim: Simulator;
  let cookie: string;
  const base = () => sim.url.replace(/\/sdk$/, '');
  const url = (path: string, dcPath = 'DC0', dsName = 'LocalDS_0') => `${base()}/folder/${path}?dcPath=${encodeURIComponent(dcPath)}&dsName=${encodeURIComponent(dsName)}`;
  const call = (method: string, path: string, body?: string | Buffer, headers: Record<string, string> = { cookie }) =>
    http(url(path), { method, headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/octet-stream' } : {}) }, body: body as string });

  beforeAll(async () => {
    sim = await createSimulator({ datastoreContentBudget: 1000 });
    const login = await http(sim.url, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: soapEnvelope('Login', { type: 'SessionManager', value: 'SessionManager' }, '<userName>user</userName><password>pass</password>'),
    });
    cookie = String(login.headers['set-cookie']).split(';')[0]!;
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('PUT creates a file (201, parents made), GET and HEAD read it, PUT again overwrites (200), DELETE removes it (204)', async () => {
    const ds = named(sim, 'Datastore', 'LocalDS_0') as Datastore;
    const free = Number(ds.summary.freeSpace);
    expect((await call('PUT', 'up/dir/hello.txt', 'hello world')).status).toBe(201);
    expect(Number(ds.summary.freeSpace)).toBe(free - 11);
    const got = await call('GET', 'up/dir/hello.txt');
    expect(got).toMatchObject({ status: 200, text: 'hello world' });
    const head = await call('HEAD', 'up/dir/hello.txt');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('11');
    expect((await call('PUT', 'up/dir/hello.txt', 'bye')).status).toBe(200);
    expect((await call('GET', 'up/dir/hello.txt')).text).toBe('bye');
    expect((await call('POST', 'up/dir/hello.txt', 'again')).status).toBe(409);
    const dir = await call('GET', 'up/dir');
    expect(dir.status).toBe(200);
    expect(dir.text).toContain('hello.txt');
    expect((await call('DELETE', 'up')).status).toBe(204);
    expect((await call('GET', 'up/dir/hello.txt')).status).toBe(404);
    expect(Number(ds.summary.freeSpace)).toBe(free);
  });

  it("serves a VM's .vmx as VMX text and refuses to overwrite or delete a registered VM's files (403)", async () => {
    const vmx = await call('GET', 'DC0_H0_VM0/DC0_H0_VM0.vmx');
    expect(vmx.status).toBe(200);
    expect(vmx.text).toContain('displayName = "DC0_H0_VM0"');
    expect((await call('PUT', 'DC0_H0_VM0/DC0_H0_VM0.vmx', 'x')).status).toBe(403);
    expect((await call('DELETE', 'DC0_H0_VM0')).status).toBe(403);
    const flat = await call('GET', 'DC0_H0_VM0/disk1-flat.vmdk');
    expect(flat.status).toBe(200);
    expect(flat.headers['content-length']).toBe(String(1024 * 1024));
  });

  it('keeps uploaded bytes only within the content budget; past it the size alone', async () => {
    const big = Buffer.alloc(1500, 1);
    expect((await call('PUT', 'big.bin', big)).status).toBe(201);
    const ds = named(sim, 'Datastore', 'LocalDS_0') as Datastore;
    const entry = new DatastoreFiles({ vc: sim.vc }, ds).stat('big.bin')!;
    expect(entry.size).toBe(1500);
    expect(entry.stored?.content).toBeUndefined();
    const got = await call('GET', 'big.bin');
    expect(got.headers['content-length']).toBe('1500');
    expect((await call('PUT', 'small.bin', 'kept')).status).toBe(201);
    expect((await call('GET', 'small.bin')).text).toBe('kept');
    await call('DELETE', 'big.bin');
    await call('DELETE', 'small.bin');
  });

  it('401 without credentials, Basic credentials work; 404 for unknown datacenter, datastore or file', async () => {
    const anonymous = await call('GET', 'DC0_H0_VM0/DC0_H0_VM0.vmx', undefined, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic/);
    expect((await call('GET', 'DC0_H0_VM0/DC0_H0_VM0.vmx', undefined, { authorization: basic('user', 'pass') })).status).toBe(200);
    expect((await http(url('x', 'NoDC'), { headers: { cookie } })).status).toBe(404);
    expect((await http(url('x', 'DC0', 'NoDS'), { headers: { cookie } })).status).toBe(404);
    expect((await call('GET', 'no/such/file')).status).toBe(404);
  });

  it('a generic service ticket opens its URL with the vmware_cgi_ticket cookie, and no other', async () => {
    const target = url('ticketed.txt');
    const spec = `<spec xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="SessionManagerHttpServiceRequestSpec"><url>${target.replace(/&/g, '&amp;')}</url><method>httpPut</method></spec>`;
    const answer = await http(sim.url, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', cookie },
      body: soapEnvelope('AcquireGenericServiceTicket', { type: 'SessionManager', value: 'SessionManager' }, spec),
    });
    const id = /<id>([^<]+)<\/id>/.exec(answer.text)?.[1];
    expect(id).toBeTruthy();
    // The ticket names the method as vCenter's spec does (httpPut); PUT is what it opens.
    const put = await http(target, { method: 'PUT', headers: { cookie: `vmware_cgi_ticket=${id}`, 'content-type': 'application/octet-stream' }, body: 'via ticket' });
    expect(put.status).toBe(201);
    expect((await http(url('other.txt'), { method: 'PUT', headers: { cookie: `vmware_cgi_ticket=${id}` }, body: 'x' })).status).toBe(401);
    await call('DELETE', 'ticketed.txt');
  });

  it('meets the fault rules (match.path "/folder/*") and goes into the journal as GET /folder/{path}', async () => {
    const { id } = sim.faults.add({ match: { api: 'rest', path: '/folder/rules/*' }, action: { kind: 'http', status: 503, retryAfter: 2 }, times: 1 });
    expect((await call('PUT', 'rules/x.txt', 'x')).status).toBe(503);
    expect((await call('PUT', 'rules/x.txt', 'x')).status).toBe(201);
    const entries = sim.journal.entries({ api: 'rest' }).filter((e) => e.path === '/folder/rules/x.txt');
    expect(entries.map((e) => [e.method, e.status, e.user])).toEqual([
      ['PUT /folder/{path}', 503, 'user'],
      ['PUT /folder/{path}', 201, 'user'],
    ]);
    sim.faults.remove(id);
    await call('DELETE', 'rules');
  });

  it('a world snapshot restore brings back the files as they were', async () => {
    const { id } = await sim.state.snapshot('files');
    await call('PUT', 'later.txt', 'later');
    await sim.state.restore(id);
    expect((await call('GET', 'later.txt')).status).toBe(404);
  });
});
