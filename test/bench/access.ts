/**
 * The access row: the small-call rate with privileges enforced (users configured, 3,000
 * permissions, one per VM) against the same inventory with open login, rounds alternating and
 * medians kept as the SOAP rows do. The call: RetrievePropertiesEx of one VM, then a PowerOn the
 * caller may not make (a privilege check that fails), on one connection.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTopology } from '../../models/inventory/index.js';
import { VCenter } from '../../models/vcenter.js';
import { RawClient } from './raw-client.js';
import { call, inProcessCaller, median, rate, startSimulator, type BenchSection, type Caller } from './support.js';

const vms = 3000;
const reader = { username: 'reader', password: 'reader-pass' };

/** vcsim's model with `vms` VMs, a reader in group Ops, and a permission on every VM. */
function enforcedTopology(): object {
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
  return topology;
}

function topologyFile(topology: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vcsim-bench-access-')), 'topology.json');
  writeFileSync(file, JSON.stringify(topology));
  return file;
}

/** The same call in this process, open and enforced: the model's own cost, none of HTTP's noise. */
async function inProcess(results: Record<string, number>): Promise<void> {
  const callers: Caller[] = [];
  for (const topology of [{ flags: { vm: vms / 2 } }, enforcedTopology()]) {
    const vc = new VCenter({ topology: parseTopology(topology) });
    callers.push(await inProcessCaller(vc, loginAs(reader)));
  }
  const retrieval = await Promise.all(callers.map((c) => smallCalls(c)));
  const [off, on] = [[], []] as number[][];
  for (let round = 0; round < 4; round++) {
    off.push(await rate([callers[0]!], (c) => c.post(retrieval[0]!.retrieve)));
    on.push(await rate([callers[1]!], (c) => c.post(retrieval[1]!.retrieve)));
  }
  results.accessInProcessOpenUs = 1e6 / median(off);
  results.accessInProcessEnforcedUs = 1e6 / median(on);
}

const loginAs = ({ username, password }: { username: string; password: string }) =>
  call('Login', 'SessionManager', 'SessionManager', `<userName>${username}</userName><password>${password}</password>`);

/** The calls measured, on VM DC0_H0_VM7 (a permission of its own for the reader). */
async function smallCalls(client: Caller): Promise<{ retrieve: string; powerOn: string }> {
  const vm = 'vm-' + /<returnval type="VirtualMachine">vm-(\d+)</.exec((await client.post(call('FindByInventoryPath', 'SearchIndex', 'SearchIndex', '<inventoryPath>DC0/vm/DC0_H0_VM7</inventoryPath>'))).toString())![1];
  return {
    retrieve: call('RetrievePropertiesEx', 'PropertyCollector', 'propertyCollector', `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet><pathSet>runtime.powerState</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm}</obj></objectSet></specSet><options/>`),
    powerOn: call('PowerOnVM_Task', 'VirtualMachine', vm),
  };
}

export const accessSection: BenchSection = {
  name: 'access',
  async run(results) {
    const open = await startSimulator(['-vm', String(vms / 2)]);
    const enforced = await startSimulator(['--topology', topologyFile(enforcedTopology())]);
    // The open server takes any login: the reader logs in there too, so both answer the same bytes.
    const [offClient, onClient] = await Promise.all([RawClient.open(open.url), RawClient.open(enforced.url)]);
    for (const client of [offClient, onClient]) await client.post(loginAs(reader));
    const [off, on] = [await smallCalls(offClient), await smallCalls(onClient)];
    const [offRates, onRates, refusedRates] = [[], [], []] as number[][];
    // Rounds alternate which side goes first: on a loaded machine the order alone moves a rate by 10 %.
    for (let round = 0; round < 4; round++) {
      const measureOff = async () => offRates.push(await rate([offClient], (c) => c.post(off.retrieve)));
      const measureOn = async () => onRates.push(await rate([onClient], (c) => c.post(on.retrieve)));
      if (round % 2) await measureOn().then(measureOff);
      else await measureOff().then(measureOn);
      refusedRates.push(await rate([onClient], (c) => c.post(on.powerOn)));
    }
    results.accessRetrieveOpen = median(offRates);
    results.accessRetrieveEnforced = median(onRates);
    results.accessRatio = results.accessRetrieveEnforced / results.accessRetrieveOpen;
    results.accessRefused = median(refusedRates);
    results.accessStartMs = enforced.startMs;
    results.accessOpenStartMs = open.startMs;
    for (const client of [offClient, onClient]) client.close();
    open.child.kill();
    enforced.child.kill();
    await inProcess(results);
  },
  rows: (n) => [
    ['(s) RetrievePropertiesEx, 1 VM, 1 connection: open login / enforced (3,000 permissions)', `${n('accessRetrieveOpen')} / ${n('accessRetrieveEnforced')} calls/s`, ''],
    ['(s) ratio enforced / open', n('accessRatio', 2), '>= 0.9'],
    ['(s) the same in-process (codec and model, no HTTP): open / enforced', `${n('accessInProcessOpenUs', 1)} / ${n('accessInProcessEnforcedUs', 1)} µs per call`, ''],
    ['(s) PowerOnVM_Task refused with NoPermission, 1 connection', `${n('accessRefused')} calls/s`, ''],
    ['(s) start-up to first answer, 3,000 VMs: open / with 3,000 permissions', `${n('accessOpenStartMs')} / ${n('accessStartMs')} ms`, ''],
  ],
};
