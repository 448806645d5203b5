/**
 * The REST adapter itself: unknown routes and actions, request-level failures, and (through a
 * route table of test operations on a bare fastify app) body parsing and validation, action
 * dispatch, status codes per flavour, maps, and the mapping of thrown errors, in both forms.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { faults } from '../../models/core/fault.js';
import { MoRef } from '../../models/core/moref.js';
import { VCenter } from '../../models/vcenter.js';
import { createSimulator, topologyFromFlags, type Simulator } from '../../simulator/index.js';
import { createRestPlugin, defineRoute, VapiMap, vapiErrors, type RestRoute } from '../../simulator/rest/index.js';
import { basic, RestTestClient } from './rest-support.js';

describe('REST protocol on the simulator', () => {
  let sim: Simulator;
  let rest: RestTestClient;
  let token: string;

  beforeAll(async () => {
    sim = await createSimulator({ bodyLimit: 4096 });
    rest = new RestTestClient(sim);
    token = await rest.login();
  });
  afterAll(async () => {
    rest.close();
    await sim.close();
  });

  it('an unknown path is a 404 not_found in the vAPI form of its prefix', async () => {
    const api = await rest.get('/api/vcenter/nothing-here', token);
    expect(api.status).toBe(404);
    expect(api.headers['content-type']).toMatch(/^application\/json/);
    expect(api.json).toEqual({ error_type: 'NOT_FOUND', messages: [{ id: 'com.vmware.vapi.rest.httpNotFound', default_message: 'Not found.', args: [] }] });
    const legacy = await rest.get('/rest/com/vmware/nothing', token);
    expect(legacy.status).toBe(404);
    expect(legacy.json).toEqual({ type: 'com.vmware.vapi.std.errors.not_found', value: { error_type: 'NOT_FOUND', messages: api.json.messages } });
  });

  it('a known path with a method it does not serve is a 404 too', async () => {
    const reply = await rest.send('PUT', '/api/vcenter/vm', { token });
    expect(reply.status).toBe(404);
    expect(reply.json.error_type).toBe('NOT_FOUND');
  });

  it('an unknown action is a 404 naming the action', async () => {
    const api = await rest.send('POST', '/api/session?action=frobnicate', { token });
    expect(api.status).toBe(404);
    expect(api.json.messages[0].args).toEqual(['frobnicate']);
    const legacy = await rest.send('POST', '/rest/com/vmware/cis/session?~action=frobnicate', { token });
    expect(legacy.status).toBe(404);
    expect(legacy.json.type).toBe('com.vmware.vapi.std.errors.not_found');
  });

  it('a body over the size limit is refused in vAPI form with its HTTP status', async () => {
    const reply = await rest.send('POST', '/api/session', { headers: { authorization: basic('user', 'pass') }, body: 'x'.repeat(8192) });
    expect(reply.status).toBe(413);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.json.error_type).toBe('INVALID_REQUEST');
  });

  it('leaves SOAP and other paths alone', async () => {
    const reply = await rest.get('/apis/vcenter/vm', token);
    expect(reply.status).toBe(404);
    expect(reply.json?.error_type).toBeUndefined();
  });
});

// ------------------------------------------------------------------------------------------------

const itemSpec = z.object({ name: z.string().min(1), size: z.number().int().optional(), tags: z.array(z.string()).optional() });

const testRoutes: RestRoute[] = [
  defineRoute({ method: 'POST', path: '/test/items', auth: 'none', body: itemSpec, restBodyKey: 'spec', created: true, handle: ({ body }) => `item-${body.name}` }),
  defineRoute({ method: 'POST', path: '/test/items', action: 'check', auth: 'none', handle: () => ({ ok: true }) }),
  defineRoute({ method: 'DELETE', path: '/test/items/:item', auth: 'none', handle: ({ params }) => void deleted.push(params.item!) }),
  defineRoute({ method: 'GET', path: '/test/map', auth: 'none', handle: () => new VapiMap([['a', { n: 1 }], ['b', { n: 2 }]]) }),
  defineRoute({ method: 'GET', path: '/test/mine', handle: ({ session }) => session!.userName }),
  defineRoute({ method: 'GET', path: '/test/fault', auth: 'none', handle: () => { throw faults.managedObjectNotFound(new MoRef('VirtualMachine', 'vm-1')); } }),
  defineRoute({ method: 'GET', path: '/test/conflict', auth: 'none', handle: () => { throw vapiErrors.tooManyMatches('vm', 'virtual machines'); } }),
  defineRoute({ method: 'GET', path: '/test/bug', auth: 'none', handle: () => { throw new Error('secret internals'); } }),
  defineRoute({ method: 'GET', path: { rest: '/legacy/only' }, auth: 'none', handle: () => 'legacy' }),
];
const deleted: string[] = [];

describe('REST adapter with a test route table', () => {
  let vc: VCenter;
  let app: FastifyInstance;

  const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, body?: string, headers: Record<string, string> = {}) => {
    const reply = await app.inject({ method, url, payload: body, headers });
    return { status: reply.statusCode, headers: reply.headers, text: reply.body, json: reply.body ? JSON.parse(reply.body) : undefined };
  };

  beforeAll(async () => {
    vc = new VCenter({ topology: topologyFromFlags({}) });
    // The same body handling as the simulator's app: every body arrives as text.
    app = Fastify();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    await app.register(createRestPlugin(vc, testRoutes));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('passes a valid body to the handler: 201 in /api, 200 and the value wrapping in /rest (body under its key)', async () => {
    const api = await call('POST', '/api/test/items', JSON.stringify({ name: 'disk', size: 3 }), { 'content-type': 'application/json' });
    expect(api.status).toBe(201);
    expect(api.headers['content-type']).toMatch(/^application\/json/);
    expect(api.json).toBe('item-disk');
    const legacy = await call('POST', '/rest/test/items', JSON.stringify({ spec: { name: 'disk' } }));
    expect(legacy.status).toBe(200);
    expect(legacy.json).toEqual({ value: 'item-disk' });
  });

  it('bad JSON is a 400 invalid_argument in both forms', async () => {
    const api = await call('POST', '/api/test/items', '{"name": ', { 'content-type': 'application/json' });
    expect(api.status).toBe(400);
    expect(api.json.error_type).toBe('INVALID_ARGUMENT');
    expect(api.json.messages[0].default_message).toMatch(/JSON/);
    const legacy = await call('POST', '/rest/test/items', 'nope');
    expect(legacy.status).toBe(400);
    expect(legacy.json.type).toBe('com.vmware.vapi.std.errors.invalid_argument');
  });

  it('a body that fails its schema is a 400 naming the field as the client spelled it', async () => {
    const cases: [string, string, string][] = [
      ['/api/test/items', JSON.stringify({ size: 1 }), 'name'],
      ['/api/test/items', JSON.stringify({ name: 'x', size: 1.5 }), 'size'],
      ['/api/test/items', JSON.stringify({ name: 'x', tags: ['a', 7] }), 'tags.1'],
      ['/api/test/items', '', 'body'],
      ['/rest/test/items', JSON.stringify({ spec: { name: '' } }), 'spec.name'],
      ['/rest/test/items', JSON.stringify({ name: 'x' }), 'spec'],
    ];
    for (const [url, body, field] of cases) {
      const reply = await call('POST', url, body);
      expect(reply.status, `${url} ${body}`).toBe(400);
      const messages = url.startsWith('/api') ? reply.json.messages : reply.json.value.messages;
      expect(messages[0].args[0], `${url} ${body}`).toBe(field);
      expect(messages[0].default_message).toContain(`'${field}'`);
    }
  });

  it('dispatches on the action: ?action= in /api, ?~action= in /rest', async () => {
    expect((await call('POST', '/api/test/items?action=check')).json).toEqual({ ok: true });
    expect((await call('POST', '/rest/test/items?~action=check')).json).toEqual({ value: { ok: true } });
    // Each flavour reads only its own spelling.
    expect((await call('POST', '/rest/test/items?action=check', '{}')).status).toBe(400);
  });

  it('a void result is 204 in /api and an empty 200 in /rest; /rest drops the id: prefix of identifiers', async () => {
    const api = await call('DELETE', '/api/test/items/abc');
    expect(api.status).toBe(204);
    expect(api.text).toBe('');
    const legacy = await call('DELETE', '/rest/test/items/id:def');
    expect(legacy.status).toBe(200);
    expect(legacy.text).toBe('');
    expect(deleted).toEqual(['abc', 'def']);
  });

  it('writes a map as an object in /api and as key/value pairs in /rest', async () => {
    expect((await call('GET', '/api/test/map')).json).toEqual({ a: { n: 1 }, b: { n: 2 } });
    expect((await call('GET', '/rest/test/map')).json).toEqual({ value: [{ key: 'a', value: { n: 1 } }, { key: 'b', value: { n: 2 } }] });
  });

  it('requires a session unless a route says otherwise', async () => {
    expect((await call('GET', '/api/test/mine')).status).toBe(401);
    vc.sessionManager.Login({ vc }, { userName: 'zoe', password: 'pw' });
    const key = vc.sessionManager.read('sessionList', { vc }) as { key: string; userName: string }[];
    const zoe = key.find((s) => s.userName === 'zoe')!.key;
    expect((await call('GET', '/api/test/mine', undefined, { 'vmware-api-session-id': zoe })).json).toBe('zoe');
  });

  it('maps a vSphere fault to its vAPI error, and vAPI errors to their statuses', async () => {
    const fault = await call('GET', '/api/test/fault');
    expect(fault.status).toBe(404);
    expect(fault.json.error_type).toBe('NOT_FOUND');
    const tooMany = await call('GET', '/rest/test/conflict');
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.type).toBe('com.vmware.vapi.std.errors.unable_to_allocate_resource');
  });

  it('a bug is a 500 error with no internals in the body', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      for (const url of ['/api/test/bug', '/rest/test/bug']) {
        const reply = await call('GET', url);
        expect(reply.status).toBe(500);
        expect(reply.headers['content-type']).toMatch(/^application\/json/);
        expect(reply.text).not.toContain('secret internals');
        expect(reply.text).not.toMatch(/\bat \S+:\d+/);
      }
      expect((await call('GET', '/api/test/bug')).json).toEqual({ error_type: 'ERROR', messages: [expect.objectContaining({ default_message: 'Internal error.' })] });
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('serves a flavour-specific path only under its own prefix', async () => {
    expect((await call('GET', '/rest/legacy/only')).json).toEqual({ value: 'legacy' });
    expect((await call('GET', '/api/legacy/only')).status).toBe(404);
  });

  it('refuses two routes for one method, path and action', async () => {
    const twice = Fastify();
    const route = defineRoute({ method: 'GET', path: '/x', auth: 'none', handle: () => 1 });
    await expect(twice.register(createRestPlugin(vc, [route, route])).ready()).rejects.toThrow(/duplicate REST route/);
    await twice.close();
  });
});
