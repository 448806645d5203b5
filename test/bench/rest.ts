/** The REST rows: the VM list over a large inventory, and one VM's info on one connection. */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawClient } from './raw-client.js';
import { firstLineMatching, median, rate, root, startSimulator, type BenchSection } from './support.js';

const basic = `Authorization: Basic ${Buffer.from('user:pass').toString('base64')}\r\n`;

/** A client logged in through `POST /api/session`, and the header line carrying its token. */
async function restSession(url: string): Promise<{ client: RawClient; auth: string }> {
  const client = await RawClient.open(url);
  const token = JSON.parse((await client.request('POST', '/api/session', basic)).toString()) as string;
  return { client, auth: `vmware-api-session-id: ${token}\r\n` };
}

async function json<T>(client: RawClient, path: string, auth: string): Promise<T> {
  return JSON.parse((await client.request('GET', path, auth)).toString()) as T;
}

/**
 * `GET /api/vcenter/vm/{vm}` back to back on one connection, against the bare baseline: a bare
 * fastify route over the same TLS answering the very same bytes (bare-server.mjs answers a POST;
 * the request's size differs by a few bytes). Rounds alternate and medians are kept, so a noisy
 * neighbour hurts both alike.
 */
async function singleVm(results: Record<string, number>): Promise<void> {
  const sim = await startSimulator([]);
  const { client, auth } = await restSession(sim.url);
  const [first] = await json<{ vm: string }[]>(client, '/api/vcenter/vm', auth);
  const path = `/api/vcenter/vm/${first!.vm}`;
  const replyFile = join(mkdtempSync(join(tmpdir(), 'vcsim-bench-rest-')), 'vm.json');
  writeFileSync(replyFile, await client.request('GET', path, auth));
  const bare = spawn(process.execPath, [join(root, 'test/bench/bare-server.mjs'), replyFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const bareClient = await RawClient.open(await firstLineMatching(bare, /https:\/\/\S+/));
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let round = 0; round < 3; round++) {
    ours.push(await rate([client], (c) => c.request('GET', path, auth)));
    baseline.push(await rate([bareClient], (c) => c.post('')));
  }
  results.restGetVm1Conn = median(ours);
  results.restBare1Conn = median(baseline);
  results.restRatioOursToBare = results.restGetVm1Conn / results.restBare1Conn;
  bare.kill();
  bareClient.close();
  client.close();
  sim.child.kill();
}

/**
 * `GET /api/vcenter/vm` over 5,000 VMs. vCenter refuses a list of more than 4,000 VMs
 * (unable_to_allocate_resource), so the list asks for one host's VMs: every VM is looked at,
 * 2,500 are answered.
 */
async function largeList(results: Record<string, number>): Promise<void> {
  const sim = await startSimulator(['-vm', '2500']);
  const { client, auth } = await restSession(sim.url);
  const hosts = await json<{ host: string; name: string }[]>(client, '/api/vcenter/host?names=DC0_H0', auth);
  const path = `/api/vcenter/vm?hosts=${hosts[0]!.host}`;
  const listed = (await json<unknown[]>(client, path, auth)).length;
  if (listed !== 2500) throw new Error(`expected 2,500 VMs on DC0_H0, the list has ${listed}`);
  for (let i = 0; i < 10; i++) await client.request('GET', path, auth); // warm-up
  const started = performance.now();
  let lists = 0;
  while (performance.now() - started < 2000) {
    await client.request('GET', path, auth);
    lists++;
  }
  const perSecond = lists / ((performance.now() - started) / 1000);
  results.restListVms5000 = perSecond;
  results.restListVmsPerSec5000 = perSecond * listed;
  client.close();
  sim.child.kill();
}

export const restSection: BenchSection = {
  name: 'rest',
  async run(results) {
    await singleVm(results);
    await largeList(results);
  },
  rows: (n) => [
    ['(j) GET /api/vcenter/vm/{vm}, 1 connection', `${n('restGetVm1Conn')} calls/s`, '>= 8,000'],
    ['(j) bare fastify, same bytes, 1 connection', `${n('restBare1Conn')} calls/s`, ''],
    ['(j) ratio ours / bare', n('restRatioOursToBare', 2), ''],
    ['(j) GET /api/vcenter/vm?hosts=<host>, 5,000 VMs (2,500 listed)', `${n('restListVms5000')} lists/s`, ''],
    ['(j) the same, VM summaries', `${n('restListVmsPerSec5000')} VMs/s`, ''],
  ],
};
