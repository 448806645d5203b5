/** `vcctl config set-context|use-context|get-contexts|current-context|delete-context`: named connections, kubectl style. */
import type { Command } from 'commander';
import { readConfig, writeConfig, type ContextSettings } from '../config.js';
import type { RunContext } from '../context.js';
import { CliError } from '../errors.js';
import { examples, group } from '../program.js';
import { normalizeUrl } from '../settings.js';

export const CONTEXT_FIELDS = ['current', 'name', 'url', 'username', 'insecure'] as const;

export function registerConfig(program: Command, ctx: RunContext): void {
  const config = group(program, 'config', `named contexts in the config file ($VCCTL_CONFIG, default ~/.config/vcctl/config.yaml)`, [
    'vcctl config set-context lab --url https://vc.lab/sdk -u admin -p secret -k',
    'vcctl config use-context lab',
  ]);

  examples(config.command('set-context <name>').description('create or update a context from --url, --username, --password, --insecure, --thumbprint, --control-token'), [
    'vcctl config set-context lab --url https://127.0.0.1:8989/sdk --username user --password pass --insecure',
    'vcctl config set-context lab --thumbprint AB:CD:...',
  ]).action((name: string) => {
    const flags = ctx.flags;
    const file = readConfig(ctx.env);
    const given: ContextSettings = {
      url: flags.url === undefined ? undefined : normalizeUrl(flags.url).href,
      username: flags.username,
      password: flags.password,
      insecure: flags.insecure,
      thumbprint: flags.thumbprint,
      controlToken: flags.controlToken,
    };
    const merged = { ...file.contexts[name], ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
    if (!merged.url) throw new CliError('USAGE', `context "${name}" needs --url`);
    file.contexts[name] = merged;
    file['current-context'] ??= name;
    writeConfig(ctx.env, file);
  });

  examples(config.command('use-context <name>').description('make a context the current one'), ['vcctl config use-context lab']).action((name: string) => {
    const file = readConfig(ctx.env);
    if (!file.contexts[name]) throw new CliError('CONFIG', `no context "${name}" (vcctl config get-contexts lists them)`);
    file['current-context'] = name;
    writeConfig(ctx.env, file);
  });

  examples(config.command('get-contexts').description(`the contexts (fields: ${CONTEXT_FIELDS.join(', ')}); passwords are never printed`), ['vcctl config get-contexts']).action(() => {
    const file = readConfig(ctx.env);
    const rows = Object.entries(file.contexts).map(([name, c]) => ({ current: name === file['current-context'], name, url: c.url, username: c.username, insecure: Boolean(c.insecure) }));
    ctx.printRows(rows, CONTEXT_FIELDS);
  });

  examples(config.command('current-context').description('the current context name'), ['vcctl config current-context']).action(() => {
    const current = readConfig(ctx.env)['current-context'];
    if (!current) throw new CliError('CONFIG', 'no current context (vcctl config use-context <name>)');
    ctx.print(`${current}\n`);
  });

  examples(config.command('delete-context <name>').description('remove a context'), ['vcctl config delete-context lab']).action((name: string) => {
    const file = readConfig(ctx.env);
    if (!file.contexts[name]) throw new CliError('CONFIG', `no context "${name}"`);
    delete file.contexts[name];
    if (file['current-context'] === name) delete file['current-context'];
    writeConfig(ctx.env, file);
  });
}
