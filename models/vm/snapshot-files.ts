/**
 * The files VM snapshots add to a VM's `layoutEx`, named as vCenter names them: the snapshot list
 * (`name.vmsd`), each snapshot's state (`name-SnapshotN.vmsn`, and `.vmem` with memory), and a
 * delta disk per disk (`disk-00000N.vmdk` over `disk-00000N-sesparse.vmdk`) that the disk's chain
 * grows by. Removing a snapshot consolidates: its files leave, and its deltas leave every chain.
 */
import { cloneData, type DataObject, type MoRef } from '../core/moref.js';

const VMSN_BYTES = 32 * 1024;
const DELTA_DESCRIPTOR_BYTES = 512;
const DELTA_EXTENT_BYTES = 4 * 1024 * 1024;

interface LayoutHolder {
  layoutEx?: DataObject;
  config?: DataObject;
}

export function addSnapshotFiles(vm: LayoutHolder, snapshot: MoRef, id: number, memory: boolean, now: Date): void {
  const layout = vm.layoutEx;
  const vmx = (vm.config?.files as DataObject | undefined)?.vmPathName as string | undefined;
  if (!layout || !vmx) return;
  const files = ((layout.file as DataObject[] | undefined) ?? (layout.file = [])) as DataObject[];
  let nextKey = files.reduce((max, f) => Math.max(max, f.key as number), -1) + 1;
  const add = (name: string, type: string, size: number) => {
    files.push({ key: nextKey, name, type, size, uniqueSize: size, accessible: true });
    return nextKey++;
  };
  const base = vmx.replace(/\.vmx$/, '');
  if (!files.some((f) => f.type === 'snapshotList')) add(`${base}.vmsd`, 'snapshotList', 0);
  const dataKey = add(`${base}-Snapshot${id}.vmsn`, 'snapshotData', VMSN_BYTES);
  const memoryMB = ((vm.config?.hardware as DataObject | undefined)?.memoryMB as number | undefined) ?? 0;
  const memoryKey = memory ? add(`${base}-Snapshot${id}.vmem`, 'snapshotMemory', memoryMB * 1024 * 1024) : -1;
  const suffix = String(id).padStart(6, '0');
  const disk = ((layout.disk as DataObject[] | undefined) ?? []).map((d) => {
    const chain = (d.chain as { fileKey: number[] }[]) ?? [];
    const before = cloneData(chain);
    const top = files.find((f) => f.key === chain.at(-1)?.fileKey[0])?.name as string | undefined;
    if (top) {
      const delta = top.replace(/(-\d{6})?\.vmdk$/, `-${suffix}.vmdk`);
      chain.push({ fileKey: [add(delta, 'diskDescriptor', DELTA_DESCRIPTOR_BYTES), add(delta.replace(/\.vmdk$/, '-sesparse.vmdk'), 'diskExtent', DELTA_EXTENT_BYTES)] });
    }
    return { key: d.key, chain: before };
  });
  ((layout.snapshot as DataObject[] | undefined) ?? (layout.snapshot = [])).push({ key: snapshot, dataKey, memoryKey, disk } as DataObject);
  layout.timestamp = now;
}

export function removeSnapshotFiles(vm: LayoutHolder, snapshot: MoRef, now: Date): void {
  const layout = vm.layoutEx;
  const entries = (layout?.snapshot as DataObject[] | undefined) ?? [];
  const entry = entries.find((s) => (s.key as MoRef).value === snapshot.value);
  if (!layout || !entry) return;
  const removed = new Set<number>([entry.dataKey as number, entry.memoryKey as number]);
  for (const { key, chain } of entry.disk as { key: number; chain: unknown[] }[]) {
    const disk = (layout.disk as DataObject[]).find((d) => d.key === key);
    const delta = (disk?.chain as { fileKey: number[] }[] | undefined)?.[chain.length];
    for (const fileKey of delta?.fileKey ?? []) removed.add(fileKey);
  }
  const keep = (link: { fileKey: number[] }) => !link.fileKey.some((k) => removed.has(k));
  layout.file = (layout.file as DataObject[]).filter((f) => !removed.has(f.key as number));
  for (const d of layout.disk as DataObject[]) d.chain = (d.chain as { fileKey: number[] }[]).filter(keep);
  layout.snapshot = entries.filter((s) => s !== entry);
  for (const s of layout.snapshot as DataObject[]) {
    for (const d of s.disk as DataObject[]) d.chain = (d.chain as { fileKey: number[] }[]).filter(keep);
  }
  layout.timestamp = now;
}
