/**
 * govmomi's vapi/library client (Debian golang-github-vmware-govmomi-dev 0.24.2) against
 * vcenter-sim's content library publishing and subscriptions, in the `/rest` form it speaks: a
 * published library's publish URL, a subscribed library on demand (CreateLibrary SUBSCRIBED),
 * SyncLibraryItem, a download of the synced item, SyncLibrary, PublishLibrary, the refusal of an
 * item created in the subscriber, DeleteLibrary. The client is test/clients/govmomi/libsync/main.go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from './inventory.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi vapi/library subscriptions', () => {
  let binary: string;
  let sim: Simulator;

  beforeAll(async () => {
    [binary, sim] = await Promise.all([buildGoProgram('libsync'), createSimulator({ listen: '127.0.0.1:0' })]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('publishes, subscribes on demand, syncs an item and the library, publishes and deletes', async () => {
    const datastore = named(sim, 'Datastore', 'LocalDS_0').self.value;
    const args = ['-url', sim.url, '-user', sim.username, '-password', sim.password, '-datastore', datastore];
    const out = jsonResult(await runProcess(binary, args, { timeoutMs: 60_000 }));

    const base = sim.url.replace(/\/sdk$/, '');
    expect(out.publishURL).toMatch(new RegExp(`^${base}/cls/vcsp/lib/[0-9a-f-]{36}/lib\\.json$`));
    expect(out.published).toBe(true);
    expect(out.subscriber).toEqual({ type: 'SUBSCRIBED', url: out.publishURL, onDemand: true, synced: true });
    expect(out.mirror).toMatchObject({ name: 'photon', cached: false, size: 16 });
    expect(out.syncedCached).toBe(true);
    expect(out.downloaded).toBe('photon iso bytes');
    expect([out.beforeSync, out.afterSync, out.afterPublish]).toEqual([1, 2, 3]);
    expect(out.refused).toMatch(/400.*invalid_element_type/);
    expect(out.left).toHaveLength(1);
    expect(sim.vc.contentLibrary.listLibraries()).toEqual(out.left);
  });
});
