/** What every benchmark section shares: servers in their own process, raw clients, rates. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VCenter } from '../../models/vcenter.js';
import { SoapDispatcher } from '../../simulator/soap/dispatch.js';
import { RawClient } from './raw-client.js';

export const root = new URL('../../', import.meta.url).pathname;
const cli = join(root, 'dist/simulator/cli.js');
export const seconds = Number(process.env.BENCH_SECONDS ?? 2);
/** The V8 flags the `vcenter-sim` command and `npm start` run with (see simulator/cli.ts). */
const serverFlags = ['--max-semi-space-size=32'];

export const envelope = (body: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
export const call = (method: string, type: string, value: string, args = '') =>
  envelope(`<${method} xmlns="urn:vim25"><_this type="${type}">${value}</_this>${args}</${method}>`);
export const login = call('Login', 'SessionManager', 'SessionManager', '<userName>user</userName><password>pass</password>');
export const logout = call('Logout', 'SessionManager', 'SessionManager');
export const serviceContent = call('RetrieveServiceContent', 'ServiceInstance', 'ServiceInstance');

export interface Server {
  url: string;
  child: ChildProcess;
  startMs: number;
}

/** Starts a server process and times it from spawn to its first SOAP answer. */
export async function startSimulator(args: string[]): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, [...serverFlags, cli, '-l', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = `https://${await firstLineMatching(child, /export GOVC_URL=https:\/\/[^@]+@(\S+)/)}`;
  const client = await RawClient.open(url);
  await client.post(serviceContent);
  client.close();
  return { url, child, startMs: performance.now() - started };
}

export function firstLineMatching(child: ChildProcess, pattern: RegExp): Promise<string> {
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

export function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

export async function loggedIn(url: string, n: number): Promise<RawClient[]> {
  const clients = await Promise.all(Array.from({ length: n }, () => RawClient.open(url)));
  for (const c of clients) await c.post(login);
  return clients;
}

/** What the rows need of a client: one SOAP call at a time (a RawClient, or a dispatcher in-process). */
export interface Caller {
  post(body: string): Promise<Buffer>;
}

/** A caller served by the SOAP dispatcher in this process: the simulator's own cost per call, no HTTP or TLS. */
export async function inProcessCaller(vc: VCenter, loginBody = login): Promise<Caller> {
  const dispatcher = new SoapDispatcher(vc);
  const request = { remoteAddress: '127.0.0.1', userAgent: 'bench', soapAction: 'urn:vim25/7.0' };
  const { newSessionKey } = await dispatcher.handle({ ...request, body: loginBody });
  return { post: async (body) => (await dispatcher.handle({ ...request, body, sessionKey: newSessionKey })).body };
}

/** Calls/s of `work` issued back to back on each client for `seconds`, after a warm-up. */
export async function rate<C extends Caller>(clients: C[], work: (c: C) => Promise<unknown>): Promise<number> {
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
export async function containerViewRetrieval(client: Caller, paths: string[]): Promise<string> {
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

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function count(body: Buffer, needle: string): number {
  let n = 0;
  for (let i = body.indexOf(needle); i >= 0; i = body.indexOf(needle, i + 1)) n++;
  return n;
}


/** One part of `npm run bench`: it fills `results` and says how its rows read. */
export interface BenchSection {
  name: string;
  run(results: Record<string, number>): Promise<void>;
  /** [measure, formatted result, target]; `n(key, digits)` formats a result. */
  rows(n: (key: string, digits?: number) => string): [string, string, string][];
}
