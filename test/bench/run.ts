/**
 * `npm run bench`: throughput and start-up figures of the simulator. Each server runs in its own
 * process and the load comes from a bare keep-alive client (raw-client.ts), so the figures are
 * the server's. Prints a table and writes bench-results.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawClient } from './raw-client.js';

const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/simulator/cli.js');
const seconds = Number(process.env.BENCH_SECONDS ?? 2);
/** The V8 flags the `vcenter-sim` command and `npm start` run with (see simulator/cli.ts). */
const serverFlags = ['--max-semi-space-size=32'];

const envelope = (body: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
const call = (method: string, type: string, value: string, args = '') =>
  envelope(`<${method} xmlns="urn:vim25"><_this type="${type}">${value}</_this>${args}</${method}>`);
const login = call('Login', 'SessionManager', 'SessionManager', '<userName>user</userName><password>pass</password>');
const logout = call('Logout', 'SessionManager', 'SessionManager');
const serviceContent = call('RetrieveServiceContent', 'ServiceInstance', 'ServiceInstance');

interface Server {
  url: string;
  child: ChildProcess;
  startMs: number;
}

/** Starts a server process and times it from spawn to its first SOAP answer. */
async function startSimulator(args: string[]): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, [...serverFlags, cli, '-l', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = `https://${await firstLineMatching(child, /export GOVC_URL=https:\/\/[^@]+@(\S+)/)}`;
  const client = await RawClient.open(url);
  await client.post(serviceContent);
  client.close();
  return { url, child, startMs: performance.now() - started };
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
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

async function loggedIn(url: string, n: number): Promise<RawClient[]> {
  const clients = await Promise.all(Array.from({ length: n }, () => RawClient.open(url)));
  for (const c of clients) await c.post(login);
  return clients;
}

/** Calls/s of `work` issued back to back on each client for `seconds`, after a warm-up. */
async function rate(clients: RawClient[], work: (c: RawClient) => Promise<unknown>): Promise<number> {
  for (const c of clients) for (let i = 0; i < 300; i++) await work(c);
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < deadline) {
        await work(c);
        count++;
      }
    }),
  );
  return count / seconds;
}

/** A container view over every VM, and the RetrievePropertiesEx call reading `paths` of each. */
async function containerViewRetrieval(client: RawClient, paths: string[]): Promise<string> {
  const reply = await client.post(
    call('CreateContainerView', 'ViewManager', 'ViewManager', '<container type="Folder">group-d1</container><type>VirtualMachine</type><recursive>true</recursive>'),
  );
  const view = /<returnval type="ContainerView">([^<]+)</.exec(reply.toString())![1]!;
  const spec =
    `<specSet><propSet><type>VirtualMachine</type>${paths.map((p) => `<pathSet>${p}</pathSet>`).join('')}</propSet>` +
    `<objectSet><obj type="ContainerView">${view}</obj><skip>true</skip>` +
    '<selectSet xsi:type="TraversalSpec"><type>ContainerView</type><path>view</path><skip>false</skip></selectSet>' +
    '</objectSet></specSet><options/>';
  return call('RetrievePropertiesEx', 'PropertyCollector', 'propertyCollector', spec);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function count(body: Buffer, needle: string): number {
  let n = 0;
  for (let i = body.indexOf(needle); i >= 0; i = body.indexOf(needle, i + 1)) n++;
  return n;
}

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

function report(results: Record<string, number>): void {
  const n = (key: string, digits = 0) => results[key]!.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const rows: [string, string, string][] = [
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
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'measure'.padEnd(width)}  ${'result'.padStart(20)}  target`);
  for (const [name, value, target] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(20)}  ${target}`);
  const out = join(root, 'bench-results.json');
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, seconds, results }, null, 2) + '\n');
  console.log(`\nwritten to ${out}`);
}

async function main(): Promise<void> {
  const results: Record<string, number> = {};
  await smallCalls(results);
  await largeInventories(results);
  report(results);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
