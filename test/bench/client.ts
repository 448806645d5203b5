/**
 * The bundled client's cost (`BENCH_ONLY=client`): calls through `connect()`'s client against a
 * bare keep-alive https.request posting the same bytes (the difference is our encode, decode and
 * call pipeline), the codec alone in-process, waitForTask round trips, and a container-view
 * retrieval of 5,000 VMs' three properties decoded into objects.
 */
import { Agent, request } from 'node:https';
import { connect, type VimClient } from '../../client/index.js';
import { decodeResponse, encodeRequest } from '../../client/soap-codec.js';
import { vimTypes } from '../../client/type-info.js';
import { seconds, startSimulator, type BenchSection } from './support.js';

const serviceInstance = { type: 'ServiceInstance', value: 'ServiceInstance' } as const;

/** One POST of `body` on a keep-alive agent, the body read whole: what any client must do at least. */
function barePost(agent: Agent, url: URL, body: string, cookie: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: 'urn:vim25/7.0', cookie } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function callsPerSec(work: () => Promise<unknown>, ms: number): Promise<number> {
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < ms) {
    await work();
    n++;
  }
  return (n * 1000) / (performance.now() - started);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function overhead(results: Record<string, number>): Promise<void> {
  const sim = await startSimulator([]);
  const client = await connect(sim.url, { username: 'user', password: 'pass', insecure: true, retry: false, maxSockets: 1 });
  const [vm] = await client.find('VirtualMachine', { paths: ['name'] });
  const spec = { specSet: [{ objectSet: [{ obj: vm!.ref }], propSet: [{ type: 'VirtualMachine', pathSet: ['name', 'runtime.powerState'] }] }], options: {} };
  const pc = client.serviceContent.propertyCollector;
  const ours = () => client.call(pc, 'RetrievePropertiesEx', spec);

  // The same request bytes (less the per-call trace headers) on a bare keep-alive connection.
  const types = vimTypes();
  const body = encodeRequest(types, { method: 'RetrievePropertiesEx', thisRef: pc, args: spec });
  const agent = new Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
  const url = new URL(sim.url);
  const login = encodeRequest(types, { method: 'Login', thisRef: { type: 'SessionManager', value: 'SessionManager' }, args: { userName: 'user', password: 'pass' } });
  const cookie = await new Promise<string>((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'text/xml' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers['set-cookie']![0]!.split(';')[0]!));
    });
    req.on('error', reject);
    req.end(login);
  });
  const bare = () => barePost(agent, url, body, cookie);
  // Alternating rounds, medians: the machine's load drifts more over a run than the two differ.
  for (let i = 0; i < 200; i++) await Promise.all([ours(), bare()]);
  const oursRates: number[] = [];
  const bareRates: number[] = [];
  for (let round = 0; round < 6; round++) {
    oursRates.push(await callsPerSec(ours, (seconds * 1000) / 6));
    bareRates.push(await callsPerSec(bare, (seconds * 1000) / 6));
  }
  results.clientCallsPerSec = median(oursRates);
  results.bareCallsPerSec = median(bareRates);
  results.clientOverheadUs = 1e6 / results.clientCallsPerSec - 1e6 / results.bareCallsPerSec;

  // The codec alone, in-process: encode the request, decode a one-VM answer.
  const answer = await barePost(agent, url, body, cookie);
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 500) {
    encodeRequest(types, { method: 'RetrievePropertiesEx', thisRef: pc, args: spec });
    decodeResponse(types, 'RetrievePropertiesEx', answer);
    n++;
  }
  results.codecUs = ((performance.now() - started) * 1000) / n;

  const trip = async (c: VimClient) => {
    await c.waitForTask(await c.call(vm!.ref, 'PowerOffVM_Task', {}));
    await c.waitForTask(await c.call(vm!.ref, 'PowerOnVM_Task', {}));
  };
  for (let i = 0; i < 20; i++) await trip(client);
  let trips = 0;
  const tripsStarted = performance.now();
  while (performance.now() - tripsStarted < seconds * 1000) {
    await trip(client);
    trips++;
  }
  results.waitForTaskTrips = trips / ((performance.now() - tripsStarted) / 1000);
  agent.destroy();
  await client.close();
  sim.child.kill();
}

async function bigRetrieve(results: Record<string, number>): Promise<void> {
  const big = await startSimulator(['-vm', '2500']);
  const client = await connect(big.url, { username: 'user', password: 'pass', insecure: true });
  const paths = ['name', 'runtime.powerState', 'config.hardware.numCPU'] as const;
  await client.find('VirtualMachine', { paths }); // warm-up
  const started = performance.now();
  let objects = 0;
  for (let i = 0; i < 5; i++) objects += (await client.find('VirtualMachine', { paths })).length;
  const elapsed = (performance.now() - started) / 1000;
  results.clientRetrieve5000Ms = (elapsed * 1000) / 5;
  results.clientRetrieveObjectsPerSec = objects / elapsed;
  await client.close();
  big.child.kill();
}

export const clientSection: BenchSection = {
  name: 'client',
  async run(results) {
    await overhead(results);
    await bigRetrieve(results);
  },
  rows: (n) => [
    ['(m) client.call RetrievePropertiesEx of one VM, 1 connection', `${n('clientCallsPerSec')} calls/s`, ''],
    ['(m) bare https.request of the same bytes, 1 connection', `${n('bareCallsPerSec')} calls/s`, ''],
    ['(m) client overhead per call (difference of the medians of alternating rounds)', `${n('clientOverheadUs', 1)} µs`, ''],
    ['(m) codec per call in-process (encode + decode)', `${n('codecUs', 1)} µs`, ''],
    ['(n) PowerOff+PowerOn, each by waitForTask (WaitForUpdatesEx)', `${n('waitForTaskTrips')} trips/s`, ''],
    ['(o) client.find of 5,000 VMs × 3 properties, decoded', `${n('clientRetrieve5000Ms')} ms (${n('clientRetrieveObjectsPerSec')} objects/s)`, ''],
  ],
};
