/**
 * SSO as govmomi (Debian 0.24.2) uses it: the lookup service finds the STS, the sts client gets
 * bearer and holder-of-key tokens, session.Manager.LoginByToken and vapi/rest's LoginByToken log
 * in with them (test/clients/govmomi/sso).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi: SSO tokens from the STS, login by token on /sdk and /api', () => {
  let program: string;
  let sim: Simulator;
  const alice = { username: 'alice@vsphere.local', password: 'Alice-pw1' };
  const run = async (scenario: string, user = alice) =>
    jsonResult(await runProcess(program, ['-url', sim.url, '-user', user.username, '-password', user.password, scenario], { timeoutMs: 120_000 }));

  beforeAll(async () => {
    const topology = { ...topologyFromFlags({}), users: [{ ...alice, groups: ['Operators'] }] };
    [program, sim] = await Promise.all([buildGoProgram('sso'), createSimulator({ topology })]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('finds the STS through the lookup service at the address the simulator listens on', async () => {
    const out = await run('lookup');
    const sts = sim.url.replace(/\/sdk$/, '/sts/STSService/vsphere.local');
    expect(out).toEqual({ site: 'vcsim', stsUrls: [sts], vcenter: 1, vcenterUrl: sim.url, stsClientUrl: sts });
  });

  it('gets a bearer token and logs in with it as the token subject; a wrong password or a tampered token is refused', async () => {
    const out = await run('bearer');
    expect(out).toMatchObject({ user: 'VSPHERE.LOCAL\\alice', lifetime: 300, tamperedFault: 'InvalidLogin' });
    expect(out.wrongPass).toMatch(/FailedAuthentication.*Invalid credentials|Invalid credentials/);
  });

  it('gets a holder-of-key token, logs in with requests signed by its key and renews it; another key or none is InvalidLogin', async () => {
    const out = await run('hok');
    expect(out).toEqual({
      user: 'VSPHERE.LOCAL\\alice',
      hok: true,
      lifetime: 3600,
      renewedUser: 'VSPHERE.LOCAL\\alice',
      renewedLife: 7200,
      stolenFault: 'InvalidLogin',
      unsignedFault: 'InvalidLogin',
    });
  });

  it('logs in to REST with bearer and holder-of-key tokens (Authorization: SIGN); a tampered or stolen token is 401', async () => {
    const out = await run('rest');
    expect(out).toMatchObject({ bearerUser: 'VSPHERE.LOCAL\\alice', hokUser: 'VSPHERE.LOCAL\\alice' });
    expect(out.tampered).toMatch(/401 Unauthorized/);
    expect(out.stolen).toMatch(/401 Unauthorized/);
  });

  it('records the token logins as UserLoginSessionEvents of the token subject', async () => {
    const logins = sim.vc.events.QueryEvents({ vc: sim.vc }, { filter: { eventTypeId: ['UserLoginSessionEvent'] } }).map((e) => e.userName);
    expect(logins).toContain('VSPHERE.LOCAL\\alice');
  });
});
