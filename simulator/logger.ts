/**
 * Structured logs: one pino logger per simulator instance (no global one), JSON lines or a short
 * human form, on stderr (stdout carries vcsim's `export GOVC_URL=...` line for scripts).
 *
 * The pretty form is a few lines here rather than pino-pretty: it needs no worker thread or extra
 * dependency, and the simulator's log lines are flat (a message and a handful of fields).
 */
import { Writable } from 'node:stream';
import { pino, type DestinationStream, type Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type LogFormat = 'json' | 'pretty';
export const logLevels: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const logFormats: readonly LogFormat[] = ['json', 'pretty'];

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go; stderr by default. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const out = options.destination ?? process.stderr;
  const stream = options.format === 'pretty' ? prettyStream(out) : out;
  return pino({ level: options.level ?? 'info', base: { name: 'vcenter-sim' } }, stream);
}

const levelNames: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const hidden = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name']);

/** `12:00:01.234 INFO  message key=value ...`, one line per entry. */
export function prettyLine(entry: Record<string, unknown>): string {
  const time = new Date(entry.time as number).toISOString().slice(11, 23);
  const level = (levelNames[entry.level as number] ?? String(entry.level)).padEnd(5);
  const fields = Object.entries(entry)
    .filter(([key, value]) => !hidden.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return `${time} ${level} ${String(entry.msg ?? '')}${fields.length ? ` ${fields.join(' ')}` : ''}\n`;
}

function prettyStream(out: DestinationStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) out.write(prettyLine(JSON.parse(line) as Record<string, unknown>));
      done();
    },
  });
}

export type { Logger };
