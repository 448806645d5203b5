/**
 * The content library service over real HTTPS, in both flavours: local libraries and the
 * library views, items and their files, and the vAPI errors of bad input (with the state left as
 * it was). Transfers (update and download sessions, bytes) are in rest-content-transfer.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from '../clients/inventory.js';
import { Content, openContent, snapshotOf, type Flavour } from './rest-content-support.js';
import type { RestTestClient } from './rest-support.js';

describe('REST content library: libraries and items', () => {
  let sim: Simulator;
  let http: RestTestClient;
  let datastore: string;
  let clients: Record<Flavour, Content>;

  beforeAll(async () => {
    ({ sim, http, clients, datastore } = await openContent());
  });
  afterAll(async () => {
    http.close();
    await sim.close();
  });

  const backing = () => [{ type: 'DATASTORE', datastore_id: datastore }];
  const snapshot = () => snapshotOf(sim);

  describe.each(['api', 'rest'] as const)('%s', (flavour) => {
    const c = () => clients[flavour];

    it('creates, lists, gets, finds, updates and deletes a local library', async () => {
      const name = `lib-${flavour}`;
      const id = await c().createLibrary({ name, description: 'first', type: 'LOCAL', storage_backings: backing() });
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(await c().ok('GET', c().at('content/library'))).toContain(id);
      expect(await c().ok('GET', c().at('content/local-library'))).toContain(id);
      const library = await c().ok('GET', c().at('content/library', id));
      expect(library).toMatchObject({ id, name, description: 'first', type: 'LOCAL', storage_backings: backing(), version: '1' });
      expect(Date.parse(library.creation_time)).not.toBeNaN();
      expect(await c().ok('GET', c().at('content/local-library', id))).toEqual(library);
      // find: the name case-insensitively, the type exactly.
      expect(await c().ok('POST', c().at('content/library', undefined, 'find'), c().wrap('spec', { name: name.toUpperCase() }))).toEqual([id]);
      expect(await c().ok('POST', c().at('content/library', undefined, 'find'), c().wrap('spec', { name, type: 'SUBSCRIBED' }))).toEqual([]);

      await c().ok('PATCH', c().at('content/local-library', id), c().wrap('update_spec', { name: `${name}-renamed`, description: 'second' }));
      const updated = await c().ok('GET', c().at('content/library', id));
      expect(updated).toMatchObject({ name: `${name}-renamed`, description: 'second', version: '2' });

      await c().ok('DELETE', c().at('content/local-library', id));
      expect(await c().error('GET', c().at('content/library', id))).toMatchObject({ status: 404, type: 'NOT_FOUND' });
      expect(await c().ok('GET', c().at('content/library'))).not.toContain(id);
    });

    it('refuses a duplicate name, an unknown datastore and bad bodies, changing nothing', async () => {
      const name = `unique-${flavour}`;
      const id = await c().createLibrary({ name, storage_backings: backing() });
      const before = snapshot();
      const create = (spec: unknown) => c().error('POST', c().at('content/local-library'), c().wrap('create_spec', spec));
      expect(await create({ name: name.toUpperCase(), storage_backings: backing() })).toMatchObject({ status: 400, type: 'ALREADY_EXISTS' });
      const badDs = await create({ name: 'x', storage_backings: [{ type: 'DATASTORE', datastore_id: 'datastore-999' }] });
      expect(badDs).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(badDs.message).toContain('datastore-999');
      // A VM's id is no datastore either.
      const vm = named(sim, 'VirtualMachine', 'DC0_H0_VM0').self.value;
      expect(await create({ name: 'x', storage_backings: [{ type: 'DATASTORE', datastore_id: vm }] })).toMatchObject({ type: 'INVALID_ARGUMENT' });
      expect(await create({ name: 'x', storage_backings: [] })).toMatchObject({ type: 'INVALID_ARGUMENT' });
      const field = (name: string) => (flavour === 'rest' ? `create_spec.${name}` : name);
      const noName = await create({ storage_backings: backing() });
      expect(noName).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(noName.message).toContain(`'${field('name')}'`);
      const badType = await create({ name: 'x', storage_backings: [{ type: 'NFS' }] });
      expect(badType.message).toContain(`'${field('storage_backings.0.type')}'`);
      const rename = await c().error('PATCH', c().at('content/local-library', id), c().wrap('update_spec', { name: 42 }));
      expect(rename).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(await c().error('DELETE', c().at('content/local-library', 'no-such-library'))).toMatchObject({ status: 404, type: 'NOT_FOUND' });
      expect(snapshot()).toBe(before);
    });

    it('creates, lists, finds, gets, updates and deletes items', async () => {
      const library = await c().createLibrary({ name: `items-${flavour}`, storage_backings: backing() });
      const first = await c().createItem({ library_id: library, name: 'photon', description: 'an OVF', type: 'ovf' });
      const second = await c().createItem({ library_id: library, name: 'tools.iso', type: 'iso' });
      expect(await c().ok('GET', `${c().at('content/library/item')}?library_id=${library}`)).toEqual([first, second]);
      const item = await c().ok('GET', c().at('content/library/item', first));
      expect(item).toMatchObject({ id: first, library_id: library, name: 'photon', description: 'an OVF', type: 'ovf', size: 0, cached: true, content_version: '1' });
      const find = (spec: unknown) => c().ok('POST', c().at('content/library/item', undefined, 'find'), c().wrap('spec', spec));
      expect(await find({ name: 'PHOTON' })).toEqual([first]);
      expect(await find({ library_id: library, type: 'iso' })).toEqual([second]);
      expect(await find({ library_id: 'other' })).toEqual([]);
      expect(await c().itemFiles(first)).toEqual([]);

      await c().ok('PATCH', c().at('content/library/item', first), c().wrap('update_spec', { name: 'photon-5', description: 'renamed' }));
      expect(await c().ok('GET', c().at('content/library/item', first))).toMatchObject({ name: 'photon-5', description: 'renamed', metadata_version: '2' });

      await c().ok('DELETE', c().at('content/library/item', second));
      expect(await c().error('GET', c().at('content/library/item', second))).toMatchObject({ status: 404, type: 'NOT_FOUND' });
      // Deleting the library takes its items with it.
      await c().ok('DELETE', c().at('content/local-library', library));
      expect(await c().error('GET', c().at('content/library/item', first))).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    });

    it('copies an item with its files, in its library or another', async () => {
      const library = await c().createLibrary({ name: `copies-${flavour}`, storage_backings: backing() });
      const other = await c().createLibrary({ name: `copies-other-${flavour}`, storage_backings: backing() });
      const source = await c().createItem({ library_id: library, name: 'original', description: 'the source', type: 'iso' });
      await c().upload(source, 'disk.iso', Buffer.from('iso bytes'));
      const copy = (body: unknown) => c().ok('POST', c().at('content/library/item', source, 'copy'), body);
      const near = await copy({ destination_create_spec: { name: 'near' } });
      const far = await copy({ destination_create_spec: { library_id: other } });
      expect(await c().ok('GET', c().at('content/library/item', near))).toMatchObject({ library_id: library, name: 'near', description: 'the source', type: 'iso', size: 9, source_id: source });
      expect(await c().ok('GET', c().at('content/library/item', far))).toMatchObject({ library_id: other, name: 'original', size: 9 });
      expect((await c().itemFiles(far)).map((f: any) => [f.name, f.size])).toEqual([['disk.iso', 9]]);
      // Same name in the same library: refused.
      expect(await c().error('POST', c().at('content/library/item', source, 'copy'), { destination_create_spec: {} })).toMatchObject({ status: 400, type: 'ALREADY_EXISTS' });
      expect(await c().error('POST', c().at('content/library/item', 'nope', 'copy'), { destination_create_spec: {} })).toMatchObject({ status: 404 });
    });

    it('refuses bad item input, changing nothing', async () => {
      const library = await c().createLibrary({ name: `bad-items-${flavour}`, storage_backings: backing() });
      const id = await c().createItem({ library_id: library, name: 'one' });
      const before = snapshot();
      const create = (spec: unknown) => c().error('POST', c().at('content/library/item'), c().wrap('create_spec', spec));
      expect(await create({ library_id: library, name: 'ONE' })).toMatchObject({ status: 400, type: 'ALREADY_EXISTS' });
      expect(await create({ library_id: 'no-such-library', name: 'two' })).toMatchObject({ status: 404, type: 'NOT_FOUND' });
      const noLibrary = await create({ name: 'two' });
      expect(noLibrary).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(noLibrary.message).toContain(flavour === 'rest' ? "'create_spec.library_id'" : "'library_id'");
      const list = await c().error('GET', c().at('content/library/item'));
      expect(list).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(list.message).toContain("'library_id'");
      expect(await c().error('GET', `${c().at('content/library/item')}?library_id=nope`)).toMatchObject({ status: 404, type: 'NOT_FOUND' });
      expect(await c().error('PATCH', c().at('content/library/item', id), c().wrap('update_spec', { name: '' }))).toMatchObject({ type: 'INVALID_ARGUMENT' });
      expect(await c().error('PATCH', c().at('content/library/item', 'nope'), c().wrap('update_spec', { name: 'x' }))).toMatchObject({ status: 404 });
      expect(await c().error('POST', c().at('content/library/item', undefined, 'find'), c().wrap('spec', { cached: 'yes' }))).toMatchObject({ type: 'INVALID_ARGUMENT' });
      expect(await c().error('POST', c().at('content/library/item', undefined, 'nonsense'), {})).toMatchObject({ status: 404, type: 'NOT_FOUND' });
      expect(snapshot()).toBe(before);
    });
  });

  it('gives the same id for a repeated client token', async () => {
    const rest = clients.rest;
    const body = { client_token: '0d6bd6e3-6d5f-4d35-9df3-62c5b0a2b7a1', create_spec: { name: 'token-lib', storage_backings: backing() } };
    const first = await rest.ok('POST', rest.at('content/local-library'), body);
    expect(await rest.ok('POST', rest.at('content/local-library'), body)).toBe(first);
    const api = clients.api;
    const path = `${api.at('content/local-library')}?client_token=c4f5e8e0-27a9-4b8e-9d61-0f8f0f0b8a11`;
    const again = await api.ok('POST', path, { name: 'token-lib-2', storage_backings: backing() });
    expect(await api.ok('POST', path, { name: 'token-lib-2', storage_backings: backing() })).toBe(again);
  });

  it('answers /api creations with 201 and /rest ones with 200', async () => {
    const api = await clients.api.raw('POST', clients.api.at('content/local-library'), { name: 'status-api', storage_backings: backing() });
    expect(api.status).toBe(201);
    const rest = await clients.rest.raw('POST', clients.rest.at('content/local-library'), { create_spec: { name: 'status-rest', storage_backings: backing() } });
    expect(rest.status).toBe(200);
  });

  it('creates on /rest with ~action=create too', async () => {
    const rest = clients.rest;
    const library = await rest.ok('POST', rest.at('content/local-library', undefined, 'create'), { create_spec: { name: 'by-action', storage_backings: backing() } });
    const item = await rest.ok('POST', rest.at('content/library/item', undefined, 'create'), { create_spec: { library_id: library, name: 'by-action' } });
    expect(await rest.ok('GET', rest.at('content/library/item', item))).toMatchObject({ library_id: library, name: 'by-action' });
  });

  it('travels in world documents: another simulator takes libraries, items and bytes back whole', async () => {
    const api = clients.api;
    const library = await api.createLibrary({ name: 'state', storage_backings: backing() });
    const item = await api.createItem({ library_id: library, name: 'bytes' });
    await api.upload(item, 'blob.bin', Buffer.from([0, 1, 2, 255]));
    const document = JSON.parse(JSON.stringify(sim.state.save()));
    const other = await createSimulator();
    try {
      other.state.load(document);
      expect(snapshotOf(other)).toBe(snapshotOf(sim));
      expect([...other.vc.contentLibrary.fileBytes(item, 'blob.bin')]).toEqual([0, 1, 2, 255]);
      // Ids go on from where the state left off, not from the start again.
      const next = other.vc.contentLibrary.createLibrary({ name: 'next', storage_backings: [{ type: 'DATASTORE', datastore_id: datastore }] });
      expect(other.vc.contentLibrary.listLibraries()).toContain(library);
      expect(next).not.toBe(library);
    } finally {
      await other.close();
    }
  });


  it('comes back with a world snapshot and a saved state file, bytes and all', async () => {
    const api = clients.api;
    const library = await api.createLibrary({ name: 'snapshotted', storage_backings: backing() });
    const item = await api.createItem({ library_id: library, name: 'kept' });
    await api.upload(item, 'kept.bin', Buffer.from([7, 0, 255]));
    const { id } = sim.state.snapshot('with-library');
    const saved = JSON.parse(JSON.stringify(sim.state.save()));
    await api.ok('DELETE', api.at('content/local-library', library));
    expect(await api.error('GET', api.at('content/library', library))).toMatchObject({ status: 404 });

    expect(sim.state.restore(id)).toBe(true);
    expect(await api.ok('GET', api.at('content/library/item', item))).toMatchObject({ name: 'kept', size: 3 });
    expect([...sim.vc.contentLibrary.fileBytes(item, 'kept.bin')]).toEqual([7, 0, 255]);

    await api.ok('DELETE', api.at('content/local-library', library));
    sim.state.load(saved);
    const token = await http.login('user', 'pass', 'api');
    const reloaded = await new Content(http, 'api', token).ok('GET', api.at('content/library/item', item));
    expect(reloaded).toMatchObject({ name: 'kept', size: 3 });
    expect([...sim.vc.contentLibrary.fileBytes(item, 'kept.bin')]).toEqual([7, 0, 255]);
  });

  it('needs a session', async () => {
    const reply = await http.send('GET', '/api/content/library');
    expect(reply.status).toBe(401);
    expect(reply.json.error_type).toBe('UNAUTHENTICATED');
  });
});
