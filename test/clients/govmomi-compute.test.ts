/**
 * govmomi (Debian golang-github-vmware-govmomi-dev 0.24.2) doing what govc's compute commands do:
 * cluster.create/change/group/rule, cluster.add and host.add, host.maintenance.enter/exit,
 * vm.create into a cluster, object.destroy. The client is test/clients/govmomi/compute/main.go.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi compute resources (govc cluster, host, vm.create, object.destroy)', () => {
  let program: string;
  let sim: Simulator;

  beforeAll(async () => {
    [program, sim] = await Promise.all([buildGoProgram('compute'), createSimulator()]);
  }, 300_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('creates and changes a cluster, adds hosts, enters and exits maintenance, creates a VM where PlaceVm says, destroys', async () => {
    const out = jsonResult(await runProcess(program, ['-url', sim.url, '-user', sim.username, '-password', sim.password], { timeoutMs: 90_000 }));
    expect(out.cluster).toEqual({
      drs: { enabled: true, behavior: 'partiallyAutomated' },
      ha: true,
      vsan: true,
      rules: ['ClusterAntiAffinityRuleSpec:apart:1', 'ClusterVmHostRuleInfo:pin:2'],
      groups: ['ClusterVmGroup:vms', 'ClusterHostGroup:hosts'],
      badRule: 'InvalidArgument',
      numHosts: 1,
      totalCpu: 4588,
      hostsInCluster: 1,
    });
    expect(out.hostAdd).toEqual({
      verifyFault: 'SSLVerifyFault',
      alreadyFault: 'AlreadyConnected',
      addedCpuPkgs: 2,
      addedNuma: 1,
      addedDatastores: 1,
      addedState: 'connected',
      standaloneType: 'ComputeResource',
      standaloneName: 'esx-solo',
      standaloneHosts: 1,
    });
    expect(out.maintenance).toEqual({ entered: true, runningLeft: 0, enterAgain: 'InvalidState', exited: true });
    expect(out.vmCreate).toEqual({ optionVersion: 'vmx-17', defaultDevices: 9, version: 'vmx-17', placedHost: true });
    expect(out.destroy).toEqual({ datastoreInUse: 'ResourceInUse', clusterNotReady: 'InvalidState', clusterGone: true, folderVmGone: true });
    const types = sim.vc.events.QueryEvents({ vc: sim.vc }, { filter: {} }).map((e) => e._type);
    for (const type of ['ClusterCreatedEvent', 'ClusterReconfiguredEvent', 'HostAddedEvent', 'EnteredMaintenanceModeEvent', 'ExitMaintenanceModeEvent', 'ClusterDestroyedEvent', 'HostRemovedEvent']) {
      expect(types, type).toContain(type);
    }
  });
});
