/**
 * The flags of `vcenter-sim` and how they are read: vcsim's flags, read as Go's `flag` package
 * reads them (`-name value`, `-name=value`, `--name`, booleans only as `-name` or `-name=false`,
 * parsing stops at the first argument that is not a flag, `--` ends the flags), plus our own
 * long options. A bad command line is a `UsageError`: the command exits with 2, as Go's does.
 */

export type Kind = 'string' | 'int' | 'bool' | 'float';
export interface Flag {
  kind: Kind;
  help: string;
  /** Shown in the help; what the flag means when absent. */
  default?: string;
  /** vcsim's own flag, or one vcenter-sim adds. */
  ours?: boolean;
}

/** vcsim 0.38's flags, in the order of its help, then ours. */
export const flags: Record<string, Flag> = {
  E: { kind: 'string', default: '-', help: 'Output vcsim variables ("export GOVC_URL=... GOVC_SIM_PID=...") to the given fifo or file, "-" for stdout only' },
  'api-version': { kind: 'string', default: '7.0', help: 'API version: what ServiceContent.about.apiVersion reports' },
  app: { kind: 'int', default: '0', help: 'Number of virtual apps per compute resource' },
  autostart: { kind: 'bool', default: 'true', help: 'Autostart model created VMs (-autostart=false leaves them powered off)' },
  cluster: { kind: 'int', default: '1', help: 'Number of clusters' },
  dc: { kind: 'int', default: '1', help: 'Number of datacenters' },
  delay: { kind: 'int', default: '0', help: 'Method response delay across all methods, in milliseconds' },
  'delay-jitter': { kind: 'float', default: '0', help: 'Delay jitter coefficient of variation (tip: 0.5 is a good starting value)' },
  ds: { kind: 'int', default: '1', help: 'Number of local datastores' },
  esx: { kind: 'bool', default: 'false', help: 'Simulate standalone ESX' },
  folder: { kind: 'int', default: '0', help: 'Number of folders' },
  host: { kind: 'int', default: '3', help: 'Number of hosts per cluster' },
  'httptest.serve': { kind: 'string', help: 'If non-empty, serve on this address (overrides -l, as Go\'s httptest flag does for vcsim)' },
  l: { kind: 'string', default: '127.0.0.1:8989', help: 'Listen address for vcsim (port 0 picks a free one)' },
  load: { kind: 'string', help: 'Load model from directory (written by govc object.save)' },
  'method-delay': { kind: 'string', help: "Delay per method on the form 'method1:delay1,method2:delay2...' (milliseconds)" },
  nsx: { kind: 'int', default: '0', help: 'Number of NSX backed opaque networks' },
  password: { kind: 'string', help: 'Login password for vcsim (any password allowed by default); a file path gives its contents' },
  pg: { kind: 'int', default: '1', help: 'Number of port groups' },
  'pg-nsx': { kind: 'int', default: '0', help: 'Number of NSX backed port groups' },
  pod: { kind: 'int', default: '0', help: 'Number of storage pods per datacenter' },
  pool: { kind: 'int', default: '0', help: 'Number of resource pools per compute resource (the VMs go into each)' },
  'standalone-host': { kind: 'int', default: '1', help: 'Number of standalone hosts' },
  stdinexit: { kind: 'bool', default: 'false', help: 'Press any key to exit (also exits when stdin ends)' },
  tls: { kind: 'bool', default: 'true', help: 'Enable TLS' },
  tlscert: { kind: 'string', help: 'Path to TLS certificate file (default: self-signed, made at start)' },
  tlskey: { kind: 'string', help: 'Path to TLS key file' },
  trace: { kind: 'bool', default: 'false', help: 'Trace SOAP to -trace-file (each request and response body)' },
  'trace-file': { kind: 'string', help: 'Trace output file (defaults to stderr); implies -trace' },
  tunnel: { kind: 'int', default: '-1', help: 'SDK tunnel port (an HTTP CONNECT proxy to the SDK listener; 0 picks a free one)' },
  username: { kind: 'string', help: 'Login username for vcsim (any username allowed by default); a file path gives its contents' },
  vm: { kind: 'int', default: '2', help: 'Number of virtual machines per resource pool' },
  // vcenter-sim's own
  topology: { kind: 'string', ours: true, help: 'Topology file (YAML or JSON) instead of the model flags' },
  seed: { kind: 'int', ours: true, default: '0', help: 'Seed for generated values (same topology and seed, same inventory)' },
  'session-timeout': { kind: 'int', ours: true, default: '1800', help: 'Session idle timeout in seconds' },
  'control-token': { kind: 'string', ours: true, help: 'Bearer token accepted by the /_sim control API (Basic with the credentials always works)' },
  'control-port': { kind: 'int', ours: true, help: 'Also serve the control API (/_sim, /metrics) on this port of the listen host' },
  'journal-size': { kind: 'int', ours: true, default: '10000', help: 'Calls the /_sim/journal keeps' },
  'journal-file': { kind: 'string', ours: true, help: 'Append every call of the journal to this file as JSON lines' },
  state: { kind: 'string', ours: true, help: 'Start from the world in this JSON file (as GET /_sim/state gives it)' },
  'save-on-exit': { kind: 'string', ours: true, help: 'Write the world to this JSON file when stopped (SIGINT, SIGTERM)' },
  'event-history': { kind: 'int', ours: true, default: '100000', help: 'Events the EventManager keeps, the oldest dropped first' },
  'task-history': { kind: 'int', ours: true, default: '10000', help: 'Finished tasks kept before they are forgotten' },
  'datastore-content-budget': { kind: 'int', ours: true, default: '268435456', help: 'Bytes of uploaded datastore files kept in memory; past it a file keeps its size only' },
  'log-level': { kind: 'string', ours: true, default: 'info', help: 'Log level on stderr: fatal, error, warn, info, debug (every call), trace, silent' },
  'log-format': { kind: 'string', ours: true, default: 'json', help: 'Log lines as json or pretty' },
  version: { kind: 'bool', ours: true, help: 'Print the version and exit (as the `version` command)' },
  help: { kind: 'bool', help: 'Show this help and exit' },
  h: { kind: 'bool', help: 'Show this help and exit' },
};

/** The subcommands vcsim takes as its first argument. */
export const commands = ['uuidgen', 'version'] as const;
export type Command = (typeof commands)[number] | 'help' | 'serve';

export type Parsed = Record<string, string | number | boolean>;

/** A command line that cannot be used: exit code 2 and a one-line message, as Go's flag package. */
export class UsageError extends Error {}

export interface CommandLine {
  command: Command;
  flags: Parsed;
}

/** Reads argv as Go's flag package does, then the subcommand vcsim looks for in the first argument left. */
export function parseCommandLine(argv: string[]): CommandLine {
  const parsed: Parsed = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (arg.length < 2 || arg[0] !== '-') break; // the first non-flag ends the flags
    i = readFlag(argv, i, parsed);
  }
  const rest = argv.slice(i);
  if (parsed.help || parsed.h) return { command: 'help', flags: parsed };
  if (parsed.version) return { command: 'version', flags: parsed };
  if (rest.length === 0) return { command: 'serve', flags: parsed };
  const command = commands.find((c) => c === rest[0]);
  if (!command) throw new UsageError(`unexpected argument '${rest[0]}' (commands: ${commands.join(', ')}; flags go before them)`);
  if (rest.length > 1) throw new UsageError(`unexpected argument '${rest[1]}' after '${command}'`);
  return { command, flags: parsed };
}

/** Reads the flag at argv[i] into `parsed`; returns the index of the last argument it used. */
function readFlag(argv: string[], i: number, parsed: Parsed): number {
  const arg = argv[i]!;
  const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
  if (body === '' || body[0] === '-' || body[0] === '=') throw new UsageError(`bad flag syntax: ${arg}`);
  const eq = body.indexOf('=');
  const name = eq < 0 ? body : body.slice(0, eq);
  const flag = flags[name];
  if (!flag) throw new UsageError(`flag provided but not defined: -${name} (see -h)`);
  if (flag.kind === 'bool') {
    if (eq >= 0) {
      parsed[name] = goBool(name, body.slice(eq + 1));
      return i;
    }
    // Go would take `-tls false` as -tls followed by an argument, and stop reading flags there.
    const next = argv[i + 1];
    if (next !== undefined && isGoBool(next)) throw new UsageError(`boolean flag -${name} takes its value as -${name}=${next}, not -${name} ${next}`);
    parsed[name] = true;
    return i;
  }
  let value: string;
  if (eq >= 0) value = body.slice(eq + 1);
  else if (i + 1 < argv.length) value = argv[++i]!;
  else throw new UsageError(`flag needs an argument: -${name}`);
  parsed[name] = convert(name, flag.kind, value);
  return i;
}

const goTrue = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const goFalse = ['0', 'f', 'F', 'FALSE', 'false', 'False'];
const isGoBool = (value: string) => goTrue.includes(value) || goFalse.includes(value);

/** strconv.ParseBool's spellings. */
function goBool(name: string, value: string): boolean {
  if (goTrue.includes(value)) return true;
  if (goFalse.includes(value)) return false;
  throw new UsageError(`invalid boolean value "${value}" for -${name}: use true or false`);
}

function convert(name: string, kind: Kind, value: string): string | number {
  if (kind === 'string') return value;
  // Number() reads what Go's ParseInt/ParseFloat read (0x.., 0o.., 0b.., 1e3), less Go's underscores.
  const n = value.trim() === '' ? NaN : Number(value.replace(/_/g, ''));
  if (kind === 'int' && !Number.isSafeInteger(n)) throw new UsageError(`invalid value "${value}" for flag -${name}: not an integer`);
  if (kind === 'float' && !Number.isFinite(n)) throw new UsageError(`invalid value "${value}" for flag -${name}: not a number`);
  return n;
}

export function usage(version: string): string {
  const show = (ours: boolean) =>
    Object.entries(flags)
      .filter(([name, f]) => (f.ours ?? false) === ours && name !== 'h')
      .map(([name, f]) => {
        const value = f.kind === 'bool' ? '' : ` ${f.kind === 'float' ? 'number' : f.kind}`;
        const fallback = f.default === undefined ? '' : ` (default ${f.default})`;
        return `  -${name}${value}\n    \t${f.help}${fallback}`;
      })
      .join('\n');
  return `vcenter-sim ${version}: an in-memory vCenter (or ESX) simulator, a drop-in for vcsim.

Usage: vcenter-sim [flags]           start a simulator
       vcenter-sim uuidgen           print a random UUID
       vcenter-sim version           print the version

Flags are read as Go's flag package reads vcsim's: -name value, -name=value or --name;
booleans as -name or -name=false (not -name false).

vcsim's flags:
${show(false)}

vcenter-sim's options:
${show(true)}

Examples:
  vcenter-sim                                   vcsim's VPX model on https://127.0.0.1:8989/sdk
  vcenter-sim -l 127.0.0.1:0 -E /tmp/env        any free port; the export line goes to /tmp/env
  vcenter-sim -esx -autostart=false             a standalone ESX host, its VMs powered off
  vcenter-sim -dc 2 -cluster 2 -host 4 -pool 2 -vm 3 -ds 2 -pg 2 -app 1 -pod 1 -folder 1
  vcenter-sim -username admin -password s3cret -tls=false -trace-file soap.log
  vcenter-sim --topology lab.yaml --seed 7 --journal-file calls.jsonl
`;
}
