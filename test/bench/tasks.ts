/**
 * The task rows: VM power round trips and CreateVM+Destroy, each task waited for as pyVmomi's
 * WaitForTask waits (CreateFilter on Task.info, WaitForUpdatesEx until it ends,
 * DestroyPropertyFilter); the same round trips in-process (the SOAP codec and the model, no HTTP)
 * with the live heap across 100,000 tasks; QueryEvents over a full 100,000-event history.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { VCenter } from '../../models/vcenter.js';
import { call, containerViewRetrieval, inProcessCaller, loggedIn, login, rate, startSimulator, type BenchSection, type Caller } from './support.js';

const returned = (reply: Buffer, type: string) => new RegExp(`<returnval type="${type}">([^<]+)<`).exec(reply.toString())?.[1];

/** Starts `method` on `obj` and waits for its task as pyVmomi does; fails unless the task succeeds. Resolves to its result's moref id. */
async function runTask(c: Caller, method: string, type: string, obj: string, args = ''): Promise<string | undefined> {
  const reply = await c.post(call(method, type, obj, args));
  const task = returned(reply, 'Task');
  if (!task) throw new Error(`${method} returned no task: ${reply.toString()}`);
  const spec =
    `<spec><propSet><type>Task</type><pathSet>info.state</pathSet><pathSet>info.result</pathSet></propSet>` +
    `<objectSet><obj type="Task">${task}</obj></objectSet></spec><partialUpdates>false</partialUpdates>`;
  const filter = returned(await c.post(call('CreateFilter', 'PropertyCollector', 'propertyCollector', spec)), 'PropertyFilter')!;
  let version = '';
  for (;;) {
    const update = (await c.post(call('WaitForUpdatesEx', 'PropertyCollector', 'propertyCollector', `<version>${version}</version><options><maxWaitSeconds>60</maxWaitSeconds></options>`))).toString();
    version = /<version>([^<]*)</.exec(update)?.[1] ?? version;
    const state = /TaskInfoState">(\w+)</.exec(update)?.[1];
    if (state === 'success' || state === 'error') {
      await c.post(call('DestroyPropertyFilter', 'PropertyFilter', filter));
      if (state === 'error') throw new Error(`${method} on ${obj} ended in error: ${update}`);
      return /<name>info.result<\/name><op>assign<\/op><val type="\w+" xsi:type="ManagedObjectReference">([^<]+)</.exec(update)?.[1];
    }
  }
}

interface Placed {
  vm: string;
  folder: string;
  pool: string;
}

/** The VMs with their folder and pool, read through a container view. */
async function placedVms(c: Caller): Promise<Placed[]> {
  const reply = (await c.post(await containerViewRetrieval(c, ['parent', 'resourcePool']))).toString();
  return [...reply.matchAll(/<obj type="VirtualMachine">([^<]+)<\/obj>(.*?)<\/objects>/g)].flatMap(([, vm, props]) => {
    const folder = /<name>parent<\/name><val type="Folder"[^>]*>([^<]+)</.exec(props!)?.[1];
    const pool = /<name>resourcePool<\/name><val type="ResourcePool"[^>]*>([^<]+)</.exec(props!)?.[1];
    return folder && pool ? [{ vm: vm!, folder, pool }] : [];
  });
}

async function powerRoundTrip(c: Caller, { vm }: Placed): Promise<void> {
  await runTask(c, 'PowerOffVM_Task', 'VirtualMachine', vm);
  await runTask(c, 'PowerOnVM_Task', 'VirtualMachine', vm);
}

let created = 0;
async function createAndDestroy(c: Caller, { folder, pool }: Placed): Promise<void> {
  const config =
    `<config><name>bench-${++created}</name><files><vmPathName>[LocalDS_0]</vmPathName></files>` +
    `<numCPUs>1</numCPUs><memoryMB>32</memoryMB></config><pool type="ResourcePool">${pool}</pool>`;
  const vm = await runTask(c, 'CreateVM_Task', 'Folder', folder, config);
  await runTask(c, 'Destroy_Task', 'VirtualMachine', vm!);
}

async function overHttp(results: Record<string, number>): Promise<void> {
  const sim = await startSimulator([]);
  const clients = await loggedIn(sim.url, 4);
  const placed = await placedVms(clients[0]!);
  const vmOf = new Map(clients.map((c, i) => [c, placed[i]!]));
  results.powerRoundTrips1Client = await rate([clients[0]!], (c) => powerRoundTrip(c, vmOf.get(c)!));
  results.powerRoundTrips4Clients = await rate(clients, (c) => powerRoundTrip(c, vmOf.get(c)!));
  results.createDestroy1Client = await rate([clients[0]!], (c) => createAndDestroy(c, vmOf.get(c)!));

  // Fill the event history (three events a power task) with tasks issued back to back, not waited for.
  const history = 100_000;
  let started = 0;
  const began = performance.now();
  await Promise.all(
    clients.map(async (c, i) => {
      for (let on = false; started < history / 2; on = !on) {
        started++;
        await c.post(call(on ? 'PowerOnVM_Task' : 'PowerOffVM_Task', 'VirtualMachine', placed[i]!.vm));
      }
    }),
  );
  results.powerTasksPerSec4Clients = started / ((performance.now() - began) / 1000);
  const query = call(
    'QueryEvents', 'EventManager', 'EventManager',
    `<filter><entity><entity type="VirtualMachine">${placed[0]!.vm}</entity><recursion>self</recursion></entity>` +
      '<eventTypeId>VmPoweredOnEvent</eventTypeId><maxCount>100</maxCount></filter>',
  );
  const page = await clients[0]!.post(query);
  const perQuery = page.toString().split('<returnval ').length - 1;
  if (perQuery !== 100) throw new Error(`QueryEvents returned ${perQuery} events, not 100`);
  results.queryEventsPerSec = await rate([clients[0]!], (c) => c.post(query));
  results.eventsQueriedPerSec = results.queryEventsPerSec * perQuery;
  for (const c of clients) c.close();
  sim.child.kill();
}

/** Round trips in-process, then the live heap (after a full GC) as the task count reaches 25,000, 50,000, 100,000. */
async function inProcess(results: Record<string, number>): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heapMb = () => {
    gc();
    return process.memoryUsage().heapUsed / 1024 / 1024;
  };
  const vc = new VCenter({ topology: topologyFromFlags({}) });
  const caller = await inProcessCaller(vc);
  const [placed] = await placedVms(caller);
  results.powerRoundTripsInProcess = await rate([caller], (c) => powerRoundTrip(c, placed!));
  let tasks = 0;
  for (const n of [25_000, 50_000, 100_000]) {
    for (; tasks < n; tasks += 2) await powerRoundTrip(caller, placed!);
    results[`heapMbAfter${n / 1000}kTasks`] = heapMb();
  }
}

export const tasksSection: BenchSection = {
  name: 'tasks',
  async run(results) {
    await overHttp(results);
    await inProcess(results);
  },
  rows: (n) => [
    ['(f) PowerOff+PowerOn round trips, each task waited for, 1 client', `${n('powerRoundTrips1Client')} trips/s`, '>= 1,000'],
    ['(f) the same, 4 clients', `${n('powerRoundTrips4Clients')} trips/s`, ''],
    ['(f) the same, in-process (SOAP codec and model, no HTTP)', `${n('powerRoundTripsInProcess')} trips/s`, ''],
    ['(g) CreateVM+Destroy, each task waited for, 1 client', `${n('createDestroy1Client')} pairs/s`, ''],
    ['(h) power tasks not waited for, 4 clients', `${n('powerTasksPerSec4Clients')} tasks/s`, ''],
    ['(h) live heap after 25,000 tasks (in-process)', `${n('heapMbAfter25kTasks')} MB`, ''],
    ['(h) live heap after 50,000 tasks', `${n('heapMbAfter50kTasks')} MB`, ''],
    ['(h) live heap after 100,000 tasks', `${n('heapMbAfter100kTasks')} MB`, 'flat'],
    ['(i) QueryEvents, 100 of one VM\'s events, 100,000-event history', `${n('queryEventsPerSec')} queries/s`, ''],
    ['(i) the same, events returned', `${n('eventsQueriedPerSec')} events/s`, ''],
  ],
};
