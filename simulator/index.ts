import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { topologyFromFlags, type Topology } from '../models/inventory/index.js';
import type { MoRef } from '../models/core/moref.js';
import { VCenter } from '../models/vcenter.js';
import type { VCenterOptions } from '../models/core/vcenter-options.js';
import { buildApp, type AppOptions } from './app.js';
import type { JournalApi } from './control/journal.js';
import { buildControlApp, exposureWarning } from './control/control-app.js';
import { ControlPlane } from './control/plane.js';
import { readStateFile, writeStateFile } from './control/state-file.js';
import type { SessionsApi } from './control/sessions.js';
import type { StateApi } from './control/state.js';
import type { ActionsApi } from './control/actions.js';
import type { Metrics } from './control/metrics.js';
import type { FaultRulesApi } from './faults/rules.js';
import { loadSavedDirectory } from './load-dir.js';
import { createLogger, type LogFormat, type LogLevel, type Logger } from './logger.js';
import { tlsMaterial } from './tls.js';

export interface SimulatorOptions extends Omit<VCenterOptions, 'topology'>, Omit<AppOptions, 'tls'> {
  /** Defaults to vcsim's VPX model. */
  topology?: Topology;
  /** `host:port`; port 0 picks a free one. Defaults to 127.0.0.1:0. */
  listen?: string;
  /** HTTPS (the default) with a self-signed certificate made at start, or the given files. */
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  /** Accept `Authorization: Bearer <token>` on the control API (besides Basic with the credentials). */
  controlToken?: string;
  /** Calls the journal keeps (default 10,000). */
  journalSize?: number;
  /** Append every journal entry to this file as a JSON line (--journal-file). */
  journalFile?: string;
  /** Serve the control API (/_sim and /metrics) on this port of the listen host too (--control-port; 0 picks a free one). */
  controlPort?: number;
  /** Start from the world in this file, as GET /_sim/state gives it (--state). */
  stateFile?: string;
  /** Start from the inventory a `govc object.save` directory holds, as vcsim's -load (applied before stateFile). */
  loadDir?: string;
  /** Write the world to this file on close (--save-on-exit). */
  saveOnExit?: string;
  /** Log level (default warn in-process; the command line's --log-level defaults to info) and form (--log-format json|pretty, default json), on stderr. */
  logLevel?: LogLevel;
  logFormat?: LogFormat;
  /** A pino logger of your own instead (logLevel and logFormat are then ignored). */
  logger?: Logger;
}

export interface Simulator {
  /** The SDK URL, `https://127.0.0.1:<port>/sdk`. */
  url: string;
  /** The URL with credentials in it, as GOVC_URL wants it. */
  urlWithCredentials: string;
  username: string;
  password: string;
  vc: VCenter;
  app: FastifyInstance;
  /** The control API's base URL, `https://127.0.0.1:<port>/_sim` (on the control port when there is one; the SDK port serves it too). */
  controlUrl: string;
  /** Fault rules: the same operations as /_sim/faults. */
  faults: FaultRulesApi;
  /** The call journal: the same operations as /_sim/journal. */
  journal: JournalApi;
  /** Session actions: the same operations as /_sim/sessions (expire). */
  sessions: SessionsApi;
  /** World actions: the same operations as /_sim/actions/host-disconnect, host-reconnect, host-fail, datastore-fill, vm-guest, clock-advance. */
  actions: ActionsApi;
  /** Prometheus metrics, the same as GET /metrics (`registry` is this instance's own prom-client Registry). */
  metrics: Metrics;
  /** Reset, snapshots and the world as JSON: the same operations as /_sim/reset, /_sim/snapshots, /_sim/state. */
  state: StateApi;
  /** Changes any property in-process; property collectors see it. */
  setProperty(ref: MoRef, path: string, value: unknown): void;
  close(): Promise<void>;
}

/** Starts one isolated simulator instance; many can run in one process. */
export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? 'warn', format: options.logFormat });
  const onInternalError = (where: string, err: unknown) => logger.error({ err }, `internal error ${where}`);
  const vc = new VCenter({ ...options, topology: options.topology ?? topologyFromFlags({}), onInternalError });
  if (options.loadDir) {
    const { adopted } = loadSavedDirectory(vc, options.loadDir);
    if (adopted.length) logger.warn({ adopted }, '-load: adopted by datacenter folders (parent not saved)');
  }
  const useTls = options.tls ?? true;
  const firstUser = vc.options.topology.users?.[0];
  const username = options.username ?? firstUser?.username ?? 'user';
  const password = options.password ?? firstUser?.password ?? 'pass';
  const plane = new ControlPlane(vc, { seed: options.seed, journalSize: options.journalSize, traceFile: options.journalFile, logger });
  if (options.stateFile) plane.state.load(readStateFile(options.stateFile));
  if (options.loadDir || options.stateFile) plane.state.takeStartFromNow(); // reset goes back to what was loaded
  const tls = useTls ? tlsMaterial(options.tlsCert, options.tlsKey) : undefined;
  const control = { plane, credentials: { username, password, token: options.controlToken } };
  const app = await buildApp(vc, { ...options, tls, control, logger });
  const { host, port } = parseListen(options.listen ?? '127.0.0.1:0');
  await app.listen({ host, port });
  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = `${useTls ? 'https' : 'http'}://${shownHost}:${address.port}`;
  vc.serveAt(base);
  const controlApp = options.controlPort === undefined ? undefined : await buildControlApp(control, tls, logger);
  await controlApp?.listen({ host, port: options.controlPort });
  const controlBase = controlApp ? `${useTls ? 'https' : 'http'}://${shownHost}:${(controlApp.server.address() as AddressInfo).port}` : base;
  const defaultCredentials = options.username === undefined && options.password === undefined && !firstUser; // Basic with them works even beside a control token
  const warning = exposureWarning(host, defaultCredentials, `${controlBase}/_sim`);
  if (warning) logger.warn(warning.replace(/^vcenter-sim: /, '').trim());
  const auth = `${encodeURIComponent(username)}:${encodeURIComponent(password)}@`;
  return {
    url: `${base}/sdk`,
    urlWithCredentials: `${base.replace('://', `://${auth}`)}/sdk`,
    username,
    password,
    vc,
    app,
    controlUrl: `${controlBase}/_sim`,
    faults: plane.faults,
    journal: plane.journal,
    sessions: plane.sessions,
    actions: plane.actions,
    metrics: plane.metrics,
    state: plane.state,
    setProperty: (ref, path, value) => vc.setProperty(ref, path, value),
    close: async () => {
      plane.close(); // held calls end first, so closing does not wait on them
      await Promise.all([app.close(), controlApp?.close()]);
      await plane.flush();
      if (options.saveOnExit) writeStateFile(options.saveOnExit, plane.state.save());
    },
  };
}

export function parseListen(listen: string): { host: string; port: number } {
  const colon = listen.lastIndexOf(':');
  const host = colon <= 0 ? '127.0.0.1' : listen.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(colon < 0 ? listen : listen.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid listen address '${listen}'`);
  return { host, port };
}

export { VCenter } from '../models/vcenter.js';
export { InvalidRuleError } from './faults/invalid-rule.js';
export type { FaultRulesApi } from './faults/rules.js';
export type { FaultRuleInput, FaultRuleView } from './faults/rule-schema.js';
export type { JournalApi } from './control/journal.js';
export type { SessionsApi, SessionsExpireFilter } from './control/sessions.js';
export type { StateApi, ResetOptions, SnapshotInfo } from './control/state.js';
export { WorldFormatError } from '../models/inventory/world-json.js';
export { WorldActionError } from './control/world.js';
export { LoadDirError } from './load-dir.js';
export type { WorldActionsApi, HostSelect, HostActionResult, DatastoreFill, DatastoreFillResult } from './control/world.js';
export type { ActionsApi, ClockAdvance, ClockResult } from './control/actions.js';
export type { Metrics } from './control/metrics.js';
export type { HostFailResult } from './control/host-fail.js';
export type { VmGuestChange, VmGuestResult } from './control/vm-guest.js';
export type { JournalEntry, JournalFilter } from './control/schemas.js';
export { MoRef } from '../models/core/moref.js';
export { topologyFromFlags, loadTopologyFile, type Topology } from '../models/inventory/index.js';
