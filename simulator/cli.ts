#!/usr/bin/env -S node --max-semi-space-size=32
// A larger young generation lets the many short-lived objects of a big PropertyCollector answer
// die young: retrieving thousands of VMs runs about twice as fast (see `npm run bench`).
import { writeFileSync } from 'node:fs';
import { optionsFrom, parseArgs, usage, type Parsed } from './cli-options.js';
import { createSimulator, type SimulatorOptions } from './index.js';

async function main(): Promise<void> {
  let args: Parsed;
  let options: SimulatorOptions;
  try {
    args = parseArgs(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(usage());
      return;
    }
    options = optionsFrom(args);
  } catch (error) {
    process.stderr.write(`vcenter-sim: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const sim = await createSimulator(options);
  const exportLine = `export GOVC_URL=${sim.urlWithCredentials} GOVC_SIM_PID=${process.pid}\n`;
  if (args.E !== undefined) writeFileSync(String(args.E), exportLine);
  process.stdout.write(
    `vcenter-sim listening: ${sim.url}\n` +
      `  credentials: ${sim.vc.loginIsOpen ? 'any non-empty user and password (e.g. user / pass)' : `${sim.username} / ${sim.password}`}\n` +
      `  control API: ${sim.controlUrl} (Basic ${sim.username} / ${sim.password}${options.controlToken ? ' or the Bearer control token' : ''}; see ${sim.controlUrl}/openapi.json)\n` +
      exportLine,
  );
  const stop = () => {
    sim.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
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
