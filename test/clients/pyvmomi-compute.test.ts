/**
 * pyvmomi (Debian python3-pyvmomi 6.7.1) doing what Terraform's vsphere provider and Ansible's
 * community.vmware modules do with compute resources. The client is test/clients/pyvmomi/compute.py.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pyvmomiStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pyvmomiStatus());

describe.skipIf(!available)('pyvmomi compute resources (Terraform, Ansible)', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await createSimulator();
  });
  afterAll(async () => {
    await sim?.close();
  });

  const run = async (scenario: string) =>
    jsonResult(
      await runProcess(systemPython, [join(clientsDir, 'pyvmomi', 'compute.py'), scenario, '--url', sim.url, '--user', sim.username, '--password', sim.password], {
        env: pythonEnv(),
        timeoutMs: 60_000,
      }),
    );

  it('vsphere_virtual_machine from scratch: environment browser, CreateVM_Task with what it offers, destroy', async () => {
    const out = await run('terraform-vm');
    expect(out.descriptorKeys).toEqual(['vmx-04', 'vmx-07', 'vmx-08', 'vmx-09', 'vmx-10', 'vmx-11', 'vmx-13', 'vmx-14', 'vmx-15', 'vmx-17']);
    expect(out.defaultKey).toBe('vmx-17');
    expect(out.optionVersion).toBe('vmx-17');
    expect(out.guest).toEqual({ id: 'centos7_64Guest', family: 'linuxGuest', fullName: 'CentOS 7 (64-bit)', disk: 16384, nic: 'VirtualVmxnet3', controller: 'ParaVirtualSCSIController' });
    expect(out.hardwareVersion).toBe(17);
    expect(out.defaultDevices).toBe(9);
    expect(out.targetDatastores).toEqual(['LocalDS_0']);
    expect(out.targetNetworks).toEqual(['DC0_DVPG0', expect.stringMatching(/^DVS0-DVUplinks-/), 'VM Network']);
    expect(out.targetCpuCores).toBe(6);
    expect(out.capabilities).toBe(true);
    expect(out.created).toMatchObject({ name: 'tf-vm', guestId: 'centos7_64Guest', version: 'vmx-17', memoryMB: 2048, host: 'DC0_C0' });
    expect(out.created.devices).toEqual(expect.arrayContaining(['ParaVirtualSCSIController', 'VirtualDisk', 'VirtualVmxnet3']));
    expect(out.destroyed).toBe(true);
  });

  it('vsphere_compute_cluster with groups, rules and overrides: created, read back from configurationEx, edited, removed, destroyed', async () => {
    const out = await run('terraform-cluster');
    expect(out.read).toEqual({
      drs: [true, 'fullyAutomated', [['TryBalanceVmsPerHost', '1']]],
      ha: [true, 'FailoverResourcesAdmissionControlPolicy', 25, 'medium'],
      dpm: [false, 'manual'],
      readiness: 'none',
      groups: [['HostGroup', 'tf-hosts', 1], ['VmGroup', 'tf-vms', 1]],
      rules: [['AntiAffinityRuleSpec', 'tf-apart', true, true], ['VmHostRuleInfo', 'tf-pin', true, true]],
      drsOverride: [[true, 'manual']],
      haOverride: [[true, 'highest', 'powerOff']],
      customValue: [['owner', 'terraform']],
      numHosts: 1,
      pool: 'Resources',
    });
    expect(out.edited).toEqual([false]);
    expect(out.emptied).toEqual([0, 0, 0, 0]);
    expect(out.badRemove).toBe('InvalidArgument');
    expect(out.destroyNotReady).toBe('InvalidState');
    expect(out.gone).toBe(true);
  });
});
