/** The files VM snapshots add to layoutEx, and what removing one takes away. */
import { describe, expect, it } from 'vitest';
import { MoRef, type DataObject } from '../../models/core/moref.js';
import { addSnapshotFiles, removeSnapshotFiles } from '../../models/vm/snapshot-files.js';

function vm(): { layoutEx: DataObject; config: DataObject } {
  const file = (key: number, name: string, type: string) => ({ key, name, type, size: 1, uniqueSize: 1, accessible: true });
  return {
    config: { files: { vmPathName: '[ds] web/web.vmx' }, hardware: { memoryMB: 64 } },
    layoutEx: {
      file: [file(0, '[ds] web/web.vmx', 'config'), file(1, '[ds] web/web.vmdk', 'diskDescriptor'), file(2, '[ds] web/web-flat.vmdk', 'diskExtent')],
      disk: [{ key: 2000, chain: [{ fileKey: [1, 2] }] }],
      snapshot: [],
    },
  };
}

const names = (v: ReturnType<typeof vm>) => (v.layoutEx.file as DataObject[]).map((f) => [f.name, f.type]);
const chain = (v: ReturnType<typeof vm>) => ((v.layoutEx.disk as DataObject[])[0]!.chain as { fileKey: number[] }[]).map((c) => c.fileKey);
const now = new Date(0);

describe('snapshot files in layoutEx', () => {
  it('adds the list, each snapshot state (memory too) and a delta per disk, named as vCenter names them', () => {
    const v = vm();
    addSnapshotFiles(v, new MoRef('VirtualMachineSnapshot', 's1'), 1, false, now);
    addSnapshotFiles(v, new MoRef('VirtualMachineSnapshot', 's2'), 2, true, now);
    expect(names(v).slice(3)).toEqual([
      ['[ds] web/web.vmsd', 'snapshotList'],
      ['[ds] web/web-Snapshot1.vmsn', 'snapshotData'],
      ['[ds] web/web-000001.vmdk', 'diskDescriptor'],
      ['[ds] web/web-000001-sesparse.vmdk', 'diskExtent'],
      ['[ds] web/web-Snapshot2.vmsn', 'snapshotData'],
      ['[ds] web/web-Snapshot2.vmem', 'snapshotMemory'],
      ['[ds] web/web-000002.vmdk', 'diskDescriptor'],
      ['[ds] web/web-000002-sesparse.vmdk', 'diskExtent'],
    ]);
    expect(chain(v)).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(v.layoutEx.snapshot).toMatchObject([
      { key: { value: 's1' }, dataKey: 4, memoryKey: -1, disk: [{ key: 2000, chain: [{ fileKey: [1, 2] }] }] },
      { key: { value: 's2' }, dataKey: 7, memoryKey: 8, disk: [{ key: 2000, chain: [{ fileKey: [1, 2] }, { fileKey: [5, 6] }] }] },
    ]);
  });

  it('removing a snapshot consolidates: its state and its delta leave the files, the chain and the other snapshots', () => {
    const v = vm();
    addSnapshotFiles(v, new MoRef('VirtualMachineSnapshot', 's1'), 1, false, now);
    addSnapshotFiles(v, new MoRef('VirtualMachineSnapshot', 's2'), 2, false, now);
    removeSnapshotFiles(v, new MoRef('VirtualMachineSnapshot', 's1'), now);
    expect(names(v).map(([name]) => name)).not.toContain('[ds] web/web-Snapshot1.vmsn');
    expect(names(v).map(([name]) => name)).not.toContain('[ds] web/web-000001.vmdk');
    expect(chain(v)).toEqual([[1, 2], [8, 9]]);
    expect(v.layoutEx.snapshot).toMatchObject([{ key: { value: 's2' }, disk: [{ chain: [{ fileKey: [1, 2] }] }] }]);
    removeSnapshotFiles(v, new MoRef('VirtualMachineSnapshot', 's2'), now);
    expect(chain(v)).toEqual([[1, 2]]);
    expect(names(v).map(([, type]) => type)).toEqual(['config', 'diskDescriptor', 'diskExtent', 'snapshotList']);
    expect(v.layoutEx.snapshot).toEqual([]);
  });
});
