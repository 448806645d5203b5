/**
 * Content library transfers over real HTTPS, in both flavours: update sessions (file add with an
 * upload endpoint, PUT of the bytes, complete, fail, cancel, keep-alive, delete), the item's files
 * afterwards, download sessions (prepare, file list and get, GET of the bytes), and the refusals:
 * no session token, unknown sessions and files, a file not received, absurd sizes.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../models/rest/content-library.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from '../clients/inventory.js';
import { Content, snapshotOf, transfer, type Flavour } from './rest-content-support.js';
import { RestTestClient } from './rest-support.js';

/** Bytes that are not valid UTF-8, so any text decoding on the way would show. */
const payload = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x41, 0x0a, 0xc3, 0x28, ...Buffer.from('content library bytes')]);
const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');

describe('REST content library: transfers', () => {
  let sim: Simulator;
  let http: RestTestClient;
  const clients = {} as Record<Flavour, Content>;
  const libraries = {} as Record<Flavour, string>;

  beforeAll(async () => {
    // Sessions outlive the day the clock test moves ahead (they age by the simulator clock).
    sim = await createSimulator({ sessionIdleTimeoutMs: 7 * 86_400_000 });
    http = new RestTestClient(sim);
    const datastore = named(sim, 'Datastore', 'LocalDS_0').self.value;
    for (const flavour of ['api', 'rest'] as const) {
      const c = (clients[flavour] = new Content(http, flavour, await http.login('user', 'pass', flavour)));
      libraries[flavour] = await c.createLibrary({ name: `transfers-${flavour}`, storage_backings: [{ type: 'DATASTORE', datastore_id: datastore }] });
    }
  });
  afterAll(async () => {
    http.close();
    await sim.close();
  });

  const snapshot = () => snapshotOf(sim);

  describe.each(['api', 'rest'] as const)('%s', (flavour) => {
    const c = () => clients[flavour];
    const sessionPath = (id?: string, action?: string) => c().at('content/library/item/update-session', id, action);
    const newItem = (name: string) => c().createItem({ library_id: libraries[flavour], name });

    it('uploads a file through an update session and downloads it through a download session', async () => {
      const item = await newItem('disk-image');
      const session = await c().createUpdateSession(item);
      expect(await c().ok('GET', sessionPath())).toContain(session);
      const info = await c().ok('GET', sessionPath(session));
      expect(info).toMatchObject({ id: session, library_item_id: item, state: 'ACTIVE', client_progress: 0, library_item_content_version: '1' });
      expect(Date.parse(info.expiration_time)).toBeGreaterThan(Date.now());

      const file = await c().addFile(session, { name: 'image.bin', source_type: 'PUSH', size: payload.length });
      expect(file).toMatchObject({ name: 'image.bin', source_type: 'PUSH', status: 'WAITING_FOR_TRANSFER', bytes_transferred: 0 });
      const uri = new URL(file.upload_endpoint.uri);
      expect(uri.origin).toBe(new URL(sim.url).origin);
      expect(uri.pathname).toBe(`/cls-data/${session}/image.bin`);

      // The bytes go only with a session token.
      expect((await transfer('PUT', file.upload_endpoint.uri, undefined, payload)).status).toBe(401);
      // Bytes stay bytes whatever the content type says.
      expect((await transfer('PUT', file.upload_endpoint.uri, c().token, payload, { 'content-type': 'text/plain; charset=utf-8' })).status).toBe(200);
      const listPath = flavour === 'api' ? c().updateFiles(session) : `/rest/com/vmware/content/library/item/updatesession/file?update_session_id=${session}`;
      const files = await c().ok('GET', listPath);
      expect(files).toEqual([expect.objectContaining({ name: 'image.bin', status: 'READY', bytes_transferred: payload.length, size: payload.length })]);
      const one =
        flavour === 'api'
          ? await c().ok('GET', `${c().updateFiles(session)}/image.bin`)
          : await c().ok('POST', c().updateFiles(session, 'get'), { file_name: 'image.bin' });
      expect(one).toMatchObject({ name: 'image.bin', status: 'READY' });
      expect((await c().ok('POST', c().updateFiles(session, 'validate'))).missing_files).toEqual([]);

      await c().ok('POST', sessionPath(session, 'keep-alive'));
      await c().ok('POST', sessionPath(session, 'complete'));
      expect(await c().ok('GET', sessionPath(session))).toMatchObject({ state: 'DONE' });
      // The item has the file now.
      expect(await c().itemFiles(item)).toEqual([
        { name: 'image.bin', size: payload.length, version: '1', cached: true, checksum_info: { algorithm: 'SHA1', checksum: sha1(payload) } },
      ]);
      expect(await c().ok('GET', c().at('content/library/item', item))).toMatchObject({ size: payload.length, content_version: '2' });
      const single =
        flavour === 'api'
          ? await c().ok('GET', `/api/content/library/item/${item}/file/image.bin`)
          : await c().ok('POST', c().path('', 'content/library/item/file', item, 'get'), { name: 'image.bin' });
      expect(single).toMatchObject({ name: 'image.bin', size: payload.length });
      await c().ok('DELETE', sessionPath(session));
      expect(await c().ok('GET', sessionPath())).not.toContain(session);

      // Download.
      const download = await c().createDownloadSession(item);
      const downloadPath = (action?: string) => c().at('content/library/item/download-session', download, action);
      expect(await c().ok('GET', downloadPath())).toMatchObject({ id: download, library_item_id: item, state: 'ACTIVE' });
      expect(await c().ok('GET', c().at('content/library/item/download-session'))).toContain(download);
      const listDownload = flavour === 'api' ? c().downloadFiles(download) : `/rest/com/vmware/content/library/item/downloadsession/file?download_session_id=${download}`;
      expect(await c().ok('GET', listDownload)).toEqual([expect.objectContaining({ name: 'image.bin', status: 'UNPREPARED', size: payload.length })]);
      const prepared = await c().ok('POST', c().downloadFiles(download, 'prepare'), { file_name: 'image.bin' });
      expect(prepared).toMatchObject({ name: 'image.bin', status: 'PREPARED' });
      const got = await transfer('GET', prepared.download_endpoint.uri, c().token);
      expect(got.status).toBe(200);
      expect(got.body.equals(payload)).toBe(true);
      expect((await transfer('GET', prepared.download_endpoint.uri, undefined)).status).toBe(401);
      const fileInfo =
        flavour === 'api'
          ? await c().ok('GET', `${c().downloadFiles(download)}/image.bin`)
          : await c().ok('POST', c().downloadFiles(download, 'get'), { file_name: 'image.bin' });
      expect(fileInfo).toMatchObject({ status: 'PREPARED', bytes_transferred: payload.length });
      await c().ok('POST', downloadPath('keep-alive'));
      await c().ok('POST', downloadPath('cancel'));
      expect(await c().ok('GET', downloadPath())).toMatchObject({ state: 'CANCELED' });
      expect((await transfer('GET', prepared.download_endpoint.uri, c().token)).status).toBe(400);
      await c().ok('DELETE', downloadPath());
      expect(await c().error('GET', downloadPath())).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    });

    it('replaces a file of the same name and keeps the others; names need no care', async () => {
      const item = await newItem('two-files');
      await c().upload(item, 'a.txt', Buffer.from('first'));
      await c().upload(item, 'disk 1 (copy)#2.vmdk', Buffer.from('bee'));
      await c().upload(item, 'a.txt', Buffer.from('second!'));
      const files = await c().itemFiles(item);
      expect(files.map((f: any) => [f.name, f.size])).toEqual([
        ['disk 1 (copy)#2.vmdk', 3],
        ['a.txt', 7],
      ]);
      expect(await c().ok('GET', c().at('content/library/item', item))).toMatchObject({ size: 10, content_version: '4' });
      expect(sim.vc.contentLibrary.fileBytes(item, 'disk 1 (copy)#2.vmdk').toString()).toBe('bee');
    });

    it('fails, cancels, and allows one active session per item', async () => {
      const item = await newItem('sessions');
      const failed = await c().createUpdateSession(item);
      expect(await c().error('POST', sessionPath(), c().wrap('create_spec', { library_item_id: item }))).toMatchObject({ status: 400, type: 'RESOURCE_BUSY' });
      const file = await c().addFile(failed, { name: 'x.bin', source_type: 'PUSH' });
      expect((await transfer('PUT', file.upload_endpoint.uri, c().token, payload)).status).toBe(200);
      await c().ok('POST', sessionPath(failed, 'fail'), { client_error_message: 'disk full on the client' });
      const info = await c().ok('GET', sessionPath(failed));
      expect(info).toMatchObject({ state: 'ERROR', error_message: { default_message: 'disk full on the client' } });
      // Ended sessions take no more calls.
      expect(await c().error('POST', sessionPath(failed, 'complete'))).toMatchObject({ status: 400, type: 'NOT_ALLOWED_IN_CURRENT_STATE' });
      expect((await transfer('PUT', file.upload_endpoint.uri, c().token, payload)).status).toBe(400);

      const canceled = await c().createUpdateSession(item);
      await c().addFile(canceled, { name: 'y.bin', source_type: 'PUSH' });
      await c().ok('POST', sessionPath(canceled, 'cancel'));
      expect(await c().ok('GET', sessionPath(canceled))).toMatchObject({ state: 'CANCELED' });
      expect(await c().itemFiles(item)).toEqual([]);
      expect(await c().ok('GET', c().at('content/library/item', item))).toMatchObject({ size: 0, content_version: '1' });
    });

    it('refuses bad transfers, changing nothing', async () => {
      const item = await newItem('refusals');
      const session = await c().createUpdateSession(item);
      const file = await c().addFile(session, { name: 'wanted.bin', source_type: 'PUSH' });
      const before = snapshot();
      // Completing before the bytes arrived.
      const early = await c().error('POST', sessionPath(session, 'complete'));
      expect(early).toMatchObject({ status: 400, type: 'NOT_ALLOWED_IN_CURRENT_STATE' });
      expect(early.message).toContain('wanted.bin');
      expect((await c().ok('POST', c().updateFiles(session, 'validate'))).missing_files).toEqual(['wanted.bin']);
      // Unknown sessions, files and items.
      expect(await c().error('GET', sessionPath('no-such-session'))).toMatchObject({ status: 404, type: 'NOT_FOUND' });
      expect(await c().error('POST', sessionPath(), c().wrap('create_spec', { library_item_id: 'no-such-item' }))).toMatchObject({ status: 404 });
      expect(await c().error('POST', c().updateFiles('no-such-session', 'add'), c().wrap('file_spec', { name: 'a', source_type: 'PUSH' }))).toMatchObject({ status: 404 });
      const base = new URL(file.upload_endpoint.uri);
      const put = (path: string, body = payload, headers?: Record<string, string>) => transfer('PUT', `${base.origin}${path}`, c().token, body, headers);
      const unknown = await put(`/cls-data/no-such-session/wanted.bin`);
      expect(unknown.status).toBe(404);
      expect(JSON.parse(unknown.body.toString()).error_type).toBe('NOT_FOUND');
      expect((await put(`/cls-data/${session}/not-added.bin`)).status).toBe(404);
      // Bad specs name the field.
      const badSpec = await c().error('POST', c().updateFiles(session, 'add'), c().wrap('file_spec', { name: 'a', source_type: 'CARRIER_PIGEON' }));
      expect(badSpec).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(badSpec.message).toContain(flavour === 'rest' ? "'file_spec.source_type'" : "'source_type'");
      // Sizes the simulator will not hold in memory: declared in the spec, or sent.
      const huge = await c().error('POST', c().updateFiles(session, 'add'), c().wrap('file_spec', { name: 'huge.iso', source_type: 'PUSH', size: 2 ** 40 }));
      expect(huge).toMatchObject({ status: 400, type: 'UNABLE_TO_ALLOCATE_RESOURCE' });
      expect(await c().error('POST', c().updateFiles(session, 'add'), c().wrap('file_spec', { name: 'pulled', source_type: 'PULL', source_endpoint: { uri: 'https://example.com/x' } }))).toMatchObject({
        type: 'UNSUPPORTED',
      });
      expect(snapshot()).toBe(before);
    });
  });

  it('puts transfers through the fault rules and into the journal', async () => {
    const c = clients.api;
    const item = await c.createItem({ library_id: libraries.api, name: 'drilled' });
    const session = await c.createUpdateSession(item);
    const file = await c.addFile(session, { name: 'flaky.bin', source_type: 'PUSH' });
    sim.journal.clear();
    sim.faults.add({ match: { api: 'rest', path: '/cls-data/*' }, action: { kind: 'http', status: 503, retryAfter: 1 }, times: 1 });
    expect((await transfer('PUT', file.upload_endpoint.uri, c.token, payload)).status).toBe(503);
    expect(await c.ok('GET', `${c.updateFiles(session)}/flaky.bin`)).toMatchObject({ status: 'WAITING_FOR_TRANSFER' });
    expect((await transfer('PUT', file.upload_endpoint.uri, c.token, payload)).status).toBe(200);
    const puts = sim.journal.entries({ method: 'PUT /cls-data/*' });
    expect(puts.map((entry) => [entry.outcome, entry.status, entry.user, entry.path])).toEqual([
      ['http', 503, 'user', `/cls-data/${session}/flaky.bin`],
      ['ok', 200, 'user', `/cls-data/${session}/flaky.bin`],
    ]);
    sim.faults.clear();
  });

  it('dates sessions and items by the simulator clock', async () => {
    const c = clients.rest;
    sim.actions.clockAdvance({ seconds: 86_400 });
    const item = await c.createItem({ library_id: libraries.rest, name: 'tomorrow' });
    const session = await c.createUpdateSession(item);
    const dayAhead = Date.now() + 86_000_000;
    expect(Date.parse((await c.ok('GET', c.at('content/library/item', item))).creation_time)).toBeGreaterThan(dayAhead);
    expect(Date.parse((await c.ok('GET', c.at('content/library/item/update-session', session))).expiration_time)).toBeGreaterThan(dayAhead);
  });

  it('takes an upload that has no content type', async () => {
    const c = clients.rest;
    const item = await c.createItem({ library_id: libraries.rest, name: 'untyped' });
    const session = await c.createUpdateSession(item);
    const file = await c.addFile(session, { name: 'raw.bin', source_type: 'PUSH' });
    expect((await transfer('PUT', file.upload_endpoint.uri, c.token, payload, { 'content-type': '' })).status).toBe(200);
    await c.ok('POST', c.at('content/library/item/update-session', session, 'complete'));
    expect(await c.itemFiles(item)).toEqual([expect.objectContaining({ name: 'raw.bin', size: payload.length })]);
    expect(sim.vc.contentLibrary.fileBytes(item, 'raw.bin').equals(payload)).toBe(true);
  });

  it('refuses an upload larger than a file may be, keeping none of it', async () => {
    const c = clients.api;
    const item = await c.createItem({ library_id: libraries.api, name: 'oversized' });
    const session = await c.createUpdateSession(item);
    const file = await c.addFile(session, { name: 'big.bin', source_type: 'PUSH' });
    const reply = await transfer('PUT', file.upload_endpoint.uri, c.token, Buffer.alloc(MAX_FILE_BYTES + 1));
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body.toString()).error_type).toBe('UNABLE_TO_ALLOCATE_RESOURCE');
    expect(await c.ok('GET', `${c.updateFiles(session)}/big.bin`)).toMatchObject({ status: 'WAITING_FOR_TRANSFER', bytes_transferred: 0 });
  });
});
