/**
 * `npm run bench`: throughput and start-up figures of the simulator, each server in its own
 * process so the load generator does not share its event loop. Prints a table, writes JSON.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SoapClient } from '../../client/soap.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/simulator/cli.js');
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const collector = { type: 'PropertyCollector', value: 'propertyCollector' };

interface Server {
  url: string;
  child: ChildProcess;
  startMs: number;
}

async function startSimulator(args: string[]): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, '-l', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await firstLineMatching(child, /export GOVC_URL=https:\/\/[^@]+@(\S+)/);
  const server = { url: `https://${url}`, child, startMs: 0 };
  const client = new SoapClient({ url: server.url });
  await client.call('RetrieveServiceContent', { type: 'ServiceInstance', value: 'ServiceInstance' });
  client.close();
  server.startMs = performance.now() - started;
  return server;
}

function firstLineMatching(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = pattern.exec(buffer);
      if (match) resolve(match[1] ?? match[0]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
  });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** Calls/s of `call` issued back to back on each of `connections` clients for `seconds`. */
async function rate(clients: SoapClient[], call: (c: SoapClient) => Promise<unknown>): Promise<number> {
  for (const c of clients) for (let i = 0; i < 200; i++) await call(c); // warm-up
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < deadline) {
        await call(c);
        count++;
      }
    }),
  );
  return count / seconds;
}

async function loggedIn(url: string, n: number): Promise<SoapClient[]> {
  const clients = Array.from({ length: n }, () => new SoapClient({ url }));
  for (const c of clients) await c.login('user', 'pass');
  return clients;
}

async function main(): Promise<void> {
  const results: Record<string, number> = {};
  const sim = await startSimulator([]);
  const [probe] = await loggedIn(sim.url, 1);
  const vm = /<obj type="VirtualMachine">([^<]+)</.exec(
    (await probe!.call('RetrievePropertiesEx', collector, await containerViewSpec(probe!, ['name']))).body,
  )![1]!;
  const oneVm = `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet><pathSet>runtime.powerState</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm}</obj></objectSet></specSet><options/>`;
  const oneVmCall = (c: SoapClient) => c.call('RetrievePropertiesEx', collector, oneVm);

  results.retrieveOneVm1Conn = await rate([probe!], oneVmCall);
  const four = await loggedIn(sim.url, 4);
  results.retrieveOneVm4Conn = await rate(four, oneVmCall);
  results.loginLogoutPairs = await rate([new SoapClient({ url: sim.url })], async (c) => {
    await c.login('user', 'pass');
    await c.logout();
  });

  const replyFile = join(mkdtempSync(join(tmpdir(), 'vcsim-bench-')), 'reply.xml');
  writeFileSync(replyFile, (await oneVmCall(probe!)).body);
  const bare = spawn(process.execPath, [join(root, 'test/bench/bare-server.mjs'), replyFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const bareUrl = await firstLineMatching(bare, /https:\/\/\S+/);
  const bareClient = new SoapClient({ url: bareUrl });
  results.bareFastify1Conn = await rate([bareClient], (c) => c.call('RetrievePropertiesEx', collector, oneVm));
  results.ratioOursToBare = results.retrieveOneVm1Conn / results.bareFastify1Conn;
  bare.kill();
  for (const c of [probe!, ...four, bareClient]) c.close();
  sim.child.kill();

  for (const vms of [5000, 20000]) {
    const big = await startSimulator(topologyArgs(vms));
    results[`startMs${vms}`] = big.startMs;
    results[`rssMb${vms}`] = rssMb(big.child.pid!);
    if (vms === 5000) {
      const [c] = await loggedIn(big.url, 1);
      const spec = await containerViewSpec(c!, ['name', 'runtime.powerState', 'config.hardware.numCPU']);
      const started = performance.now();
      let objects = 0;
      for (let i = 0; i < 5; i++) objects += count((await c!.call('RetrievePropertiesEx', collector, spec)).body, '<objects>');
      results.containerViewObjectsPerSec = objects / ((performance.now() - started) / 1000);
      c!.close();
    }
    big.child.kill();
  }
  report(results);
}

/** vcsim's VPX model has VMs on its standalone host and in its cluster's pool: `-vm N` gives 2N. */
function topologyArgs(vms: number): string[] {
  return ['-vm', String(vms / 2)];
}

/** A container view over every VM, and the spec that retrieves `paths` of the objects in it. */
async function containerViewSpec(client: SoapClient, paths: string[]): Promise<string> {
  const reply = await client.call(
    'CreateContainerView',
    { type: 'ViewManager', value: 'ViewManager' },
    '<container type="Folder">group-d1</container><type>VirtualMachine</type><recursive>true</recursive>',
  );
  const view = /<returnval type="ContainerView">([^<]+)</.exec(reply.body)![1]!;
  return (
    `<specSet><propSet><type>VirtualMachine</type>${paths.map((p) => `<pathSet>${p}</pathSet>`).join('')}</propSet>` +
    `<objectSet><obj type="ContainerView">${view}</obj><skip>true</skip>` +
    `<selectSet xsi:type="TraversalSpec"><type>ContainerView</type><path>view</path><skip>false</skip></selectSet>` +
    `</objectSet></specSet><options/>`
  );
}

function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
  return n;
}

function report(results: Record<string, number>): void {
  const rows: [string, string, string][] = [
    ['(a) RetrievePropertiesEx, 1 VM, 1 connection', `${results.retrieveOneVm1Conn!.toFixed(0)} calls/s`, '>= 6,000'],
    ['(a) RetrievePropertiesEx, 1 VM, 4 connections', `${results.retrieveOneVm4Conn!.toFixed(0)} calls/s`, ''],
    ['(b) bare fastify, same bytes, 1 connection', `${results.bareFastify1Conn!.toFixed(0)} calls/s`, ''],
    ['(b) ratio ours / bare', results.ratioOursToBare!.toFixed(2), '>= 0.5'],
    ['(c) container retrieval, 3 props, 5,000 VMs', `${results.containerViewObjectsPerSec!.toFixed(0)} objects/s`, '>= 150,000'],
    ['(d) Login + Logout', `${results.loginLogoutPairs!.toFixed(0)} pairs/s`, ''],
    ['(e) start-up to first answer, 5,000 VMs', `${results.startMs5000!.toFixed(0)} ms`, '< 2,000'],
    ['(e) RSS, 5,000 VMs', `${results.rssMb5000!.toFixed(0)} MB`, '< 250'],
    ['(e) start-up to first answer, 20,000 VMs', `${results.startMs20000!.toFixed(0)} ms`, '< 8,000'],
    ['(e) RSS, 20,000 VMs', `${results.rssMb20000!.toFixed(0)} MB`, ''],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'measure'.padEnd(width)}  ${'result'.padStart(18)}  target`);
  for (const [name, value, target] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(18)}  ${target}`);
  const out = join(root, 'bench-results.json');
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, seconds, results }, null, 2) + '\n');
  console.log(`\nwritten to ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
