/**
 * pyvmomi (Debian python3-pyvmomi 6.7.1) against world snapshots and reset: the Python client takes
 * the snapshot and restores it through the control API itself (test/clients/pyvmomi/state.py).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { clientAvailable, clientsDir, jsonResult, pythonEnv, pyvmomiStatus, runProcess, systemPython } from './support.js';

const available = clientAvailable(pyvmomiStatus());

describe.skipIf(!available)('pyvmomi against snapshots and reset', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await createSimulator();
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('snapshot, destroy every VM, restore: the same VMs with the same properties; reset undoes a rename', async () => {
    const out = await jsonResult(
      await runProcess(systemPython, [join(clientsDir, 'pyvmomi', 'state.py'), '--url', sim.url, '--user', sim.username, '--password', sim.password], {
        env: pythonEnv(),
        timeoutMs: 60_000,
      }),
    );
    expect(Object.keys(out.before).length).toBeGreaterThan(1);
    expect(out.destroyed).toEqual({});
    expect(out.restored).toEqual(out.before);
    expect(out.renamed).toBe('renamed-by-pyvmomi');
    expect(out.afterReset).toEqual(out.before);
    expect(out.snapshot).toMatchObject({ name: 'pyvmomi', id: expect.any(String) });
    // CreateFolder after the snapshot: made, refused a second time, gone after the restore.
    expect(out.folder).toEqual({ made: expect.stringMatching(/^folder-/), name: 'made-by-pyvmomi', duplicate: { name: 'made-by-pyvmomi', object: out.folder.made }, afterRestore: [] });
  });
});
