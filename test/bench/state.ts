/** World state rows: snapshot, restore and reset of a 5,000-VM world over the control API. */
import { basic, http } from '../support/control.js';
import { call, median, startSimulator, type BenchSection } from './support.js';

const rounds = 5;

async function stateTimes(results: Record<string, number>): Promise<void> {
  const sim = await startSimulator(['-vm', '2500']);
  const base = sim.url.replace(/\/sdk$/, '');
  const authorization = basic('user', 'pass');
  const control = async (method: string, path: string, body?: unknown) => {
    const started = performance.now();
    const reply = await http(`${base}/_sim${path}`, { method, headers: { authorization }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${reply.text}`);
    return { ms: performance.now() - started, json: reply.json };
  };
  // A change a test would make between resets: one VM renamed over SOAP.
  const login = await http(sim.url, { method: 'POST', body: call('Login', 'SessionManager', 'SessionManager', '<userName>user</userName><password>pass</password>') });
  const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0]!;
  const rename = () => http(sim.url, { method: 'POST', headers: { cookie }, body: call('Rename_Task', 'VirtualMachine', 'vm-60', '<newName>renamed</newName>') });

  const snapshots: number[] = [];
  const restores: number[] = [];
  const resets: number[] = [];
  const first = await control('POST', '/reset');
  results.firstResetMs5000 = first.ms;
  for (let i = 0; i < rounds; i++) {
    const taken = await control('POST', '/snapshots', { name: `round ${i}` });
    snapshots.push(taken.ms);
    await rename();
    restores.push((await control('POST', `/snapshots/${taken.json.id}/restore`)).ms);
    await rename();
    resets.push((await control('POST', '/reset')).ms);
    await control('DELETE', `/snapshots/${taken.json.id}`);
  }
  results.snapshotMs5000 = median(snapshots);
  results.restoreMs5000 = median(restores);
  results.resetMs5000 = median(resets);
  sim.child.kill();
}

export const stateSection: BenchSection = {
  name: 'state',
  run: stateTimes,
  rows: (n) => [
    ['(l) reset after one change, 5,000 VMs (HTTP round trip)', `${n('resetMs5000', 1)} ms`, '< 100'],
    ['(l) restore after one change, 5,000 VMs', `${n('restoreMs5000', 1)} ms`, '< 100'],
    ['(l) first reset (builds the start world), 5,000 VMs', `${n('firstResetMs5000')} ms`, ''],
    ['(l) snapshot, 5,000 VMs', `${n('snapshotMs5000')} ms`, ''],
  ],
};
