/** The control API's credentials, and its OpenAPI document. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionsFrom, parseArgs } from '../../simulator/cli-options.js';
import { createSimulator, topologyFromFlags, type Simulator } from '../../simulator/index.js';
import { basic, control, http } from '../support/control.js';

describe('control API credentials', () => {
  let open: Simulator;
  let strict: Simulator;
  let withToken: Simulator;

  beforeAll(async () => {
    [open, strict, withToken] = await Promise.all([
      createSimulator(),
      createSimulator({ username: 'admin@vsphere.local', password: 'S3cret!' }),
      createSimulator({ controlToken: 'tok-123' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([open?.close(), strict?.close(), withToken?.close()]);
  });

  it('answers 401 in JSON, with a Basic challenge, when no credentials are sent', async () => {
    for (const [method, path] of [['GET', '/faults'], ['POST', '/faults'], ['DELETE', '/faults'], ['GET', '/faults/rule-1'], ['GET', '/journal'], ['DELETE', '/journal']]) {
      const reply = await control(open, null).call(method!, path!, method === 'POST' ? { action: { kind: 'reset' } } : undefined);
      expect(reply.status, `${method} ${path}`).toBe(401);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(reply.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(reply.json).toEqual({ error: 'unauthenticated', message: expect.any(String) });
    }
    expect(open.faults.list()).toEqual([]); // the refused POST added nothing
  });

  it('while SOAP login is open, takes only the credentials the simulator reports (user / pass)', async () => {
    expect(open.vc.directory.open).toBe(true);
    expect((await control(open).get('/faults')).status).toBe(200);
    expect((await control(open, basic('someone', 'anything')).get('/faults')).status).toBe(401);
    expect((await control(open, basic('user', 'wrong')).get('/faults')).status).toBe(401);
    expect((await control(open, basic('user', '')).get('/faults')).status).toBe(401);
  });

  it('with -username/-password, takes exactly those', async () => {
    expect((await control(strict, basic('admin@vsphere.local', 'S3cret!')).get('/faults')).status).toBe(200);
    expect((await control(strict, basic('admin@vsphere.local', 'wrong')).get('/faults')).status).toBe(401);
    expect((await control(strict, basic('user', 'pass')).get('/faults')).status).toBe(401);
  });

  it('with the first topology user when the topology declares users', async () => {
    const sim = await createSimulator({ topology: { ...topologyFromFlags({}), users: [{ username: 'ops', password: 'o-pass' }] } });
    try {
      expect((await control(sim, basic('ops', 'o-pass')).get('/journal')).status).toBe(200);
      expect((await control(sim, basic('user', 'pass')).get('/journal')).status).toBe(401);
    } finally {
      await sim.close();
    }
  });

  it('takes a Bearer token only when one is set, and only that one', async () => {
    expect((await control(withToken, 'Bearer tok-123').get('/faults')).status).toBe(200);
    expect((await control(withToken, 'bearer tok-123').get('/faults')).status).toBe(200);
    expect((await control(withToken, 'Bearer tok-124').get('/faults')).status).toBe(401);
    expect((await control(withToken, 'Bearer ').get('/faults')).status).toBe(401);
    expect((await control(withToken).get('/faults')).status).toBe(200); // Basic still works
    const refused = await control(withToken, 'Bearer nope').get('/faults');
    expect(refused.headers['www-authenticate']).toMatch(/Bearer/);
    expect((await control(open, 'Bearer tok-123').get('/faults')).status).toBe(401);
    expect((await control(open, 'Bearer ').get('/faults')).status).toBe(401);
  });

  it('takes --control-token (and --journal-size) on the command line', () => {
    expect(optionsFrom(parseArgs(['--control-token', 'abc'])).controlToken).toBe('abc');
    expect(optionsFrom(parseArgs(['-control-token=abc'])).controlToken).toBe('abc');
    expect(optionsFrom(parseArgs([])).controlToken).toBeUndefined();
    expect(optionsFrom(parseArgs(['--journal-size', '50'])).journalSize).toBe(50);
  });

  it('refuses malformed Authorization headers', async () => {
    for (const header of ['Basic', 'Basic !!!', 'Digest abc', 'user:pass', basic('user', 'pass').replace('Basic', 'Basic  ') + 'x']) {
      expect((await control(open, header).get('/faults')).status, header).toBe(401);
    }
  });
});

const publicPaths = ['/_sim/openapi.json', '/_sim/health', '/_sim/ready'];

describe('health and readiness', () => {
  it('answer without credentials, on the SDK port and the control port, and are public in the document', async () => {
    const sim = await createSimulator({ controlToken: 't', username: 'admin', password: 'secret', controlPort: 0 });
    try {
      for (const base of [sim.url.replace(/\/sdk$/, '/_sim'), sim.controlUrl]) {
        const health = await http(`${base}/health`);
        expect(health.status).toBe(200);
        expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
        const ready = await http(`${base}/ready`);
        expect(ready.status).toBe(200);
        expect(JSON.parse(ready.text)).toEqual({ status: 'ready', objects: sim.vc.registry.size });
      }
      const doc = JSON.parse((await http(`${sim.controlUrl}/openapi.json`)).text);
      for (const path of publicPaths) expect(doc.paths[path].get.security, path).toEqual([]);
      expect((await http(`${sim.controlUrl}/faults`)).status).toBe(401); // the rest still needs credentials
    } finally {
      await sim.close();
    }
  });
});

describe('control API OpenAPI document', () => {
  let sim: Simulator;
  let doc: any;

  beforeAll(async () => {
    sim = await createSimulator({ controlToken: 't' });
    const reply = await http(`${sim.controlUrl}/openapi.json`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    doc = JSON.parse(reply.text);
  });
  afterAll(async () => {
    await sim?.close();
  });

  const served = [
    'GET /_sim/openapi.json',
    'GET /_sim/health',
    'GET /_sim/ready',
    'POST /_sim/faults',
    'GET /_sim/faults',
    'DELETE /_sim/faults',
    'GET /_sim/faults/{id}',
    'DELETE /_sim/faults/{id}',
    'GET /_sim/journal',
    'DELETE /_sim/journal',
    'GET /_sim/journal/stream',
    'GET /_sim/coverage',
    'POST /_sim/actions/sessions-expire',
    'POST /_sim/actions/host-disconnect',
    'POST /_sim/actions/host-reconnect',
    'POST /_sim/actions/datastore-fill',
    'POST /_sim/actions/host-fail',
    'POST /_sim/actions/vm-guest',
    'POST /_sim/actions/clock-advance',
    'GET /metrics',
    'POST /_sim/reset',
    'POST /_sim/snapshots',
    'GET /_sim/snapshots',
    'POST /_sim/snapshots/{id}/restore',
    'DELETE /_sim/snapshots/{id}',
    'GET /_sim/state',
    'PUT /_sim/state',
  ];

  it('is OpenAPI 3.1 with both security schemes, and is public (it describes, it does not control)', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toEqual(expect.any(String));
    expect(doc.info.version).toEqual(expect.any(String));
    expect(doc.components.securitySchemes).toEqual({ basic: { type: 'http', scheme: 'basic' }, bearer: { type: 'http', scheme: 'bearer' } });
    expect(doc.security).toEqual([{ basic: [] }, { bearer: [] }]);
    expect(doc.paths['/_sim/openapi.json'].get.security).toEqual([]);
  });

  it('lists every route, and every route it lists is served', async () => {
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${path}`));
    expect(listed.sort()).toEqual([...served].sort());
    for (const route of served) {
      const [method, path] = route.split(' ') as [string, string];
      expect(sim.app.hasRoute({ method: method as 'GET', url: path.replace('{id}', ':id') }), route).toBe(true);
    }
  });

  it('describes each operation: unique operationIds, responses, 401 on the protected ones, parameters for {id}', () => {
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        expect(op.operationId, `${method} ${path}`).toEqual(expect.any(String));
        expect(ids.has(op.operationId)).toBe(false);
        ids.add(op.operationId);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        if (!publicPaths.includes(path)) expect(op.responses['401'], `${method} ${path}`).toBeDefined();
        if (path.includes('{id}')) expect(op.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
      }
    }
    expect(doc.paths['/_sim/journal'].get.parameters.map((p: any) => p.name).sort()).toEqual(['api', 'limit', 'method', 'moid', 'outcome', 'since', 'user']);
  });

  it('resolves every $ref, and the rule schema is the one the routes validate with', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) key === '$ref' ? refs.push(value as string) : walk(value);
      }
    };
    walk(doc.paths);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.split('/').pop()!], ref).toBeDefined();
    }
    const rule = doc.components.schemas.FaultRule;
    expect(rule.required).toEqual(['action']);
    expect(rule.additionalProperties).toBe(false);
    expect(Object.keys(rule.properties).sort()).toEqual(['action', 'from', 'match', 'name', 'probability', 'seed', 'skip', 'times', 'unless', 'until']);
    const kinds = rule.properties.action.oneOf.map((a: any) => a.properties.kind.const).sort();
    expect(kinds).toEqual(['delay', 'fault', 'hang', 'http', 'reset', 'taskDelay', 'taskError']);
    expect(Object.keys(rule.properties.match.properties).sort()).toEqual(['api', 'entityName', 'method', 'moid', 'path', 'trace', 'type', 'user']);
    expect(Object.keys(rule.properties.unless.properties).sort()).toEqual(['api', 'entityName', 'method', 'moid', 'path', 'trace', 'type', 'user']);
    expect(doc.paths['/_sim/faults'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/FaultRule' });
  });
});
