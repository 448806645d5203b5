import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import { optionsFrom, parseArgs } from '../../simulator/cli-options.js';
import { createSimulator } from '../../simulator/index.js';

const cli = new URL('../../simulator/cli.ts', import.meta.url).pathname;
const serviceInstance = { type: 'ServiceInstance', value: 'ServiceInstance' };

describe('vcenter-sim command line', () => {
  it('parses vcsim\'s Go-style flags and our long options', () => {
    expect(parseArgs(['-l', '127.0.0.1:0', '-vm=3', '--host', '2', '-esx', '-tls=false', '--seed', '7'])).toEqual({
      l: '127.0.0.1:0', vm: 3, host: 2, esx: true, tls: false, seed: 7,
    });
    expect(() => parseArgs(['-nope'])).toThrow(/Unknown flag -nope/);
    expect(() => parseArgs(['-vm', 'many'])).toThrow(/needs an integer/);
    expect(() => parseArgs(['-l'])).toThrow(/needs a value/);
  });

  it('turns the model flags into a topology', () => {
    const options = optionsFrom(parseArgs(['-dc', '2', '-esx=false']));
    expect(options.topology!.model).toBe('VPX');
    expect(options.topology!.datacenters).toHaveLength(2);
    expect(optionsFrom(parseArgs(['-esx'])).topology!.model).toBe('ESX');
    expect(optionsFrom(parseArgs(['-load', '/tmp/x'])).loadDir).toBe('/tmp/x');
    expect(optionsFrom(parseArgs(['-delay', '100', '-method-delay', 'PowerOnVM_Task:1000,CloneVM_Task:50', '-delay-jitter', '0.5']))).toMatchObject({
      taskDelayMs: 100, methodDelayMs: { PowerOnVM_Task: 1000, CloneVM_Task: 50 }, delayJitter: 0.5,
    });
    expect(() => optionsFrom(parseArgs(['-method-delay', 'PowerOnVM_Task']))).toThrow(/Method:ms/);
    expect(optionsFrom(parseArgs(['--event-history', '500', '--task-history=50']))).toMatchObject({ eventHistorySize: 500, taskHistorySize: 50 });
    expect(optionsFrom(parseArgs(['--datastore-content-budget', '1024']))).toMatchObject({ datastoreContentBudget: 1024 });
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

  it('refuses an unknown flag with exit code 2 and a message', () => {
    try {
      execFileSync(process.execPath, ['--import', 'tsx', cli, '-bogus'], { stdio: 'pipe' });
      expect.unreachable('the command should have failed');
    } catch (error) {
      const { status, stderr } = error as { status: number; stderr: Buffer };
      expect(status).toBe(2);
      expect(stderr.toString()).toMatch(/Unknown flag -bogus/);
    }
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
