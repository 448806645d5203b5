/**
 * vcctl's pure parts, in-process: URL forms govc accepts, output rendering, failure descriptions
 * and the README's exit code table (checked against the code, so they cannot drift), plus a run
 * under a pseudo-terminal (`script`): tables by default and a progress bar on stderr.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VimError, errorCodes } from '../../client/errors.js';
import { CliError, describeFailure, exitCodeOfFamily } from '../../client/cli/errors.js';
import { renderObject, renderRows } from '../../client/cli/output.js';
import { run } from '../../client/cli/run.js';
import { normalizeUrl, resolveSettings } from '../../client/cli/settings.js';
import type { Simulator } from '../../simulator/index.js';
import { startSim, vcctlEntry, type Runner } from './support.js';

describe('vcctl parts', () => {
  it('reads URLs as govc does: bare host, host:port, user:pass@, full URL', () => {
    expect(normalizeUrl('vc.lab').href).toBe('https://vc.lab/sdk');
    expect(normalizeUrl('127.0.0.1:8989').href).toBe('https://127.0.0.1:8989/sdk');
    expect(normalizeUrl('https://vc.lab/sdk').href).toBe('https://vc.lab/sdk');
    const env = { HOME: '/nonexistent', GOVC_URL: 'a%40b:p%3Aw@vc.lab' };
    const settings = resolveSettings({}, env);
    expect([settings.url.href, settings.username, settings.password, settings.insecure]).toEqual(['https://vc.lab/sdk', 'a@b', 'p:w', false]);
    expect(resolveSettings({ username: 'flag' }, { ...env, GOVC_USERNAME: 'govc', VCCTL_INSECURE: 'true' })).toMatchObject({ username: 'flag', insecure: true });
    expect(resolveSettings({}, { ...env, GOVC_USERNAME: 'govc', VCCTL_USERNAME: 'vcctl' }).username).toBe('vcctl');
    expect(() => resolveSettings({}, { HOME: '/nonexistent' })).toThrow(CliError);
  });

  it('prints its version, the package\'s, with --version and -V and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      let out = '';
      const sink = { write: (text: string) => ((out += text), true) } as unknown as NodeJS.WritableStream;
      expect(await run([flag], { stdout: sink, stderr: sink, env: {} })).toBe(0);
      expect(out).toBe(`${version}\n`);
    }
  });

  it('renders rows and objects in every format', () => {
    const rows = [{ name: 'a', n: 1, refs: ['x', 'y'] }, { name: 'bb', n: undefined, refs: [] }];
    expect(renderRows(rows, ['name', 'n', 'refs'], 'json')).toBe('{"name":"a","n":1,"refs":["x","y"]}\n{"name":"bb","refs":[]}\n');
    expect(renderRows(rows, ['name', 'refs'], 'table')).toBe('NAME  REFS\na     x, y\nbb\n');
    expect(renderRows(rows, ['n', 'name'], 'yaml')).toBe('- n: 1\n  name: a\n- name: bb\n');
    expect(renderRows([], ['name'], 'table')).toBe('');
    expect(renderObject({ name: 'a', n: 1 }, ['name', 'n'], 'table')).toBe('name:  a\nn:     1\n');
  });

  it('describes failures with their code and family exit code', () => {
    expect(describeFailure(new VimError({ code: 'VM_NOT_FOUND', message: 'vm "x" not found' }))).toEqual({ code: 'VM_NOT_FOUND', message: 'vm "x" not found', exitCode: 3 });
    expect(describeFailure(new VimError({ code: 'TLS', message: 'm' })).exitCode).toBe(6);
    expect(describeFailure(new CliError('CONFIG', 'm')).exitCode).toBe(2);
    expect(describeFailure(new Error('boom'))).toEqual({ code: 'INTERNAL', message: 'boom', exitCode: 1 });
  });

  it("README's exit code table says what the code does, for every error code", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('| exit | meaning | codes (families) |'));
    const rows = table.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    for (const [code, info] of Object.entries(errorCodes)) {
      const row = rows.find((r) => r.includes(`(${info.family}`) || r.includes(`, ${info.family}`));
      expect(row, `family ${info.family} of ${code}`).toBeDefined();
      expect(Number(/^\| (\d+)/.exec(row!)![1]), `exit code of ${info.family}`).toBe(exitCodeOfFamily[info.family]);
    }
  });
});

describe('vcctl on a terminal', { timeout: 300_000 }, () => {
  let sim: Simulator;
  let vcctl: Runner;
  beforeAll(async () => {
    ({ sim, vcctl } = await startSim({ taskDelayMs: 300 }));
  });
  afterAll(() => sim?.close());

  it('prints tables by default and a task progress bar on stderr (under script(1), a pseudo-terminal)', async () => {
    const command = `${process.execPath} --import tsx ${vcctlEntry} vm power off DC0_H0_VM0; ${process.execPath} --import tsx ${vcctlEntry} vm ls --columns name,powerState`;
    const { stdout } = await promisify(execFile)('script', ['-qec', command, '/dev/null'], { env: { ...vcctl.env, TERM: 'xterm' } });
    const text = stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    expect(text).toMatch(/off DC0_H0_VM0 \[[^\]]*\] 100%/);
    expect(text).toContain('NAME            POWERSTATE');
    expect(text).toMatch(/DC0_H0_VM0\s+poweredOff/);
  });
});
