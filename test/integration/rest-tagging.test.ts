/**
 * The cis tagging service over real HTTPS, in both flavours: `/api/cis/tagging/*` (`?action=`,
 * bare JSON, specs sent whole) and `/rest/com/vmware/cis/tagging/*` (`?~action=`, `{"value":...}`,
 * `create_spec`/`update_spec` wrappers, `id:` path ids). Cardinality, name uniqueness, cascade
 * delete, vAPI errors naming the bad field, and a destroyed VM losing its associations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import type { ResourcePool } from '../../models/cluster/resource-pool.js';
import { createSimulator, topologyFromFlags, type Simulator } from '../../simulator/index.js';
import { RestTestClient, type RestReply } from './rest-support.js';

type Flavour = 'api' | 'rest';

/** One flavour's spelling of the tagging calls, answering the unwrapped result. */
class Tagging {
  constructor(
    private readonly http: RestTestClient,
    readonly flavour: Flavour,
    private readonly token: string,
  ) {}

  private path(resource: string, id?: string, action?: string): string {
    const base = this.flavour === 'api' ? `/api/cis/tagging/${resource}` : `/rest/com/vmware/cis/tagging/${resource}`;
    const withId = id === undefined ? base : `${base}/${this.flavour === 'rest' ? 'id:' : ''}${encodeURIComponent(id)}`;
    return action === undefined ? withId : `${withId}?${this.flavour === 'api' ? 'action' : '~action'}=${action}`;
  }

  async raw(method: string, resource: string, id?: string, action?: string, body?: unknown): Promise<RestReply> {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    return this.http.send(method, this.path(resource, id, action), { token: this.token, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  /** The call's result; fails the test on an error status. */
  async ok(method: string, resource: string, id?: string, action?: string, body?: unknown): Promise<any> {
    const reply = await this.raw(method, resource, id, action, body);
    if (reply.status >= 300) throw new Error(`${method} ${resource} ${action ?? ''}: ${reply.status} ${reply.text}`);
    if (reply.text === '') return undefined;
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    return this.flavour === 'rest' ? reply.json.value : reply.json;
  }

  /** The error type of a failed call, in either flavour's form. */
  async error(method: string, resource: string, id?: string, action?: string, body?: unknown): Promise<{ status: number; type: string; message: string }> {
    const reply = await this.raw(method, resource, id, action, body);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    if (this.flavour === 'api') return { status: reply.status, type: reply.json.error_type, message: reply.json.messages[0].default_message };
    expect(reply.json.type).toBe(`com.vmware.vapi.std.errors.${reply.json.value.error_type.toLowerCase()}`);
    return { status: reply.status, type: reply.json.value.error_type, message: reply.json.value.messages[0].default_message };
  }

  createCategory(spec: Record<string, unknown>): Promise<string> {
    return this.ok('POST', 'category', undefined, undefined, this.flavour === 'rest' ? { create_spec: spec } : spec);
  }

  createTag(spec: Record<string, unknown>): Promise<string> {
    return this.ok('POST', 'tag', undefined, undefined, this.flavour === 'rest' ? { create_spec: spec } : spec);
  }

  update(resource: 'category' | 'tag', id: string, spec: Record<string, unknown>) {
    return this.raw('PATCH', resource, id, undefined, this.flavour === 'rest' ? { update_spec: spec } : spec);
  }
}

describe('REST tagging', () => {
  let sim: Simulator;
  let http: RestTestClient;
  const clients = {} as Record<Flavour, Tagging>;
  let vms: string[];
  let hostIds: string[];

  beforeAll(async () => {
    // 4 VMs per host and pool: each flavour tags VMs of its own.
    sim = await createSimulator({ topology: topologyFromFlags({ vm: 4 }) });
    http = new RestTestClient(sim);
    for (const flavour of ['api', 'rest'] as const) clients[flavour] = new Tagging(http, flavour, await http.login('user', 'pass', flavour));
    vms = sim.vc.registry.ofType('VirtualMachine').map((vm) => vm.self.value);
    hostIds = sim.vc.registry.ofType('HostSystem').map((host) => host.self.value);
  });
  afterAll(async () => {
    http.close();
    await sim.close();
  });

  describe.each(['api', 'rest'] as const)('%s', (flavour) => {
    const vmOf = (i: number) => ({ type: 'VirtualMachine', id: vms[flavour === 'api' ? i : i + 4]! });
    let t: Tagging;
    beforeAll(() => {
      t = clients[flavour];
    });

    it('creates, lists, reads, updates and deletes categories', async () => {
      const spec = { name: `${flavour}-cat`, description: 'd', cardinality: 'SINGLE', associable_types: ['VirtualMachine'] };
      const created = await t.raw('POST', 'category', undefined, undefined, flavour === 'rest' ? { create_spec: spec } : spec);
      expect(created.status).toBe(flavour === 'api' ? 201 : 200);
      const id = flavour === 'api' ? created.json : created.json.value;
      expect(id).toMatch(/^urn:vmomi:InventoryServiceCategory:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:GLOBAL$/);
      expect(await t.ok('GET', 'category')).toContain(id);
      expect(await t.ok('GET', 'category', id)).toEqual({ id, ...spec, used_by: [] });

      const updated = await t.update('category', id, { description: 'changed', cardinality: 'MULTIPLE', associable_types: ['VirtualMachine', 'HostSystem'] });
      expect(updated.status).toBe(flavour === 'api' ? 204 : 200);
      expect(updated.text).toBe('');
      expect(await t.ok('GET', 'category', id)).toMatchObject({ description: 'changed', cardinality: 'MULTIPLE', associable_types: ['VirtualMachine', 'HostSystem'] });
      // Cardinality only widens; associable types are only added to.
      expect(await t.error('PATCH', 'category', id, undefined, flavour === 'rest' ? { update_spec: { cardinality: 'SINGLE' } } : { cardinality: 'SINGLE' })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect((await t.update('category', id, { associable_types: ['HostSystem'] })).status).toBe(400);

      await t.ok('POST', 'category', id, 'add-to-used-by', { used_by_entity: 'svc-a' });
      await t.ok('POST', 'category', id, 'add-to-used-by', { used_by_entity: 'svc-b' });
      await t.ok('POST', 'category', id, 'remove-from-used-by', { used_by_entity: 'svc-a' });
      expect((await t.ok('GET', 'category', id)).used_by).toEqual(['svc-b']);

      const deleted = await t.raw('DELETE', 'category', id);
      expect(deleted.status).toBe(flavour === 'api' ? 204 : 200);
      expect(await t.ok('GET', 'category')).not.toContain(id);
      expect(await t.error('GET', 'category', id)).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    });

    it('refuses a second category of the same name, and a bad spec naming the field', async () => {
      const spec = { name: `${flavour}-unique`, description: '', cardinality: 'MULTIPLE', associable_types: [] };
      await t.createCategory(spec);
      const body = flavour === 'rest' ? { create_spec: spec } : spec;
      expect(await t.error('POST', 'category', undefined, undefined, body)).toMatchObject({ status: 400, type: 'ALREADY_EXISTS' });

      const bad = { ...spec, name: 'x', cardinality: 'SOMETIMES' };
      const error = await t.error('POST', 'category', undefined, undefined, flavour === 'rest' ? { create_spec: bad } : bad);
      expect(error).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(error.message).toContain(flavour === 'rest' ? "'create_spec.cardinality'" : "'cardinality'");
      const noName = await t.error('POST', 'tag', undefined, undefined, flavour === 'rest' ? { create_spec: { description: '' } } : { description: '' });
      expect(noName.message).toContain(flavour === 'rest' ? "'create_spec.name'" : "'name'");
    });

    it('creates, lists, reads, updates and deletes tags; names unique within a category', async () => {
      const cat = await t.createCategory({ name: `${flavour}-tags`, description: '', cardinality: 'MULTIPLE', associable_types: [] });
      const other = await t.createCategory({ name: `${flavour}-tags-2`, description: '', cardinality: 'MULTIPLE', associable_types: [] });
      const a = await t.createTag({ name: 'a', description: 'first', category_id: cat });
      expect(a).toMatch(/^urn:vmomi:InventoryServiceTag:[0-9a-f-]{36}:GLOBAL$/);
      const b = await t.createTag({ name: 'b', description: '', category_id: cat });
      const sameNameElsewhere = await t.createTag({ name: 'a', description: '', category_id: other });
      const dup = { name: 'a', description: '', category_id: cat };
      expect(await t.error('POST', 'tag', undefined, undefined, flavour === 'rest' ? { create_spec: dup } : dup)).toMatchObject({ status: 400, type: 'ALREADY_EXISTS' });
      const orphan = { name: 'z', description: '', category_id: 'urn:vmomi:InventoryServiceCategory:nope:GLOBAL' };
      expect(await t.error('POST', 'tag', undefined, undefined, flavour === 'rest' ? { create_spec: orphan } : orphan)).toMatchObject({ status: 404, type: 'NOT_FOUND' });

      expect(await t.ok('GET', 'tag')).toEqual(expect.arrayContaining([a, b, sameNameElsewhere]));
      expect(await t.ok('GET', 'tag', a)).toEqual({ id: a, category_id: cat, name: 'a', description: 'first', used_by: [] });
      expect(await t.ok('POST', 'tag', undefined, 'list-tags-for-category', { category_id: cat })).toEqual([a, b]);
      if (flavour === 'rest') expect(await t.ok('POST', 'tag', cat, 'list-tags-for-category', { category_id: cat })).toEqual([a, b]);

      expect((await t.update('tag', a, { name: 'b' })).status).toBe(400);
      expect((await t.update('tag', a, { name: 'renamed', description: 'new' })).status).toBe(flavour === 'api' ? 204 : 200);
      expect(await t.ok('GET', 'tag', a)).toMatchObject({ name: 'renamed', description: 'new' });
      await t.ok('POST', 'tag', a, 'add-to-used-by', { used_by_entity: 'me' });
      expect((await t.ok('GET', 'tag', a)).used_by).toEqual(['me']);
      await t.ok('POST', 'tag', a, 'remove-from-used-by', { used_by_entity: 'me' });
      expect((await t.ok('GET', 'tag', a)).used_by).toEqual([]);

      await t.ok('DELETE', 'tag', b);
      expect(await t.error('GET', 'tag', b)).toMatchObject({ status: 404, type: 'NOT_FOUND' });
      expect(await t.ok('POST', 'tag', undefined, 'list-tags-for-category', { category_id: cat })).toEqual([a]);
    });

    it('attaches, lists and detaches, one and many; SINGLE cardinality; unknown objects are not_found', async () => {
      const single = await t.createCategory({ name: `${flavour}-single`, description: '', cardinality: 'SINGLE', associable_types: ['VirtualMachine'] });
      const multi = await t.createCategory({ name: `${flavour}-multi`, description: '', cardinality: 'MULTIPLE', associable_types: [] });
      const s1 = await t.createTag({ name: 's1', description: '', category_id: single });
      const s2 = await t.createTag({ name: 's2', description: '', category_id: single });
      const m1 = await t.createTag({ name: 'm1', description: '', category_id: multi });
      const m2 = await t.createTag({ name: 'm2', description: '', category_id: multi });
      const vm = vmOf(0);
      const host = { type: 'HostSystem', id: hostIds[flavour === 'api' ? 0 : 1]! };

      await t.ok('POST', 'tag-association', s1, 'attach', { object_id: vm });
      await t.ok('POST', 'tag-association', s1, 'attach', { object_id: vm }); // already attached: a no-op
      expect(await t.error('POST', 'tag-association', s2, 'attach', { object_id: vm })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      // The single category only takes VMs.
      expect(await t.error('POST', 'tag-association', s1, 'attach', { object_id: host })).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(await t.error('POST', 'tag-association', m1, 'attach', { object_id: { type: 'VirtualMachine', id: 'vm-404' } })).toMatchObject({ status: 404, type: 'NOT_FOUND' });
      expect(await t.error('POST', 'tag-association', m1, 'attach', { object_id: { type: 'HostSystem', id: vm.id } })).toMatchObject({ status: 404 });
      const badObject = await t.error('POST', 'tag-association', m1, 'attach', { object_id: { type: 'VirtualMachine' } });
      expect(badObject).toMatchObject({ status: 400, type: 'INVALID_ARGUMENT' });
      expect(badObject.message).toContain("'object_id.id'");

      const batch = await t.ok('POST', 'tag-association', undefined, 'attach-multiple-tags-to-object', { object_id: vm, tag_ids: [m1, m2] });
      expect(batch).toEqual({ success: true, error_messages: [] });
      const partial = await t.ok('POST', 'tag-association', undefined, 'attach-multiple-tags-to-object', { object_id: vm, tag_ids: [s2, 'urn:vmomi:InventoryServiceTag:nope:GLOBAL'] });
      expect(partial.success).toBe(false);
      expect(partial.error_messages).toHaveLength(2);
      expect(await t.error('POST', 'tag-association', undefined, 'attach-multiple-tags-to-object', { object_id: { type: 'VirtualMachine', id: 'vm-404' }, tag_ids: [m1] })).toMatchObject({ status: 404 });

      expect(await t.ok('POST', 'tag-association', undefined, 'list-attached-tags', { object_id: vm })).toEqual([s1, m1, m2]);
      await t.ok('POST', 'tag-association', m1, 'attach', { object_id: host });
      expect(await t.ok('POST', 'tag-association', m1, 'list-attached-objects')).toEqual([vm, host]);
      expect(await t.ok('POST', 'tag-association', undefined, 'list-attached-tags-on-objects', { object_ids: [vm, host] })).toEqual([
        { object_id: vm, tag_ids: [s1, m1, m2] },
        { object_id: host, tag_ids: [m1] },
      ]);
      expect(await t.ok('POST', 'tag-association', undefined, 'list-attached-objects-on-tags', { tag_ids: [m1, s2, 'urn:vmomi:InventoryServiceTag:nope:GLOBAL'] })).toEqual([
        { tag_id: m1, object_ids: [vm, host] },
        { tag_id: s2, object_ids: [] },
      ]);

      const other = vmOf(1);
      expect(await t.ok('POST', 'tag-association', m2, 'attach-tag-to-multiple-objects', { object_ids: [other, host] })).toEqual({ success: true, error_messages: [] });
      expect(await t.ok('POST', 'tag-association', m2, 'list-attached-objects')).toEqual([vm, other, host]);
      expect(await t.ok('POST', 'tag-association', m2, 'detach-tag-from-multiple-objects', { object_ids: [other, host] })).toEqual({ success: true, error_messages: [] });

      await t.ok('POST', 'tag-association', s1, 'detach', { object_id: vm });
      await t.ok('POST', 'tag-association', s1, 'detach', { object_id: vm }); // not attached: a no-op
      await t.ok('POST', 'tag-association', s2, 'attach', { object_id: vm }); // the single slot is free again
      expect(await t.ok('POST', 'tag-association', undefined, 'detach-multiple-tags-from-object', { object_id: vm, tag_ids: [m1, m2, s2] })).toEqual({ success: true, error_messages: [] });
      expect(await t.ok('POST', 'tag-association', undefined, 'list-attached-tags', { object_id: vm })).toEqual([]);
      expect(await t.error('POST', 'tag-association', 'urn:vmomi:InventoryServiceTag:nope:GLOBAL', 'list-attached-objects')).toMatchObject({ status: 404 });
    });

    it('deleting a category deletes its tags and their associations', async () => {
      const cat = await t.createCategory({ name: `${flavour}-cascade`, description: '', cardinality: 'MULTIPLE', associable_types: [] });
      const keep = await t.createCategory({ name: `${flavour}-keep`, description: '', cardinality: 'MULTIPLE', associable_types: [] });
      const doomed = await t.createTag({ name: 'doomed', description: '', category_id: cat });
      const kept = await t.createTag({ name: 'kept', description: '', category_id: keep });
      const vm = vmOf(2);
      await t.ok('POST', 'tag-association', undefined, 'attach-multiple-tags-to-object', { object_id: vm, tag_ids: [doomed, kept] });
      await t.ok('DELETE', 'category', cat);
      expect(await t.error('GET', 'tag', doomed)).toMatchObject({ status: 404 });
      expect(await t.ok('GET', 'tag')).not.toContain(doomed);
      expect(await t.ok('POST', 'tag-association', undefined, 'list-attached-tags', { object_id: vm })).toEqual([kept]);
      expect(await t.error('DELETE', 'category', cat)).toMatchObject({ status: 404, type: 'NOT_FOUND' });
    });

    it('needs a session', async () => {
      const reply = await http.send('GET', flavour === 'api' ? '/api/cis/tagging/category' : '/rest/com/vmware/cis/tagging/category');
      expect(reply.status).toBe(401);
    });
  });

  it('a VM destroyed over SOAP loses its tag associations', async () => {
    const t = clients.api;
    const cat = await t.createCategory({ name: 'destroy', description: '', cardinality: 'MULTIPLE', associable_types: [] });
    const tag = await t.createTag({ name: 'gone', description: '', category_id: cat });
    const vm = { type: 'VirtualMachine', id: vms[7]! };
    await t.ok('POST', 'tag-association', tag, 'attach', { object_id: vm });

    const soap = new SoapClient({ url: sim.url });
    try {
      await soap.login('user', 'pass');
      await soap.call('PowerOffVM_Task', { type: 'VirtualMachine', value: vm.id });
      await until(() => (sim.vc.registry.byId(vm.id) as any)?.runtime.powerState === 'poweredOff');
      await soap.call('Destroy_Task', { type: 'VirtualMachine', value: vm.id });
      await until(() => sim.vc.registry.byId(vm.id) === undefined);
    } finally {
      soap.close();
    }
    expect(await t.ok('POST', 'tag-association', tag, 'list-attached-objects')).toEqual([]);
    expect(await t.ok('POST', 'tag-association', undefined, 'list-attached-tags', { object_id: vm })).toEqual([]);
    expect(await clients.rest.ok('POST', 'tag-association', tag, 'list-attached-objects')).toEqual([]);
  });

  it('a resource pool destroyed loses its tag associations', async () => {
    const t = clients.api;
    const cat = await t.createCategory({ name: 'pools', description: '', cardinality: 'MULTIPLE', associable_types: [] });
    const tag = await t.createTag({ name: 'pool-tag', description: '', category_id: cat });
    const ctx = { vc: sim.vc };
    const parent = sim.vc.registry.byId('resgroup-22') as ResourcePool;
    const allocation = { reservation: 0, expandableReservation: true, limit: -1, shares: { level: 'normal', shares: 4000 } };
    const pool = parent.CreateResourcePool(ctx, { name: 'tagged-pool', spec: { cpuAllocation: allocation, memoryAllocation: allocation } as never });
    const object_id = { type: 'ResourcePool', id: pool.value };
    await t.ok('POST', 'tag-association', tag, 'attach', { object_id });
    expect(await t.ok('POST', 'tag-association', tag, 'list-attached-objects')).toEqual([object_id]);
    (sim.vc.registry.byId(pool.value) as ResourcePool).Destroy_Task(ctx);
    await until(() => sim.vc.registry.byId(pool.value) === undefined);
    expect(await t.ok('POST', 'tag-association', tag, 'list-attached-objects')).toEqual([]);
  });

  it('gives the same ids for the same seed and calls', async () => {
    const ids = async () => {
      const other = await createSimulator({ seed: 7 });
      try {
        const c = other.vc.tagging.createCategory({ name: 'c', description: '', cardinality: 'SINGLE', associable_types: [] });
        return [c, other.vc.tagging.createTag({ name: 't', description: '', category_id: c })];
      } finally {
        await other.close();
      }
    };
    expect(await ids()).toEqual(await ids());
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
