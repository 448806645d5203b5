/**
 * pyvmomi (Debian python3-pyvmomi 6.7.1) against injected faults. The Python client adds its rules
 * through the control API itself (test/clients/pyvmomi/faults.py), as a test in any language would.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pyvmomiStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pyvmomiStatus());
const script = join(clientsDir, 'pyvmomi', 'faults.py');

describe.skipIf(!available)('pyvmomi against injected faults', () => {
  let sim: Simulator;
  const py = async (scenario: string) =>
    jsonResult(
      await runProcess(systemPython, [script, scenario, '--url', sim.url, '--user', sim.username, '--password', sim.password], {
        env: pythonEnv(),
        timeoutMs: 60_000,
      }),
    );

  beforeAll(async () => {
    sim = await createSimulator({ listen: '127.0.0.1:0' });
  });
  afterEach(() => sim.faults.clear());
  afterAll(async () => {
    await sim?.close();
  });

  it('raises the injected fault as the typed vim.fault exception exactly once, then succeeds', async () => {
    const out = await py('fault-once');
    expect(out.firstName).toBeUndefined();
    expect(out.first).toEqual({
      wsdlName: 'InsufficientCpuResourcesFault',
      class: 'vim.fault.InsufficientCpuResourcesFault',
      isInsufficientCpu: true,
      isVimFault: true,
      isMethodFault: true,
      msg: 'Not enough CPU',
      unreserved: 100,
      requested: 2000,
    });
    expect(out.secondName).toBe('Datacenters');
    expect(out.hits).toBe(1);
    // SmartConnect reads through RetrievePropertiesEx too, before the rule exists: the last two calls are the scenario's.
    const calls = sim.journal.entries({ method: 'RetrievePropertiesEx', user: sim.username }).slice(-2);
    expect(calls.map((c) => c.outcome)).toEqual(['fault', 'ok']);
    expect(calls[0]).toMatchObject({ fault: 'InsufficientCpuResourcesFault', status: 500, rules: [expect.any(String)] });
  });

  it('raises http.client.HTTPException on a 503, and carries on once the rule is removed', async () => {
    const out = await py('http-503');
    expect(out.error).toEqual({ type: 'HTTPException', message: '503 Service Unavailable', isHTTPException: true });
    expect(out.hits).toBe(1);
    expect(out.deleteStatus).toBe(204);
    expect(out.afterwards).toBe(true);
    expect(sim.journal.entries({ method: 'CurrentTime' }).map((c) => [c.outcome, c.status])).toEqual([
      ['http', 503],
      ['ok', 200],
    ]);
  });
});
