/** A simulator made for one scenario, in this process, driven by its TypeScript API. */
import { createSimulator, loadTopologyFile, topologyFromFlags, type Simulator, type Topology } from '../../simulator/index.js';
import { resolve, dirname } from 'node:path';
import type { Scenario } from '../schema.js';
import type { SimTarget, WorldAction } from './target.js';

export async function embeddedTarget(scenario: Scenario, file: string | undefined): Promise<SimTarget> {
  const sim = await createSimulator({ seed: scenario.seed, topology: topologyOf(scenario, file) });
  return {
    url: sim.url,
    username: sim.username,
    password: sim.password,
    controlUrl: sim.controlUrl,
    addRule: async (rule) => sim.faults.add(rule).id,
    removeRule: async (id) => void sim.faults.remove(id),
    journal: async (after) => sim.journal.entries().filter((e) => e.seq > after),
    lastSeq: async () => sim.journal.entries({ limit: 1 })[0]?.seq ?? 0,
    latestEventKey: () => Number((sim.vc.events.read('latestEvent', { vc: sim.vc }) as { key?: number } | undefined)?.key ?? 0),
    action: async (kind, args) => runAction(sim, kind, args),
    close: () => sim.close(),
  };
}

function topologyOf(scenario: Scenario, file: string | undefined): Topology | undefined {
  const spec = scenario.simulator;
  if (spec?.topology) return spec.topology;
  if (spec?.topologyFile) return loadTopologyFile(resolve(file ? dirname(file) : '.', spec.topologyFile));
  if (spec?.flags) return topologyFromFlags(spec.flags);
  return undefined;
}

function runAction(sim: Simulator, kind: WorldAction, args: Record<string, unknown>): unknown {
  const a = sim.actions;
  switch (kind) {
    case 'host-fail': return a.hostFail(args);
    case 'host-disconnect': return a.hostDisconnect(args);
    case 'host-reconnect': return a.hostReconnect(args);
    case 'datastore-fill': return a.datastoreFill(args as never);
    case 'vm-guest': return a.vmGuest(args as never);
    case 'clock-advance': return a.clockAdvance(args as never);
    case 'sessions-expire': return sim.sessions.expire(args);
  }
}
