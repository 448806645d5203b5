/**
 * Sessions kept between invocations, so a script of twenty commands logs in once: one JSON file
 * (mode 0600, it holds live session cookies) mapping URL + user (+ a hash of the password, so a
 * wrong password never rides on a cached session) to the SOAP session cookie and REST token.
 * `$VCCTL_SESSION_FILE`, else `~/.cache/vcctl/sessions.json`.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Env } from './config.js';
import type { Settings } from './settings.js';

export interface CachedSession {
  /** The SOAP session cookie. */
  cookie?: string;
  /** The REST session (tags, libraries), when one was made. */
  rest?: { token: string; flavour: 'api' | 'rest' };
}

interface Entry extends CachedSession {
  savedAt: string;
}

export function sessionFilePath(env: Env): string {
  return env.VCCTL_SESSION_FILE || join(env.HOME || homedir(), '.cache', 'vcctl', 'sessions.json');
}

export function sessionKey(settings: Settings): string {
  const secret = createHash('sha256').update(settings.password ?? '').digest('hex').slice(0, 16);
  return `${settings.url.href}|${settings.username ?? ''}|${secret}`;
}

function readAll(path: string): Record<string, Entry> {
  if (!existsSync(path)) return {};
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, Entry>) : {};
  } catch {
    return {}; // a damaged cache only costs a login
  }
}

function writeAll(path: string, entries: Record<string, Entry>): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, JSON.stringify(entries, null, 2), { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function cachedSession(env: Env, settings: Settings): CachedSession {
  const entry = readAll(sessionFilePath(env))[sessionKey(settings)];
  return { cookie: entry?.cookie, rest: entry?.rest };
}

/** Saves the sessions of this URL and user; none given forgets them. */
export function saveSession(env: Env, settings: Settings, session: CachedSession | undefined): void {
  const path = sessionFilePath(env);
  const entries = readAll(path);
  const key = sessionKey(settings);
  if (session && (session.cookie || session.rest)) entries[key] = { ...session, savedAt: new Date().toISOString() };
  else delete entries[key];
  if (Object.keys(entries).length) writeAll(path, entries);
  else rmSync(path, { force: true });
}
