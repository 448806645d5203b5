/**
 * pyvmomi (Debian python3-pyvmomi 6.7.1) logging in by SAML token (its stub's samlToken, as
 * pyVim.connect's token logins do) with tokens from the simulator's STS: test/clients/pyvmomi/saml_login.py.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { createSimulator } from '../../simulator/index.js';
import { bearerToken } from '../support/sts.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pyvmomiStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pyvmomiStatus());

describe.skipIf(!available)('pyvmomi: LoginByToken with a bearer token from the STS', () => {
  it('logs in as the token subject and works on; a tampered token is InvalidLogin', async () => {
    const alice = { username: 'alice@vsphere.local', password: 'Alice-pw1' };
    const sim = await createSimulator({ topology: { ...topologyFromFlags({}), users: [alice] } });
    const dir = mkdtempSync(join(tmpdir(), 'vcenter-sim-token-'));
    try {
      const token = await bearerToken(sim, alice.username, alice.password);
      writeFileSync(join(dir, 'token.xml'), token);
      writeFileSync(join(dir, 'bad.xml'), token.replace('alice@', 'Administrator@'));
      const script = join(clientsDir, 'pyvmomi', 'saml_login.py');
      const args = [script, '--url', sim.url, '--user', alice.username, '--password', alice.password, '--token', join(dir, 'token.xml'), '--bad-token', join(dir, 'bad.xml')];
      const out = jsonResult(await runProcess(systemPython, args, { env: pythonEnv(), timeoutMs: 120_000 }));
      expect(out).toEqual({ user: 'VSPHERE.LOCAL\\alice', time: true, datacenters: ['DC0'], bad: 'InvalidLogin' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await sim.close();
    }
  });
});
