/**
 * `-load DIR` (vcsim's flag): a simulator starts from a directory in `govc object.save`'s format.
 * test/clients/govmomi/save/main.go writes one from a running simulator exactly as govc does
 * (every object's properties through the PropertyCollector, each types.ObjectContent encoded by
 * govmomi's vim25/xml), and lists an inventory through govmomi to compare two simulators.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { createSimulator, LoadDirError, type Simulator } from '../../simulator/index.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

/** Not the default VPX model: two clusters of two hosts, a standalone host, three VMs each, two datastores. */
const topology = topologyFromFlags({ cluster: 2, host: 2, standaloneHost: 1, vm: 3, ds: 2 });

/** Objects whose saved state belongs to the saving session or its time (sessions, views, the latest event). */
const sessionFiles = /-(SessionManager|ViewManager|PropertyCollector|EventManager)-/;

describe.skipIf(!available)('govmomi: -load of a govc object.save directory', () => {
  let program: string;
  let a: Simulator;
  let b: Simulator | undefined;
  const work = mkdtempSync(join(tmpdir(), 'vcenter-sim-load-'));
  const savedA = join(work, 'a');
  const savedB = join(work, 'b');

  const run = async (sim: Simulator, ...args: string[]) =>
    jsonResult(await runProcess(program, ['-url', sim.url, '-user', sim.username, '-password', sim.password, ...args], { timeoutMs: 120_000 }));

  beforeAll(async () => {
    [program, a] = await Promise.all([buildGoProgram('save'), createSimulator({ topology })]);
    const saved = await run(a, '-dir', savedA, 'save');
    expect(saved.objects).toBe(readdirSync(savedA).filter((name) => name.endsWith('.xml')).length);
    b = await createSimulator({ loadDir: savedA });
  }, 300_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    rmSync(work, { recursive: true, force: true });
  });

  it('shows the same objects, inventory paths and properties to govmomi as the simulator it was saved from', async () => {
    const [listA, listB] = await Promise.all([run(a, 'list'), run(b!, 'list')]);
    expect(listA.objects.VirtualMachine).toHaveLength(9); // (2 clusters + 1 standalone host) x 3 VMs: not the default world
    expect(listA.objects.HostSystem).toHaveLength(5);
    expect(listA.objects.Datastore).toHaveLength(2);
    expect(listA.finderPaths).toContain('/DC0/vm/DC0_C1_RP0_VM2');
    expect(listB).toEqual(listA);
  });

  it('saved again, gives the same files byte for byte (but the saving sessions\' own objects)', async () => {
    await run(b!, '-dir', savedB, 'save');
    // Files and the sub-directories of saved method responses (FetchDVPorts, QueryNetworkHint, ...).
    const names = (readdirSync(savedA, { recursive: true }) as string[]).sort();
    expect((readdirSync(savedB, { recursive: true }) as string[]).sort()).toEqual(names);
    for (const name of names.filter((n) => !sessionFiles.test(n) && n.endsWith('.xml'))) {
      expect(readFileSync(join(savedB, name), 'utf8'), name).toBe(readFileSync(join(savedA, name), 'utf8'));
    }
  });

  it('runs methods on the loaded objects: a loaded VM powers off and on, its summary follows, new ids do not collide', async () => {
    const out = await run(b!, '-vm', 'DC0_C1_RP0_VM1', 'poweron');
    expect(out).toMatchObject({ before: 'poweredOn', off: 'poweredOff', after: 'poweredOn', task: 'success', summaryPowerState: 'poweredOn' });
    const loadedIds = new Set(readdirSync(savedA).map((name) => decodeURIComponent(name.replace(/^\d{4}-[A-Za-z]+-|\.xml$/g, ''))));
    const tasks = b!.vc.registry.ofType('Task');
    expect(tasks.length).toBeGreaterThanOrEqual(2);
    for (const task of tasks) expect(loadedIds.has(task.self.value)).toBe(false);
  });

  it('answers a method with the response saved beside the object (a sub-directory named by its moref), as vcsim', async () => {
    const savedC = join(work, 'c');
    cpSync(savedA, savedC, { recursive: true });
    const browser = readdirSync(savedA).map((name) => /^\d{4}-EnvironmentBrowser-(.+)\.xml$/.exec(name)?.[1]).find(Boolean)!;
    mkdirSync(join(savedC, `EnvironmentBrowser-${browser}`), { recursive: true }); // the save holds its answers already: this one replaces QueryConfigTarget's
    writeFileSync(
      join(savedC, `EnvironmentBrowser-${browser}`, 'QueryConfigTarget.xml'),
      `<QueryConfigTargetResponse>
  <returnval>
    <numCpus>16</numCpus>
    <numCpuCores>8</numCpuCores>
    <numNumaNodes>2</numNumaNodes>
    <smcPresent>false</smcPresent>
    <network>
      <name>VM Network</name>
      <network>
        <network type="Network">network-7</network>
        <name>VM Network</name>
        <accessible>true</accessible>
        <ipPoolName></ipPoolName>
      </network>
    </network>
  </returnval>
</QueryConfigTargetResponse>
`,
    );
    const c = await createSimulator({ loadDir: savedC });
    try {
      const target = await run(c, '-ref', `EnvironmentBrowser:${decodeURIComponent(browser)}`, 'configtarget');
      expect(target).toMatchObject({ NumCpus: 16, NumCpuCores: 8, NumNumaNodes: 2, SmcPresent: false });
      expect(target.Network).toEqual([
        expect.objectContaining({ Name: 'VM Network', Network: expect.objectContaining({ Name: 'VM Network', Accessible: true, Network: { Type: 'Network', Value: 'network-7' } }) }),
      ]);
    } finally {
      await c.close();
    }
  });
});

describe('-load of a directory without a ServiceInstance', () => {
  it('adds its objects to the start inventory, as vcsim (an orphan adopted by the datacenter\'s folder), and new ids count on from the highest loaded one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcenter-sim-partial-'));
    writeFileSync(
      join(dir, '0000-Network-network-900.xml'),
      `<ObjectContent>
  <obj type="Network">network-900</obj>
  <propSet>
    <name>name</name>
    <val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="xsd:string">Saved Network</val>
  </propSet>
  <propSet>
    <name>parent</name>
    <val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="ManagedObjectReference" type="Folder">group-n77</val>
  </propSet>
  <propSet>
    <name>summary</name>
    <val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="NetworkSummary">
      <network type="Network">network-900</network>
      <name>Saved Network</name>
      <accessible>true</accessible>
    </val>
  </propSet>
</ObjectContent>
`,
    );
    const sim = await createSimulator({ loadDir: dir });
    try {
      const network = sim.vc.registry.byId('network-900') as unknown as { name: string; summary: Record<string, unknown> };
      expect(network.constructor.name).toBe('Network');
      expect(network.name).toBe('Saved Network');
      expect(network.summary).toMatchObject({ _type: 'NetworkSummary', name: 'Saved Network', accessible: true });
      expect(sim.vc.registry.byId('vm-57')).toBeDefined(); // the start inventory is still there
      const networkFolder = sim.vc.registry.byId('folder-6') as unknown as { name: string; childEntity: { value: string }[] };
      expect(networkFolder.name).toBe('network');
      expect(networkFolder.childEntity.map((ref) => ref.value)).toContain('network-900');
      expect((network as unknown as { parent: { value: string } }).parent.value).toBe('folder-6');
      expect(sim.vc.registry.newId('task')).toBe('task-901');
    } finally {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('-load of bad input', () => {
  const work = mkdtempSync(join(tmpdir(), 'vcenter-sim-badload-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const loadError = async (dir: string): Promise<Error> => {
    const error = await createSimulator({ loadDir: dir }).then(
      async (sim) => {
        await sim.close();
        return undefined;
      },
      (e: Error) => e,
    );
    if (!error) throw new Error(`createSimulator loaded ${dir}`);
    return error;
  };

  it('a directory that does not exist', async () => {
    const error = await loadError(join(work, 'absent'));
    expect(error).toBeInstanceOf(LoadDirError);
    expect(error.message).toBe(`-load ${join(work, 'absent')}: no such directory`);
  });

  it('a file that is not XML, or not an ObjectContent: the message names the file', async () => {
    const cases: [string, string, RegExp][] = [
      ['0000-Folder-group-d1.xml', '<ObjectContent><obj type="Folder">group-d1</obj>', /not valid XML: Unclosed element <ObjectContent>/],
      ['0000-Folder-group-d1.xml', '<Folder><name>x</name></Folder>', /the root element is <Folder>, not <ObjectContent>/],
      ['0000-Nothing-x.xml', '<ObjectContent><obj type="NoSuchType">x</obj></ObjectContent>', /unknown managed object type NoSuchType/],
      [
        '0001-Folder-group-d1.xml',
        '<ObjectContent><obj type="Folder">group-d1</obj><propSet><name>noSuchProperty</name><val xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="ArrayOfNoSuchThing"/></propSet></ObjectContent>',
        /property noSuchProperty of Folder:group-d1: unknown type ArrayOfNoSuchThing/,
      ],
    ];
    for (const [i, [name, text, why]] of cases.entries()) {
      const dir = join(work, `case-${i}`);
      mkdirSync(dir);
      writeFileSync(join(dir, name), text);
      const error = await loadError(dir);
      expect(error).toBeInstanceOf(LoadDirError);
      expect(error.message).toContain(join(dir, name));
      expect(error.message).toMatch(why);
    }
  });

  it('a saved response of a method the object\'s type does not have, or not of that method', async () => {
    const dir = join(work, 'methods');
    mkdirSync(join(dir, 'Folder-group-d1'), { recursive: true });
    writeFileSync(join(dir, '0000-Folder-group-d1.xml'), '<ObjectContent><obj type="Folder">group-d1</obj></ObjectContent>');
    writeFileSync(join(dir, 'Folder-group-d1', 'FetchDVPorts.xml'), '<FetchDVPortsResponse/>');
    expect((await loadError(dir)).message).toBe(`-load: ${join(dir, 'Folder-group-d1', 'FetchDVPorts.xml')}: Folder has no method FetchDVPorts`);
    rmSync(join(dir, 'Folder-group-d1', 'FetchDVPorts.xml'));
    writeFileSync(join(dir, 'Folder-group-d1', 'CreateFolder.xml'), '<RenameResponse/>');
    expect((await loadError(dir)).message).toMatch(/CreateFolder\.xml: the root element is <RenameResponse>, not <CreateFolderResponse>/);
  });

  it('a directory without any saved object', async () => {
    const dir = join(work, 'empty');
    mkdirSync(dir);
    expect((await loadError(dir)).message).toMatch(/no \*\.xml files/);
  });
});
