/**
 * vcenter-sim run as govc's own test harness runs vcsim (govc/test/test_helper.bash, unchanged in
 * substance): test/clients/harness/vcsim-harness.bash names things with `vcsim uuidgen`, starts
 * `vcsim -l 127.0.0.1:0 -E <fifo> <model flags>`, reads GOVC_URL from the fifo, lists the inventory
 * there with govmomi, stops it with a signal; and runs `-stdinexit` with stdin a pipe it closes.
 * `vcsim` on PATH is a wrapper around our CLI.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGoProgram, clientAvailable, clientsDir, formatResult, govmomiStatus, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());
const repo = join(clientsDir, '..', '..');

describe.skipIf(!available)('govc\'s test harness, with vcenter-sim as its vcsim', () => {
  let steps: Record<string, any>[];

  beforeAll(async () => {
    const lister = await buildGoProgram('vcsimmodel');
    const bin = mkdtempSync(join(tmpdir(), 'vcsim-bin-'));
    writeFileSync(join(bin, 'vcsim'), `#!/bin/sh\nexec "${process.execPath}" --import tsx "${join(repo, 'simulator', 'cli.ts')}" "$@"\n`);
    chmodSync(join(bin, 'vcsim'), 0o755);
    const result = await runProcess('bash', [join(clientsDir, 'harness', 'vcsim-harness.bash')], {
      cwd: repo,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, LISTER: lister },
      timeoutMs: 240_000,
    });
    if (result.code !== 0) throw new Error(`harness failed: ${formatResult(result)}`);
    steps = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
  }, 300_000);

  const started = (flags: string) => steps.find((s) => s.flags === flags)!;
  const names = (step: Record<string, any>, type: string) => step.objects.filter((o: { type: string }) => o.type === type).map((o: { name: string }) => o.name).sort();

  it('names things with `vcsim uuidgen` and reports `vcsim version`', () => {
    expect(steps[0]!.id).toMatch(/^govc-test-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(steps[0]!.id).not.toBe(steps[0]!.id2);
    expect(steps[1]!.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('starts with -l 127.0.0.1:0 -E <fifo> and the model flags, and GOVC_URL from the fifo reaches that inventory', () => {
    const pools = started('-app 1 -pool 1');
    expect(pools.url).toMatch(/^https:\/\/user:pass@127\.0\.0\.1:\d+\/sdk$/);
    expect(names(pools, 'VirtualMachine')).toEqual(['DC0_C0_APP0_VM0', 'DC0_C0_APP0_VM1', 'DC0_C0_RP1_VM0', 'DC0_C0_RP1_VM1', 'DC0_H0_VM0', 'DC0_H0_VM1']);
    expect(names(pools, 'VirtualApp')).toEqual(['DC0_C0_APP0']);
    expect(names(started('-dc 2 -folder 1'), 'Datacenter')).toEqual(['DC0', 'DC1']);
    expect(names(started('-dc 2 -folder 1'), 'Folder')).toContain('F0');
    const esx = started('-esx -autostart=false');
    expect(names(esx, 'HostSystem')).toEqual(['localhost.localdomain']);
    expect(esx.objects.filter((o: { power?: string }) => o.power).map((o: { power: string }) => o.power)).toEqual(['poweredOff', 'poweredOff']);
    expect(esx.about.ApiType).toBe('HostAgent');
    expect(names(started('-cluster 2 -host 4 -vm 8'), 'VirtualMachine')).toHaveLength(24);
    expect(started('-api-version uE53DA').about.ApiVersion).toBe('uE53DA');
    expect(new Set(steps.filter((s) => s.pid).map((s) => s.pid)).size).toBe(5);
  });

  it('with -stdinexit, says "Press any key to exit" and stops (exit code 0) when stdin ends', () => {
    expect(steps.at(-1)!.stdinexit).toEqual({ runningBefore: true, exit: 0, said: '1' });
  });
});
