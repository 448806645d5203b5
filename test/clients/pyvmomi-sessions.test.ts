/**
 * pyvmomi (Debian python3-pyvmomi 6.7.1) with sessions as its login flows use them, an extension's
 * certificate login among them: test/clients/pyvmomi/sessions.py.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { createSimulator } from '../../simulator/index.js';
import { selfSigned } from '../../simulator/tls.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pyvmomiStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pyvmomiStatus());
const users = [{ username: 'admin', password: 'admin-pw' }, { username: 'viewer', password: 'viewer-pw' }];
const ADMIN = 'VSPHERE.LOCAL\\admin';
const VIEWER = 'VSPHERE.LOCAL\\viewer';

describe.skipIf(!available)('pyvmomi: sessions, as its login flows use them', () => {
  it('lists and terminates sessions under Sessions.TerminateSession; an extension logs in with its certificate and impersonates a user; the events', async () => {
    const sim = await createSimulator({ topology: { ...topologyFromFlags({}), users } });
    const dir = mkdtempSync(join(tmpdir(), 'vcenter-sim-pyvmomi-sessions-'));
    try {
      const { cert, key } = selfSigned('com.example.pyvmomi');
      writeFileSync(join(dir, 'cert.pem'), cert);
      writeFileSync(join(dir, 'key.pem'), key);
      const args = ['--url', sim.url, '--user', 'viewer', '--password', 'viewer-pw', '--principal', VIEWER, '--admin-user', 'admin', '--admin-password', 'admin-pw', '--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem')];
      const out = jsonResult(await runProcess(systemPython, [join(clientsDir, 'pyvmomi', 'sessions.py'), ...args], { env: pythonEnv(), timeoutMs: 120_000 }));
      expect(out).toEqual({
        listed: [[ADMIN, '127.0.0.1', true, true, false], [VIEWER, '127.0.0.1', true, true, false]],
        viewerList: 'NoPermission', viewerOwn: VIEWER, viewerTerminates: 'NoPermission',
        activeBefore: true, activeAfter: false, viewerAfter: 'NotAuthenticated', badPassword: 'InvalidLogin',
        extension: ['com.example.pyvmomi', true], impersonated: VIEWER, impersonatedList: 'NoPermission',
        events: ['BadUsernameSessionEvent', 'PermissionUpdatedEvent', 'SessionTerminatedEvent', 'UserLoginSessionEvent'],
        terminated: [VIEWER],
        loggedIn: [ADMIN, VIEWER, 'com.example.pyvmomi'],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await sim.close();
    }
  }, 180_000);
});
