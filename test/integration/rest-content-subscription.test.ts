/**
 * Publishing and subscribing in the content library, both flavours over real HTTPS: a published
 * local library's publish_url, a subscribed library following it (on demand: metadata first,
 * content on an item's sync or download; automatic: every change of the publisher), evict,
 * publish, probe, item storage, the refusals (nothing changed), and the state kept by world
 * snapshots and state files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/index.js';
import { Content, openContent, snapshotOf, transfer, type Flavour } from './rest-content-support.js';
import type { RestTestClient } from './rest-support.js';

describe('REST content library: publishing and subscriptions', () => {
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

  describe.each(['api', 'rest'] as const)('%s', (flavour) => {
    const c = () => clients[flavour];
    const subscribe = (spec: Record<string, unknown>) => c().ok('POST', c().at('content/subscribed-library'), c().wrap('create_spec', spec));
    const getItem = (id: string) => c().ok('GET', c().at('content/library/item', id));
    const items = (library: string) => c().ok('GET', `${c().at('content/library/item')}?library_id=${library}`);

    /** A published library with one item holding `bytes`. */
    async function publisher(name: string, bytes: Buffer, publish: Record<string, unknown> = {}) {
      const id = await c().createLibrary({ name, storage_backings: backing(), publish_info: { published: true, authentication_method: 'NONE', ...publish } });
      const item = await c().createItem({ library_id: id, name: 'photon', type: 'iso' });
      await c().upload(item, 'photon.iso', bytes);
      const url = (await c().ok('GET', c().at('content/local-library', id))).publish_info.publish_url as string;
      return { id, item, url };
    }

    it('publishes a local library and mirrors it on demand: metadata first, content on sync, evicted again', async () => {
      const bytes = Buffer.from('photon iso bytes');
      const pub = await publisher(`pub-${flavour}`, bytes);
      expect(pub.url).toBe(`${http.base}/cls/vcsp/lib/${pub.id}/lib.json`);

      const sub = await subscribe({
        name: `sub-${flavour}`,
        storage_backings: backing(),
        subscription_info: { subscription_url: pub.url, authentication_method: 'NONE', on_demand: true, automatic_sync_enabled: false },
      });
      const library = await c().ok('GET', c().at('content/subscribed-library', sub));
      expect(library).toMatchObject({ id: sub, type: 'SUBSCRIBED', subscription_info: { subscription_url: pub.url, on_demand: true, automatic_sync_enabled: false } });
      expect(Date.parse(library.last_sync_time)).not.toBeNaN();
      expect(await c().ok('GET', c().at('content/subscribed-library'))).toContain(sub);
      expect(await c().ok('GET', c().at('content/local-library'))).not.toContain(sub);

      const [mirror] = await items(sub);
      expect(await getItem(mirror)).toMatchObject({ library_id: sub, name: 'photon', type: 'iso', source_id: pub.item, cached: false, size: bytes.length });
      expect(await storageOf(mirror)).toEqual([
        expect.objectContaining({ name: 'photon.iso', cached: false, storage_uris: [], size: bytes.length }),
      ]);

      // An item sync without force leaves an on-demand item's content where it is; with force, it comes.
      await c().ok('POST', c().path('content/library/subscribed-item', 'content/library/subscribed-item', mirror, 'sync'), { force_sync_content: false });
      expect(await getItem(mirror)).toMatchObject({ cached: false });
      await c().ok('POST', c().path('content/library/subscribed-item', 'content/library/subscribed-item', mirror, 'sync'), { force_sync_content: true });
      expect(await getItem(mirror)).toMatchObject({ cached: true });
      const storage = await storageOf(mirror);
      expect(storage).toEqual([
        {
          storage_backing: backing()[0],
          storage_uris: [expect.stringMatching(new RegExp(`^ds:///vmfs/volumes/.+/contentlib-${sub}/${mirror}/photon\\.iso$`))],
          checksum_info: { algorithm: 'SHA1', checksum: expect.stringMatching(/^[0-9a-f]{40}$/) },
          name: 'photon.iso',
          size: bytes.length,
          cached: true,
          version: '1',
        },
      ]);
      expect(await download(mirror, 'photon.iso')).toEqual(bytes);

      await c().ok('POST', c().path('content/library/subscribed-item', 'content/library/subscribed-item', mirror, 'evict'));
      expect(await getItem(mirror)).toMatchObject({ cached: false });
      // A download of an evicted item fetches its content again.
      expect(await download(mirror, 'photon.iso')).toEqual(bytes);
      expect(await getItem(mirror)).toMatchObject({ cached: true });
      await c().ok('POST', c().at('content/subscribed-library', sub, 'evict'));
      expect(await getItem(mirror)).toMatchObject({ cached: false });

      // A new publisher item reaches the subscriber at its next sync (it is not automatic).
      const second = await c().createItem({ library_id: pub.id, name: 'second', type: 'iso' });
      expect(await items(sub)).toEqual([mirror]);
      await c().ok('POST', c().at('content/subscribed-library', sub, 'sync'));
      const after = await items(sub);
      expect(after).toHaveLength(2);
      expect((await Promise.all(after.map(getItem))).map((item: any) => item.source_id).sort()).toEqual([pub.item, second].sort());
      // Gone from the publisher: gone from the subscriber after a sync.
      await c().ok('DELETE', c().at('content/library/item', second));
      await c().ok('POST', c().at('content/subscribed-library', sub, 'sync'));
      expect(await items(sub)).toEqual([mirror]);
    });

    it('follows an automatic publisher at once, and a publish pushes to subscribers', async () => {
      const pub = await publisher(`auto-pub-${flavour}`, Buffer.from('first'));
      const sub = await subscribe({ name: `auto-sub-${flavour}`, storage_backings: backing(), subscription_info: { subscription_url: pub.url, automatic_sync_enabled: true, on_demand: false } });
      const [mirror] = await items(sub);
      expect(await getItem(mirror)).toMatchObject({ cached: true, size: 5 });
      await c().upload(pub.item, 'photon.iso', Buffer.from('second version'));
      expect(await getItem(mirror)).toMatchObject({ cached: true, size: 14 });
      expect(await download(mirror, 'photon.iso')).toEqual(Buffer.from('second version'));

      const manual = await subscribe({ name: `manual-sub-${flavour}`, storage_backings: backing(), subscription_info: { subscription_url: pub.url } });
      await c().createItem({ library_id: pub.id, name: 'pushed', type: 'iso' });
      expect(await items(manual)).toHaveLength(1);
      await c().ok('POST', c().at('content/local-library', pub.id, 'publish'), {});
      expect(await items(manual)).toHaveLength(2);
    });

    it('probes subscription URLs and checks the publisher password', async () => {
      const pub = await publisher(`secret-pub-${flavour}`, Buffer.from('x'), { authentication_method: 'BASIC', password: 'VMware1!' });
      const library = await c().ok('GET', c().at('content/library', pub.id));
      expect(library.publish_info).toEqual({ authentication_method: 'BASIC', published: true, persist_json_enabled: false, user_name: 'vcsp', publish_url: pub.url });
      const probe = (info: unknown) => c().ok('POST', c().at('content/subscribed-library', undefined, 'probe'), flavour === 'rest' ? { subscription_info: info } : info);
      expect(await probe({ subscription_url: pub.url, authentication_method: 'BASIC', password: 'VMware1!' })).toEqual({ status: 'SUCCESS', error_messages: [] });
      expect(await probe({ subscription_url: pub.url })).toMatchObject({ status: 'INVALID_CREDENTIALS' });
      expect(await probe({ subscription_url: `${http.base}/cls/vcsp/lib/nope/lib.json` })).toMatchObject({ status: 'RESOURCE_NOT_FOUND' });
      expect(await probe({ subscription_url: 'not a url' })).toMatchObject({ status: 'INVALID_URL' });
      const sub = await subscribe({
        name: `secret-sub-${flavour}`,
        storage_backings: backing(),
        subscription_info: { subscription_url: pub.url, authentication_method: 'BASIC', user_name: 'vcsp', password: 'VMware1!' },
      });
      expect((await c().ok('GET', c().at('content/subscribed-library', sub))).subscription_info).not.toHaveProperty('password');
    });

    it('refuses bad subscriptions and writes into subscribed libraries, changing nothing', async () => {
      const pub = await publisher(`strict-pub-${flavour}`, Buffer.from('x'), { authentication_method: 'BASIC', password: 'pw' });
      const sub = await subscribe({ name: `strict-sub-${flavour}`, storage_backings: backing(), subscription_info: { subscription_url: pub.url, authentication_method: 'BASIC', password: 'pw', on_demand: false } });
      const [mirror] = await items(sub);
      const before = snapshotOf(sim);
      const create = (info: unknown) => c().error('POST', c().at('content/subscribed-library'), c().wrap('create_spec', { name: 'never', storage_backings: backing(), subscription_info: info }));
      expect(await create({ subscription_url: pub.url })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(await create({ subscription_url: 'https://elsewhere.example/cls/vcsp/lib/x/lib.json' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(await create({})).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(await c().error('POST', c().at('content/library/item'), c().wrap('create_spec', { library_id: sub, name: 'mine' }))).toMatchObject({ status: 400, type: 'INVALID_ELEMENT_TYPE' });
      expect(await c().error('DELETE', c().at('content/library/item', mirror))).toMatchObject({ status: 400, type: 'INVALID_ELEMENT_TYPE' });
      expect(await c().error('POST', c().at('content/library/item/update-session'), c().wrap('create_spec', { library_item_id: mirror }))).toMatchObject({ type: 'INVALID_ELEMENT_TYPE' });
      // Not on demand: nothing to evict.
      expect(await c().error('POST', c().path('content/library/subscribed-item', 'content/library/subscribed-item', mirror, 'evict'))).toMatchObject({ status: 400, type: 'NOT_ALLOWED_IN_CURRENT_STATE' });
      // The wrong kind of library for the path.
      expect(await c().error('GET', c().at('content/local-library', sub))).toMatchObject({ status: 404, type: 'NOT_FOUND' });
      expect(await c().error('POST', c().at('content/subscribed-library', pub.id, 'sync'))).toMatchObject({ status: 404, type: 'NOT_FOUND' });
      expect(await c().error('POST', c().path('content/library/subscribed-item', 'content/library/subscribed-item', pub.item, 'sync'), { force_sync_content: true })).toMatchObject({ status: 404 });
      expect(await c().error('POST', c().path('content/library/subscribed-item', 'content/library/subscribed-item', mirror, 'sync'), {})).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      // A subscribed library is not published, a local one has no subscription.
      expect(await c().error('PATCH', c().at('content/subscribed-library', sub), c().wrap('update_spec', { publish_info: { published: true } }))).toMatchObject({ type: 'INVALID_ARGUMENT' });
      expect(await c().error('PATCH', c().at('content/local-library', pub.id), c().wrap('update_spec', { name: 'renamed', subscription_info: { on_demand: true } }))).toMatchObject({ type: 'INVALID_ARGUMENT' });
      expect(snapshotOf(sim)).toBe(before);
      // Unpublished, the publisher can no longer be synced from.
      await c().ok('PATCH', c().at('content/local-library', pub.id), c().wrap('update_spec', { publish_info: { published: false } }));
      expect((await c().ok('GET', c().at('content/library', pub.id))).publish_info).not.toHaveProperty('publish_url');
      expect(await c().error('POST', c().at('content/subscribed-library', sub, 'sync'))).toMatchObject({ status: 400, type: 'NOT_ALLOWED_IN_CURRENT_STATE' });
    });

    async function storageOf(item: string): Promise<any[]> {
      return flavour === 'api' ? c().ok('GET', `/api/content/library/item/${item}/storage`) : c().ok('GET', `/rest/com/vmware/content/library/item/storage?library_item_id=${item}`);
    }

    async function download(item: string, file: string): Promise<Buffer> {
      const session = await c().createDownloadSession(item);
      const prepared = await c().ok('POST', c().downloadFiles(session, 'prepare'), { file_name: file });
      return (await transfer('GET', prepared.download_endpoint.uri, c().token)).body;
    }
  });

  it('makes subscriptions of a published library in /api: a new subscribed library or an existing one', async () => {
    const c = clients.api;
    const pub = await c.createLibrary({ name: 'subs-pub', storage_backings: backing(), publish_info: { published: true } });
    await c.createItem({ library_id: pub, name: 'one', type: 'iso' });
    const spec = (extra: Record<string, unknown>) => ({ subscribed_library: { location: 'LOCAL', ...extra } });
    const created = await c.raw('POST', `/api/content/library/subscriptions?library=${pub}`, spec({
      target: 'CREATE_NEW',
      new_subscribed_library: { name: 'subs-new', storage_backings: backing(), automatic_sync_enabled: false, on_demand: true },
    }));
    expect(created.status).toBe(201);
    const [summary] = await c.ok('GET', `/api/content/library/subscriptions?library=${pub}`);
    expect(summary).toMatchObject({ subscription: created.json, subscribed_library_name: 'subs-new' });
    expect(await c.ok('GET', `/api/content/library/subscriptions/${created.json}?library=${pub}`)).toEqual({ subscribed_library: summary.subscribed_library, subscribed_library_name: 'subs-new', subscribed_library_location: 'LOCAL' });
    const library = await c.ok('GET', c.at('content/subscribed-library', summary.subscribed_library));
    expect(library.subscription_info.subscription_url).toBe(`${http.base}/cls/vcsp/lib/${pub}/lib.json`);
    expect(await items(c, summary.subscribed_library)).toHaveLength(1);

    const before = snapshotOf(sim);
    const create = (body: unknown, library = pub) => c.error('POST', `/api/content/library/subscriptions?library=${library}`, body);
    expect(await create(spec({ target: 'CREATE_NEW' }))).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await create(spec({ target: 'USE_EXISTING', subscribed_library: pub }))).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    expect(await create(spec({ target: 'USE_EXISTING', location: 'REMOTE', subscribed_library: summary.subscribed_library }))).toMatchObject({ status: 400, type: 'UNSUPPORTED' });
    expect(await create(spec({ target: 'SOMETIMES' }))).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
    expect(await c.error('GET', `/api/content/library/subscriptions/nope?library=${pub}`)).toMatchObject({ status: 404 });
    expect(await c.error('POST', `/api/content/local-library/${pub}?action=publish`, { subscriptions: [{ subscription: 'nope' }] })).toMatchObject({ status: 404 });
    expect(snapshotOf(sim)).toBe(before);

    await c.createItem({ library_id: pub, name: 'two', type: 'iso' });
    await c.ok('POST', `/api/content/local-library/${pub}?action=publish`, { subscriptions: [{ subscription: created.json }] });
    expect(await items(c, summary.subscribed_library)).toHaveLength(2);
    await c.ok('DELETE', `/api/content/library/subscriptions/${created.json}?library=${pub}`);
    expect(await c.ok('GET', `/api/content/library/subscriptions?library=${pub}`)).toEqual([]);
    // The subscribed library stays.
    expect(await c.ok('GET', c.at('content/subscribed-library', summary.subscribed_library))).toMatchObject({ name: 'subs-new' });
  });

  const items = (c: Content, library: string) => c.ok('GET', `/api/content/library/item?library_id=${library}`);

  it('keeps subscriptions in world snapshots and state files', async () => {
    const c = clients.api;
    const pub = await c.createLibrary({ name: 'kept-pub', storage_backings: backing(), publish_info: { published: true } });
    const { id } = sim.state.snapshot('published');
    const url = (await c.ok('GET', c.at('content/library', pub))).publish_info.publish_url;
    const sub = await c.ok('POST', '/api/content/subscribed-library', { name: 'kept-sub', storage_backings: backing(), subscription_info: { subscription_url: url, on_demand: true } });
    const saved = JSON.parse(JSON.stringify(sim.state.save()));
    expect(sim.state.restore(id)).toBe(true);
    expect(await c.error('GET', c.at('content/subscribed-library', sub))).toMatchObject({ status: 404 });
    sim.state.load(saved);
    expect(await c.ok('GET', c.at('content/subscribed-library', sub))).toMatchObject({ type: 'SUBSCRIBED', subscription_info: { subscription_url: url, on_demand: true } });
    expect((await c.ok('GET', c.at('content/library', pub))).publish_info).toMatchObject({ published: true, publish_url: url });
  });
});
