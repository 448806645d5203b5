/**
 * From the flags of `vcenter-sim` (cli-flags.ts) to simulator options: vcsim's meaning of each,
 * checked first, so that a bad or conflicting value stops the start with one clear line (a
 * UsageError, exit code 2) instead of a schema dump or a silently ignored flag.
 */
import { readFileSync } from 'node:fs';
import { loadTopologyFile, topologyFromFlags } from '../models/inventory/index.js';
import { parseCommandLine, UsageError, type Parsed } from './cli-flags.js';
import { logFormats, logLevels } from './logger.js';
import { parseListen, type SimulatorOptions } from './index.js';

export { parseCommandLine, usage, UsageError, type Parsed } from './cli-flags.js';

/** The flags of a command line (its command aside). */
export function parseArgs(argv: string[]): Parsed {
  return parseCommandLine(argv).flags;
}

/** vcsim's model flags (object counts): none may be negative. */
const countFlags = ['dc', 'cluster', 'host', 'standalone-host', 'vm', 'pool', 'folder', 'ds', 'pg', 'pg-nsx', 'nsx', 'app', 'pod'];
/** The model flags that describe a vCenter: the ESX model has one fixed host and ignores them. */
const vpxOnlyFlags = countFlags.filter((name) => name !== 'vm' && name !== 'ds');

/** What vcenter-sim's CLI does beyond the simulator options. */
export interface CliOptions extends SimulatorOptions {
  /** vcsim's -E: where the export line goes besides stdout. */
  envFile?: string;
  /** vcsim's -stdinexit. */
  stdinExit: boolean;
  /** vcsim's -tunnel: -1 none, 0 a free port. */
  tunnelPort: number;
  /** vcsim's -trace and -trace-file: where the SOAP trace goes, '-' for stderr. */
  soapTraceFile?: string;
}

export function optionsFrom(args: Parsed): CliOptions {
  check(args);
  const num = (name: string) => args[name] as number | undefined;
  const str = (name: string) => args[name] as string | undefined;
  const listen = str('httptest.serve') || str('l') || '127.0.0.1:8989';
  try {
    parseListen(listen);
  } catch {
    throw new UsageError(`invalid listen address "${listen}": want host:port, e.g. 127.0.0.1:8989 (port 0 picks a free one)`);
  }
  return {
    topology: topology(args),
    listen,
    username: secret(str('username')),
    password: secret(str('password')),
    tls: args.tls as boolean | undefined,
    tlsCert: str('tlscert'),
    tlsKey: str('tlskey'),
    soapTraceFile: args.trace === true || args['trace-file'] !== undefined ? (str('trace-file') ?? '-') : undefined,
    seed: num('seed'),
    apiVersion: str('api-version'),
    taskDelayMs: num('delay'),
    methodDelayMs: args['method-delay'] === undefined ? undefined : methodDelays(String(args['method-delay'])),
    delayJitter: num('delay-jitter'),
    sessionIdleTimeoutMs: num('session-timeout') === undefined ? undefined : num('session-timeout')! * 1000,
    controlToken: str('control-token'),
    journalSize: num('journal-size'),
    journalFile: str('journal-file'),
    controlPort: num('control-port'),
    loadDir: str('load'),
    stateFile: str('state'),
    saveOnExit: str('save-on-exit'),
    eventHistorySize: num('event-history'),
    datastoreContentBudget: num('datastore-content-budget'),
    taskHistorySize: num('task-history'),
    envFile: str('E') === '-' ? undefined : str('E'),
    stdinExit: args.stdinexit === true,
    tunnelPort: num('tunnel') ?? -1,
    logLevel: oneOf('log-level', args['log-level'], logLevels),
    logFormat: oneOf('log-format', args['log-format'], logFormats),
  };
}

function topology(args: Parsed): SimulatorOptions['topology'] {
  if (args.topology !== undefined) {
    try {
      return loadTopologyFile(String(args.topology));
    } catch (error) {
      throw new UsageError((error as Error).message.replace(/\n\s*/g, '; '));
    }
  }
  const num = (name: string) => args[name] as number | undefined;
  return topologyFromFlags({
    esx: args.esx === true,
    autostart: args.autostart as boolean | undefined,
    dc: num('dc'),
    cluster: num('cluster'),
    host: num('host'),
    standaloneHost: num('standalone-host'),
    vm: num('vm'),
    pool: num('pool'),
    folder: num('folder'),
    ds: num('ds'),
    pg: num('pg'),
    pgNSX: num('pg-nsx'),
    nsx: num('nsx'),
    app: num('app'),
    pod: num('pod'),
  });
}

/** Values and combinations vcsim would take silently and do something surprising with. */
function check(args: Parsed): void {
  const given = (name: string) => args[name] !== undefined;
  const fail = (message: string) => {
    throw new UsageError(message);
  };
  for (const name of countFlags) if (given(name) && (args[name] as number) < 0) fail(`-${name} must be 0 or more, got ${args[name]}`);
  for (const name of ['delay', 'delay-jitter', 'seed']) if (given(name) && (args[name] as number) < 0) fail(`-${name} must be 0 or more, got ${args[name]}`);
  for (const name of ['session-timeout', 'journal-size', 'event-history']) if (given(name) && (args[name] as number) < 1) fail(`--${name} must be 1 or more, got ${args[name]}`);
  if (given('task-history') && (args['task-history'] as number) < 0) fail(`--task-history must be 0 or more, got ${args['task-history']}`);
  for (const name of ['control-port', 'tunnel']) {
    const port = args[name] as number | undefined;
    if (port !== undefined && !(port >= (name === 'tunnel' ? -1 : 0) && port <= 65535)) fail(`-${name} must be a port number (0 picks a free one), got ${port}`);
  }
  if (given('username') !== given('password')) fail('-username and -password go together: give both, or neither to let any user log in');
  if (given('username') && args.username === '') fail('-username must not be empty');
  if (given('tlskey') !== given('tlscert')) fail('-tlscert and -tlskey go together: give both, or neither for a self-signed certificate');
  if (args.tls === false && given('tlscert')) fail('-tlscert and -tlskey need TLS; drop -tls=false');
  for (const name of ['E', 'load', 'topology', 'api-version', 'trace-file', 'journal-file', 'state', 'save-on-exit']) {
    if (args[name] === '') fail(`-${name} needs a value`);
  }
  const modelFlags = [...countFlags, 'esx', 'autostart'].filter(given);
  if (given('topology') && modelFlags.length) fail(`--topology and -${modelFlags[0]} both describe the inventory: give the counts in the topology file's "flags"`);
  if (given('load') && (modelFlags.length || given('topology'))) fail(`-load starts from a saved inventory: -${modelFlags[0] ?? 'topology'} does not apply`);
  const vpxOnly = vpxOnlyFlags.filter(given);
  if (args.esx === true && vpxOnly.length) fail(`-esx simulates one ESX host: -${vpxOnly[0]} does not apply (only -vm, -ds and -autostart do)`);
  if (given('method-delay')) methodDelays(String(args['method-delay']));
}

/**
 * vcsim's -username and -password may each name a file holding the value (govmomi's session.Secret):
 * a readable file gives its trimmed contents, anything else is the value itself.
 */
function secret(value: string | undefined): string | undefined {
  if (!value) return value;
  try {
    return readFileSync(value, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(`cannot read ${value}: permission denied`);
    return value;
  }
}

/** vcsim's -method-delay: `Method:ms,Method:ms`, ms a whole number. */
function methodDelays(spec: string): Record<string, number> {
  const delays: Record<string, number> = {};
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [method, ms, extra] = item.split(':');
    const value = Number(ms);
    if (!method || ms === undefined || extra !== undefined || !/^\d+$/.test(ms.trim()) || !Number.isSafeInteger(value)) {
      throw new UsageError(`-method-delay wants Method:milliseconds[,Method:milliseconds], got '${item}'`);
    }
    delays[method.trim()] = value;
  }
  return delays;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} needs one of ${allowed.join(', ')}, got '${String(value)}'`);
  return value as T;
}
