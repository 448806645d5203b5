/**
 * The OAuth rows: the same small REST call authenticated by an OAuth bearer token and by a session
 * id, on one connection each, in alternating rounds (medians kept). A bearer token's signature is
 * never checked per call: the server knows the tokens it signed (and caches any it verified), so
 * the two should run alike. Also the token endpoint's client_credentials rate (one RS256 signature each).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawClient } from './raw-client.js';
import { median, rate, startSimulator, type BenchSection } from './support.js';

const client = { id: 'bench', secret: 'bench-secret' };
const tokenRequest = {
  headers: `Authorization: Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}\r\nContent-Type: application/x-www-form-urlencoded\r\n`,
  body: 'grant_type=client_credentials',
};

/** vcsim's default inventory with one client_credentials client acting as `user`. */
function topologyFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vcsim-bench-oauth-')), 'topology.json');
  writeFileSync(file, JSON.stringify({ flags: {}, oauth: { clients: [{ ...client, user: 'user' }] } }));
  return file;
}

async function bearerVsSession(results: Record<string, number>): Promise<void> {
  const sim = await startSimulator(['--topology', topologyFile()]);
  const byToken = await RawClient.open(sim.url);
  const bySession = await RawClient.open(sim.url);
  const { access_token: token } = JSON.parse((await byToken.request('POST', '/acs/t/CUSTOMER/token', tokenRequest.headers, tokenRequest.body)).toString());
  const basic = `Authorization: Basic ${Buffer.from('user:pass').toString('base64')}\r\n`;
  const sessionId = JSON.parse((await bySession.request('POST', '/api/session', basic)).toString()) as string;
  const bearer = `Authorization: Bearer ${token}\r\n`;
  const session = `vmware-api-session-id: ${sessionId}\r\n`;
  const [first] = JSON.parse((await bySession.request('GET', '/api/vcenter/vm', session)).toString()) as { vm: string }[];
  const path = `/api/vcenter/vm/${first!.vm}`;
  const check = JSON.parse((await byToken.request('GET', path, bearer)).toString());
  if (!check.name) throw new Error(`the bearer call failed: ${JSON.stringify(check)}`);
  const tokenRates: number[] = [];
  const sessionRates: number[] = [];
  for (let round = 0; round < 3; round++) {
    tokenRates.push(await rate([byToken], (c) => c.request('GET', path, bearer)));
    sessionRates.push(await rate([bySession], (c) => c.request('GET', path, session)));
  }
  results.oauthBearerGetVm = median(tokenRates);
  results.oauthSessionGetVm = median(sessionRates);
  results.oauthRatioBearerToSession = results.oauthBearerGetVm / results.oauthSessionGetVm;
  results.oauthTokensPerSec = await rate([byToken], (c) => c.request('POST', '/acs/t/CUSTOMER/token', tokenRequest.headers, tokenRequest.body));
  byToken.close();
  bySession.close();
  sim.child.kill();
}

export const oauthSection: BenchSection = {
  name: 'oauth',
  run: bearerVsSession,
  rows: (n) => [
    ['(r) GET /api/vcenter/vm/{vm} by OAuth bearer token, 1 connection', `${n('oauthBearerGetVm')} calls/s`, ''],
    ['(r) the same by session id', `${n('oauthSessionGetVm')} calls/s`, ''],
    ['(r) ratio bearer / session', n('oauthRatioBearerToSession', 2), '~1'],
    ['(r) POST /acs/t/CUSTOMER/token, client_credentials, 1 connection', `${n('oauthTokensPerSec')} tokens/s`, ''],
  ],
};
