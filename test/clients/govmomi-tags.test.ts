/**
 * govmomi's vapi/tags client (Debian golang-github-vmware-govmomi-dev 0.24.2) against
 * vcenter-sim's tagging service, in the legacy `/rest` form it speaks. The client is
 * test/clients/govmomi/tags/main.go, built once for this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { named } from './inventory.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi vapi/tags', () => {
  let binary: string;
  let sim: Simulator;

  beforeAll(async () => {
    [binary, sim] = await Promise.all([buildGoProgram('tags'), createSimulator({ listen: '127.0.0.1:0' })]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('creates a category and tags, attaches, lists, detaches, deletes', async () => {
    const vm = named(sim, 'VirtualMachine', 'DC0_H0_VM0').self.value;
    const args = ['-url', sim.url, '-user', sim.username, '-password', sim.password, '-vm', vm];
    const out = jsonResult(await runProcess(binary, args, { timeoutMs: 60_000 }));

    expect(out.categoryId).toMatch(/^urn:vmomi:InventoryServiceCategory:[0-9a-f-]{36}:GLOBAL$/);
    expect(out.category).toEqual({
      id: out.categoryId,
      name: 'env',
      description: 'environment',
      cardinality: 'SINGLE',
      associable_types: ['VirtualMachine'],
    });
    expect(out.duplicate).toMatch(/400/);
    expect(out.tagId).toMatch(/^urn:vmomi:InventoryServiceTag:[0-9a-f-]{36}:GLOBAL$/);
    expect(out.forCategory).toEqual([out.tagId, out.otherId]);
    // SINGLE cardinality: a second tag of the category on the same VM is refused.
    expect(out.single).toMatch(/400/);
    expect(out.attachedIds).toEqual([out.tagId]);
    expect(out.attached).toEqual([{ id: out.tagId, name: 'prod', description: 'production', category_id: out.categoryId }]);
    expect(out.objects).toEqual([`VirtualMachine:${vm}`]);
    expect(out.missing).toMatch(/404/);
    expect(out.afterDetach).toEqual([]);
    expect(out.categoriesLeft).toEqual([]);
    expect(out.tagsLeft).toEqual([]);
    // The simulated world saw it all: nothing is left behind.
    expect(sim.vc.tagging.listCategories()).toEqual([]);
    expect(sim.vc.tagging.listTags()).toEqual([]);
  });
});
