/**
 * The access row: the small-call rate with privileges enforced (users configured, 3,000
 * permissions, one per VM) against the same inventory with open login, rounds alternating and
 * medians kept as the SOAP rows do. The call: RetrievePropertiesEx of one VM, then a PowerOn the
 * caller may not make (a privilege check that fails), on one connection.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawClient } from './raw-client.js';
import { call, loggedIn, median, rate, startSimulator, type BenchSection } from './support.js';

const vms = 3000;
const reader = { username: 'reader', password: 'reader-pass' };

/** vcsim's model with `vms` VMs, a reader in group Ops, and a permission on every VM. */
function enforcedTopology(): string {
  const names = [...Array.from({ length: vms / 2 }, (_, i) => `DC0_H0_VM${i}`), ...Array.from({ length: vms / 2 }, (_, i) => `DC0_C0_RP0_VM${i}`)];
  const topology = {
    flags: { vm: vms / 2 },
    users: [{ username: 'administrator@vsphere.local', password: 'Admin!23' }, { ...reader, groups: ['Ops'] }],
    roles: [{ name: 'VmUser', privileges: ['VirtualMachine.Interact.ConsoleInteract'] }],
    permissions: [
      { entity: '/', principal: 'reader', role: 'ReadOnly' },
      ...names.map((name, i) => ({ entity: `DC0/vm/${name}`, principal: i % 2 ? 'reader' : 'Ops', group: i % 2 === 0, role: 'VmUser' })),
    ],
  };
  const file = join(mkdtempSync(join(tmpdir(), 'vcsim-bench-access-')), 'topology.json');
  writeFileSync(file, JSON.stringify(topology));
  return file;
}

const loginAs = ({ username, password }: { username: string; password: string }) =>
  call('Login', 'SessionManager', 'SessionManager', `<userName>${username}</userName><password>${password}</password>`);

async function smallCalls(url: string, credentials?: typeof reader): Promise<{ client: RawClient; retrieve: string; powerOn: string }> {
  const [client] = await loggedIn(url, 1);
  if (credentials) await client!.post(loginAs(credentials));
  const vm = 'vm-' + /<returnval type="VirtualMachine">vm-(\d+)</.exec((await client!.post(call('FindByInventoryPath', 'SearchIndex', 'SearchIndex', '<inventoryPath>DC0/vm/DC0_H0_VM7</inventoryPath>'))).toString())![1];
  return {
    client: client!,
    retrieve: call('RetrievePropertiesEx', 'PropertyCollector', 'propertyCollector', `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet><pathSet>runtime.powerState</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm}</obj></objectSet></specSet><options/>`),
    powerOn: call('PowerOnVM_Task', 'VirtualMachine', vm),
  };
}

export const accessSection: BenchSection = {
  name: 'access',
  async run(results) {
    const open = await startSimulator(['-vm', String(vms / 2)]);
    const enforced = await startSimulator(['--topology', enforcedTopology()]);
    // The open server takes any login: log in as the reader there too, so both answer the same bytes.
    const off = await smallCalls(open.url);
    const on = await smallCalls(enforced.url, reader);
    const [offRates, onRates, refusedRates] = [[], [], []] as number[][];
    for (let round = 0; round < 3; round++) {
      offRates.push(await rate([off.client], (c) => c.post(off.retrieve)));
      onRates.push(await rate([on.client], (c) => c.post(on.retrieve)));
      refusedRates.push(await rate([on.client], (c) => c.post(on.powerOn)));
    }
    results.accessRetrieveOpen = median(offRates);
    results.accessRetrieveEnforced = median(onRates);
    results.accessRatio = results.accessRetrieveEnforced / results.accessRetrieveOpen;
    results.accessRefused = median(refusedRates);
    results.accessStartMs = enforced.startMs;
    for (const side of [off, on]) side.client.close();
    open.child.kill();
    enforced.child.kill();
  },
  rows: (n) => [
    ['(r) RetrievePropertiesEx, 1 VM, 1 connection: open login / enforced (3,000 permissions)', `${n('accessRetrieveOpen')} / ${n('accessRetrieveEnforced')} calls/s`, ''],
    ['(r) ratio enforced / open', n('accessRatio', 2), '>= 0.9'],
    ['(r) PowerOnVM_Task refused with NoPermission, 1 connection', `${n('accessRefused')} calls/s`, ''],
    ['(r) start-up to first answer, 3,000 VMs and 3,000 permissions', `${n('accessStartMs')} ms`, ''],
  ],
};
