/** `vcctl sim faults add|ls|get|rm|clear`: the simulator's fault rules, from flags or a YAML/JSON file. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'yaml';
import type { RunContext } from '../context.js';
import { CliError } from '../errors.js';
import { examples, group } from '../program.js';

export const RULE_FIELDS = ['id', 'name', 'match', 'action', 'times', 'matched', 'hits', 'exhausted'] as const;

interface RuleFlags {
  file?: string;
  name?: string;
  api?: string;
  method?: string;
  type?: string;
  moid?: string;
  entity?: string;
  path?: string;
  user?: string;
  fault?: string;
  message?: string;
  property?: string[];
  delay?: string;
  jitter?: string;
  http?: string;
  retryAfter?: string;
  reset?: boolean;
  hang?: boolean;
  taskError?: string;
  atProgress?: string;
  taskDelay?: string;
  times?: string;
  skip?: string;
  probability?: string;
  from?: string;
  until?: string;
}

const num = (flag: string, text: string | undefined) => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new CliError('USAGE', `${flag} needs a number, not "${text}"`);
  return value;
};

/** `key=value` pairs; values that read as JSON (numbers, booleans, objects) are taken as such. */
function properties(pairs: readonly string[] = []): Record<string, unknown> | undefined {
  if (!pairs.length) return undefined;
  return Object.fromEntries(pairs.map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError('USAGE', `--property needs key=value, not "${pair}"`);
    const text = pair.slice(eq + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // a plain string
    }
    return [pair.slice(0, eq), value];
  }));
}

function actionOf(f: RuleFlags): Record<string, unknown> {
  const chosen = [f.fault && 'fault', f.delay && 'delay', f.http && 'http', f.reset && 'reset', f.hang && 'hang', f.taskError && 'taskError', f.taskDelay && 'taskDelay'].filter(Boolean);
  if (chosen.length !== 1) throw new CliError('USAGE', 'give exactly one action: --fault, --delay, --http, --reset, --hang, --task-error or --task-delay');
  switch (chosen[0]) {
    case 'fault':
      return { kind: 'fault', fault: f.fault, message: f.message, properties: properties(f.property) };
    case 'delay':
      return { kind: 'delay', ms: num('--delay', f.delay), jitterMs: num('--jitter', f.jitter) };
    case 'http':
      return { kind: 'http', status: num('--http', f.http), retryAfter: num('--retry-after', f.retryAfter) };
    case 'reset':
      return { kind: 'reset' };
    case 'hang':
      return { kind: 'hang' };
    case 'taskError':
      return { kind: 'taskError', fault: f.taskError, message: f.message, atProgress: num('--at-progress', f.atProgress) };
    default:
      return { kind: 'taskDelay', ms: num('--task-delay', f.taskDelay) };
  }
}

/** The rule the flags describe, without the fields left out. */
export function ruleFromFlags(f: RuleFlags): Record<string, unknown> {
  const match = { api: f.api, method: f.method, type: f.type, moid: f.moid, entityName: f.entity, path: f.path, user: f.user };
  const rule = { name: f.name, match, action: actionOf(f), times: num('--times', f.times), skip: num('--skip', f.skip), probability: num('--probability', f.probability), from: f.from, until: f.until };
  return JSON.parse(JSON.stringify(rule)) as Record<string, unknown>;
}

/** The rules of a YAML or JSON file: one rule, or a list of them. */
function rulesFromFile(path: string): Record<string, unknown>[] {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError('USAGE', `${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const rules = Array.isArray(doc) ? doc : [doc];
  if (!rules.every((r) => r && typeof r === 'object' && !Array.isArray(r))) throw new CliError('USAGE', `${path}: expected a rule (a mapping) or a list of rules`);
  return rules as Record<string, unknown>[];
}

const summary = (rule: Record<string, unknown>) => ({
  ...rule,
  match: Object.entries((rule.match ?? {}) as Record<string, unknown>).map(([k, v]) => `${k}=${v}`).join(' '),
  action: (rule.action as { kind?: string; fault?: string } | undefined)?.fault ?? (rule.action as { kind?: string } | undefined)?.kind,
});

export function registerFaults(sim: Command, ctx: RunContext): void {
  const faults = group(sim, 'faults', 'fault rules: make calls fail, slow down, hang or reset', [
    'vcctl sim faults add --method PowerOnVM_Task --entity "DC0_H0_*" --fault InsufficientCpuResourcesFault --times 2',
    'vcctl sim faults ls',
  ]);

  examples(
    faults
      .command('add')
      .description('add a rule from flags, or rules from a YAML/JSON file (-f); prints each new rule id')
      .option('-f, --file <file>', 'a rule, or a list of rules, as YAML or JSON (the control API format)')
      .option('--name <name>', 'a name for the rule')
      .option('--api <api>', 'match: soap or rest')
      .option('--method <glob>', 'match: SOAP method or REST operation')
      .option('--type <glob>', 'match: managed object type (subtypes too)')
      .option('--moid <glob>', 'match: managed object id')
      .option('--entity <glob>', 'match: entity name')
      .option('--path <glob>', 'match: REST path')
      .option('--user <glob>', 'match: user name')
      .option('--fault <type>', 'action: answer this vSphere fault')
      .option('--message <text>', 'the fault message')
      .option('--property <key=value...>', "the fault's properties")
      .option('--delay <ms>', 'action: delay the call')
      .option('--jitter <ms>', 'delay jitter')
      .option('--http <status>', 'action: answer this HTTP status')
      .option('--retry-after <seconds>', 'Retry-After of the HTTP answer')
      .option('--reset', 'action: drop the connection')
      .option('--hang', 'action: never answer')
      .option('--task-error <fault>', 'action: the task fails with this fault')
      .option('--at-progress <percent>', 'where the task fails')
      .option('--task-delay <ms>', 'action: the task runs this much longer')
      .option('--times <n>', 'fire at most n times')
      .option('--skip <n>', 'let the first n matching calls through')
      .option('--probability <p>', 'fire with this probability (0-1)')
      .option('--from <time>', 'fire from this ISO time')
      .option('--until <time>', 'fire until this ISO time'),
    [
      'vcctl sim faults add --method PowerOnVM_Task --fault InvalidState --times 1',
      'vcctl sim faults add --method "Retrieve*" --delay 200 --jitter 50 --probability 0.3',
      'vcctl sim faults add --method CurrentTime --http 503 --retry-after 5',
      'vcctl sim faults add -f rules.yaml',
    ],
  ).action(async (flags: RuleFlags) => {
    const rules = flags.file ? rulesFromFile(flags.file) : [ruleFromFlags(flags)];
    const control = ctx.control();
    const added: Record<string, unknown>[] = [];
    for (const rule of rules) added.push({ ...(await control.call<{ id: string }>('POST', 'faults', rule)), name: rule.name });
    ctx.printRows(added, ['id', 'name']);
  });

  examples(faults.command('ls').description(`the rules with their counts (fields: ${RULE_FIELDS.join(', ')})`), ['vcctl sim faults ls', 'vcctl sim faults ls -o json']).action(async () => {
    const rules = await ctx.control().call<Record<string, unknown>[]>('GET', 'faults');
    ctx.printRows(ctx.format === 'table' ? rules.map(summary) : rules, RULE_FIELDS);
  });

  examples(faults.command('get <id>').description('one rule, in full'), ['vcctl sim faults get rule-1 -o yaml']).action(async (id: string) => {
    const rule = await ctx.control().call<Record<string, unknown>>('GET', `faults/${encodeURIComponent(id)}`);
    ctx.printObject(ctx.format === 'table' ? summary(rule) : rule, RULE_FIELDS);
  });

  examples(faults.command('rm <id...>').description('remove rules'), ['vcctl sim faults rm rule-1']).action(async (ids: string[]) => {
    for (const id of ids) await ctx.control().call('DELETE', `faults/${encodeURIComponent(id)}`);
  });

  examples(faults.command('clear').description('remove every rule'), ['vcctl sim faults clear']).action(async () => {
    await ctx.control().call('DELETE', 'faults');
  });
}
