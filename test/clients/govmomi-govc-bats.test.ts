/**
 * What govc's own bats suite (govc/test/*.bats of govmomi 0.24.2) found vcenter-sim doing
 * differently from vcsim, replayed through govmomi (Debian 0.24.2): test/clients/govmomi/govcbats.
 * docs/govc-bats.md records the suite's results; each case here names the bats test it stands for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi: what govc\'s bats suite expects of vcsim', () => {
  let program: string;
  const sims: Simulator[] = [];
  const start = async (options: Parameters<typeof createSimulator>[0]) => {
    const sim = await createSimulator(options);
    sims.push(sim);
    return sim;
  };
  const run = async (sim: Simulator, scenario: string) =>
    jsonResult(await runProcess(program, ['-url', sim.url, '-user', sim.username, '-password', sim.password, scenario], { timeoutMs: 120_000 }));

  beforeAll(async () => {
    program = await buildGoProgram('govcbats');
  }, 300_000);
  afterAll(async () => {
    await Promise.all(sims.map((sim) => sim.close()));
  });

  it('cli.bats "about": vimServiceVersions.xml names the -api-version as current, so `-vim-version ""` negotiates it', async () => {
    expect(await run(await start({ apiVersion: 'uE53DA' }), 'version')).toEqual({ version: 'uE53DA' });
    expect(await run(await start({}), 'version')).toEqual({ version: '7.0' });
  });

  it('cli.bats "insecure cookies": over plain HTTP the session cookie is not Secure, unless asked (VCSIM_SECURE_COOKIES)', async () => {
    expect(await run(await start({ tls: false }), 'login')).toEqual({ fault: '', root: 'Datacenters' });
    // Go's cookie jar keeps a Secure cookie from an http:// URL to itself: the next call has no session.
    expect(await run(await start({ tls: false, secureCookies: true }), 'login')).toEqual({ fault: 'NotAuthenticated', root: '' });
    expect(await run(await start({}), 'login')).toEqual({ fault: '', root: 'Datacenters' });
  });

  it('network.bats "network dvs backing", "network adapter": an added NIC goes on the PCI bus after the others (ethernet-1, ethernet-2) and is summarized by its network or switch', async () => {
    const out = await run(await start({}), 'nics');
    expect(out.nics).toEqual([
      ['ethernet-0', 'VirtualE1000', 'DVSwitch: ' + out.dvsUuid, 100],
      ['ethernet-1', 'VirtualVmxnet3', 'VM Network', 100],
      ['ethernet-2', 'VirtualE1000e', 'DVSwitch: ' + out.dvsUuid, 100],
    ]);
  });

  it('vm.bats "vm.change vcsim", "vm.info": ReconfigVM_Task applies latency sensitivity, nested HV, vPMC, and merges tools and allocation settings', async () => {
    expect(await run(await start({}), 'change')).toEqual({
      latency: 'high', nestedHV: true, vPMC: true, syncTime: true, toolsVersion: 11269, cpuShares: 'high', cpuLimit: -1,
    });
  });

  it('vcsim.bats "vcsim listen": vCenter\'s settings name the SDK URL as vcsim.server.url', async () => {
    const sim = await start({});
    expect(await run(sim, 'option')).toEqual({ url: [sim.url] });
  });

  it('datacenter.bats "datacenter commands fail against ESX": an ESX host neither creates nor destroys a datacenter', async () => {
    expect(await run(await start({ topology: topologyFromFlags({ esx: true }) }), 'esxdc')).toEqual({ create: 'NotSupported', destroy: 'NotSupported' });
  });
});
