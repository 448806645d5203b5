/**
 * One invocation's world: its streams and environment, the global flags, and the connections it
 * opens lazily (the vSphere client, the control API). Built per run and passed to every command,
 * so nothing lives at module level and tests can run vcctl in-process as well as as a process.
 */
import type { Command } from 'commander';
import { connect, type VimClient } from '../client.js';
import { VimError } from '../errors.js';
import type { Env } from './config.js';
import { ControlClient } from './control.js';
import { chooseFormat, parseColumns, renderObject, renderRows, type Format, type Row } from './output.js';
import { cachedSession, saveSession, type CachedSession } from './session-cache.js';
import { resolveSettings, type GlobalFlags, type Settings } from './settings.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Env;
  /** Ends --follow streams (SIGINT in the binary). */
  signal?: AbortSignal;
}

export interface OutputFlags {
  output?: string;
  columns?: string;
}

export class RunContext {
  private client?: Promise<VimClient>;
  private controlClient?: ControlClient;
  private settingsCache?: Settings;
  /** What the cache holds for this run's URL and user, to save only what changed. */
  private cached: CachedSession = {};
  private useCache = false;

  constructor(
    readonly io: Io,
    private readonly program: Command,
  ) {}

  get flags(): GlobalFlags & OutputFlags {
    return this.program.opts() as GlobalFlags & OutputFlags;
  }

  get env(): Env {
    return this.io.env;
  }

  get settings(): Settings {
    this.settingsCache ??= resolveSettings(this.flags, this.io.env);
    return this.settingsCache;
  }

  get format(): Format {
    return chooseFormat(this.flags.output, Boolean(this.io.stdout.isTTY));
  }

  /** `--columns` when given, else the command's default fields. */
  columns(defaults: readonly string[]): string[] {
    return parseColumns(this.flags.columns) ?? [...defaults];
  }

  /** Wire log on stderr for --debug; the client masks credentials before it gets here. */
  debug(direction: string, text: string): void {
    if (this.flags.debug) this.io.stderr.write(`--- ${direction}\n${text}\n`);
  }

  /** The vSphere client, logged in once per run and, through the session cache, once per many runs. */
  vim(): Promise<VimClient> {
    this.client ??= this.openVim();
    return this.client;
  }

  private async openVim(): Promise<VimClient> {
    const settings = this.settings;
    this.useCache = this.flags.cache !== false && Boolean(settings.username);
    this.cached = this.useCache ? cachedSession(this.env, settings) : {};
    const cookie = this.cached.cookie;
    const client = await connect(settings.url, {
      username: settings.username,
      password: settings.password ?? '',
      insecure: settings.insecure,
      thumbprint: settings.thumbprint,
      sessionCookie: cookie,
      userAgent: 'vcctl',
      wireLog: this.flags.debug ? (direction, text) => this.debug(direction, text) : undefined,
    });
    if (this.cached.rest) client.rest.resume(this.cached.rest.token, this.cached.rest.flavour);
    this.saveSession(client);
    return client;
  }

  /** Caches the client's sessions if they are new (a login, or a re-login after expiry mid-run). */
  private saveSession(client: VimClient): void {
    if (!this.useCache || !client.session) return;
    const token = client.rest.sessionToken;
    const now: CachedSession = { cookie: client.sessionCookie, rest: token && client.rest.flavour ? { token, flavour: client.rest.flavour } : this.cached.rest };
    if (now.cookie === this.cached.cookie && now.rest?.token === this.cached.rest?.token) return;
    saveSession(this.env, this.settings, now);
    this.cached = now;
  }

  /** The simulator's control API on the same endpoint. */
  control(): ControlClient {
    this.controlClient ??= new ControlClient(this.settings, (direction, text) => this.debug(direction, text));
    return this.controlClient;
  }

  /** Forgets the cached session (after a logout). */
  forgetSession(): void {
    saveSession(this.env, this.settings, undefined);
    this.useCache = false;
  }

  /** Closes connections; the session stays alive for the next run. */
  async close(): Promise<void> {
    const client = await this.client?.catch(() => undefined);
    // Both sessions stay alive for the next run; without the cache, the REST one is deleted.
    if (client && this.useCache) this.saveSession(client);
    else await client?.rest.logout().catch(() => undefined);
    await client?.detach();
    this.controlClient?.close();
  }

  print(text: string): void {
    this.io.stdout.write(text);
  }

  printRows(rows: readonly Row[], defaults: readonly string[]): void {
    this.print(renderRows(rows, this.columns(defaults), this.format));
  }

  printObject(row: Row, defaults: readonly string[]): void {
    this.print(renderObject(row, this.columns(defaults), this.format));
  }
}

/** Rethrows anything but a VimError of one of `codes`. */
export function allowCodes(error: unknown, ...codes: string[]): void {
  if (!(error instanceof VimError) || !codes.includes(error.code)) throw error;
}
