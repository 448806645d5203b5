/**
 * Where to connect and as whom. Each setting is taken from the first of: the flag, the VCCTL_*
 * variable, the context (--context / VCCTL_CONTEXT, else current-context), and last govc's
 * GOVC_* variables, so a govc user's environment works as it is.
 */
import { CliError } from './errors.js';
import { readConfig, selectContext, type Env } from './config.js';

export interface GlobalFlags {
  url?: string;
  username?: string;
  password?: string;
  insecure?: boolean;
  thumbprint?: string;
  context?: string;
  controlToken?: string;
  cache?: boolean;
  debug?: boolean;
}

export interface Settings {
  /** `https://host/sdk`, without user info. */
  url: URL;
  username?: string;
  password?: string;
  insecure: boolean;
  thumbprint?: string;
  controlToken?: string;
}

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());

/**
 * A URL as govc accepts it: `host`, `host:port`, `user:pass@host`, `https://host` or a full
 * `https://host/sdk`; no scheme means https and no path means /sdk.
 */
export function normalizeUrl(text: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CliError('USAGE', `not a URL: ${text}`);
  }
  if (url.pathname === '' || url.pathname === '/') url.pathname = '/sdk';
  return url;
}

export function resolveSettings(flags: GlobalFlags, env: Env): Settings {
  const context = selectContext(readConfig(env), flags.context ?? env.VCCTL_CONTEXT) ?? {};
  const given = flags.url ?? env.VCCTL_URL ?? context.url ?? env.GOVC_URL;
  if (!given) throw new CliError('USAGE', 'no vCenter URL: give --url, VCCTL_URL, a context (vcctl config set-context) or GOVC_URL');
  const url = normalizeUrl(given);
  const fromUrl = { username: url.username ? decodeURIComponent(url.username) : undefined, password: url.password ? decodeURIComponent(url.password) : undefined };
  url.username = '';
  url.password = '';
  return {
    url,
    username: flags.username ?? env.VCCTL_USERNAME ?? context.username ?? env.GOVC_USERNAME ?? fromUrl.username,
    password: flags.password ?? env.VCCTL_PASSWORD ?? context.password ?? env.GOVC_PASSWORD ?? fromUrl.password,
    insecure: Boolean(flags.insecure) || truthy(env.VCCTL_INSECURE) || Boolean(context.insecure) || truthy(env.GOVC_INSECURE),
    thumbprint: flags.thumbprint ?? env.VCCTL_THUMBPRINT ?? context.thumbprint,
    controlToken: flags.controlToken ?? env.VCCTL_CONTROL_TOKEN ?? context.controlToken,
  };
}
