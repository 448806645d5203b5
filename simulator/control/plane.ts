/**
 * The control plane of one simulator instance: its fault rules, its journal and the hook that
 * applies both to every call. The control API routes and the Simulator's TypeScript API are two
 * faces of this one object.
 */
import type { VCenter } from '../../models/vcenter.js';
import type { Logger } from '../logger.js';
import { FaultInjector } from '../faults/injector.js';
import type { FaultRulesApi } from '../faults/rules.js';
import { CallInterceptor } from './interceptor.js';
import { Journal } from './journal.js';
import { Metrics } from './metrics.js';
import { Sessions } from './sessions.js';
import { WorldStates } from './state.js';
import { TraceFile } from './trace-file.js';
import { Actions } from './actions.js';

export interface ControlPlaneOptions {
  /** The simulator's seed (default 0): rule probabilities and jitter draw from it. */
  seed?: number;
  /** Calls the journal keeps (default 10,000); older ones drop out. */
  journalSize?: number;
  /** Append every journal entry to this file as a JSON line. */
  traceFile?: string;
  /** Each call is logged at debug level here when the logger's level allows it. */
  logger?: Logger;
}

export class ControlPlane {
  readonly journal: Journal;
  readonly injector: FaultInjector;
  readonly interceptor: CallInterceptor;
  /** World actions on sessions (expire). */
  readonly sessions: Sessions;
  /** World actions on hosts, VMs, datastores and the clock. */
  readonly actions: Actions;
  /** Reset, snapshots and the world as JSON. */
  readonly state: WorldStates;
  /** GET /metrics: Prometheus metrics of this instance (its own prom-client registry). */
  readonly metrics: Metrics;
  private readonly trace?: TraceFile;

  constructor(
    private readonly vc: VCenter,
    options: ControlPlaneOptions = {},
  ) {
    this.sessions = new Sessions(vc);
    this.journal = new Journal(options.journalSize);
    this.injector = new FaultInjector({
      types: vc.types,
      seed: options.seed ?? 0,
      now: () => vc.now().getTime(),
      entityName: (call) => this.interceptor.entityName(call),
    });
    this.metrics = new Metrics(vc);
    this.interceptor = new CallInterceptor(vc, this.injector, this.journal, this.metrics, options.logger);
    this.actions = new Actions(vc);
    this.state = new WorldStates(vc, {
      clearRules: () => this.faults.clear(),
      clearJournal: () => this.journal.clear(),
      endSessions: () => this.sessions.expire(),
    });
    vc.tasks.taskPolicy = this.injector.taskPolicy; // taskError / taskDelay rules
    if (options.traceFile) this.trace = new TraceFile(this.journal, options.traceFile);
  }

  /** Managed objects in the inventory: none until it is built (readiness). */
  inventorySize(): number {
    return this.vc.registry.size;
  }

  get faults(): FaultRulesApi {
    return this.injector.rules;
  }

  /** Ends every call a rule holds; the server is closing. */
  close(): void {
    this.injector.close();
  }

  /** After the server closed: the last journal entries reach the trace file. */
  async flush(): Promise<void> {
    await this.trace?.close();
  }
}
