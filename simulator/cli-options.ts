/** The command line of `vcenter-sim`: vcsim's flags, so scripts written for vcsim run unchanged. */
import { loadTopologyFile, topologyFromFlags } from '../models/inventory/index.js';
import { logFormats, logLevels } from './logger.js';
import type { SimulatorOptions } from './index.js';

type Kind = 'string' | 'int' | 'bool';
interface Flag {
  kind: Kind;
  help: string;
}

/** vcsim's flags (single dash, Go style) and our own long options, in one table. */
const flags: Record<string, Flag> = {
  l: { kind: 'string', help: 'Listen address host:port (port 0 picks a free one)' },
  E: { kind: 'string', help: 'File or fifo to write the "export GOVC_URL=... GOVC_SIM_PID=..." line to' },
  dc: { kind: 'int', help: 'Number of datacenters' },
  cluster: { kind: 'int', help: 'Number of clusters per datacenter' },
  host: { kind: 'int', help: 'Number of hosts per cluster' },
  'standalone-host': { kind: 'int', help: 'Number of standalone hosts per datacenter' },
  vm: { kind: 'int', help: 'Number of VMs per host or resource pool' },
  pool: { kind: 'int', help: 'Number of resource pools per cluster' },
  folder: { kind: 'int', help: 'Number of folders' },
  ds: { kind: 'int', help: 'Number of local datastores' },
  pg: { kind: 'int', help: 'Number of DVS portgroups' },
  'pg-nsx': { kind: 'int', help: 'Number of NSX-backed portgroups' },
  app: { kind: 'int', help: 'Number of virtual apps per compute resource' },
  pod: { kind: 'int', help: 'Number of storage pods per datacenter' },
  esx: { kind: 'bool', help: 'Simulate a standalone ESX host instead of vCenter' },
  load: { kind: 'string', help: 'Load a saved inventory directory (govc object.save)' },
  username: { kind: 'string', help: 'Login user name (default: any non-empty name logs in)' },
  password: { kind: 'string', help: 'Login password (default: any non-empty password logs in)' },
  tls: { kind: 'bool', help: 'Serve HTTPS (default true)' },
  tlscert: { kind: 'string', help: 'TLS certificate file (default: self-signed, made at start)' },
  tlskey: { kind: 'string', help: 'TLS private key file' },
  trace: { kind: 'bool', help: 'Log every request' },
  delay: { kind: 'int', help: 'Duration of every task in milliseconds (default 0: near-instant)' },
  'method-delay': { kind: 'string', help: 'Per-method task durations in ms, e.g. PowerOnVM_Task:1000,CloneVM_Task:5000' },
  'delay-jitter': { kind: 'string', help: 'Coefficient of variation of task durations, e.g. 0.5 (drawn from --seed)' },
  'api-version': { kind: 'string', help: 'API version reported in about.apiVersion' },
  topology: { kind: 'string', help: 'Topology file (YAML or JSON)' },
  seed: { kind: 'int', help: 'Seed for generated values (same topology and seed, same inventory)' },
  'session-timeout': { kind: 'int', help: 'Session idle timeout in seconds (default 1800)' },
  'control-token': { kind: 'string', help: 'Bearer token accepted by the /_sim control API (Basic with the credentials always works)' },
  'journal-size': { kind: 'int', help: 'Calls the /_sim/journal keeps (default 10000)' },
  'trace-file': { kind: 'string', help: 'Append every call of the journal to this file as JSON lines' },
  'control-port': { kind: 'int', help: 'Also serve the control API (/_sim, /metrics) on this port of the listen host' },
  state: { kind: 'string', help: 'Start from the world in this JSON file (as GET /_sim/state gives it)' },
  'save-on-exit': { kind: 'string', help: 'Write the world to this JSON file when stopped (SIGINT, SIGTERM)' },
  'event-history': { kind: 'int', help: 'Events the EventManager keeps, the oldest dropped first (default 100000)' },
  'task-history': { kind: 'int', help: 'Finished tasks kept before they are forgotten (default 10000)' },
  'log-level': { kind: 'string', help: `Log level on stderr: ${logLevels.join(', ')} (default info; debug logs every call)` },
  'log-format': { kind: 'string', help: 'Log lines as json (default) or pretty' },
  help: { kind: 'bool', help: 'Show this help' },
};

export type Parsed = Record<string, string | number | boolean>;

export function parseArgs(argv: string[]): Parsed {
  const parsed: Parsed = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--?([^=]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`Unexpected argument '${arg}'`);
    const name = match[1]!;
    const flag = flags[name];
    if (!flag) throw new Error(`Unknown flag -${name} (try -help)`);
    let value = match[2];
    if (flag.kind === 'bool') {
      parsed[name] = value === undefined ? true : value === 'true' || value === '1';
      continue;
    }
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new Error(`Flag -${name} needs a value`);
      value = argv[++i]!;
    }
    parsed[name] = flag.kind === 'int' ? toInt(name, value) : value;
  }
  return parsed;
}

function toInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`Flag -${name} needs an integer, got '${value}'`);
  return n;
}

/** vcsim's -method-delay: `Method:ms,Method:ms`. */
function methodDelays(spec: string): Record<string, number> {
  const delays: Record<string, number> = {};
  for (const item of spec.split(',').filter(Boolean)) {
    const [method, ms] = item.split(':');
    if (!method || ms === undefined) throw new Error(`-method-delay wants Method:ms[,Method:ms], got '${item}'`);
    delays[method.trim()] = toNumber('method-delay', ms);
  }
  return delays;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new Error(`Flag --${name} needs one of ${allowed.join(', ')}, got '${String(value)}'`);
  return value as T;
}

function toNumber(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`Flag -${name} needs a non-negative number, got '${value}'`);
  return n;
}

export function usage(): string {
  const lines = Object.entries(flags).map(([name, f]) => `  -${name}${f.kind === 'bool' ? '' : ` <${f.kind}>`}\n      ${f.help}`);
  return `Usage: vcenter-sim [flags]\n${lines.join('\n')}\n`;
}

export function optionsFrom(args: Parsed): SimulatorOptions {
  const num = (name: string) => args[name] as number | undefined;
  const topology =
    args.topology !== undefined
      ? loadTopologyFile(String(args.topology))
      : topologyFromFlags({
          esx: args.esx === true,
          dc: num('dc'),
          cluster: num('cluster'),
          host: num('host'),
          standaloneHost: num('standalone-host'),
          vm: num('vm'),
          pool: num('pool'),
          folder: num('folder'),
          ds: num('ds'),
          pg: num('pg'),
          app: num('app'),
          pod: num('pod'),
        });
  return {
    topology,
    listen: (args.l as string | undefined) ?? '127.0.0.1:8989',
    username: args.username as string | undefined,
    password: args.password as string | undefined,
    tls: args.tls as boolean | undefined,
    tlsCert: args.tlscert as string | undefined,
    tlsKey: args.tlskey as string | undefined,
    trace: args.trace === true,
    seed: num('seed'),
    apiVersion: args['api-version'] as string | undefined,
    taskDelayMs: num('delay'),
    methodDelayMs: args['method-delay'] === undefined ? undefined : methodDelays(String(args['method-delay'])),
    delayJitter: args['delay-jitter'] === undefined ? undefined : toNumber('delay-jitter', String(args['delay-jitter'])),
    sessionIdleTimeoutMs: num('session-timeout') === undefined ? undefined : num('session-timeout')! * 1000,
    controlToken: args['control-token'] as string | undefined,
    journalSize: num('journal-size'),
    traceFile: args['trace-file'] as string | undefined,
    controlPort: num('control-port'),
    loadDir: args.load as string | undefined,
    stateFile: args.state as string | undefined,
    saveOnExit: args['save-on-exit'] as string | undefined,
    eventHistorySize: num('event-history'),
    taskHistorySize: num('task-history'),
    logLevel: oneOf('log-level', args['log-level'], logLevels),
    logFormat: oneOf('log-format', args['log-format'], logFormats),
  };
}

