/**
 * The config file of named contexts, kubectl style: `$VCCTL_CONFIG`, else
 * `~/.config/vcctl/config.yaml`. It may hold passwords, so it is written with mode 0600.
 *
 *   current-context: lab
 *   contexts:
 *     lab: { url: https://vc.lab/sdk, username: admin, password: secret, insecure: true }
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { CliError } from './errors.js';

export interface ContextSettings {
  url?: string;
  username?: string;
  password?: string;
  insecure?: boolean;
  thumbprint?: string;
  controlToken?: string;
}

export interface ConfigFile {
  'current-context'?: string;
  contexts: Record<string, ContextSettings>;
}

export type Env = Record<string, string | undefined>;

export function configPath(env: Env): string {
  return env.VCCTL_CONFIG || join(env.HOME || homedir(), '.config', 'vcctl', 'config.yaml');
}

export function readConfig(env: Env): ConfigFile {
  const path = configPath(env);
  if (!existsSync(path)) return { contexts: {} };
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError('CONFIG', `${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return { contexts: {} };
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new CliError('CONFIG', `${path}: not a mapping`);
  const config = doc as ConfigFile;
  if (config.contexts !== undefined && (typeof config.contexts !== 'object' || Array.isArray(config.contexts))) {
    throw new CliError('CONFIG', `${path}: contexts must be a mapping of names to settings`);
  }
  return { ...config, contexts: config.contexts ?? {} };
}

export function writeConfig(env: Env, config: ConfigFile): void {
  const path = configPath(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, stringify(config), { mode: 0o600 });
  chmodSync(path, 0o600); // an existing file keeps its mode on write
}

/** The context to use: the named one (it must exist), else the current one, else none. */
export function selectContext(config: ConfigFile, name?: string): ContextSettings | undefined {
  if (name) {
    const context = config.contexts[name];
    if (!context) throw new CliError('CONFIG', `no context "${name}" (vcctl config get-contexts lists them)`);
    return context;
  }
  const current = config['current-context'];
  return current ? config.contexts[current] : undefined;
}
