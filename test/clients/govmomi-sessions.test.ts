/**
 * The SessionManager as govc's session.* commands and vCenter extensions use it, through govmomi
 * (Debian 0.24.2): test/clients/govmomi/sessions. Users are configured: `admin` holds every
 * privilege, `viewer` is made read-only by the program itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { startTunnel, withTunnelPort, type Tunnel } from '../../simulator/tunnel.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());
const users = [{ username: 'admin', password: 'admin-pw' }, { username: 'viewer', password: 'viewer-pw' }];
const ADMIN = 'VSPHERE.LOCAL\\admin';
const VIEWER = 'VSPHERE.LOCAL\\viewer';

describe.skipIf(!available)('govmomi: sessions, as govc session.* and extensions use them', () => {
  let program: string;
  let sim: Simulator;
  let tunnel: Tunnel;
  const run = async (scenario: string, url = sim.url) =>
    jsonResult(await runProcess(program, ['-url', url, '-user', 'viewer', '-password', 'viewer-pw', '-principal', VIEWER, '-admin-user', 'admin', '-admin-password', 'admin-pw', scenario], { timeoutMs: 120_000 }));

  beforeAll(async () => {
    [program, sim] = await Promise.all([buildGoProgram('sessions'), createSimulator({ topology: { ...topologyFromFlags({}), users } })]);
    tunnel = await startTunnel(sim.url, 0);
  }, 300_000);
  afterAll(async () => {
    tunnel?.close();
    await sim?.close();
  });

  it('session.ls lists sessions for a user with Sessions.TerminateSession, only its own for one without; session.rm; login failures; their events', async () => {
    const out = await run('sessions');
    expect(out.listed).toEqual([
      [ADMIN, '127.0.0.1', true, true, false],
      [VIEWER, '127.0.0.1', true, true, false],
    ]);
    expect(out).toMatchObject({
      viewerList: 'NoPermission', viewerOwn: VIEWER, viewerTerminates: 'NoPermission',
      terminateSelf: 'InvalidArgument', terminateUnknown: 'NotFound', terminate: '', viewerAfter: 'NotAuthenticated',
      loginAgain: 'InvalidLogin', badPassword: 'InvalidLogin',
    });
    expect(out.events).toEqual([
      'A session for user VSPHERE.LOCAL\\viewer has stopped',
      'Cannot login admin@127.0.0.1',
      // Every configured user starts as Admin on the root folder: making viewer read-only changes its permission.
      'Permission changed for VSPHERE.LOCAL\\viewer on Datacenters, role is ReadOnly, propagation is Enabled',
      'User cannot logon since the user is already logged on',
    ]);
  });

  it('an extension registered with a certificate logs in with it through the SDK tunnel and impersonates a user', async () => {
    const out = await run('extension', withTunnelPort(sim.url, tunnel.port));
    expect(out).toEqual({
      beforeSetcert: 'InvalidLogin', noCertificate: 'NoClientCertificate', otherCertificate: 'InvalidLogin',
      session: ['com.example.simtest', true],
      impersonated: [VIEWER, VIEWER, true], impersonateUnknown: 'InvalidLogin', listAsViewer: 'NoPermission',
    });
    // The journal names the extension for the calls up to the impersonation, the user after it.
    const impersonation = sim.journal.entries({ method: 'ImpersonateUser' })[0]!;
    const calls = sim.journal.entries().filter((e) => e.session === impersonation.session);
    expect(calls.map((e) => `${e.method}:${e.user}`)).toEqual([
      'LoginExtensionByCertificate:com.example.simtest',
      'RetrieveProperties:com.example.simtest',
      'ImpersonateUser:com.example.simtest',
      `RetrieveProperties:${VIEWER}`,
      `ImpersonateUser:${VIEWER}`,
      `RetrieveProperties:${VIEWER}`,
    ]);
  });
});
