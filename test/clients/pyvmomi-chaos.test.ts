/**
 * pyvmomi (Debian python3-pyvmomi 6.7.1) against task rules, world actions, hangs, resets and
 * seeded probabilities. The Python client drives the control API itself
 * (test/clients/pyvmomi/chaos.py), as a test in any language would.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pyvmomiStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pyvmomiStatus());
const script = join(clientsDir, 'pyvmomi', 'chaos.py');

const py = async (sim: Simulator, scenario: string) =>
  jsonResult(
    await runProcess(systemPython, [script, scenario, '--url', sim.url, '--user', sim.username, '--password', sim.password], {
      env: pythonEnv(),
      timeoutMs: 60_000,
    }),
  );

describe.skipIf(!available)('pyvmomi against chaos', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await createSimulator({ listen: '127.0.0.1:0' });
  });
  afterEach(() => sim.faults.clear());
  afterAll(async () => {
    await sim?.close();
  });

  it('a taskError at 50% reaches WaitForTask as the fault after progress 50; the VM stays off', async () => {
    const out = await py(sim, 'task-error');
    expect(out.fault).toEqual({ wsdlName: 'InsufficientResourcesFault', msg: 'No room at 50%' });
    const progress = (out.updates as unknown[]).filter((u): u is number => typeof u === 'number');
    expect(progress.at(-1)).toBe(50);
    expect(Math.max(...progress)).toBe(50);
    expect(out.updates.at(-1)).toBe('error');
    expect(out.powerStateAfterFault).toBe('poweredOff');
    expect(out.powerStateAfterRetry).toBe('poweredOn');
    // The journal names the task rule on the call that started the task.
    const powerOns = sim.journal.entries({ method: 'PowerOnVM_Task' });
    expect(powerOns.at(-2)!.rules).toContain(out.ruleId);
  });

  it('host-disconnect wakes a client in WaitForUpdatesEx and shows in QueryEvents', async () => {
    const out = await py(sim, 'host-disconnect');
    expect(out.values).toEqual(['connected', 'disconnected']);
    expect(out.waitedAtLeastHalfASecond).toBe(true);
    expect(out.events).toEqual([{ type: 'vim.event.HostDisconnectedEvent', host: 'DC0_H0', hostMoid: 'host-21', message: 'Host DC0_H0 disconnected' }]);
    expect(out.connectionStateAfterReconnect).toBe('connected');
  });

  it('a hang makes the client time out; the server keeps answering, and answers the method once the rule is gone', async () => {
    const out = await py(sim, 'hang');
    expect(out.error).toEqual({ type: expect.stringMatching(/^(TimeoutError|timeout)$/), isTimeout: true });
    expect(out.waitedAtLeastOneSecond).toBe(true);
    expect(out.aboutWhileHung).toBe('VMware vCenter Server');
    expect(out.deleteStatus).toBe(204);
    expect(out.currentTimeAfter).toBe(true);
    expect(sim.journal.entries({ method: 'CurrentTime' }).map((c) => c.outcome)).toEqual(['abandoned', 'ok']);
  });

  it('a reset makes the client see a connection reset; a new connection works', async () => {
    const out = await py(sim, 'reset');
    expect(out.error).toEqual({ type: expect.any(String), isConnectionReset: true });
    expect(out.hits).toBe(1);
    expect(out.afterwards).toBe(true);
  });
});

describe.skipIf(!available)('pyvmomi and seeded probabilities', () => {
  it('the same seed and rule set give the same fault sequence twice; another seed another', async () => {
    const sequence = async (seed: number) => {
      const sim = await createSimulator({ listen: '127.0.0.1:0', seed });
      try {
        return (await py(sim, 'seeded')).sequence as string;
      } finally {
        await sim.close();
      }
    };
    const first = await sequence(42);
    const second = await sequence(42);
    expect(first).toMatch(/^[F.]{24}$/);
    expect(first).toContain('F');
    expect(first).toContain('.');
    expect(second).toBe(first);
    expect(await sequence(43)).not.toBe(first);
  });
});
