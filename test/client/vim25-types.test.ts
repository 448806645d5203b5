import { describe, it, expect, expectTypeOf } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ManagedTypes, MoRef, VirtualDisk, VirtualMachinePowerState, FaultTypeName, TaskInfo } from '../../client/vim25.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('client/vim25.ts', () => {
  it('is what scripts/gen_client_types.py generates from the committed vim-types.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vim25-ts-'));
    try {
      const out = join(dir, 'vim25.ts');
      const run = spawnSync('/usr/bin/python3', [join(root, 'scripts/gen_client_types.py'), '--out', out], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const committed = readFileSync(join(root, 'client/vim25.ts'), 'utf8');
      expect(readFileSync(out, 'utf8') === committed, 'regenerate with npm run gen-types').toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('types data objects, enums, methods and faults from the table', () => {
    // Inheritance, optional properties, numbers and arrays.
    expectTypeOf<VirtualDisk['capacityInKB']>().toEqualTypeOf<number>();
    expectTypeOf<VirtualDisk['key']>().toEqualTypeOf<number>();
    expectTypeOf<VirtualDisk['capacityInBytes']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<VirtualDisk['_type']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<VirtualMachinePowerState>().toEqualTypeOf<'poweredOff' | 'poweredOn' | 'suspended'>();
    expectTypeOf<ManagedTypes['VirtualMachine']['methods']['PowerOnVM_Task']['returns']>().toEqualTypeOf<MoRef<'Task'>>();
    expectTypeOf<ManagedTypes['Folder']['methods']['CreateVM_Task']['taskResult']>().toEqualTypeOf<MoRef<'VirtualMachine'>>();
    // Inherited methods: Destroy_Task is ManagedEntity's.
    expectTypeOf<ManagedTypes['VirtualMachine']['methods']['Destroy_Task']['params']>().toEqualTypeOf<{}>();
    expectTypeOf<ManagedTypes['VirtualMachine']['props']['datastore']>().toEqualTypeOf<MoRef<'Datastore'>[] | undefined>();
    expectTypeOf<TaskInfo['state']>().toEqualTypeOf<'queued' | 'running' | 'success' | 'error'>();
    expectTypeOf<'InvalidPowerState'>().toExtend<FaultTypeName>();
    // A runtime assertion too, so the file fails if the table loses a fault the client maps.
    const text = readFileSync(join(root, 'client/vim25.ts'), 'utf8');
    expect(text).toContain("  | 'ManagedObjectNotFound'");
    expect(text).toMatch(/export interface VirtualDisk extends VirtualDevice \{/);
  });
});
