/**
 * vcctl's read commands against a server we did not write: govmomi 0.24.2's simulator (the
 * client contract suite's vcsim program), so vcctl is not tuned to our simulator's quirks.
 * Needs Go and Debian's govmomi sources; without them clientAvailable says so loudly and the suite
 * is skipped (under CI=true it fails), as the other third-party client suites do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type Target } from '../client/servers.js';
import { clientAvailable, govmomiStatus } from '../clients/support.js';
import { jsonLines, ok, runnerFor, type Runner } from './support.js';

describe.runIf(clientAvailable(govmomiStatus()))('vcctl against govmomi 0.24.2 vcsim', { timeout: 600_000 }, () => {
  let target: Target;
  let vcctl: Runner;

  beforeAll(async () => {
    target = await startTarget('govmomi-vcsim');
    vcctl = runnerFor(target.url, target.username, target.password);
  }, 600_000);
  afterAll(() => target?.close());

  it('about, ls, vm ls, host ls, ds ls', async () => {
    const [about, ls, dc, vms, filtered, hosts, ds] = await Promise.all([
      vcctl.run(['about']),
      vcctl.run(['ls']),
      vcctl.run(['ls', '/DC0/host/DC0_C0']),
      vcctl.run(['vm', 'ls']),
      vcctl.run(['vm', 'ls', '--filter', 'name =~ "DC0_H0_*" && powerState == poweredOn', '--columns', 'name,path']),
      vcctl.run(['host', 'ls', '-o', 'table']),
      vcctl.run(['ds', 'ls']),
    ]);
    expect(jsonLines(ok(about))[0]).toMatchObject({ apiType: 'VirtualCenter', vendor: 'VMware, Inc.' });
    expect(jsonLines(ok(ls))).toEqual([{ path: '/DC0', name: 'DC0', type: 'Datacenter', id: 'datacenter-2' }]);
    expect(jsonLines(ok(dc)).map((c) => c.path)).toEqual(expect.arrayContaining(['/DC0/host/DC0_C0/DC0_C0_H0', '/DC0/host/DC0_C0/Resources']));
    const names = jsonLines(ok(vms)).map((v) => v.name);
    expect(names).toEqual(expect.arrayContaining(['DC0_H0_VM0', 'DC0_H0_VM1', 'DC0_C0_RP0_VM0', 'DC0_C0_RP0_VM1']));
    expect(jsonLines(ok(filtered))).toEqual([
      { name: 'DC0_H0_VM0', path: '/DC0/vm/DC0_H0_VM0' },
      { name: 'DC0_H0_VM1', path: '/DC0/vm/DC0_H0_VM1' },
    ]);
    const table = ok(hosts).split('\n');
    expect(table[0]).toMatch(/^NAME\s+CONNECTIONSTATE\s+POWERSTATE/);
    expect(table.filter((l) => / connected /.test(l))).toHaveLength(4);
    expect(jsonLines(ok(ds))).toEqual([expect.objectContaining({ name: 'LocalDS_0', accessible: true })]);
  });
});
