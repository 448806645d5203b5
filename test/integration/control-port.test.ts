/** --control-port: the control API on a port of its own; the warning when it is exposed with default credentials. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { optionsFrom, parseArgs } from '../../simulator/cli-options.js';
import { exposureWarning, isLoopback } from '../../simulator/control/control-app.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { basic, control, http } from '../support/control.js';

describe('control port', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await createSimulator({ controlPort: 0 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('serves /_sim and /metrics on its own port of the same host, behind the same credentials', async () => {
    const sdk = new URL(sim.url);
    const own = new URL(sim.controlUrl);
    expect(own.hostname).toBe(sdk.hostname);
    expect(own.port).not.toBe(sdk.port);
    expect((await control(sim).post('/faults', { match: { method: 'CurrentTime' }, action: { kind: 'delay', ms: 1 } })).status).toBe(201);
    expect(sim.faults.list()).toHaveLength(1);
    expect((await control(sim, null).get('/faults')).status).toBe(401);
    const metrics = await http(`${own.origin}/metrics`, { headers: { authorization: basic(sim.username, sim.password) } });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('vcenter_sim_inventory_objects');
    // The SDK stays on its own port; the SDK port keeps serving the control API too.
    expect((await http(`${own.origin}/sdk`, { method: 'POST', body: '<x/>' })).status).toBe(404);
    expect((await http(`${sdk.origin}/_sim/faults`, { headers: { authorization: basic(sim.username, sim.password) } })).status).toBe(200);
  });
});

describe('command line', () => {
  it('takes --control-port and --journal-file (-trace-file is vcsim\'s SOAP trace)', () => {
    const options = optionsFrom(parseArgs(['--control-port', '9090', '--journal-file', '/tmp/calls.jsonl']));
    expect(options).toMatchObject({ controlPort: 9090, journalFile: '/tmp/calls.jsonl', soapTraceFile: undefined });
    expect(optionsFrom(parseArgs(['-trace-file', '/tmp/soap.log']))).toMatchObject({ journalFile: undefined, soapTraceFile: '/tmp/soap.log' });
  });
});

describe('exposure warning', () => {
  it('is due beyond loopback with the default credentials only', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(exposureWarning('127.0.0.1', true, 'https://127.0.0.1:1/_sim')).toBeUndefined();
    expect(exposureWarning('0.0.0.0', false, 'https://0.0.0.0:1/_sim')).toBeUndefined();
    expect(exposureWarning('0.0.0.0', true, 'https://0.0.0.0:1/_sim')).toMatch(/WARNING.*0\.0\.0\.0.*default credentials/);
  });

  it('is printed on stderr when a simulator listens on all interfaces with the default credentials, not with its own', async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      const open = await createSimulator({ listen: '0.0.0.0:0' });
      await open.close();
      expect(writes.filter((w) => w.includes('WARNING'))).toHaveLength(1);
      writes.length = 0;
      const guarded = await createSimulator({ listen: '0.0.0.0:0', username: 'admin', password: 's3cret!' });
      await guarded.close();
      expect(writes.filter((w) => w.includes('WARNING'))).toHaveLength(0);
    } finally {
      spy.mockRestore();
    }
  });
});
