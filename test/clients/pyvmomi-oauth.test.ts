/**
 * A hand-written Python REST client (urllib, with oauthlib for the OAuth 2.0 messages and PyJWT to
 * verify tokens against the JWKS; Debian packages) getting tokens from vcenter-sim's token service
 * and calling /api with them, beside pyvmomi: test/clients/pyvmomi/oauth.py.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oauthSchema, topologyFromFlags } from '../../models/inventory/topology.js';
import { createSimulator } from '../../simulator/index.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pythonModulesStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pythonModulesStatus('pyvmomi with PyJWT and oauthlib', ['pyVmomi', 'jwt', 'oauthlib']));

const client = { id: 'scripts', secret: 'sc/ri+pts=' };
const topology = {
  ...topologyFromFlags({}),
  // The first user is also the control API's: the script advances the clock with it.
  users: [
    { username: 'alice', password: 'a-pass' },
    { username: 'svc-scripts', password: 'not-used-here' },
  ],
  oauth: oauthSchema.parse({ accessTokenLifetime: 900, clients: [{ ...client, user: 'svc-scripts', scopes: ['openid', 'vcenter'] }] }),
};

describe.skipIf(!available)('Python REST client (urllib, oauthlib, PyJWT) with OAuth bearer tokens', () => {
  it('discovers the token service, verifies its tokens by the JWKS, calls /api by bearer token, exchanges one for a SAML token pyvmomi logs in with; 401 for tampered, revoked and expired ones', async () => {
    const sim = await createSimulator({ topology });
    try {
      const args = [join(clientsDir, 'pyvmomi', 'oauth.py'), '--url', sim.url, '--user', 'alice', '--password', 'a-pass', '--client', client.id, '--secret', client.secret];
      const out = jsonResult(await runProcess(systemPython, args, { env: pythonEnv(), timeoutMs: 120_000 }));
      expect(out).toMatchObject({ tokenStatus: 200, tokenType: 'Bearer', scope: ['openid', 'vcenter'], lifetime: 900 });
      expect(out.claims).toEqual({ sub: 'VSPHERE.LOCAL\\svc-scripts', client_id: 'scripts', iss: sim.url.replace(/\/sdk$/, '/acs/t/CUSTOMER') });
      expect(out.restVms).toEqual(out.soapVms);
      expect(out.restVms.length).toBe(sim.vc.registry.ofType('VirtualMachine').length);
      expect(out).toMatchObject({ sessionUser: 'VSPHERE.LOCAL\\svc-scripts', rotated: true, userSub: 'VSPHERE.LOCAL\\alice' });
      // The access token exchanged for a SAML bearer token (RFC 8693), pyvmomi logged in with it by LoginByToken.
      expect(out).toMatchObject({ exchangedType: 'urn:ietf:params:oauth:token-type:saml2', samlSessionUser: 'VSPHERE.LOCAL\\svc-scripts' });
      expect(out.replay).toEqual(['invalid_grant', 400]);
      expect(out.wrongPassword).toEqual(['invalid_grant', 400]);
      expect(out.wrongSecret).toEqual(['invalid_client', 401]);
      expect(out.revokeStatus).toBe(200);
      expect(out.liveBefore).toBe(200);
      for (const refused of [out.tampered, out.revoked, out.replayRevoked, out.expired]) expect(refused).toEqual([401, 'UNAUTHENTICATED', true]);
    } finally {
      await sim.close();
    }
  }, 180_000);
});
