/**
 * GET /metrics: the simulator in Prometheus text format, through prom-client with a registry of
 * its own (one per simulator instance, never the library's global one). Calls, latencies and
 * injected faults are counted as calls end; tasks, sessions and inventory sizes are read from the
 * world when scraped.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import type { VCenter } from '../../models/vcenter.js';
import type { ApiCall } from '../faults/call.js';

/** Inventory types counted by vcenter_sim_inventory_objects. */
const inventoryTypes = ['Datacenter', 'ClusterComputeResource', 'ComputeResource', 'HostSystem', 'VirtualMachine', 'ResourcePool', 'VirtualApp', 'Datastore', 'StoragePod', 'Network', 'DistributedVirtualPortgroup', 'VmwareDistributedVirtualSwitch', 'Folder'];
const taskStates = ['queued', 'running', 'success', 'error'];
/** Method label values kept apart; past this many, calls are counted under `other` (clients choose method names and REST paths). */
const maxMethods = 2_000;

export class Metrics {
  readonly registry = new Registry();
  private readonly calls: Counter<'api' | 'method' | 'outcome'>;
  private readonly latency: Histogram<'api' | 'method'>;
  private readonly injected: Counter<'rule'>;
  private readonly methods = new Set<string>();
  /** Calls by api, method and outcome, counted in plain maps (no label hashing per call) and handed to the counter when scraped. */
  private readonly callCounts = { soap: new Map<string, Map<string, number>>(), rest: new Map<string, Map<string, number>>() };

  constructor(private readonly vc: VCenter) {
    const registers = [this.registry];
    const counts = this.callCounts;
    this.calls = new Counter({
      name: 'vcenter_sim_api_calls_total',
      help: 'API calls by api (soap, rest), method or route, and outcome (ok, fault, http, reset, abandoned)',
      labelNames: ['api', 'method', 'outcome'],
      registers,
      collect() {
        this.reset();
        for (const api of ['soap', 'rest'] as const) {
          for (const [method, outcomes] of counts[api]) for (const [outcome, n] of outcomes) this.inc({ api, method, outcome }, n);
        }
      },
    });
    this.latency = new Histogram({
      name: 'vcenter_sim_api_call_duration_seconds',
      help: 'Time from the request to the answer, by api and method or route',
      labelNames: ['api', 'method'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.injected = new Counter({ name: 'vcenter_sim_injected_faults_total', help: 'Times each fault rule fired (delays and task rules included)', labelNames: ['rule'], registers });
    this.gauges(registers);
  }

  /** A call ended (the interceptor calls this with each journaled call). */
  observe(call: ApiCall): void {
    const method = this.methodLabel(call);
    const outcome = call.outcome === 'pending' ? 'abandoned' : call.outcome;
    let outcomes = this.callCounts[call.api].get(method);
    if (!outcomes) this.callCounts[call.api].set(method, (outcomes = new Map()));
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    this.latency.observe({ api: call.api, method }, call.durationMs / 1000);
    if (call.rules) for (const rule of call.rules) this.injected.inc({ rule });
  }

  /** The text Prometheus scrapes. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** REST calls no route matched are named by their concrete path: one label for all of them. */
  private methodLabel(call: ApiCall): string {
    const method = call.api === 'rest' && call.status === 404 && call.path !== undefined && call.method.endsWith(` ${call.path}`) ? 'unknown route' : call.method;
    if (this.methods.has(method)) return method;
    if (this.methods.size >= maxMethods) return 'other';
    this.methods.add(method);
    return method;
  }

  /** Values read from the world at scrape time. */
  private gauges(registers: Registry[]): void {
    const vc = this.vc;
    new Gauge({
      name: 'vcenter_sim_tasks',
      help: 'Tasks the simulator holds, by state',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = new Map(taskStates.map((s) => [s, 0]));
        for (const task of vc.registry.ofType<Task>('Task')) counts.set(String(task.info.state), (counts.get(String(task.info.state)) ?? 0) + 1);
        for (const [state, n] of counts) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'vcenter_sim_sessions',
      help: 'Live sessions (SOAP and REST)',
      registers,
      collect() {
        const ctx: CallContext = { vc };
        this.set((vc.sessionManager.read('sessionList', ctx) as DataObject[]).length);
      },
    });
    new Gauge({
      name: 'vcenter_sim_inventory_objects',
      help: 'Inventory objects, by managed object type',
      labelNames: ['type'],
      registers,
      collect() {
        for (const type of inventoryTypes) this.set({ type }, vc.registry.ofType(type).length);
      },
    });
  }
}
