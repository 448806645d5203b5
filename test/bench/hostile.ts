/**
 * Hostile-input rows: the latency of other clients' small calls (CurrentTime, one at a time)
 * while one client keeps pathological bodies in flight: tens of megabytes of entity-dense text,
 * a dense element tree past the element limit, deep nesting, wide specs, an anonymous large body:
 * one of them always in flight, the kinds in turn, for the whole measurement.
 */
import { RawClient } from './raw-client.js';
import { call, loggedIn, seconds, startSimulator, type BenchSection } from './support.js';

const mb = 1024 * 1024;
const currentTime = call('CurrentTime', 'ServiceInstance', 'ServiceInstance');
const inCurrentTime = (args: string) => call('CurrentTime', 'ServiceInstance', 'ServiceInstance', args);

/** The hostile bodies, each about `size` characters. */
function hostileBodies(size: number): Record<string, string> {
  return {
    entityText: inCurrentTime(`<note>${'a&amp;&#x41;'.repeat(size / 12)}</note>`),
    denseElements: inCurrentTime('<a/>'.repeat(size / 4)),
    deepNesting: inCurrentTime('<a>'.repeat(size / 3)),
    wideSpecs: inCurrentTime('<spec><v>abc</v><w>x</w></spec>'.repeat(size / 32)),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Latencies (ms) of back-to-back small calls on `client` for `seconds`, and on until `more()` is false. */
async function latencies(client: RawClient, more = () => false): Promise<number[]> {
  for (let i = 0; i < 200; i++) await client.post(currentTime);
  const out: number[] = [];
  const deadline = performance.now() + Math.max(seconds, 3) * 1000;
  while (performance.now() < deadline || more()) {
    const started = performance.now();
    await client.post(currentTime);
    out.push(performance.now() - started);
  }
  return out.sort((a, b) => a - b);
}

/**
 * Posts `body` on a connection of its own: the server answers on the headers and closes it, so
 * the rest of the body may meet a closed socket (EPIPE, ECONNRESET): that is the refusal.
 */
async function postAnonymously(url: string, body: string): Promise<void> {
  const client = await RawClient.open(url);
  await client.post(body).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') throw error;
  });
  client.close();
}

export const hostileSection: BenchSection = {
  name: 'hostile',
  async run(results) {
    const sim = await startSimulator([]);
    const [small] = await loggedIn(sim.url, 1);
    const quiet = await latencies(small!);
    results.quietP50Ms = percentile(quiet, 0.5);
    results.quietP99Ms = percentile(quiet, 0.99);

    const bodies = Object.values(hostileBodies(24 * mb)); // under the 32 MiB body limit: each is read and parsed
    const [sender] = await loggedIn(sim.url, 1);
    let stop = false;
    let sent = 0;
    // One hostile body in flight at any time, the kinds in turn (the anonymous one refused unparsed).
    const hostile = (async () => {
      for (let i = 0; !stop; i++) {
        const kind = i % (bodies.length + 1);
        await (kind === bodies.length ? postAnonymously(sim.url, bodies[0]!) : sender!.post(bodies[kind]!));
        sent++;
      }
    })();
    const loaded = await latencies(small!, () => sent < 2 * (bodies.length + 1)); // every kind twice
    stop = true;
    await hostile;
    results.hostileP50Ms = percentile(loaded, 0.5);
    results.hostileP99Ms = percentile(loaded, 0.99);
    results.hostileMaxMs = loaded[loaded.length - 1]!;
    results.hostileBodiesSent = sent;
    for (const c of [small!, sender!]) c.close();
    sim.child.kill();
  },
  rows: (n) => [
    ['(q) small SOAP calls, p50 / p99, quiet server', `${n('quietP50Ms', 2)} / ${n('quietP99Ms', 2)} ms`, ''],
    ['(q) the same with a 24 MB hostile body always in flight', `${n('hostileP50Ms', 2)} / ${n('hostileP99Ms', 2)} ms`, 'p99 < 50 ms'],
    ['(q) slowest small call; hostile bodies answered meanwhile', `${n('hostileMaxMs', 1)} ms; ${n('hostileBodiesSent')}`, ''],
  ],
};
