/**
 * Shared plumbing of the third-party client suites: finding the clients (pyvmomi, govmomi),
 * building Go programs, and running a client as a child process whose stdout ends in JSON.
 *
 * A missing client is never silent: under CI=true it fails the suite, otherwise the suite is
 * skipped with a warning that says what is missing and how to install it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const clientsDir = dirname(fileURLToPath(import.meta.url));

/** The interpreter Debian's python3-pyvmomi is installed for (the `python3` on PATH may be another). */
export const systemPython = '/usr/bin/python3';
export const govmomiSource = '/usr/share/gocode/src/github.com/vmware/govmomi';

const installHint =
  'install it with `apt-get install python3-pyvmomi python3-jwt python3-oauthlib golang-go golang-github-vmware-govmomi-dev` (what .ci/run does)';

export interface ClientStatus {
  name: string;
  /** Undefined when the client is usable; otherwise what is missing. */
  missing?: string;
}

export function pyvmomiStatus(): ClientStatus {
  const name = 'pyvmomi';
  if (!existsSync(systemPython)) return { name, missing: `${systemPython} does not exist` };
  const probe = spawnSync(systemPython, ['-c', 'import pyVmomi, pyVim.connect'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0) {
    return { name, missing: `pyVmomi is not importable by ${systemPython}: ${(probe.stderr || probe.error?.message || '').trim()}` };
  }
  return { name };
}

/** pyvmomi, and the Python modules a script uses beside it (`jwt` from Debian python3-jwt, ...). */
export function pythonModulesStatus(name: string, modules: string[]): ClientStatus {
  const pyvmomi = pyvmomiStatus();
  if (pyvmomi.missing) return { name, missing: pyvmomi.missing };
  const probe = spawnSync(systemPython, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0) return { name, missing: `${modules.join(', ')} not importable by ${systemPython}: ${(probe.stderr || probe.error?.message || '').trim()}` };
  return { name };
}

export function govmomiStatus(): ClientStatus {
  const name = 'govmomi';
  const go = spawnSync('go', ['version'], { encoding: 'utf8', timeout: 30_000 });
  if (go.error || go.status !== 0) return { name, missing: `no usable \`go\` on PATH (${go.error?.message ?? go.stderr.trim()})` };
  if (!existsSync(join(govmomiSource, 'client.go')) || !existsSync(join(govmomiSource, 'find', 'finder.go'))) {
    return { name, missing: `the govmomi sources are not at ${govmomiSource}` };
  }
  return { name };
}

/**
 * Whether the suite of `status`'s client can run. Missing under CI=true: throws, failing the test
 * file. Missing elsewhere: warns and returns false, so the caller skips its suite.
 */
export function clientAvailable(status: ClientStatus): boolean {
  if (!status.missing) return true;
  const message = `${status.name} client tests cannot run: ${status.missing}; ${installHint}.`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: a missing client is a failure)`);
  console.warn(`SKIPPING ${message}`);
  return false;
}

// ---------------------------------------------------------------------------- child processes

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  /** Called with each complete line of stdout as it arrives. */
  onLine?: (line: string) => void;
}

/** A running child process: its lines as they come, and its end. */
export interface RunningProcess {
  /** Resolves with the first stdout line matching `pattern`; rejects if the process ends first. */
  waitForLine(pattern: RegExp): Promise<string>;
  result: Promise<RunResult>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `command`; it is killed (SIGKILL) after `timeoutMs` (default 60 s). */
export function startProcess(command: string, args: string[], options: RunOptions = {}): RunningProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let pending = '';
  let timedOut = false;
  const lines: string[] = [];
  const lineWaiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();

  const onLine = (line: string) => {
    lines.push(line);
    options.onLine?.(line);
    for (const waiter of [...lineWaiters]) {
      if (waiter.pattern.test(line)) {
        lineWaiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, newline).replace(/\r$/, ''));
      pending = pending.slice(newline + 1);
    }
  });
  child.stderr.on('data', (chunk: string) => (stderr += chunk));

  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 60_000);

  const result = new Promise<RunResult>((resolve) => {
    let settled = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (pending) onLine(pending);
      if (error) stderr += `\n${command}: ${error.message}`;
      resolve({ code, signal, stdout, stderr, timedOut });
    };
    child.on('error', (error) => finish(null, null, error));
    child.on('close', (code, signal) => finish(code, signal));
  });

  return {
    result,
    kill: (signal: NodeJS.Signals = 'SIGKILL') => child.kill(signal),
    waitForLine(pattern: RegExp): Promise<string> {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { pattern, resolve };
        lineWaiters.add(waiter);
        void result.then((r) => {
          if (!lineWaiters.delete(waiter)) return;
          reject(new Error(`${command} ended before printing a line matching ${pattern}\n${formatResult(r)}`));
        });
      });
    },
  };
}

export function runProcess(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return startProcess(command, args, options).result;
}

/** The result, shown for an assertion message. */
export function formatResult(result: RunResult): string {
  const how = result.timedOut ? 'timed out' : result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
  return `${how}\n--- stdout ---\n${result.stdout.slice(-8000)}\n--- stderr ---\n${result.stderr.slice(-8000)}`;
}

/**
 * The JSON document a client printed as its last stdout line, after checking it exited with 0.
 * Throws (with the client's output) on any other exit or unparseable output.
 */
export function jsonResult<T = Record<string, any>>(result: RunResult): T {
  if (result.code !== 0 || result.timedOut) throw new Error(`client failed: ${formatResult(result)}`);
  const lines = result.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const last = lines[lines.length - 1];
  if (last === undefined) throw new Error(`client printed nothing: ${formatResult(result)}`);
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`client's last line is not JSON: ${formatResult(result)}`);
  }
}

// ---------------------------------------------------------------------------- pyvmomi

export const pyvmomiScript = join(clientsDir, 'pyvmomi', 'client.py');

/** Runs `client.py <scenario>` against `url` and returns its JSON answer. */
export async function runPyvmomi<T = Record<string, any>>(
  scenario: string,
  url: string,
  credentials: { username: string; password: string },
  extra: string[] = [],
  timeoutMs = 60_000,
): Promise<T> {
  return jsonResult<T>(await runProcess(systemPython, pyvmomiArgs(scenario, url, credentials, extra), { timeoutMs, env: pythonEnv() }));
}

export function pyvmomiArgs(scenario: string, url: string, credentials: { username: string; password: string }, extra: string[] = []) {
  return [pyvmomiScript, scenario, '--url', url, '--user', credentials.username, '--password', credentials.password, ...extra];
}

/** The environment for /usr/bin/python3: no pyenv or virtualenv settings leaking in. */
export function pythonEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' };
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  delete env.VIRTUAL_ENV;
  return env;
}

// ---------------------------------------------------------------------------- govmomi

/** The environment for `go build` in GOPATH mode against the Debian govmomi sources. */
export function goEnv(): NodeJS.ProcessEnv {
  const base = join(tmpdir(), 'vcenter-sim-gocache');
  const gopath = join(tmpdir(), 'vcenter-sim-gopath');
  mkdirSync(base, { recursive: true });
  mkdirSync(gopath, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GO111MODULE: 'off',
    // gopath/ holds simtest, the package the programs share.
    GOPATH: `${gopath}:${join(clientsDir, 'govmomi', 'gopath')}:/usr/share/gocode`,
    GOCACHE: process.env.GOCACHE ?? base,
    GOFLAGS: '',
    GOPROXY: 'off',
    CGO_ENABLED: '0',
  };
  return env;
}

/** Builds test/clients/govmomi/<name> and returns the path of the binary. */
export async function buildGoProgram(name: string, timeoutMs = 300_000): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), `vcenter-sim-${name}-`));
  const binary = join(outDir, name);
  const result = await runProcess('go', ['build', '-o', binary, '.'], {
    cwd: join(clientsDir, 'govmomi', name),
    env: goEnv(),
    timeoutMs,
  });
  if (result.code !== 0) throw new Error(`go build of ${name} failed: ${formatResult(result)}`);
  return binary;
}
