/** The core SOAP rows: small calls, the bare baseline, bulk retrieval, large inventories. */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawClient } from './raw-client.js';
import {
  call, containerViewRetrieval, count, firstLineMatching, loggedIn, login, logout, median, rate, root, rssMb, startSimulator,
  type BenchSection,
} from './support.js';

async function smallCalls(results: Record<string, number>): Promise<void> {
  const sim = await startSimulator([]);
  const [one] = await loggedIn(sim.url, 1);
  const vm = /<obj type="VirtualMachine">([^<]+)</.exec((await one!.post(await containerViewRetrieval(one!, ['name']))).toString())![1]!;
  const oneVm = call(
    'RetrievePropertiesEx', 'PropertyCollector', 'propertyCollector',
    `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet><pathSet>runtime.powerState</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm}</obj></objectSet></specSet><options/>`,
  );
  const retrieveOneVm = (c: RawClient) => c.post(oneVm);

  // The baseline: a bare fastify route over the same TLS answering the very same bytes. Rounds of
  // ours and bare alternate, and medians are kept, so a noisy neighbour hurts both alike.
  const replyFile = join(mkdtempSync(join(tmpdir(), 'vcsim-bench-')), 'reply.xml');
  writeFileSync(replyFile, await retrieveOneVm(one!));
  const bare = spawn(process.execPath, [join(root, 'test/bench/bare-server.mjs'), replyFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const bareClient = await RawClient.open(await firstLineMatching(bare, /https:\/\/\S+/));
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let round = 0; round < 3; round++) {
    ours.push(await rate([one!], retrieveOneVm));
    baseline.push(await rate([bareClient], retrieveOneVm));
  }
  results.retrieveOneVm1Conn = median(ours);
  results.bareFastify1Conn = median(baseline);
  results.ratioOursToBare = results.retrieveOneVm1Conn / results.bareFastify1Conn;
  bare.kill();

  const four = await loggedIn(sim.url, 4);
  results.retrieveOneVm4Conn = await rate(four, retrieveOneVm);
  const [pairs] = await loggedIn(sim.url, 1);
  results.loginLogoutPairs = await rate([pairs!], async (c) => {
    await c.post(login);
    await c.post(logout);
  });
  for (const c of [one!, ...four, pairs!, bareClient]) c.close();
  sim.child.kill();
}

async function largeInventories(results: Record<string, number>): Promise<void> {
  for (const vms of [5000, 20000]) {
    // vcsim's VPX model has VMs on its standalone host and in its cluster's pool: `-vm N` gives 2N.
    const big = await startSimulator(['-vm', String(vms / 2)]);
    results[`startMs${vms}`] = big.startMs;
    results[`rssMb${vms}`] = rssMb(big.child.pid!);
    if (vms === 5000) {
      const [c] = await loggedIn(big.url, 1);
      const retrieval = await containerViewRetrieval(c!, ['name', 'runtime.powerState', 'config.hardware.numCPU']);
      for (let i = 0; i < 10; i++) await c!.post(retrieval); // warm-up: let the JIT see the whole path
      const started = performance.now();
      let objects = 0;
      for (let i = 0; i < 20; i++) objects += count(await c!.post(retrieval), '<objects>');
      results.containerViewObjectsPerSec = objects / ((performance.now() - started) / 1000);
      c!.close();
    }
    big.child.kill();
  }
}

export const soapSection: BenchSection = {
  name: 'soap',
  async run(results) {
    await smallCalls(results);
    await largeInventories(results);
  },
  rows: (n) => [
    ['(a) RetrievePropertiesEx, 1 VM, 1 connection', `${n('retrieveOneVm1Conn')} calls/s`, '>= 6,000'],
    ['(a) RetrievePropertiesEx, 1 VM, 4 connections', `${n('retrieveOneVm4Conn')} calls/s`, ''],
    ['(b) bare fastify, same bytes, 1 connection', `${n('bareFastify1Conn')} calls/s`, ''],
    ['(b) ratio ours / bare', n('ratioOursToBare', 2), '>= 0.5'],
    ['(c) container view, 3 props, 5,000 VMs', `${n('containerViewObjectsPerSec')} objects/s`, '>= 150,000'],
    ['(d) Login + Logout', `${n('loginLogoutPairs')} pairs/s`, ''],
    ['(e) start-up to first answer, 5,000 VMs', `${n('startMs5000')} ms`, '< 2,000'],
    ['(e) RSS, 5,000 VMs', `${n('rssMb5000')} MB`, '< 250'],
    ['(e) start-up to first answer, 20,000 VMs', `${n('startMs20000')} ms`, '< 8,000'],
    ['(e) RSS, 20,000 VMs', `${n('rssMb20000')} MB`, ''],
  ],
};
