/**
 * How vcctl connects: the session cache (a script of many commands logs in once; the journal
 * counts the Logins), GOVC_* fallbacks, named contexts, thumbprint pinning, --debug's masked wire
 * log, session ls/logout, shell completion.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/index.js';
import { thumbprint } from '../client/tls.js';
import { baseEnv, fails, jsonLines, ok, spawnVcctl, startSim, type Runner } from './support.js';

describe('vcctl connection, session cache, contexts', { timeout: 300_000 }, () => {
  let sim: Simulator;
  let vcctl: Runner;
  const logins = () => sim.journal.entries({ method: 'Login' }).length;

  beforeAll(async () => {
    ({ sim, vcctl } = await startSim({ username: 'admin', password: 's3cret' }));
  });
  afterAll(() => sim?.close());

  it('logs in once for many invocations: the session cookie is cached in a 0600 file and checked with one call', async () => {
    sim.journal.clear();
    ok(await vcctl.run(['about']));
    for (const args of [['vm', 'ls'], ['host', 'ls'], ['ds', 'ls'], ['ls', '/DC0']]) ok(await vcctl.run(args));
    expect(logins()).toBe(1);
    const file = join(vcctl.home, '.cache', 'vcctl', 'sessions.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain('s3cret');
    // the server ends the session: the next run notices and logs in again, once
    sim.sessions.expire({});
    ok(await vcctl.run(['about']));
    ok(await vcctl.run(['about']));
    expect(logins()).toBe(2);
    // --no-cache neither reads nor writes it
    ok(await vcctl.run(['--no-cache', 'about']));
    expect(logins()).toBe(3);
  });

  it('caches the REST session (tags, categories, libraries) too, and replaces it once it expired', async () => {
    const restLogins = () => sim.journal.entries({ method: 'POST /api/session' }).length;
    sim.journal.clear();
    for (const args of [['tag', 'ls'], ['category', 'ls'], ['library', 'ls']]) ok(await vcctl.run(args));
    expect(restLogins()).toBe(1);
    sim.sessions.expire({});
    ok(await vcctl.run(['tag', 'ls']));
    ok(await vcctl.run(['category', 'ls']));
    expect(restLogins()).toBe(2);
    expect(logins()).toBe(1); // and the SOAP one, once
  });

  it('a wrong password never rides on a cached session; it fails with exit 4', async () => {
    ok(await vcctl.run(['about']));
    const wrong = await vcctl.run(['about'], { VCCTL_PASSWORD: 'nope' });
    expect(fails(wrong, 4, 'INVALID_LOGIN')).toMatch(/^ERR_INVALID_LOGIN: /);
  });

  it('GOVC_URL (with user:pass@, or a bare host with GOVC_USERNAME/GOVC_PASSWORD) and GOVC_INSECURE work as govc reads them', async () => {
    const { host } = new URL(sim.url);
    const env = baseEnv(vcctl.home);
    const [withUserInfo, bare, insecureMissing] = await Promise.all([
      spawnVcctl(['about', '--columns', 'apiType'], { ...env, GOVC_URL: `https://admin:s3cret@${host}/sdk`, GOVC_INSECURE: '1' }),
      spawnVcctl(['about', '--columns', 'apiType'], { ...env, GOVC_URL: host, GOVC_USERNAME: 'admin', GOVC_PASSWORD: 's3cret', GOVC_INSECURE: 'true' }),
      spawnVcctl(['about'], { ...env, GOVC_URL: host, GOVC_USERNAME: 'admin', GOVC_PASSWORD: 's3cret' }),
    ]);
    expect(jsonLines(ok(withUserInfo))).toEqual([{ apiType: 'VirtualCenter' }]);
    expect(jsonLines(ok(bare))).toEqual([{ apiType: 'VirtualCenter' }]);
    fails(insecureMissing, 6, 'TLS'); // the self-signed certificate is refused without GOVC_INSECURE
    fails(await spawnVcctl(['about'], env), 2, 'USAGE'); // no URL anywhere
  });

  it('--thumbprint pins the certificate', async () => {
    const print = await thumbprint(sim.url);
    const env = { ...vcctl.env, VCCTL_INSECURE: '' };
    const [pinned, wrong] = await Promise.all([
      spawnVcctl(['--thumbprint', print, 'about', '--columns', 'apiType'], env),
      spawnVcctl(['--thumbprint', 'AA:'.repeat(31) + 'AA', 'about'], env),
    ]);
    expect(jsonLines(ok(pinned))).toEqual([{ apiType: 'VirtualCenter' }]);
    fails(wrong, 6, 'TLS');
  });

  it('named contexts: set-context, use-context, get-contexts; the file is 0600; flags and VCCTL_* win over it', async () => {
    const config = join(vcctl.home, 'vcctl.yaml');
    const env = { ...baseEnv(vcctl.home), VCCTL_CONFIG: config };
    ok(await spawnVcctl(['config', 'set-context', 'lab', '--url', sim.url, '-u', 'admin', '-p', 's3cret', '-k'], env));
    ok(await spawnVcctl(['config', 'set-context', 'other', '--url', 'https://127.0.0.1:1/sdk', '-u', 'x', '-p', 'y'], env));
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(jsonLines(ok(await spawnVcctl(['config', 'get-contexts'], env)))).toEqual([
      { current: true, name: 'lab', url: sim.url, username: 'admin', insecure: true },
      { current: false, name: 'other', url: 'https://127.0.0.1:1/sdk', username: 'x', insecure: false },
    ]);
    expect(jsonLines(ok(await spawnVcctl(['about', '--columns', 'apiType'], env)))).toEqual([{ apiType: 'VirtualCenter' }]);
    ok(await spawnVcctl(['config', 'use-context', 'other'], env));
    expect(ok(await spawnVcctl(['config', 'current-context'], env))).toBe('other\n');
    fails(await spawnVcctl(['about'], env), 6, 'TRANSPORT'); // port 1: nothing listens
    expect(jsonLines(ok(await spawnVcctl(['--context', 'lab', 'about', '--columns', 'apiType'], env)))).toHaveLength(1);
    expect(jsonLines(ok(await spawnVcctl(['about', '--columns', 'apiType'], { ...env, VCCTL_URL: sim.url, VCCTL_USERNAME: 'admin', VCCTL_PASSWORD: 's3cret', VCCTL_INSECURE: '1' })))).toHaveLength(1);
    fails(await spawnVcctl(['--context', 'nope', 'about'], env), 2, 'CONFIG');
    writeFileSync(config, 'contexts: [1, 2]\n');
    fails(await spawnVcctl(['about'], env), 2, 'CONFIG');
  });

  it('--debug prints the wire on stderr with the password and cookies masked', async () => {
    const run = await vcctl.run(['--debug', '--no-cache', 'about', '--columns', 'name']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('<Login xmlns="urn:vim25">');
    expect(run.stderr).toContain('<password>***</password>');
    expect(run.stderr).toContain('set-cookie: ***');
    expect(run.stderr).not.toContain('s3cret');
    const control = await vcctl.run(['--debug', 'sim', 'faults', 'ls']);
    expect(control.stderr).toContain('GET /_sim/faults');
    expect(control.stderr).toContain('authorization: ***');
  });

  it('session ls shows ours as current; session logout ends it and forgets the cached one', async () => {
    ok(await vcctl.run(['about']));
    const sessions = jsonLines(ok(await vcctl.run(['session', 'ls'])));
    const mine = sessions.filter((s) => s.current);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ user: 'admin', userAgent: 'vcctl' });
    sim.journal.clear();
    ok(await vcctl.run(['session', 'logout']));
    expect(sim.journal.entries({ method: 'Logout' })).toHaveLength(1);
    expect(jsonLines(ok(await vcctl.run(['session', 'ls']))).some((s) => s.key === mine[0]!.key)).toBe(false);
  });

  it('completion scripts for bash and zsh complete nouns, verbs and options', async () => {
    const [bash, zsh] = await Promise.all([vcctl.run(['completion', 'bash']), vcctl.run(['completion', 'zsh'])]);
    const script = join(vcctl.home, 'vcctl.bash');
    writeFileSync(script, ok(bash));
    const complete = (line: string) =>
      execFileSync('bash', ['-c', `source ${script}; COMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _vcctl; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' }).trim().split(' ');
    expect(complete("vcctl vm p ''".replace(" ''", ''))).toEqual(['power']);
    expect(complete("vcctl vm power ''")).toEqual(expect.arrayContaining(['on', 'off', 'reset', 'suspend', 'shutdown', 'reboot']));
    expect(complete("vcctl --debug sim fa")).toEqual(['faults']);
    expect(complete("vcctl vm ls --fi")).toEqual(['--filter']);
    expect(complete("vcctl ''")).toEqual(expect.arrayContaining(['about', 'ls', 'find', 'vm', 'host', 'sim', 'completion']));
    expect(ok(zsh)).toMatch(/^#compdef vcctl\n/);
    expect(ok(zsh)).toContain("'vm power') candidates=('on' 'off' 'reset' 'suspend' 'shutdown' 'reboot'");
    fails(await vcctl.run(['completion', 'fish']), 2, 'USAGE');
  });
});
