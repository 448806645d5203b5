/**
 * govmomi's vapi/rest client (Debian golang-github-vmware-govmomi-dev 0.24.2, GOPATH mode) against
 * the VM lifecycle, hardware, host, storage policy and cis/tasks routes. govmomi 0.24 has no typed
 * client for them, so test/clients/govmomi/vmrest/main.go sends them through rest.Client.Do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataObject } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { at, named } from './inventory.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi vapi/rest: VM lifecycle, hardware, hosts, tasks', () => {
  let binary: string;
  let sim: Simulator;

  const run = async <T = Record<string, any>>(scenario: string, extra: string[] = []): Promise<T> => {
    const args = ['-url', sim.url, '-user', sim.username, '-password', sim.password, ...extra, scenario];
    return jsonResult<T>(await runProcess(binary, args, { timeoutMs: 60_000 }));
  };
  const hostId = () => named(sim, 'HostSystem', 'DC0_H0').self.value;

  beforeAll(async () => {
    [binary, sim] = await Promise.all([buildGoProgram('vmrest'), createSimulator({ listen: '127.0.0.1:0' })]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('creates VMs in both flavours, changes their hardware, lists policies, deletes them', async () => {
    const before = sim.vc.registry.ofType('VirtualMachine').length;
    const startTasks = new Set(sim.vc.registry.ofType<Task>('Task').map((t) => t.self.value)); // the start inventory's creation tasks
    const network = named(sim, 'Network', 'VM Network').self.value;
    const out = await run('lifecycle', ['-host', hostId(), '-network', network]);
    expect(out.vm).toMatch(/^vm-\d+$/);
    expect(out.legacyVm).toMatch(/^vm-\d+$/);
    expect(out.listed).toEqual([{ vm: out.vm, name: 'govmomi-vm' }]);
    expect(out.cpu).toEqual({ count: 2, cores_per_socket: 1, hot_add_enabled: false });
    expect(out.memory).toBe(2048);
    // govmomi's SOAP client sees the REST-made VM, its REST memory change, and its events.
    expect(out.soap).toMatchObject({ name: 'govmomi-vm', memoryMB: 2048, powerState: 'poweredOff' });
    expect(out.soap.events).toEqual(expect.arrayContaining(['VmBeingCreatedEvent', 'VmCreatedEvent', 'VmReconfiguredEvent']));
    expect(out.disk).toMatch(/^\d+$/);
    expect(out.nic).toMatch(/^\d+$/);
    expect(out.disks).toHaveLength(2); // the default disk and the added one
    expect(out.disks).toContainEqual({ disk: out.disk });
    expect(out.policies.map((p: DataObject) => p.name)).toContain('vSAN Default Storage Policy');
    expect(out.badSpec).toMatch(/^400 .*invalid_argument|^400 .*INVALID_ARGUMENT/i);
    expect(out.badSpec).toContain('guest_OS');
    expect(out.afterDelete).toMatch(/404/);
    // Deleted over REST, gone over SOAP too; the creates and deletes were SOAP tasks.
    expect(sim.vc.registry.ofType('VirtualMachine').length).toBe(before);
    const methods = sim.vc.registry.ofType<Task>('Task').filter((t) => !startTasks.has(t.self.value)).map((t) => t.info.name);
    expect(methods.filter((m) => m === 'CreateVM_Task')).toHaveLength(2);
    expect(methods.filter((m) => m === 'Destroy_Task')).toHaveLength(2);
  });

  it('follows ?vmw-task=true tasks through /api/cis/tasks until they succeed', async () => {
    const out = await run('async', ['-host', hostId()]);
    const vm = named(sim, 'VirtualMachine', 'govmomi-async');
    expect(out.created).toEqual({ status: 'SUCCEEDED', operation: 'create', service: 'com.vmware.vcenter.VM', result: vm.self.value });
    expect(out.powered).toMatchObject({ status: 'SUCCEEDED', operation: 'start', service: 'com.vmware.vcenter.vm.power' });
    expect((sim.vc.registry.byId(out.powerTask) as Task).info.name).toBe('PowerOnVM_Task');
    expect(at(vm, 'runtime.powerState')).toBe('poweredOn');
  });

  it('disconnects and reconnects a host; the second disconnect is an error the client reports', async () => {
    const out = await run('host', ['-host', hostId()]);
    expect(out).toEqual({ disconnected: 'DISCONNECTED', again: expect.stringMatching(/^400 .*already_in_desired_state|^400 .*ALREADY_IN_DESIRED_STATE/i), connected: 'CONNECTED' });
    expect(at(named(sim, 'HostSystem', 'DC0_H0'), 'runtime.connectionState')).toBe('connected');
  });
});
