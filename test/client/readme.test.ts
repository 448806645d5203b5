/**
 * README's client section stays true: each ```ts block under "## The bundled client" runs as
 * written against a fresh simulator (VCENTER_URL), with `vcenter-sim/client` resolved to the
 * sources; the error code table is the exported data; package.json exports the client with types.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorCodes, faultCodes, httpStatusCodes, notFoundCodes, vapiErrorCodes } from '../../client/errors.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## The bundled client'), readme.indexOf('\n## ', readme.indexOf('## The bundled client') + 1));
const examples = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** The error table as README shows it, from the exported data. */
function errorTable(): string {
  const rows = ['| code | family | retryable | from vSphere faults (and their subtypes) | from vAPI errors | from HTTP |', '| --- | --- | --- | --- | --- | --- |'];
  for (const [code, info] of Object.entries(errorCodes)) {
    const faults = Object.entries(faultCodes).filter(([, c]) => c === code).map(([f]) => `\`${f}\``);
    const types = Object.entries(notFoundCodes).filter(([, c]) => c === code).map(([t]) => t);
    if (types.length) faults.push(`\`ManagedObjectNotFound\` of ${types.join(', ')}`);
    const vapi = Object.entries(vapiErrorCodes).filter(([, c]) => c === code).map(([v]) => `\`${v}\``);
    const http = Object.entries(httpStatusCodes).filter(([, c]) => c === code).map(([s]) => s);
    rows.push(`| \`${code}\` | ${info.family} | ${info.retryable ? 'yes' : 'no'} | ${faults.join(', ') || '—'} | ${vapi.join(', ') || '—'} | ${http.join(', ') || '—'} |`);
  }
  return rows.join('\n');
}

describe('README: the bundled client', () => {
  let sim: Simulator;
  const dir = join(root, 'test/client/.readme-examples');
  beforeEach(async () => {
    sim = await createSimulator({ listen: '127.0.0.1:0' });
    process.env.VCENTER_URL = sim.url;
    mkdirSync(dir, { recursive: true });
  });
  afterEach(async () => {
    delete process.env.VCENTER_URL;
    rmSync(dir, { recursive: true, force: true });
    await sim.close();
  });

  it('has examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((code, i) => [i + 1, code] as const))('example %i runs as written', async (i, code) => {
    const file = join(dir, `example-${i}.ts`);
    writeFileSync(file, code.replace(/from 'vcenter-sim\/client'/g, `from '${join(root, 'client/index.js')}'`));
    const logged: unknown[][] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void logged.push(args);
    try {
      await import(file);
    } finally {
      console.log = log;
    }
    expect(logged.length).toBeGreaterThan(0);
    // The example left no session behind: close() logged out (SOAP and REST).
    expect(sim.journal.entries({ method: 'Logout' }).length + sim.journal.entries({ api: 'rest', method: 'DELETE /api/session' }).length).toBeGreaterThanOrEqual(1);
  });

  it('examples typecheck against the client as published (vcenter-sim/client)', () => {
    // Each example is a module of its own; `paths` points the package name at the sources.
    examples.forEach((code, i) => writeFileSync(join(dir, `typed-${i + 1}.ts`), `${code}\nexport {};\n`));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../../tsconfig.json',
        compilerOptions: { noEmit: true, rootDir: '../../..', baseUrl: '.', paths: { 'vcenter-sim/client': ['../../../client/index.ts'] } },
        include: ['typed-*.ts'],
      }),
    );
    const run = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 120_000);

  it('shows the error code table the client exports', () => {
    const shown = /<!-- error-codes:start -->\n([\s\S]*?)\n<!-- error-codes:end -->/.exec(readme)?.[1];
    expect(shown).toBe(errorTable());
  });

  it("exports './client' with types from package.json", () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.exports['./client']).toEqual({ types: './dist/client/index.d.ts', default: './dist/client/index.js' });
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
    expect(tsconfig.compilerOptions.declaration).toBe(true);
    expect(tsconfig.include).toContain('client/**/*.ts');
  });
});
