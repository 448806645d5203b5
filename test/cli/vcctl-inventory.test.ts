/**
 * vcctl's read commands over the default VPX inventory: outputs against golden files (the
 * inventory is deterministic), formats, --columns, --filter (and that only the properties it
 * needs are fetched, in one retrieval), paths and names, errors and exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/index.js';
import { fails, golden, jsonLines, ok, startSim, type Runner } from './support.js';

describe('vcctl inventory commands', { timeout: 300_000 }, () => {
  let sim: Simulator;
  let vcctl: Runner;

  beforeAll(async () => {
    ({ sim, vcctl } = await startSim());
  });
  afterAll(() => sim?.close());

  it('prints the inventory as golden tables and JSON lines', async () => {
    const cases: [string, string[]][] = [
      ['about.txt', ['about', '-o', 'table']],
      ['ls-root.txt', ['ls', '-o', 'table']],
      ['ls-dc.txt', ['ls', '/DC0', '-o', 'table']],
      ['ls-cluster.json', ['ls', '/DC0/host/DC0_C0']],
      ['vm-ls.txt', ['vm', 'ls', '-o', 'table']],
      ['vm-ls.json', ['vm', 'ls', '-o', 'json']],
      ['vm-info.yaml', ['vm', 'info', '/DC0/vm/DC0_H0_VM0', '-o', 'yaml']],
      ['host-ls.txt', ['host', 'ls', '-o', 'table']],
      ['host-info.json', ['host', 'info', 'DC0_C0_H1', '-o', 'json-pretty']],
      ['cluster-ls.txt', ['cluster', 'ls', '-o', 'table']],
      ['cluster-info.txt', ['cluster', 'info', 'DC0_C0', '-o', 'table']],
      ['ds-ls.txt', ['ds', 'ls', '-o', 'table']],
      ['ds-info.json', ['ds', 'info', 'LocalDS_0']],
      ['net-ls.txt', ['net', 'ls', '-o', 'table']],
      ['pool-ls.txt', ['pool', 'ls', '-o', 'table']],
      ['find-vm.txt', ['find', '--type', 'vm', '-o', 'table']],
      ['find-cluster-hosts.json', ['find', '/DC0/host/DC0_C0', '--type', 'host', '--name', 'DC0_C0_H?']],
    ];
    const results = await Promise.all(cases.map(([, args]) => vcctl.run(args)));
    cases.forEach(([file], i) => golden(file, ok(results[i]!)));
  });

  it('defaults to JSON lines when stdout is not a terminal; --columns picks and orders fields, raw property paths included', async () => {
    const [plain, columns] = await Promise.all([vcctl.run(['vm', 'ls']), vcctl.run(['vm', 'ls', '--columns', 'path,config.hardware.numCPU,id'])]);
    const vms = jsonLines(ok(plain));
    expect(vms.map((v) => v.name)).toEqual(['DC0_H0_VM0', 'DC0_H0_VM1', 'DC0_C0_RP0_VM0', 'DC0_C0_RP0_VM1']);
    expect(Object.keys(vms[0]!)).toEqual(['name', 'powerState', 'numCPU', 'memoryMB', 'guestId', 'host', 'ip']);
    expect(jsonLines(ok(columns))[0]).toEqual({ path: '/DC0/vm/DC0_H0_VM0', 'config.hardware.numCPU': 1, id: expect.stringMatching(/^vm-\d+$/) });
  });

  it('--filter keeps matching objects and fetches only what the filter and the columns need, in one RetrievePropertiesEx', async () => {
    sim.journal.clear();
    const on = await vcctl.run(['vm', 'ls', '--filter', 'name =~ "DC0_C0_*" && numCPU >= 1', '--columns', 'name']);
    expect(jsonLines(ok(on))).toEqual([{ name: 'DC0_C0_RP0_VM0' }, { name: 'DC0_C0_RP0_VM1' }]);
    const retrievals = sim.journal.entries({ method: 'RetrievePropertiesEx' });
    // the session check, then the listing; no call per object
    expect(retrievals.length).toBeLessThanOrEqual(2);
    expect(sim.journal.entries({ method: 'CreateContainerView' })).toHaveLength(1);
    const [none, hosts, byHost, clusters] = await Promise.all([
      vcctl.run(['vm', 'ls', '--filter', 'powerState == poweredOff']),
      vcctl.run(['host', 'ls', '--filter', 'connectionState == connected && !inMaintenanceMode', '--columns', 'name']),
      vcctl.run(['vm', 'ls', '--filter', 'host =~ "DC0_C0_*" && network == DC0_DVPG0', '--columns', 'name,host']),
      vcctl.run(['cluster', 'ls', '--filter', 'drsEnabled && numHosts >= 3', '--columns', 'name']),
    ]);
    expect(ok(none)).toBe('');
    expect(jsonLines(ok(hosts)).map((h) => h.name)).toEqual(['DC0_H0', 'DC0_C0_H0', 'DC0_C0_H1', 'DC0_C0_H2']);
    // references compare as the names vcctl prints
    expect(jsonLines(ok(byHost))).toEqual([{ name: 'DC0_C0_RP0_VM0', host: 'DC0_C0_H1' }, { name: 'DC0_C0_RP0_VM1', host: 'DC0_C0_H2' }]);
    expect(jsonLines(ok(clusters))).toEqual([{ name: 'DC0_C0' }]);
  });

  it('json-pretty and yaml print the same objects', async () => {
    const [json, pretty, yaml] = await Promise.all(['json', 'json-pretty', 'yaml'].map((o) => vcctl.run(['ds', 'ls', '-o', o])));
    const lines = jsonLines(ok(json));
    expect(JSON.parse(`[${ok(pretty).trim().replace(/\n}\n{/g, '\n},\n{')}]`)).toEqual(lines);
    const { parse } = await import('yaml');
    expect(parse(ok(yaml))).toEqual(lines);
  });

  it('errors: ERR_<CODE> on stderr, the family exit code, nothing on stdout', async () => {
    const [vm, host, path, filter, usage, noSub, format, ambiguous] = await Promise.all([
      vcctl.run(['vm', 'info', 'web-1']),
      vcctl.run(['host', 'info', '/DC0/host/nope']),
      vcctl.run(['ls', '/DC9']),
      vcctl.run(['vm', 'ls', '--filter', 'numCPU >']),
      vcctl.run(['vm', 'ls', '--bogus']),
      vcctl.run(['vm']),
      vcctl.run(['vm', 'ls', '-o', 'xml']),
      vcctl.run(['find', '--type', 'pool', '--name', 'Resources']),
    ]);
    expect(fails(vm, 3, 'VM_NOT_FOUND')).toBe('ERR_VM_NOT_FOUND: vm "web-1" not found\n');
    expect(fails(host, 3, 'HOST_NOT_FOUND')).toBe('ERR_HOST_NOT_FOUND: host "/DC0/host/nope" not found\n');
    fails(path, 3, 'NOT_FOUND');
    expect(fails(filter, 2, 'FILTER_SYNTAX')).toContain('numCPU >\n        ^');
    fails(usage, 2, 'USAGE');
    expect(noSub.code).toBe(2);
    expect(noSub.stderr).toContain('Usage: vcctl vm');
    fails(format, 2, 'USAGE');
    expect(jsonLines(ok(ambiguous)).length).toBe(2); // two pools named Resources: find lists both
    const both = await vcctl.run(['events', '--vm', 'x', '--host', 'y']);
    fails(both, 2, 'USAGE');
    for (const r of [vm, host, path, filter]) expect(r.stdout).toBe('');
  });

  it('a name two objects share is refused with their ids; a path picks one', async () => {
    const created = await vcctl.run(['vm', 'clone', 'DC0_H0_VM0', 'DC0_C0_RP0_VM0', '--folder', '/DC0/vm']);
    // vCenter refuses the same name in one folder: DuplicateName is a conflict (exit 5)
    fails(created, 5, 'DUPLICATE_NAME');
    const ambiguous = await vcctl.run(['vm', 'create', 'x', '--pool', 'Resources']);
    expect(fails(ambiguous, 2, 'INVALID_ARGUMENT')).toMatch(/pool "Resources" is ambiguous \(resgroup-\d+, resgroup-\d+\): give its inventory path/);
    const byPath = await vcctl.run(['vm', 'create', 'x', '--pool', '/DC0/host/DC0_C0/Resources']);
    expect(jsonLines(ok(byPath))[0]).toMatchObject({ name: 'x', action: 'create' });
    const pools = jsonLines(ok(await vcctl.run(['pool', 'ls', '--columns', 'path,vm'])));
    expect(pools.find((p) => p.path === '/DC0/host/DC0_C0/Resources')?.vm).toContain('x');
  });

  it('--help on every level, with examples', async () => {
    const levels = [[], ['vm'], ['vm', 'power'], ['vm', 'power', 'on'], ['vm', 'snapshot', 'create'], ['host', 'maintenance', 'enter'], ['sim'], ['sim', 'faults', 'add'], ['sim', 'action', 'host-fail'], ['config', 'set-context']];
    const results = await Promise.all(levels.map((l) => vcctl.run([...l, '--help'])));
    results.forEach((r, i) => {
      expect(r.code, levels[i]!.join(' ')).toBe(0);
      expect(r.stdout).toContain(`Usage: vcctl ${levels[i]!.join(' ')}`.trim());
      expect(r.stdout).toContain('Examples:\n  $ vcctl');
    });
  });
});
