/**
 * govmomi's vapi/rest client (Debian golang-github-vmware-govmomi-dev 0.24.2, GOPATH mode) with
 * OAuth 2.0 bearer tokens from vcenter-sim's token service: test/clients/govmomi/oauth/main.go,
 * built once for this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthSchema, topologyFromFlags } from '../../models/inventory/topology.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { at, objectsOfType } from './inventory.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

const client = { id: 'automation', secret: 'c/s+cret=' };
const topology = {
  ...topologyFromFlags({}),
  users: [
    { username: 'alice', password: 'a-pass' },
    { username: 'svc-automation', password: 'not-used-here' },
  ],
  oauth: oauthSchema.parse({ accessTokenLifetime: 300, clients: [{ ...client, user: 'svc-automation' }] }),
};

describe.skipIf(!available)('govmomi vapi/rest with OAuth bearer tokens', () => {
  let binary: string;
  let sim: Simulator;

  const run = async (scenario: string, extra: string[] = []) =>
    jsonResult(await runProcess(binary, ['-url', sim.url, '-user', 'alice', '-password', 'a-pass', '-client', client.id, '-secret', client.secret, ...extra, scenario], { timeoutMs: 60_000 }));
  /** A client_credentials token, fetched here rather than by the program (so the test can age or break it first). */
  const accessToken = async (): Promise<string> => {
    const issued = await sim.vc.oauth.token(sim.vc.oauth.authenticateClient(client.id, client.secret), { grant_type: 'client_credentials' }, 'https://test');
    return issued.access_token;
  };

  beforeAll(async () => {
    [binary, sim] = await Promise.all([buildGoProgram('oauth'), createSimulator({ topology })]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('gets a client_credentials token and calls /api and the tags manager with it; logs in with it to a session', async () => {
    const out = await run('bearer');
    expect(out).toMatchObject({ tokenType: 'Bearer', expiresIn: 300, hasRefresh: false, categories: 0, tokenIsSession: false });
    expect([...out.vms].sort()).toEqual(objectsOfType(sim, 'VirtualMachine').map((vm) => at(vm, 'name')).sort());
    expect(out.sessionUser).toBe('VSPHERE.LOCAL\\svc-automation');
    expect(out.vmsBySession).toBe(out.vms.length);
    const users = new Set(sim.journal.entries().filter((e) => e.method === 'GET /api/vcenter/vm').map((e) => e.user));
    expect(users).toEqual(new Set(['VSPHERE.LOCAL\\svc-automation']));
  });

  it('refreshes with rotation, is refused the replayed refresh token, and loses access once the token is revoked', async () => {
    const out = await run('refresh');
    expect(out).toMatchObject({ rotated: true, replayStatus: 400, replayError: 'invalid_grant', before: objectsOfType(sim, 'VirtualMachine').length, revokeStatus: 200 });
    expect(out.afterRevoke).toMatch(/401 Unauthorized/);
  });

  it('is refused (401) with an expired or a tampered token, on calls and on login', async () => {
    const expired = await accessToken();
    const tampered = (await accessToken()).slice(0, -3) + 'AAA';
    sim.actions.clockAdvance({ seconds: 301 });
    for (const token of [expired, tampered, 'not-a-jwt']) {
      const out = await run('refused', ['-token', token]);
      expect(out.listError, token).toMatch(/401 Unauthorized/);
      expect(out.loginError, token).toMatch(/401 Unauthorized/);
    }
  });
});
