/**
 * `exec`: runs the client under test as a child process with the simulator's URL and credentials
 * in its environment (as govc and vcctl read them), captures exit code, stdout and stderr, and
 * kills it at the timeout.
 */
import { spawn } from 'node:child_process';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import type { ExecResult, RunContext } from '../context.js';
import { durationMs, type execSchema } from '../schema.js';

type Exec = z.output<typeof execSchema>;

export class ExecError extends Error {
  constructor(
    message: string,
    readonly result: ExecResult,
  ) {
    super(message);
  }
}

/** The variables every exec step gets. */
export function simEnvironment(ctx: RunContext, traceparent: string): Record<string, string> {
  const { url, username, password, controlUrl } = ctx.target;
  const withCredentials = url.replace('://', `://${encodeURIComponent(username)}:${encodeURIComponent(password)}@`);
  return {
    GOVC_URL: withCredentials,
    GOVC_USERNAME: username,
    GOVC_PASSWORD: password,
    GOVC_INSECURE: '1',
    VC_URL: url,
    VC_USERNAME: username,
    VC_PASSWORD: password,
    VCCTL_URL: withCredentials,
    SIM_CONTROL_URL: controlUrl,
    TRACEPARENT: traceparent,
  };
}

export async function runExec(ctx: RunContext, exec: Exec, traceparent: string, signal: AbortSignal): Promise<ExecResult> {
  const base = ctx.file ? dirname(ctx.file) : process.cwd();
  // ./x and ../x are the scenario's files; other words are left to PATH and the working directory.
  const [program, ...args] = exec.command.map((word) => (/^\.\.?\//.test(word) ? resolve(base, word) : word));
  const cwd = exec.cwd === undefined ? process.cwd() : isAbsolute(exec.cwd) ? exec.cwd : resolve(base, exec.cwd);
  const result = await spawnCaptured(program!, args, { cwd, env: { ...process.env, ...simEnvironment(ctx, traceparent), ...exec.env } }, durationMs(exec.timeout, 60_000), signal);
  const wanted = exec.exitCode ?? 0;
  if (result.timedOut) throw new ExecError(`${exec.command.join(' ')}: killed after ${durationMs(exec.timeout, 60_000)} ms`, result);
  if (wanted !== 'any' && result.exitCode !== wanted) {
    throw new ExecError(`${exec.command.join(' ')}: exit code ${result.exitCode ?? result.signal}, expected ${wanted}; stderr: ${result.stderr.trim().slice(-500)}`, result);
  }
  return result;
}

function spawnCaptured(program: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }, timeoutMs: number, signal: AbortSignal): Promise<ExecResult> {
  const started = Date.now();
  return new Promise((resolvePromise) => {
    const child = spawn(program, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(() => ((timedOut = true), kill()), timeoutMs);
    signal.addEventListener('abort', kill, { once: true });
    const finish = (exitCode: number | null, sig: string | null, extra = '') => {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
      resolvePromise({ exitCode, signal: sig, stdout, stderr: stderr + extra, timedOut, durationMs: Date.now() - started });
    };
    child.on('error', (error) => finish(127, null, `${program}: ${error.message}\n`));
    child.on('close', (code, sig) => finish(code, sig));
  });
}
