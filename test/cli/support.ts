/**
 * vcctl as a user runs it: a real process (node + tsx over client/cli/vcctl.ts) against a real
 * simulator over TLS, each test file with its own simulator and its own HOME (config file and
 * session cache), so files run in parallel without seeing each other.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../simulator/index.js';

export const vcctlEntry = new URL('../../client/cli/vcctl.ts', import.meta.url).pathname;
const goldenDir = new URL('./golden/', import.meta.url).pathname;

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Runner {
  home: string;
  env: Record<string, string>;
  /** Runs vcctl with `args`; extra env on top of the runner's. */
  run(args: readonly string[], env?: Record<string, string | undefined>, input?: string): Promise<Result>;
}

/** Spawns vcctl; resolves when it exits, whatever the code. */
export function spawnVcctl(args: readonly string[], env: Record<string, string | undefined>, input?: string): Promise<Result> & { kill(signal?: NodeJS.Signals): void; stdoutSoFar(): string } {
  const child = spawn(process.execPath, ['--import', 'tsx', vcctlEntry, ...args], { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(input ?? '');
  const done = new Promise<Result>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return Object.assign(done, { kill: (signal: NodeJS.Signals = 'SIGINT') => void child.kill(signal), stdoutSoFar: () => stdout });
}

/** A clean environment: PATH, a fresh HOME, and nothing of the caller's VCCTL_ or GOVC_ variables. */
export function baseEnv(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, NODE_OPTIONS: '' };
}

export function runnerFor(url: string, username: string, password: string): Runner {
  const home = mkdtempSync(join(tmpdir(), 'vcctl-home-'));
  const env = { ...baseEnv(home), VCCTL_URL: url, VCCTL_USERNAME: username, VCCTL_PASSWORD: password, VCCTL_INSECURE: '1' };
  return { home, env, run: (args, extra = {}, input) => spawnVcctl(args, { ...env, ...extra }, input) };
}

export async function startSim(options: SimulatorOptions = {}): Promise<{ sim: Simulator; vcctl: Runner }> {
  const sim = await createSimulator({ listen: '127.0.0.1:0', ...options });
  return { sim, vcctl: runnerFor(sim.url, sim.username, sim.password) };
}

/** Lines of JSON output as objects. */
export const jsonLines = (text: string): Record<string, unknown>[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

/** Expects success and gives stdout. */
export function ok(result: Result): string {
  expect(result.stderr, `stderr of a run expected to succeed`).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

/** Expects a failure with this exit code and `ERR_<code>` on stderr, nothing on stdout. */
export function fails(result: Result, exitCode: number, code: string): string {
  expect(result.stderr).toMatch(new RegExp(`^ERR_${code}: `));
  expect(result.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  expect(result.code).toBe(exitCode);
  return result.stderr;
}

/** Compares with test/cli/golden/<name>; UPDATE_GOLDEN=1 writes it instead. */
export function golden(name: string, actual: string): void {
  const path = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  if (!existsSync(path)) throw new Error(`golden file ${name} is missing (UPDATE_GOLDEN=1 writes it)`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
