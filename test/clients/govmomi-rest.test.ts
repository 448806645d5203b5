/**
 * govmomi's vapi/rest client (Debian golang-github-vmware-govmomi-dev 0.24.2, GOPATH mode)
 * against vcenter-sim's REST endpoints. The client is test/clients/govmomi/rest/main.go, built
 * once for this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { at, named, objectsOfType, vpx } from './inventory.js';
import { buildGoProgram, clientAvailable, govmomiStatus, jsonResult, runProcess } from './support.js';

const available = clientAvailable(govmomiStatus());

describe.skipIf(!available)('govmomi vapi/rest', () => {
  let binary: string;
  let sim: Simulator;
  let strict: Simulator;

  const run = async <T = Record<string, any>>(
    scenario: string,
    target: { url: string; username: string; password: string },
    extra: string[] = [],
  ): Promise<T> => {
    const args = ['-url', target.url, '-user', target.username, '-password', target.password, ...extra, scenario];
    return jsonResult<T>(await runProcess(binary, args, { timeoutMs: 60_000 }));
  };

  beforeAll(async () => {
    // Compiling govmomi takes a while the first time; the Go build cache makes reruns fast.
    [binary, sim, strict] = await Promise.all([
      buildGoProgram('rest'),
      createSimulator({ listen: '127.0.0.1:0' }),
      createSimulator({ listen: '127.0.0.1:0', username: 'admin', password: 'VMware1!' }),
    ]);
  }, 300_000);
  afterAll(async () => {
    await Promise.all([sim?.close(), strict?.close()]);
  });

  it('logs in with Basic credentials, reads its session, lists and reads VMs in both flavours, logs out', async () => {
    const out = await run('login', sim);
    expect(out.user).toBe(sim.username);
    expect(Date.parse(out.created)).not.toBeNaN();
    expect(Date.parse(out.lastAccessed)).toBeGreaterThanOrEqual(Date.parse(out.created));

    const expected = objectsOfType(sim, 'VirtualMachine').map((vm) => ({
      vm: vm.self.value,
      name: at(vm, 'name'),
      power_state: 'POWERED_ON',
      cpu_count: at(vm, 'config.hardware.numCPU'),
      memory_size_MiB: at(vm, 'config.hardware.memoryMB'),
    }));
    expect(out.restVms.map((v: { name: string }) => v.name).sort()).toEqual(vpx.vms);
    expect(out.restVms).toEqual(expected);
    expect(out.apiVms).toEqual(expected);

    const vm = named(sim, 'VirtualMachine', 'DC0_H0_VM0');
    expect(out.filtered).toEqual([expected.find((v) => v.vm === vm.self.value)]);
    expect(out.info).toEqual({
      name: 'DC0_H0_VM0',
      power_state: 'POWERED_ON',
      guest_OS: 'OTHER',
      cpu: { count: 1 },
      memory: { size_MiB: 32 },
      identity: { bios_uuid: at(vm, 'config.uuid') },
      disks: { 2000: { label: 'Hard disk 1', capacity: 1024 * 1024 } },
    });
    expect(out.missingError).toMatch(/404/);
    expect(out.sessionAfterOut).toBe(false);
  });

  it('opens a REST session from its SOAP session (LoginByToken), as govmomi tools do', async () => {
    const out = await run('soap', sim);
    expect(out.user).toBe(sim.username);
    expect(out.vms).toBe(vpx.vms.length);
    // The client logged out: its session is gone from the SessionManager.
    expect(sim.vc.sessionManager.lookup(out.token)).toBeUndefined();
  });

  it('powers a VM off through /api and on through the 6.7 /rest form; SOAP state follows', async () => {
    const vm = named(sim, 'VirtualMachine', 'DC0_H0_VM1');
    const out = await run('power', sim, ['-vm', 'DC0_H0_VM1']);
    expect(out).toMatchObject({ vm: vm.self.value, before: 'POWERED_ON', stopped: 'POWERED_OFF', started: 'POWERED_ON' });
    expect(out.stopAgain).toMatch(/400/);
    expect(out.stopAgain).toMatch(/ALREADY_IN_DESIRED_STATE/);
    expect(at(vm, 'runtime.powerState')).toBe('poweredOn');
  });

  it('is refused with wrong credentials and then has no session', async () => {
    const out = await run('badlogin', strict);
    expect(out.loginError).toMatch(/401/);
    expect(out.hasSession).toBe(false);
  });
});
