/**
 * The client's contract: the same tests against our simulator and against govmomi 0.24.2's
 * (see servers.ts), so the client is not tuned to one server's quirks. A feature a server lacks
 * is skipped on that server only, with the reason from `gaps`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, VimError, type VimClient } from '../../client/index.js';
import type { MoRef, VirtualMachineConfigSpec } from '../../client/vim25.js';
import { gaps, lacks, startTarget, targetNames, type Target } from './servers.js';

describe.each(targetNames())('client contract against %s', (name) => {
  let target: Target;
  let client: VimClient;

  beforeAll(async () => {
    target = await startTarget(name);
    client = await connect(target.url, { username: target.username, password: target.password, insecure: true });
  }, 300_000);
  afterAll(async () => {
    await client?.close();
    await target?.close();
  });

  const vmNamed = async (vmName: string): Promise<MoRef<'VirtualMachine'>> => {
    const vms = await client.find('VirtualMachine', { paths: ['name'] });
    const vm = vms.find((v) => v.name === vmName);
    if (!vm) throw new Error(`no VM ${vmName} among ${vms.map((v) => v.name).join(', ')}`);
    return vm.ref;
  };

  it('negotiates the API version from vimServiceVersions.xml and logs in', async () => {
    // The newest version both sides know: vcsim 0.24.2 offers 6.5 (and older), ours 7.0 (and older).
    expect(client.version).toBe(name === 'vcenter-sim' ? '7.0' : '6.5');
    expect(client.session?.userName).toBe(target.username);
    expect(client.serviceContent.about.apiType).toBe('VirtualCenter');
    expect(client.serviceContent.rootFolder).toEqual({ type: 'Folder', value: 'group-d1' });
    const now = await client.call({ type: 'ServiceInstance', value: 'ServiceInstance' }, 'CurrentTime', {});
    expect(Math.abs(Date.parse(now) - Date.now())).toBeLessThan(24 * 3600_000);
  });

  it('logs out on close, and a wrong password is INVALID_LOGIN', async () => {
    const other = await connect(target.url, { username: target.username, password: target.password, insecure: true });
    const key = other.session!.key;
    await other.close();
    const active = await client.call(client.serviceContent.sessionManager!, 'SessionIsActive', { sessionID: key, userName: target.username }).catch((e: VimError) => e);
    // vcsim answers SessionIsActive only for privileged sessions; either way the closed one is not active.
    if (typeof active === 'boolean') expect(active).toBe(false);
    const bad = await connect(target.url, { username: target.username, password: name === 'vcenter-sim' ? '' : '', insecure: true }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(VimError);
    expect((bad as VimError).code).toBe('INVALID_LOGIN');
    expect((bad as VimError).faultType).toBe('InvalidLogin');
  });

  it('logs in with a cloned session ticket', async () => {
    const ticket = await client.cloneTicket();
    const clone = await connect(target.url, { cloneTicket: ticket, insecure: true });
    try {
      expect(clone.session?.userName).toBe(target.username);
      expect((await clone.find('Datacenter', { paths: ['name'] })).map((d) => d.name)).toEqual(['DC0']);
    } finally {
      await clone.close();
    }
  });

  it.skipIf(lacks(name, 'loginByToken'))(`logs in by SAML token (LoginByToken) ${gaps[name].loginByToken ?? ''}`, async () => {
    const { token, userName } = await target.samlToken();
    const byToken = await connect(target.url, { token, insecure: true });
    try {
      expect(byToken.session?.userName).toBe(userName);
    } finally {
      await byToken.close();
    }
  });

  it('refuses an unknown certificate unless insecure or pinned by thumbprint', async () => {
    const refused = await connect(target.url, { username: target.username, password: target.password }).catch((e: unknown) => e);
    expect((refused as VimError).code).toBe('TLS');
    const wrongPin = await connect(target.url, { username: target.username, password: target.password, thumbprint: 'AA:'.repeat(31) + 'AA' }).catch((e: unknown) => e);
    expect((wrongPin as VimError).code).toBe('TLS');
    const { thumbprint } = await import('./tls.js');
    const pinned = await connect(target.url, { username: target.username, password: target.password, thumbprint: await thumbprint(target.url) });
    await pinned.close();
  });

  it('retrieves typed properties: numbers are numbers, arrays arrays, morefs {type, value}', async () => {
    const vm = await vmNamed('DC0_H0_VM0');
    const [props] = await client.retrieve([vm], ['name', 'config.hardware.numCPU', 'runtime.powerState', 'datastore', 'config.hardware.device']);
    expect(props!.ref).toEqual(vm);
    expect(props!.name).toBe('DC0_H0_VM0');
    expect(typeof props!['config.hardware.numCPU']).toBe('number');
    expect(props!['runtime.powerState']).toBe('poweredOn');
    expect(props!.datastore).toEqual([{ type: 'Datastore', value: expect.any(String) }]);
    const devices = props!['config.hardware.device'] as { _type: string; key: number }[];
    expect(devices.some((d) => d._type === 'VirtualDisk')).toBe(true);
    expect(devices.every((d) => typeof d.key === 'number')).toBe(true);
  });

  it.skipIf(lacks(name, 'paging'))(`retrieves page by page (ContinueRetrievePropertiesEx) ${gaps[name].paging ?? ''}`, async () => {
    const all = await client.find('ManagedEntity', { paths: ['name'] });
    const paged = await client.find('ManagedEntity', { paths: ['name'], pageSize: 3 });
    expect(all.length).toBeGreaterThan(6);
    expect(paged.map((o) => o.ref.value).sort()).toEqual(all.map((o) => o.ref.value).sort());
  });

  it('finds objects of a type through a container view, recursive or not', async () => {
    const vms = await client.find('VirtualMachine', { paths: ['name', 'runtime.powerState'] });
    expect(vms.map((v) => v.name).sort()).toEqual(['DC0_C0_RP0_VM0', 'DC0_C0_RP0_VM1', 'DC0_H0_VM0', 'DC0_H0_VM1']);
    expect(vms.every((v) => v.ref.type === 'VirtualMachine' && v['runtime.powerState'] === 'poweredOn')).toBe(true);
    const hosts = await client.find('HostSystem', { paths: ['name'] });
    expect(hosts).toHaveLength(4);
    const topLevel = await client.find('Datacenter', { root: client.serviceContent.rootFolder, recursive: false });
    expect(topLevel).toHaveLength(1);
    expect(Object.keys(topLevel[0]!)).toEqual(['ref']);
  });

  it('powers off and on, waiting by WaitForUpdatesEx with progress; watch sees the changes', async () => {
    const vm = await vmNamed('DC0_H0_VM1');
    const seen: string[] = [];
    const stop = new AbortController();
    let entered!: () => void;
    const first = new Promise<void>((resolve) => (entered = resolve));
    const watching = (async () => {
      for await (const updates of client.watch([vm], ['runtime.powerState'], { signal: stop.signal })) {
        for (const u of updates) for (const c of u.changeSet ?? []) seen.push(`${u.kind}:${c.val as string}`);
        entered();
        if (seen.length >= 3) break;
      }
    })();
    await first;
    const progress: number[] = [];
    const off = await client.call(vm, 'PowerOffVM_Task', {});
    expect(off.type).toBe('Task');
    await client.waitForTask(off, { onProgress: (p) => progress.push(p), timeoutMs: 30_000 });
    expect(progress[progress.length - 1]).toBe(100);
    await client.object(vm).PowerOnVM_Task({}).then((t) => client.waitForTask(t));
    await Promise.race([watching, new Promise((r) => setTimeout(r, 10_000))]);
    stop.abort();
    expect(seen).toEqual(['enter:poweredOn', 'modify:poweredOff', 'modify:poweredOn']);
  });

  it('finds a task it started among TaskManager.recentTask (to check a call that may have executed)', async () => {
    const vm = await vmNamed('DC0_C0_RP0_VM0');
    const task = await client.call(vm, 'ReconfigVM_Task', { spec: { annotation: 'recent' } });
    await client.waitForTask(task);
    const recent = await client.recentTasks({ entity: vm, method: 'ReconfigVM_Task' });
    expect(recent.map((t) => t.ref)).toContainEqual(task);
    expect(recent.find((t) => t.ref.value === task.value)!.info).toMatchObject({ state: 'success', entity: vm });
  });

  it('a failing task becomes a VimError carrying its fault', async () => {
    const vm = await vmNamed('DC0_H0_VM0');
    const error = await client.runTask(vm, 'PowerOnVM_Task', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VimError);
    expect(error).toMatchObject({ code: 'INVALID_POWER_STATE', faultType: 'InvalidPowerState', task: { type: 'Task' } });
    expect((error as VimError).fault).toMatchObject({ existingState: 'poweredOn' });
  });

  it('creates, clones, snapshots, reconfigures and destroys a VM', async () => {
    const [dc] = await client.find('Datacenter', { paths: ['vmFolder'] });
    const [pool] = await client.find('ResourcePool', { paths: ['name'], root: dc!.ref });
    const host = (await client.find('HostSystem', { paths: ['name'] })).find((h) => h.name === 'DC0_H0')!;
    const hostPool = (await client.retrieve([host.ref], ['parent']))[0]!.parent!;
    const [rp] = await client.retrieve([hostPool as MoRef<'ComputeResource'>], ['resourcePool']);
    expect(pool).toBeDefined();
    const config: VirtualMachineConfigSpec = { name: 'contract-vm', numCPUs: 1, memoryMB: 64, guestId: 'otherGuest', files: { vmPathName: '[LocalDS_0]' } };
    const vm = await client.runTask(dc!.vmFolder!, 'CreateVM_Task', { config, pool: rp!.resourcePool!, host: host.ref });
    expect(vm).toEqual({ type: 'VirtualMachine', value: expect.any(String) });

    const clone = await client.runTask(vm, 'CloneVM_Task', { folder: dc!.vmFolder!, name: 'contract-clone', spec: { location: {}, powerOn: false, template: false } });
    expect((await client.retrieve([clone], ['name']))[0]!.name).toBe('contract-clone');

    const snapshot = await client.runTask(vm, 'CreateSnapshot_Task', { name: 'snap-1', memory: false, quiesce: false });
    expect(snapshot.type).toBe('VirtualMachineSnapshot');
    const [withSnapshot] = await client.retrieve([vm], ['snapshot.currentSnapshot']);
    expect(withSnapshot!['snapshot.currentSnapshot']).toEqual(snapshot);
    await client.runTask(snapshot, 'RemoveSnapshot_Task', { removeChildren: true });

    await client.runTask(vm, 'ReconfigVM_Task', { spec: { numCPUs: 2, memoryMB: 128 } });
    const [reconfigured] = await client.retrieve([vm], ['config.hardware.numCPU', 'config.hardware.memoryMB']);
    expect(reconfigured).toMatchObject({ 'config.hardware.numCPU': 2, 'config.hardware.memoryMB': 128 });

    await client.call(dc!.vmFolder!, 'CreateFolder', { name: 'contract-folder' });
    const duplicate = await client.call(dc!.vmFolder!, 'CreateFolder', { name: 'contract-folder' }).catch((e: unknown) => e);
    expect(duplicate).toMatchObject({ code: 'DUPLICATE_NAME', faultType: 'DuplicateName' });

    await client.runTask(clone, 'Destroy_Task', {});
    await client.runTask(vm, 'Destroy_Task', {});
    const gone = await client.retrieve([vm], ['name']).catch((e: unknown) => e);
    expect(gone).toMatchObject({ code: 'VM_NOT_FOUND', faultType: 'ManagedObjectNotFound', fault: { obj: vm } });
  });

  it.skipIf(lacks(name, 'folderDestroy'))(`destroys a folder ${gaps[name].folderDestroy ?? ''}`, async () => {
    const [dc] = await client.find('Datacenter', { paths: ['vmFolder'] });
    const folder = await client.call(dc!.vmFolder!, 'CreateFolder', { name: 'doomed' });
    await client.runTask(folder, 'Destroy_Task', {});
    await expect(client.retrieve([folder], ['name'])).rejects.toMatchObject({ code: 'FOLDER_NOT_FOUND' });
  });

  it('maps faults to stable codes: not found by type, invalid argument, not supported', async () => {
    const missingHost = await client.retrieve([{ type: 'HostSystem', value: 'host-9999' }], ['name']).catch((e: unknown) => e);
    expect(missingHost).toMatchObject({ code: 'HOST_NOT_FOUND', retryable: false });
    const unknown = await client.callRaw(client.serviceContent.rootFolder, 'NoSuchMethod', {}).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(VimError);
    expect(['NOT_SUPPORTED', 'INVALID_ARGUMENT']).toContain((unknown as VimError).code);
  });

  it.skipIf(lacks(name, 'invalidProperty'))(`an unknown property path is INVALID_ARGUMENT (InvalidProperty) ${gaps[name].invalidProperty ?? ''}`, async () => {
    const badPath = await client.retrieve([client.serviceContent.rootFolder], ['noSuchProperty']).catch((e: unknown) => e);
    expect(badPath).toMatchObject({ code: 'INVALID_ARGUMENT', faultType: 'InvalidProperty' });
  });

  // ---------------------------------------------------------------------------- REST

  it('creates a REST session on the flavour the server speaks', async () => {
    await client.rest.login();
    expect(client.rest.flavour).toBe(lacks(name, 'restApi') ? 'rest' : 'api');
  });

  it.skipIf(lacks(name, 'restVmHardware'))(`lists, reads and powers VMs over REST, the same VMs as over SOAP ${gaps[name].restVmHardware ?? ''}`, async () => {
    const vms = await client.rest.vcenter.vm.list();
    expect(vms.map((v) => v.name).sort()).toEqual(['DC0_C0_RP0_VM0', 'DC0_C0_RP0_VM1', 'DC0_H0_VM0', 'DC0_H0_VM1']);
    const vm = vms.find((v) => v.name === 'DC0_H0_VM0')!;
    expect(vm.power_state).toBe('POWERED_ON');
    const filtered = await client.rest.vcenter.vm.list({ names: ['DC0_H0_VM0'] });
    expect(filtered.map((v) => v.vm)).toEqual([vm.vm]);
    const info = await client.rest.vcenter.vm.get(vm.vm);
    expect(info).toMatchObject({ name: 'DC0_H0_VM0', power_state: 'POWERED_ON', cpu: { count: expect.any(Number) }, memory: { size_MiB: expect.any(Number) } });
    expect((await client.rest.vcenter.vm.hardware(vm.vm)).version).toMatch(/^VMX_\d+$/);
    await client.rest.vcenter.vm.power.stop(vm.vm);
    expect(await client.rest.vcenter.vm.power.get(vm.vm)).toMatchObject({ state: 'POWERED_OFF' });
    const [soap] = await client.retrieve([{ type: 'VirtualMachine', value: vm.vm }], ['runtime.powerState']);
    expect(soap!['runtime.powerState']).toBe('poweredOff');
    const again = await client.rest.vcenter.vm.power.stop(vm.vm).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'INVALID_STATE', status: 400 });
    await client.rest.vcenter.vm.power.start(vm.vm);
    const missing = await client.rest.vcenter.vm.get('vm-99999').catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', faultType: 'com.vmware.vapi.std.errors.not_found', status: 404 });
    expect((await client.rest.vcenter.host.list()).map((h) => h.name).sort()).toEqual(['DC0_C0_H0', 'DC0_C0_H1', 'DC0_C0_H2', 'DC0_H0']);
    expect((await client.rest.vcenter.cluster.list()).map((c) => c.name)).toEqual(['DC0_C0']);
    expect((await client.rest.vcenter.datastore.list()).map((d) => d.name)).toEqual(['LocalDS_0']);
    expect((await client.rest.vcenter.datacenter.list()).map((d) => d.name)).toEqual(['DC0']);
    expect((await client.rest.vcenter.network.list()).map((n) => n.name)).toContain('VM Network');
    expect((await client.rest.vcenter.folder.list({ type: 'VIRTUAL_MACHINE' })).length).toBeGreaterThanOrEqual(1);
    expect((await client.rest.vcenter.resourcePool.list()).length).toBeGreaterThanOrEqual(2);
  });

  it('tags a VM over REST: categories, tags, associations; errors as VimErrors', async () => {
    const vm = await vmNamed('DC0_H0_VM0');
    const category = await client.rest.tagging.category.create({ name: `contract-${name}`, description: 'contract suite', cardinality: 'SINGLE', associable_types: [] });
    const tag = await client.rest.tagging.tag.create({ name: 'gold', description: '', category_id: category });
    expect(await client.rest.tagging.tag.get(tag)).toMatchObject({ id: tag, name: 'gold', category_id: category });
    expect(await client.rest.tagging.category.list()).toContain(category);
    await client.rest.tagging.association.attach(tag, { type: 'VirtualMachine', id: vm.value });
    expect(await client.rest.tagging.association.listAttachedObjects(tag)).toEqual([{ type: 'VirtualMachine', id: vm.value }]);
    expect(await client.rest.tagging.association.listAttachedTags({ type: 'VirtualMachine', id: vm.value })).toEqual([tag]);
    await client.rest.tagging.association.detach(tag, { type: 'VirtualMachine', id: vm.value });
    await client.rest.tagging.tag.delete(tag);
    await client.rest.tagging.category.delete(category);
    const gone = await client.rest.tagging.tag.get(tag).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(VimError);
    expect((gone as VimError).code).toBe('NOT_FOUND');
  });

  it('creates a local content library with an item over REST', async () => {
    const [ds] = await client.find('Datastore', { paths: ['name'] });
    const library = await client.rest.content.localLibrary.create({ name: `lib-${name}`, storage_backings: [{ type: 'DATASTORE', datastore_id: ds!.ref.value }] });
    expect(await client.rest.content.library.list()).toContain(library);
    expect(await client.rest.content.library.get(library)).toMatchObject({ id: library, name: `lib-${name}`, type: 'LOCAL' });
    const item = await client.rest.content.item.create({ library_id: library, name: 'iso-1', type: 'iso' });
    expect(await client.rest.content.item.list(library)).toEqual([item]);
    expect(await client.rest.content.item.get(item)).toMatchObject({ id: item, name: 'iso-1', library_id: library });
    await client.rest.content.item.delete(item);
    await client.rest.content.localLibrary.delete(library);
  });

  it.skipIf(lacks(name, 'restCisTasks'))(`reads a task over cis/tasks ${gaps[name].restCisTasks ?? ''}`, async () => {
    const vm = await vmNamed('DC0_C0_RP0_VM1');
    const task = await client.call(vm, 'ReconfigVM_Task', { spec: { annotation: 'via SOAP' } });
    await client.waitForTask(task);
    expect(await client.rest.tasks.get(task.value)).toMatchObject({ status: 'SUCCEEDED' });
  });
});
