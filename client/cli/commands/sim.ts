/** `vcctl sim ...`: the simulator's control API (fault rules, journal, world state, world actions, metrics). */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { VimError } from '../../errors.js';
import type { RunContext } from '../context.js';
import { CliError } from '../errors.js';
import { examples, group } from '../program.js';
import { registerFaults } from './sim-faults.js';
import { registerJournal } from './sim-journal.js';

export const SNAPSHOT_FIELDS = ['id', 'name', 'takenAt', 'objects'] as const;
export const COVERAGE_FIELDS = ['api', 'method', 'count', 'implemented'] as const;

export function registerSim(program: Command, ctx: RunContext): void {
  const sim = group(program, 'sim', "vcenter-sim's control API (/_sim): same credentials as the SDK unless --control-token", [
    'vcctl sim faults add --method PowerOnVM_Task --fault InvalidState',
    'vcctl sim journal --follow',
    'vcctl sim reset',
  ]);
  registerFaults(sim, ctx);
  registerJournal(sim, ctx);

  examples(sim.command('coverage').description(`the methods and routes called since the journal was cleared, and those not implemented (fields: ${COVERAGE_FIELDS.join(', ')})`), [
    'vcctl sim coverage',
    "vcctl sim coverage -o json | jq 'select(.implemented==false)'",
  ]).action(async () => {
    const coverage = await ctx.control().call<{ methods: Record<string, unknown>[]; notImplemented: Record<string, unknown>[] }>('GET', 'coverage');
    const rows = [...coverage.methods.map((m) => ({ ...m, implemented: true })), ...coverage.notImplemented.map((m) => ({ ...m, implemented: false }))];
    ctx.printRows(rows, COVERAGE_FIELDS);
  });

  examples(sim.command('reset').description('back to the start inventory; rules and journal cleared unless kept').option('--keep-rules', 'keep the fault rules').option('--keep-journal', 'keep the journal').option('--end-sessions', 'log everyone out too'), [
    'vcctl sim reset',
    'vcctl sim reset --keep-rules',
  ]).action(async (options: { keepRules?: boolean; keepJournal?: boolean; endSessions?: boolean }) => {
    await ctx.control().call('POST', 'reset', options);
  });

  examples(sim.command('metrics').description("the simulator's Prometheus metrics, as text"), ['vcctl sim metrics | grep vcenter_sim_api_calls_total']).action(async () => {
    ctx.print(await ctx.control().call<string>('GET', '/metrics'));
  });

  registerSnapshots(sim, ctx);
  registerState(sim, ctx);
  registerActions(sim, ctx);
}

function registerSnapshots(sim: Command, ctx: RunContext): void {
  const snapshot = group(sim, 'snapshot', 'snapshots of the whole simulated world', ['vcctl sim snapshot save before-test', 'vcctl sim snapshot restore before-test']);
  /** A snapshot by id or by name (the newest of that name). */
  const idOf = async (idOrName: string) => {
    const all = await ctx.control().call<{ id: string; name: string }[]>('GET', 'snapshots');
    const found = all.find((s) => s.id === idOrName) ?? all.filter((s) => s.name === idOrName).pop();
    if (!found) throw new VimError({ code: 'NOT_FOUND', message: `simulator snapshot "${idOrName}" not found` });
    return found.id;
  };
  examples(snapshot.command('save <name>').description('take a snapshot'), ['vcctl sim snapshot save before-test']).action(async (name: string) => {
    ctx.printRows([await ctx.control().call<Record<string, unknown>>('POST', 'snapshots', { name })], SNAPSHOT_FIELDS);
  });
  examples(snapshot.command('ls').description(`the snapshots (fields: ${SNAPSHOT_FIELDS.join(', ')})`), ['vcctl sim snapshot ls']).action(async () => {
    ctx.printRows(await ctx.control().call<Record<string, unknown>[]>('GET', 'snapshots'), SNAPSHOT_FIELDS);
  });
  examples(snapshot.command('restore <snapshot>').description('make the world what it was (by id or name)').option('--end-sessions', 'log everyone out too'), ['vcctl sim snapshot restore before-test']).action(
    async (idOrName: string, options: { endSessions?: boolean }) => {
      await ctx.control().call('POST', `snapshots/${encodeURIComponent(await idOf(idOrName))}/restore`, options);
    },
  );
  examples(snapshot.command('rm <snapshot>').description('forget a snapshot (by id or name)'), ['vcctl sim snapshot rm before-test']).action(async (idOrName: string) => {
    await ctx.control().call('DELETE', `snapshots/${encodeURIComponent(await idOf(idOrName))}`);
  });
}

function registerState(sim: Command, ctx: RunContext): void {
  const state = group(sim, 'state', 'the world as a JSON document', ['vcctl sim state export world.json', 'vcctl sim state import world.json']);
  examples(state.command('export [file]').description('write the world to a file (default: stdout)'), ['vcctl sim state export world.json', 'vcctl sim state export | jq .objects']).action(async (file: string | undefined) => {
    const doc = await ctx.control().call<unknown>('GET', 'state');
    const text = JSON.stringify(doc) + '\n';
    if (file) writeFileSync(file, text);
    else ctx.print(text);
  });
  examples(state.command('import <file>').description('replace the world with a file from export'), ['vcctl sim state import world.json']).action(async (file: string) => {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new CliError('USAGE', `${file}: ${(error as Error).message}`);
    }
    await ctx.control().call('PUT', 'state', doc);
  });
}

function registerActions(sim: Command, ctx: RunContext): void {
  const action = group(sim, 'action', 'world actions: failures and changes a vCenter would see', ['vcctl sim action host-fail DC0_C0_H1', 'vcctl sim action clock-advance 3600']);
  const post = async (name: string, body: unknown) => {
    const result = await ctx.control().call<Record<string, unknown> | undefined>('POST', `actions/${name}`, body);
    if (result) ctx.printObject(result, Object.keys(result));
  };
  for (const [name, what] of [
    ['host-fail', 'the host stops responding; HA restarts its VMs elsewhere in a cluster'],
    ['host-disconnect', 'the host and its VMs become disconnected'],
    ['host-reconnect', 'the host comes back'],
  ] as const) {
    examples(action.command(`${name} <host>`).description(`${what} (by name or id)`), [`vcctl sim action ${name} DC0_C0_H1`]).action((host: string) =>
      post(name, /^host-\d+$/.test(host) ? { host } : { name: host }),
    );
  }
  examples(action.command('datastore-fill <datastore>').description('set a datastore\'s free space').option('--free-percent <p>', 'free space left, percent').option('--free-space <bytes>', 'free space left, bytes'), [
    'vcctl sim action datastore-fill LocalDS_0 --free-percent 0',
  ]).action((datastore: string, options: { freePercent?: string; freeSpace?: string }) => {
    if ((options.freePercent === undefined) === (options.freeSpace === undefined)) throw new CliError('USAGE', 'give --free-percent or --free-space');
    return post('datastore-fill', { datastore, freePercent: options.freePercent === undefined ? undefined : Number(options.freePercent), freeSpace: options.freeSpace === undefined ? undefined : Number(options.freeSpace) });
  });
  examples(action.command('vm-guest <vm>').description('set what the guest reports').option('--ip <address>', 'guest.ipAddress').option('--hostname <name>', 'guest.hostName').option('--tools <status>', 'guestToolsRunning, guestToolsNotRunning or guestToolsExecutingScripts'), [
    'vcctl sim action vm-guest DC0_H0_VM0 --ip 10.1.2.3 --hostname web-1 --tools guestToolsRunning',
  ]).action((vm: string, options: { ip?: string; hostname?: string; tools?: string }) => post('vm-guest', { vm, ipAddress: options.ip, hostName: options.hostname, toolsRunningStatus: options.tools }));
  examples(action.command('clock-advance <seconds>').description("move the simulator's clock ahead"), ['vcctl sim action clock-advance 3600']).action((seconds: string) => {
    const value = Number(seconds);
    if (!(value > 0)) throw new CliError('USAGE', `clock-advance needs a positive number of seconds, not "${seconds}"`);
    return post('clock-advance', { seconds: value });
  });
  examples(action.command('sessions-expire').description('end sessions (all, a user\'s, or one)').option('--user <glob>', "only this user's sessions").option('--session <key>', 'only this session'), [
    'vcctl sim action sessions-expire --user alice',
  ]).action((options: { user?: string; session?: string }) => post('sessions-expire', { user: options.user, sessionId: options.session }));
}
