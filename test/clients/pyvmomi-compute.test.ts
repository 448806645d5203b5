/**
 * pyvmomi (Debian python3-pyvmomi 6.7.1) doing what Terraform's vsphere provider and Ansible's
 * community.vmware modules do with compute resources. The clients are test/clients/pyvmomi/terraform.py
 * and ansible.py.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pyvmomiStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pyvmomiStatus());

describe.skipIf(!available)('pyvmomi compute resources (Terraform, Ansible)', () => {
  let sim: Simulator;

  // Each scenario changes the inventory as it likes: each gets its own simulator.
  beforeEach(async () => {
    sim = await createSimulator();
  });
  afterEach(async () => {
    await sim?.close();
  });

  /** Runs `scenario` of test/clients/pyvmomi/<script>.py (terraform.py or ansible.py). */
  const run = async (script: 'terraform' | 'ansible', scenario: string) =>
    jsonResult(
      await runProcess(systemPython, [join(clientsDir, 'pyvmomi', `${script}.py`), scenario, '--url', sim.url, '--user', sim.username, '--password', sim.password], {
        env: pythonEnv(),
        timeoutMs: 60_000,
      }),
    );

  it('vsphere_virtual_machine from scratch: environment browser, CreateVM_Task with what it offers, destroy', async () => {
    const out = await run('terraform', 'terraform-vm');
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
    expect(out.overrides).toEqual([1, 0]);
  });

  it('vsphere_compute_cluster with groups, rules and overrides: created, read back from configurationEx, edited, removed, destroyed', async () => {
    const out = await run('terraform', 'terraform-cluster');
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
      evc: ['intel-sandybridge', 'intel-sandybridge', true, 'EVCModeUnsupportedByHosts', [['amd-zen', 'EVCModeIllegalByVendor']], null],
    });
    expect(out.edited).toEqual([false]);
    expect(out.emptied).toEqual([0, 0, 0, 0]);
    expect(out.badRemove).toBe('InvalidArgument');
    expect(out.destroyNotReady).toBe('InvalidState');
    expect(out.gone).toBe(true);
  });

  it('Ansible vmware_cluster, _drs, _ha, _vsan change a new cluster once, and vmware_cluster_info reads it back', async () => {
    const out = await run('ansible', 'ansible-cluster');
    expect(out.changed).toEqual(['drs', 'ha', 'vsan']);
    expect(out.idempotent).toBe(true);
    expect(out.info['ans-cluster']).toMatchObject({
      hosts: [],
      drs_enabled: true,
      drs_default_vm_behavior: 'partiallyAutomated',
      drs_vmotion_rate: 2,
      ha_enabled: true,
      ha_failover_level: 1,
      ha_restart_priority: 'high',
      ha_vm_monitoring: 'vmMonitoringOnly',
      ha_vm_tools_monitoring: 'vmMonitoringOnly',
      enabled_vsan: true,
      vsan_auto_claim_storage: false,
      resource_summary: { cpuCapacityMHz: 0, numHosts: 0, numEffectiveHosts: 0, totalMemory: 0, effectiveMemory: 0, totalVmCount: 0 },
    });
    expect(out.info.DC0_C0).toMatchObject({
      hosts: ['DC0_C0_H0', 'DC0_C0_H1', 'DC0_C0_H2'],
      drs_enabled: true,
      ha_enabled: false,
      ha_failover_level: null,
      enabled_vsan: false,
      resource_summary: { cpuCapacityMHz: 13764, numHosts: 3, numEffectiveHosts: 3, totalMemory: 3 * 4294430720, effectiveMemory: 3 * 4095, totalVmCount: 2 },
    });
  });

  it('Ansible vmware_host_facts reads a host as ESXi describes it; vmware_maintenancemode enters (VMs moved by DRS) and exits', async () => {
    const out = await run('ansible', 'ansible-host');
    expect(out.facts).toMatchObject({
      ansible_processor: 'Intel(R) Core(TM) i7-3615QM CPU @ 2.30GHz',
      ansible_processor_cores: 2,
      ansible_processor_count: 2,
      ansible_memtotal_mb: 4095,
      ansible_bios_version: '6.00',
      ansible_system_vendor: 'VMware, Inc.',
      ansible_product_serial: expect.stringMatching(/^VMware-/),
      ansible_distribution_version: '7.0.0',
      ansible_in_maintenance_mode: false,
      ansible_datastore: ['LocalDS_0'],
      ansible_interfaces: ['vmk0'],
      cpu_features: [0, 1, 7, -2147483648, -2147483647, -2147483640],
      cpu_pkg_threads: [[0], [1]],
      numa_nodes: 1,
      pci_devices: 11,
      pci_first: ['0000:00:00.0', -32634, 'Intel Corporation'],
      serial_number: expect.stringMatching(/^VMware-/),
    });
    expect(out.entered).toBe(true);
    expect(out.vmsLeft).toBe(0);
    expect(out.exited).toBe(true);
    expect(out.exitAgain).toBe('InvalidState');
    expect(out.shutdownRefused).toBe('InvalidState');
    expect(out.timedOut).toBe('Timedout');
  });

  it('folders and names: nested datacenters, moves into sub-folders, a cluster host out to a standalone host, renames, custom values, destroys', async () => {
    const out = await run('ansible', 'inventory');
    expect(out.paths).toEqual({ datastore: true, portgroup: true, cluster: true, standalone: ['ComputeResource', 'host', 1] });
    expect(out.renames).toEqual({ prod: 'prod', 'fast-ds': 'fast-ds', 'web-pg': 'web-pg', 'DC-renamed': 'DC-renamed', solo: 'solo' });
    expect(out.datastoreSummaryName).toBe('fast-ds');
    expect(out.customValues).toEqual([['DC0_C0_H2', 'compute'], ['fast-ds', 'compute'], ['prod', 'compute']]);
    expect(out.wrongType).toBe('NotSupported');
    expect(out.emptyGone).toBe(2);
    expect(out.nestedGone).toBe(true);
  });

  it("a host's own operations: flags, TPM report, reconnect with a spec, reboot, standby, shutdown", async () => {
    const out = await run('ansible', 'host-ops');
    expect(out).toEqual({
      flags: true,
      tpm: true,
      reconnectWrongHost: 'InvalidArgument',
      rebootRefused: 'InvalidState',
      standby: ['standBy', 'in', 2],
      awake: ['poweredOn', 3],
      shutdown: ['poweredOff', 'notResponding', ['poweredOff']],
    });
  });

  it('CreateCluster, ReconfigureCluster_Task, FindRulesForVm, RecommendHostsForVm, DRS placement at power-on, MoveHostInto_Task, network objects in use', async () => {
    const out = await run('terraform', 'cluster-ops');
    expect(out).toEqual({
      legacyDrs: [true, 'fullyAutomated'],
      rules: ['spread'],
      ratings: [5, 4, 3],
      ratedHosts: 3,
      placedLeastLoaded: true,
      moveRefused: 'InvalidState',
      legacyHosts: ['DC0_C0_H0'],
      legacySummary: [1, 0],
      portgroupInUse: 'ResourceInUse',
      switchInUse: 'ResourceInUse',
      networkInUse: 'ResourceInUse',
    });
  });
});
