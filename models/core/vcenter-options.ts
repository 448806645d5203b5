import type { Topology } from '../inventory/topology.js';

/** How a simulated vCenter is made: its topology, seed, credentials, clock and task settings. */
export interface VCenterOptions {
  topology: Topology;
  /** Seed of every generated value (UUIDs, MACs, IPs): the same topology and seed give the same inventory. */
  seed?: number;
  /** With both set, only these log in; otherwise any non-empty user name and password do, as vcsim. */
  username?: string;
  password?: string;
  /** A session idle this long is gone (vCenter's default is 30 minutes). */
  sessionIdleTimeoutMs?: number;
  /** Reported as about.apiVersion (vcsim's -api-version). */
  apiVersion?: string;
  /** How long every task runs, in ms (vcsim's -delay); 0, the default, is near-instant. */
  taskDelayMs?: number;
  /** Per-method task durations in ms, e.g. `{ PowerOnVM_Task: 1000 }` (vcsim's -method-delay). */
  methodDelayMs?: Record<string, number>;
  /** Coefficient of variation of task durations (vcsim's -delay-jitter), drawn from the seed. */
  delayJitter?: number;
  /** Events kept (default 100,000): QueryEvents and the collectors see these, the oldest go first. */
  eventHistorySize?: number;
  /** Bytes of uploaded datastore file contents held in memory (default 256 MiB); past it, files keep their size only. */
  datastoreContentBudget?: number;
  /** Finished tasks kept (default 10,000): older ones leave the inventory, as vCenter forgets them. */
  taskHistorySize?: number;
  /** Where the simulator serves (`https://127.0.0.1:8989`): vCenter's service URIs in its settings point there. Set once it listens (serveAt). */
  serverUrl?: string;
  /** Told of every error that is a bug of ours (the client gets a SystemError); stderr by default. */
  onInternalError?: (where: string, error: unknown) => void;
}
