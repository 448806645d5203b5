#!/usr/bin/env -S node --max-semi-space-size=32
// A larger young generation lets the many short-lived objects of a big PropertyCollector answer
// die young: retrieving thousands of VMs runs about twice as fast (see `npm run bench`).
import { randomUUID } from 'node:crypto';
import { createWriteStream, openSync, writeFileSync } from 'node:fs';
import { optionsFrom, parseCommandLine, usage, UsageError, type CliOptions } from './cli-options.js';
import { createSimulator } from './index.js';
import { startTunnel, withTunnelPort } from './tunnel.js';
import { packageVersion } from '../client/package-version.js';

async function main(): Promise<void> {
  // A reader that goes away (`| head -1`) must not crash the simulator with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  let options: CliOptions;
  try {
    const { command, flags } = parseCommandLine(process.argv.slice(2));
    if (command === 'help') return void process.stdout.write(usage(packageVersion()));
    if (command === 'uuidgen') return void process.stdout.write(`${randomUUID()}\n`);
    if (command === 'version') return void process.stdout.write(`Build Version: ${packageVersion()}\nBuild Commit: \nBuild Date: \n`);
    options = optionsFrom(flags);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`vcenter-sim: ${error.message}\nRun 'vcenter-sim -h' for the flags.\n`);
    process.exit(2);
  }
  // Opened now, as vcsim creates it before starting: a path that cannot be written stops the start.
  const traceTo = (path: string) => createWriteStream(path, { fd: openSync(path, 'w') });
  const trace = options.soapTraceFile === undefined ? undefined : options.soapTraceFile === '-' ? process.stderr : traceTo(options.soapTraceFile);
  const secureCookies = process.env.VCSIM_SECURE_COOKIES === 'true'; // vcsim's switch, for clients' cookie-jar tests
  const sim = await createSimulator({ ...options, logLevel: options.logLevel ?? 'info', soapTrace: trace, secureCookies });
  const tunnel = options.tunnelPort >= 0 ? await startTunnel(sim.url, options.tunnelPort) : undefined;
  const govcUrl = tunnel ? withTunnelPort(sim.urlWithCredentials, tunnel.port) : sim.urlWithCredentials;
  const exportLine = `export GOVC_URL=${govcUrl} GOVC_SIM_PID=${process.pid}\n`;
  // vcsim writes the line to the fifo once it listens; readers wait on the fifo for it.
  if (options.envFile !== undefined) writeFileSync(options.envFile, exportLine);
  // The banner is for people: stderr. stdout carries only vcsim's export line, for scripts.
  process.stderr.write(
    `vcenter-sim listening: ${sim.url}\n` +
      `  credentials: ${sim.vc.directory.open ? 'any non-empty user and password (e.g. user / pass)' : `${sim.username} / ${sim.password}`}\n` +
      `  control API: ${sim.controlUrl} (Basic ${sim.username} / ${sim.password}${options.controlToken ? ' or the Bearer control token' : ''}; see ${sim.controlUrl}/openapi.json)\n` +
      (tunnel ? `  SDK tunnel: 127.0.0.1:${tunnel.port}\n` : ''),
  );
  process.stdout.write(exportLine);
  const stop = () => {
    tunnel?.close();
    sim.close().then(
      () => (trace && trace !== process.stderr ? trace.end(() => process.exit(0)) : process.exit(0)),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (options.stdinExit) {
    process.stdout.write('Press any key to exit\n');
    // As vcsim: the first byte read, or the end of stdin, stops the simulator.
    process.stdin.once('data', stop);
    process.stdin.once('end', stop);
  }
}

// `vcenter-sim scenario ...` is the scenario runner's (scenarios/cli.ts), loaded only when asked for.
if (process.argv[2] === 'scenario') import('../scenarios/cli.js').then((m) => m.run(process.argv.slice(3)), (e: Error) => {
  process.stderr.write(`vcenter-sim: ${e.message}\n`);
  process.exitCode = 1;
});
else main().catch((error: unknown) => {
  process.stderr.write(`vcenter-sim: ${(error as Error).message}\n`);
  process.exit(1);
});
