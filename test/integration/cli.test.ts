import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import { optionsFrom, parseArgs, parseCommandLine, usage, UsageError } from '../../simulator/cli-options.js';
import { createSimulator } from '../../simulator/index.js';

const cli = new URL('../../simulator/cli.ts', import.meta.url).pathname;
const serviceInstance = { type: 'ServiceInstance', value: 'ServiceInstance' };

describe('vcenter-sim command line', () => {
  it('reads flags as Go\'s flag package reads vcsim\'s', () => {
    expect(parseArgs(['-l', '127.0.0.1:0', '-vm=3', '--host', '2', '-esx', '-tls=false', '--seed', '7', '-autostart=f', '-delay-jitter', '0.5'])).toEqual({
      l: '127.0.0.1:0', vm: 3, host: 2, esx: true, tls: false, seed: 7, autostart: false, 'delay-jitter': 0.5,
    });
    expect(parseArgs(['-vm', '0x10', '--tls=1', '-httptest.serve=127.0.0.1:0'])).toEqual({ vm: 16, tls: true, 'httptest.serve': '127.0.0.1:0' });
    expect(parseArgs(['-l', '-vm'])).toEqual({ l: '-vm' }); // a non-boolean flag takes the next argument, whatever it is
    const usageError = (argv: string[], message: RegExp) => {
      expect(() => parseCommandLine(argv)).toThrow(UsageError);
      expect(() => parseCommandLine(argv)).toThrow(message);
    };
    usageError(['-nope'], /^flag provided but not defined: -nope/);
    usageError(['-vm', 'many'], /invalid value "many" for flag -vm: not an integer/);
    usageError(['-vm', '1.5'], /not an integer/);
    usageError(['-delay-jitter=x'], /invalid value "x" for flag -delay-jitter/);
    usageError(['-l'], /flag needs an argument: -l/);
    usageError(['---vm'], /bad flag syntax: ---vm/);
    usageError(['-tls=maybe'], /invalid boolean value "maybe" for -tls/);
    usageError(['-tls', 'false'], /boolean flag -tls takes its value as -tls=false/);
    usageError(['-vm', '1', 'extra'], /unexpected argument 'extra'/);
    usageError(['uuidgen', 'x'], /unexpected argument 'x' after 'uuidgen'/);
  });

  it('finds vcsim\'s subcommands after the flags, and -h/--help/--version', () => {
    expect(parseCommandLine([])).toEqual({ command: 'serve', flags: {} });
    expect(parseCommandLine(['uuidgen'])).toEqual({ command: 'uuidgen', flags: {} });
    expect(parseCommandLine(['-l', '127.0.0.1:0', 'version'])).toEqual({ command: 'version', flags: { l: '127.0.0.1:0' } });
    expect(parseCommandLine(['--', 'uuidgen']).command).toBe('uuidgen');
    for (const help of ['-h', '--help', '-help', '-help=true']) expect(parseCommandLine([help, '-vm', '2']).command).toBe('help');
    expect(parseCommandLine(['--version']).command).toBe('version');
    const text = usage('1.2.3');
    expect(text).toContain('vcenter-sim 1.2.3');
    expect(text).toMatch(/-vm int\n\s+Number of virtual machines per resource pool \(default 2\)/);
    expect(text).toMatch(/-tls\n\s+Enable TLS \(default true\)/);
    expect(text).toContain('Examples:');
    expect(text).toContain('vcenter-sim uuidgen');
  });

  it('turns the model flags into a topology', () => {
    const options = optionsFrom(parseArgs(['-dc', '2', '-esx=false']));
    expect(options.topology!.model).toBe('VPX');
    expect(options.topology!.datacenters).toHaveLength(2);
    expect(optionsFrom(parseArgs(['-esx'])).topology!.model).toBe('ESX');
    expect(optionsFrom(parseArgs(['-esx', '-autostart=false', '-vm', '1'])).topology).toMatchObject({ model: 'ESX', autostart: false });
    expect(optionsFrom(parseArgs(['-nsx', '2', '-pg-nsx', '1'])).topology!.datacenters[0]).toMatchObject({ opaqueNetworks: 2, nsxPortgroups: 1 });
    expect(optionsFrom(parseArgs(['-load', '/tmp/x'])).loadDir).toBe('/tmp/x');
    expect(optionsFrom(parseArgs(['-delay', '100', '-method-delay', 'PowerOnVM_Task:1000, CloneVM_Task:50', '-delay-jitter', '0.5']))).toMatchObject({
      taskDelayMs: 100, methodDelayMs: { PowerOnVM_Task: 1000, CloneVM_Task: 50 }, delayJitter: 0.5,
    });
    expect(optionsFrom(parseArgs(['--event-history', '500', '--task-history=50']))).toMatchObject({ eventHistorySize: 500, taskHistorySize: 50 });
    expect(optionsFrom(parseArgs(['-httptest.serve', '127.0.0.1:0', '-l', '127.0.0.1:9'])).listen).toBe('127.0.0.1:0');
    expect(optionsFrom(parseArgs([]))).toMatchObject({ listen: '127.0.0.1:8989', envFile: undefined, stdinExit: false, tunnelPort: -1, soapTraceFile: undefined });
    expect(optionsFrom(parseArgs(['-E', '-', '-trace', '-tunnel', '0', '-stdinexit']))).toMatchObject({ envFile: undefined, soapTraceFile: '-', tunnelPort: 0, stdinExit: true });
  });

  it('-username and -password may name files holding them, as vcsim reads them (session.Secret)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcsim-cli-'));
    writeFileSync(join(dir, 'pass'), 's3cret\n');
    expect(optionsFrom(parseArgs(['-username', 'admin', '-password', join(dir, 'pass')]))).toMatchObject({ username: 'admin', password: 's3cret' });
    expect(optionsFrom(parseArgs(['-username', 'admin', '-password', join(dir, 'absent')]))).toMatchObject({ password: join(dir, 'absent') });
  });

  it('refuses bad values and conflicting options with one line each', () => {
    for (const [argv, message] of [
      [['-vm', '-1'], /^-vm must be 0 or more, got -1$/],
      [['-pool=-2'], /^-pool must be 0 or more/],
      [['-delay', '-5'], /^-delay must be 0 or more/],
      [['--session-timeout', '0'], /^--session-timeout must be 1 or more/],
      [['-tunnel', '-2'], /^-tunnel must be a port number/],
      [['--control-port', '70000'], /^-control-port must be a port number/],
      [['-method-delay', 'PowerOnVM_Task'], /^-method-delay wants Method:milliseconds/],
      [['-method-delay', 'PowerOnVM_Task:1s'], /got 'PowerOnVM_Task:1s'/],
      [['-username', 'admin'], /^-username and -password go together/],
      [['-password', 'secret'], /^-username and -password go together/],
      [['-tlskey', '/tmp/k.pem'], /^-tlscert and -tlskey go together/],
      [['-tls=false', '-tlscert', '/tmp/c.pem', '-tlskey', '/tmp/k.pem'], /need TLS/],
      [['--topology', '/tmp/t.yaml', '-dc', '2'], /^--topology and -dc both describe the inventory/],
      [['-load', '/tmp/x', '-vm', '3'], /^-load starts from a saved inventory: -vm does not apply/],
      [['-esx', '-cluster', '2'], /^-esx simulates one ESX host: -cluster does not apply/],
      [['-l', 'nowhere:port'], /^invalid listen address "nowhere:port"/],
      [['-E', ''], /^-E needs a value/],
    ] as [string[], RegExp][]) {
      expect(() => optionsFrom(parseArgs(argv)), argv.join(' ')).toThrow(UsageError);
      expect(() => optionsFrom(parseArgs(argv)), argv.join(' ')).toThrow(message);
    }
  });

  it('with -l 127.0.0.1:0 -E <fifo>, writes the export line once listening, serves, and stops on SIGTERM', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'vcsim-cli-')), 'env');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '-l', '127.0.0.1:0', '-E', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = readFileSync(fifo, 'utf8'); // blocks until the simulator opens the fifo and writes
      const match = /^export GOVC_URL=https:\/\/user:pass@127\.0\.0\.1:(\d+)\/sdk GOVC_SIM_PID=(\d+)\n$/.exec(line);
      expect(match).not.toBeNull();
      expect(Number(match![2])).toBe(child.pid);
      const client = new SoapClient({ url: `https://127.0.0.1:${match![1]}/sdk` });
      const reply = await client.call('RetrieveServiceContent', serviceInstance);
      client.close();
      expect(reply.body).toContain('<rootFolder type="Folder">group-d1</rootFolder>');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('-stdinexit stops on stdin; -trace-file gets each SOAP request and response body; -tunnel CONNECTs to the SDK', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcsim-cli-'));
    const trace = join(dir, 'soap.trace');
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '-l', '127.0.0.1:0', '-stdinexit', '-trace-file', trace, '-tunnel', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await expect.poll(() => out, { timeout: 30_000 }).toMatch(/Press any key to exit/);
    // The export line comes first on stdout, the banner on stderr, and fastify's own "Server listening" nowhere.
    expect(out).toMatch(/^export GOVC_URL=/);
    expect(err).toMatch(/^vcenter-sim listening: https:\/\/127\.0\.0\.1:\d+\/sdk\n/);
    expect(out + err).not.toMatch(/Server listening/);
    const govcUrl = /export GOVC_URL=(\S+)/.exec(out)![1]!;
    const sdk = new URL(govcUrl);
    const tunnelPort = Number(sdk.searchParams.get('GOVMOMI_TUNNEL_PROXY_PORT'));
    expect(tunnelPort).toBeGreaterThan(0);
    const client = new SoapClient({ url: `https://127.0.0.1:${sdk.port}/sdk` });
    await client.call('RetrieveServiceContent', serviceInstance);
    client.close();
    // CONNECT through the tunnel reaches the SDK listener, whatever host it names (vcsim's sdkTunnel:8089).
    const { connect } = await import('node:net');
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(tunnelPort, '127.0.0.1', () => socket.write('CONNECT sdkTunnel:8089 HTTP/1.1\r\nHost: sdkTunnel:8089\r\n\r\n'));
      socket.once('data', (data) => {
        resolve(data.toString());
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 200/);
    child.stdin.write('x');
    expect(await exited).toBe(0);
    const text = readFileSync(trace, 'utf8');
    expect(text).toMatch(/^Request: <\?xml[^\n]*<soapenv:Envelope[^\n]*RetrieveServiceContent/m);
    expect(text).toMatch(/^Response: <\?xml[\s\S]*RetrieveServiceContentResponse/m);
  }, 60_000);

  it('keeps running when whoever reads its stdout goes away (no EPIPE crash), and stops cleanly', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '-l', '127.0.0.1:0', '-stdinexit', '-E', join(mkdtempSync(join(tmpdir(), 'vcsim-cli-')), 'env')], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.destroy(); // as `vcenter-sim ... | head -1` once head has its line
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 8000)); // long enough to have started and written
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/EPIPE|at .*\.js/);
  }, 60_000);

  it('-load of a directory that is not there, or of a file that is not an ObjectContent: a message naming it, exit code 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcsim-load-'));
    writeFileSync(join(dir, '0000-ServiceInstance-ServiceInstance.xml'), '<ObjectContent><obj type="ServiceInstance">ServiceInstance</obj>');
    for (const [target, message] of [
      [join(dir, 'absent'), `-load ${join(dir, 'absent')}: no such directory`],
      [dir, `${join(dir, '0000-ServiceInstance-ServiceInstance.xml')}: not valid XML`],
    ]) {
      try {
        execFileSync(process.execPath, ['--import', 'tsx', cli, '-l', '127.0.0.1:0', '-load', target!], { stdio: 'pipe' });
        expect.unreachable('the command should have failed');
      } catch (error) {
        const { status, stderr } = error as { status: number; stderr: Buffer };
        expect(status).toBe(1);
        expect(stderr.toString()).toContain(message);
      }
    }
  });

  it('a topology file that does not validate: one line naming each bad field, not a schema dump', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vcsim-cli-')), 'bad.yaml');
    writeFileSync(file, 'datacenters:\n  - clusters: [{ hosts: -1 }]\n    datastores: many\n');
    let message = '';
    try {
      optionsFrom(parseArgs(['--topology', file]));
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      message = (error as Error).message;
    }
    expect(message).not.toContain('\n');
    expect(message).toContain(`${file}: invalid topology`);
    expect(message).toMatch(/datacenters\[0\]\.clusters\[0\]\.hosts: .*>=0/);
    expect(message).toMatch(/datacenters\[0\]\.datastores: expected number/);
  });

  it('exits with 2 and one line (no stack, no schema dump) on a usage error, 0 on -h, uuidgen and version', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', timeout: 60_000 });
    for (const [args, message] of [
      [['-bogus'], 'vcenter-sim: flag provided but not defined: -bogus (see -h)'],
      [['-vm', '-1'], 'vcenter-sim: -vm must be 0 or more, got -1'],
      [['-username', 'u'], 'vcenter-sim: -username and -password go together: give both, or neither to let any user log in'],
    ] as [string[], string][]) {
      const result = run(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toBe(`${message}\nRun 'vcenter-sim -h' for the flags.\n`);
    }
    const help = run('-h');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Examples:');
    const uuids = [run('uuidgen'), run('uuidgen')];
    for (const u of uuids) expect(u.stdout).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\n$/);
    expect(uuids[0]!.stdout).not.toBe(uuids[1]!.stdout);
    const badTrace = run('-l', '127.0.0.1:0', '-trace-file', '/nonexistent/dir/soap.trace');
    expect(badTrace.status).toBe(1); // as vcsim: the trace file is created before the start, or the start fails
    expect(badTrace.stderr).toBe("vcenter-sim: ENOENT: no such file or directory, open '/nonexistent/dir/soap.trace'\n");
    const version = run('version');
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^Build Version: \d+\.\d+\.\d+\nBuild Commit: .*\nBuild Date: .*\n$/);
  });
});

describe('createSimulator', () => {
  it('runs isolated instances side by side in one process', async () => {
    const [a, b] = await Promise.all([createSimulator(), createSimulator()]);
    try {
      expect(a.url).not.toBe(b.url);
      const vm = a.vc.registry.ofType('VirtualMachine')[0]!.self;
      a.setProperty(vm, 'name', 'only-in-a');
      expect((a.vc.registry.require(vm) as unknown as { name: string }).name).toBe('only-in-a');
      expect((b.vc.registry.require(vm) as unknown as { name: string }).name).not.toBe('only-in-a');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('serves plain HTTP with tls: false, and the ESX model', async () => {
    const { topologyFromFlags } = await import('../../models/inventory/index.js');
    const sim = await createSimulator({ tls: false, topology: topologyFromFlags({ esx: true }) });
    try {
      expect(sim.url).toMatch(/^http:\/\//);
      const client = new SoapClient({ url: sim.url });
      const reply = await client.call('RetrieveServiceContent', serviceInstance);
      client.close();
      expect(reply.body).toContain('<rootFolder type="Folder">ha-folder-root</rootFolder>');
      expect(reply.body).toContain('<apiType>HostAgent</apiType>');
    } finally {
      await sim.close();
    }
  });
});
