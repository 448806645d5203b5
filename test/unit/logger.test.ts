/** Structured logs: a line per API call at debug level, internal errors at error level, the pretty form, the flags. */
import { describe, expect, it } from 'vitest';
import { optionsFrom, parseArgs } from '../../simulator/cli-options.js';
import { createSimulator } from '../../simulator/index.js';
import { createLogger, prettyLine, type LogLevel } from '../../simulator/logger.js';

const currentTime =
  '<Envelope><Body><CurrentTime xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></CurrentTime></Body></Envelope>';

async function withLog(level: LogLevel, run: (sim: Awaited<ReturnType<typeof createSimulator>>) => Promise<void>) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  const sim = await createSimulator({ logger });
  try {
    await run(sim);
  } finally {
    await sim.close();
  }
  return lines;
}

describe('logs', () => {
  it('at debug level, one line per API call with method, object, outcome, duration and trace id', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const lines = await withLog('debug', async (sim) => {
      await sim.app.inject({ method: 'POST', url: '/sdk', payload: currentTime, headers: { traceparent } });
      await sim.app.inject({ method: 'GET', url: '/api/vcenter/vm' });
    });
    const calls = lines.filter((l) => l.msg === 'call');
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ level: 20, name: 'vcenter-sim', api: 'soap', method: 'CurrentTime', moid: 'ServiceInstance', outcome: 'fault', fault: 'NotAuthenticated', traceparent });
    expect(calls[0]!.durationMs).toEqual(expect.any(Number));
    expect(calls[1]).toMatchObject({ api: 'rest', method: 'GET /api/vcenter/vm', outcome: 'fault', status: 401 });
  });

  it('above debug, no line for calls', async () => {
    const lines = await withLog('info', async (sim) => {
      await sim.app.inject({ method: 'POST', url: '/sdk', payload: currentTime });
    });
    expect(lines.filter((l) => l.msg === 'call')).toEqual([]);
  });

  it('logs a bug of ours at error level with its stack, and shows the client none of it', async () => {
    let body = '';
    const lines = await withLog('info', async (sim) => {
      const si = sim.vc.registry.byId('ServiceInstance') as unknown as Record<string, unknown>;
      si.RetrieveServiceContent = () => {
        throw new TypeError('boom in the model');
      };
      body = (await sim.app.inject({ method: 'POST', url: '/sdk', payload: currentTime.replace(/CurrentTime/g, 'RetrieveServiceContent') })).body;
    });
    expect(body).toContain('<reason>Internal error</reason>');
    expect(body).not.toContain('boom');
    const errors = lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'internal error serving a SOAP call', err: { type: 'TypeError', message: 'boom in the model' } });
    expect(String((errors[0]!.err as { stack: string }).stack)).toContain('TypeError: boom in the model');
  });

  it('writes the pretty form as one short line per entry', () => {
    const line = prettyLine({ level: 20, time: Date.UTC(2024, 0, 1, 12, 0, 1, 234), pid: 1, hostname: 'h', name: 'vcenter-sim', msg: 'call', method: 'CurrentTime', durationMs: 0.5 });
    expect(line).toBe('12:00:01.234 DEBUG call method=CurrentTime durationMs=0.5\n');
  });

  it('takes --log-level and --log-format, and refuses other values', () => {
    expect(optionsFrom(parseArgs(['--log-level', 'debug', '--log-format', 'pretty']))).toMatchObject({ logLevel: 'debug', logFormat: 'pretty' });
    expect(() => optionsFrom(parseArgs(['--log-level', 'loud']))).toThrow(/--log-level needs one of fatal, error, warn, info, debug, trace, silent/);
    expect(() => optionsFrom(parseArgs(['--log-format', 'xml']))).toThrow(/--log-format needs one of json, pretty/);
  });
});
