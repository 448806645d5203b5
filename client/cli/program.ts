/**
 * The vcctl command tree, built fresh for each run (commander holds the parsed state, so a
 * program is never reused). `vcctl <noun> <verb>`: each noun is a file under commands/.
 */
import { Command, CommanderError, Option } from 'commander';
import { RunContext, type Io } from './context.js';
import { FORMATS } from './output.js';
import { packageVersion } from '../package-version.js';
import { registerAbout } from './commands/about.js';
import { registerCategory } from './commands/category.js';
import { registerCluster } from './commands/cluster.js';
import { registerCompletion } from './commands/completion.js';
import { registerConfig } from './commands/config.js';
import { registerDatastore } from './commands/ds.js';
import { registerEvents } from './commands/events.js';
import { registerFind } from './commands/find.js';
import { registerFolder } from './commands/folder.js';
import { registerHost } from './commands/host.js';
import { registerLibrary } from './commands/library.js';
import { registerLs } from './commands/ls.js';
import { registerNetwork } from './commands/net.js';
import { registerPool } from './commands/pool.js';
import { registerSession } from './commands/session.js';
import { registerSim } from './commands/sim.js';
import { registerTag } from './commands/tag.js';
import { registerTasks } from './commands/tasks.js';
import { registerVm } from './commands/vm.js';

/** Adds an "Examples:" section to a command's --help. */
export function examples(command: Command, lines: readonly string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

/** A command with subcommands: without one it prints its help (and exits 2, a usage error). */
export function group(parent: Command, name: string, description: string, lines: readonly string[]): Command {
  return examples(parent.command(name).description(description), lines);
}

/** `--filter` on a listing. */
export const filterOption = () => new Option('--filter <expr>', "only objects the expression matches, e.g. 'powerState==poweredOn && numCPU>=2'");

export function buildProgram(io: Io): { program: Command; ctx: RunContext } {
  const program = new Command('vcctl');
  const ctx = new RunContext(io, program);
  program
    .description('Drive a vCenter (or vcenter-sim) from the shell: inventory, VMs, hosts, tasks, events, tags, and the simulator control API.')
    .version(packageVersion(), '-V, --version', 'print the version of vcctl')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Usage errors in the form of every other error: ERR_USAGE: message.
      outputError: (text, write) => write(`ERR_USAGE: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(add --help for usage)')
    // A subcommand's --help lists the connection and output options too: they work anywhere.
    .configureHelp({ showGlobalOptions: true })
    .option('--url <url>', 'vCenter URL or host (env VCCTL_URL, GOVC_URL)')
    .option('-u, --username <user>', 'user name (env VCCTL_USERNAME, GOVC_USERNAME)')
    .option('-p, --password <password>', 'password (env VCCTL_PASSWORD, GOVC_PASSWORD)')
    .option('-k, --insecure', 'accept any server certificate (env VCCTL_INSECURE, GOVC_INSECURE)')
    .option('--thumbprint <sha256>', 'accept exactly the certificate with this SHA-256 thumbprint (env VCCTL_THUMBPRINT)')
    .option('--context <name>', 'a named context from the config file (env VCCTL_CONTEXT)')
    .option('--control-token <token>', 'bearer token of the simulator control API (env VCCTL_CONTROL_TOKEN); default: the username and password')
    .addOption(new Option('-o, --output <format>', 'output format (default: table on a terminal, json otherwise)').choices(FORMATS))
    .option('--columns <fields>', 'comma-separated fields to show, e.g. name,powerState,numCPU')
    .option('--no-cache', 'neither reuse nor save a cached session')
    .option('--debug', 'print every request and response on stderr (credentials masked)');
  examples(program, [
    'vcctl --url https://127.0.0.1:8989/sdk -u user -p pass -k about',
    "vcctl vm ls --filter 'powerState==poweredOn && numCPU>=2' -o json | jq .name",
    'vcctl vm power off DC0_H0_VM0',
    'vcctl sim faults add --method PowerOnVM_Task --fault InvalidState --times 1',
    'source <(vcctl completion bash)',
  ]);
  for (const register of [
    registerAbout, registerLs, registerFind, registerVm, registerHost, registerCluster, registerDatastore, registerNetwork, registerPool,
    registerFolder, registerEvents, registerTasks, registerTag, registerCategory, registerLibrary, registerSession, registerSim,
    registerConfig, registerCompletion,
  ]) {
    register(program, ctx);
  }
  return { program, ctx };
}

/** Help and version requests end with exit 0; commander's other exits are usage errors. */
export function isCleanExit(error: CommanderError): boolean {
  return error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
}
