/**
 * govmomi's vapi/rest client (Debian golang-github-vmware-govmomi-dev 0.24.2, GOPATH mode) against
 * injected HTTP answers. The client is test/clients/govmomi/chaos/main.go, built once for this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { control } from '../support/control.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi vapi/rest against injected faults', () => {
  let binary: string;
  let sim: Simulator;

  beforeAll(async () => {
    [binary, sim] = await Promise.all([buildGoProgram('chaos'), createSimulator({ listen: '127.0.0.1:0' })]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('an http 503 with Retry-After on /api/vcenter/vm reaches the client as that status and header, once', async () => {
    const created = await control(sim).post('/faults', {
      match: { api: 'rest', path: '/api/vcenter/vm' },
      action: { kind: 'http', status: 503, retryAfter: 7 },
      times: 1,
    });
    expect(created.status).toBe(201);
    const out = jsonResult(await runProcess(binary, ['-url', sim.url, '-user', sim.username, '-password', sim.password, 'rest-503'], { timeoutMs: 60_000 }));
    expect(out.firstError).toMatch(/GET .*\/api\/vcenter\/vm: 503 Service Unavailable$/);
    const lists = (out.responses as { path: string; status: number; retryAfter?: string }[]).filter((r) => r.path === '/api/vcenter/vm');
    expect(lists).toEqual([
      { path: '/api/vcenter/vm', status: 503, retryAfter: '7' },
      { path: '/api/vcenter/vm', status: 200 },
    ]);
    expect(out.vms).toBe(sim.vc.registry.ofType('VirtualMachine').length);
    expect(sim.journal.entries({ api: 'rest', method: 'GET /api/vcenter/vm' }).map((c) => [c.outcome, c.status])).toEqual([
      ['http', 503],
      ['ok', 200],
    ]);
  });
});
