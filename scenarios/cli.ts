/**
 * `vcenter-sim scenario run FILE... [--url URL] [--junit out.xml] [--report out.json] [--filter NAME] [--concurrency N]`.
 * Exit code 0 when every scenario passed (or was skipped), 1 when one failed, 2 for a usage error.
 */
import { parseArgs } from 'node:util';
import { runScenarios } from './index.js';

const usage = `usage: vcenter-sim scenario run FILE... [--url URL] [--junit out.xml] [--report out.json] [--filter NAME] [--concurrency N]

  --url URL          run against this simulator (https://user:pass@host:port/sdk) instead of an embedded one per scenario
  --junit FILE       write JUnit XML
  --report FILE      write the JSON report (steps with the calls, faults, events and tasks each caused)
  --filter NAME      only scenarios whose name matches (a glob, or a part of the name)
  --concurrency N    scenarios run at a time (default 2)
`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { url: { type: 'string' }, junit: { type: 'string' }, report: { type: 'string' }, filter: { type: 'string' }, concurrency: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    process.stderr.write(`vcenter-sim scenario: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  const [command, ...files] = parsed.positionals;
  if (parsed.values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const concurrency = parsed.values.concurrency === undefined ? undefined : Number(parsed.values.concurrency);
  if (command !== 'run' || !files.length || (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0))) {
    process.stderr.write(usage);
    return 2;
  }
  const { exitCode } = await runScenarios(files, { ...parsed.values, concurrency, output: process.stdout });
  return exitCode;
}

/** Called by simulator/cli.ts for `vcenter-sim scenario ...`. */
export function run(argv: string[]): void {
  main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`vcenter-sim scenario: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
