/**
 * VM data sets (`vcenter/vm/{vm}/data-sets`, vSphere 8.0): named key/value stores a VM carries,
 * shared with its guest. Each has an access mode from the API (`host`) and from the guest, and
 * belongs to its VM: it goes with the VM, and unless `omit_from_snapshot_and_clone` a VM
 * snapshot keeps its entries, so reverting brings them back as they were.
 */
import type { Registry } from '../core/registry.js';
import { seededUuid } from './ids.js';
import { requireObject } from './inventory-lookup.js';
import { refuse } from './service-error.js';

export type AccessMode = 'NONE' | 'READ_ONLY' | 'READ_WRITE';

export interface DataSet {
  data_set: string;
  vm: string;
  name: string;
  description: string;
  host: AccessMode;
  guest: AccessMode;
  omit_from_snapshot_and_clone: boolean;
  entries: Record<string, string>;
}

export interface DataSetSpec {
  name: string;
  description: string;
  host: AccessMode;
  guest: AccessMode;
  omit_from_snapshot_and_clone?: boolean;
}

export type DataSetUpdate = Partial<Omit<DataSetSpec, 'name'>>;

/** vCenter's limits: keys of up to 4 KiB, values of up to 1 MiB. */
export const MAX_KEY_LENGTH = 4096;
export const MAX_VALUE_BYTES = 1024 * 1024;

export class VmDataSetStore {
  private dataSets = new Map<string, DataSet>();
  /** snapshot id → the VM's data sets (those not omitted) as the snapshot was taken. */
  private snapshotCopies = new Map<string, DataSet[]>();
  private counter = 0;

  constructor(
    private readonly registry: Registry,
    private readonly seed: () => number,
  ) {}

  list(vm: string): { data_set: string; name: string; description: string }[] {
    this.requireVm(vm);
    return this.ofVm(vm).map(({ data_set, name, description }) => ({ data_set, name, description }));
  }

  create(vm: string, spec: DataSetSpec): string {
    this.requireVm(vm);
    if (this.ofVm(vm).some((set) => set.name === spec.name)) {
      refuse('already_exists', 'com.vmware.vcenter.vm.data_sets.exists', `Data set '${spec.name}' already exists on virtual machine '${vm}'.`, [spec.name, vm]);
    }
    const id = seededUuid(this.seed(), 'data-set', ++this.counter);
    this.dataSets.set(id, { data_set: id, vm, ...spec, omit_from_snapshot_and_clone: spec.omit_from_snapshot_and_clone ?? false, entries: {} });
    return id;
  }

  get(vm: string, id: string) {
    const { data_set: _id, vm: _vm, entries, ...info } = this.find(vm, id);
    return { ...info, used: usedBytes(entries) };
  }

  update(vm: string, id: string, update: DataSetUpdate): void {
    const set = this.find(vm, id);
    for (const [key, value] of Object.entries(update)) if (value !== undefined) (set as unknown as Record<string, unknown>)[key] = value;
  }

  /** A data set with entries goes only when forced. */
  delete(vm: string, id: string, force: boolean): void {
    const set = this.find(vm, id);
    if (!force && Object.keys(set.entries).length > 0) {
      refuse('resource_in_use', 'com.vmware.vcenter.vm.data_sets.not_empty', `Data set '${set.name}' has entries: delete it with force.`, [id]);
    }
    this.dataSets.delete(id);
  }

  keys(vm: string, id: string): string[] {
    return Object.keys(this.readable(vm, id).entries);
  }

  getEntry(vm: string, id: string, key: string): string {
    const value = this.readable(vm, id).entries[key];
    return value ?? refuse('not_found', 'com.vmware.vcenter.vm.data_sets.entry_not_found', `Data set '${id}' has no entry '${key}'.`, [key]);
  }

  setEntry(vm: string, id: string, key: string, value: string): void {
    const set = this.writable(vm, id);
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) refuse('invalid_argument', 'com.vmware.vcenter.vm.data_sets.invalid_key', `An entry key has 1 to ${MAX_KEY_LENGTH} characters.`, [key.slice(0, 64)]);
    if (Buffer.byteLength(value) > MAX_VALUE_BYTES) refuse('invalid_argument', 'com.vmware.vcenter.vm.data_sets.value_too_large', `An entry value has at most ${MAX_VALUE_BYTES} bytes.`, [key]);
    set.entries = { ...set.entries, [key]: value };
  }

  deleteEntry(vm: string, id: string, key: string): void {
    const set = this.writable(vm, id);
    this.getEntry(vm, id, key);
    const { [key]: _gone, ...rest } = set.entries;
    set.entries = rest;
  }

  /** A VM snapshot was taken: it keeps the VM's data sets that are not omitted from snapshots. */
  snapshotTaken(vm: string, snapshot: string): void {
    this.snapshotCopies.set(snapshot, this.ofVm(vm).filter((set) => !set.omit_from_snapshot_and_clone).map(copy));
  }

  /** The VM went back to a snapshot: its snapshotted data sets are as they were then; omitted ones stay. */
  snapshotReverted(vm: string, snapshot: string): void {
    const saved = this.snapshotCopies.get(snapshot);
    if (!saved) return;
    for (const set of this.ofVm(vm)) if (!set.omit_from_snapshot_and_clone) this.dataSets.delete(set.data_set);
    for (const set of saved) this.dataSets.set(set.data_set, copy(set));
  }

  /** A VM goes with its data sets; a snapshot with its copies. */
  forgetObject(type: string, id: string): void {
    if (type === 'VirtualMachineSnapshot') this.snapshotCopies.delete(id);
    if (type !== 'VirtualMachine') return;
    for (const set of this.ofVm(id)) this.dataSets.delete(set.data_set);
  }

  private ofVm(vm: string): DataSet[] {
    return [...this.dataSets.values()].filter((set) => set.vm === vm);
  }

  private requireVm(vm: string): void {
    requireObject(this.registry, 'VirtualMachine', vm, 'Virtual machine');
  }

  private find(vm: string, id: string): DataSet {
    this.requireVm(vm);
    const set = this.dataSets.get(id);
    if (!set || set.vm !== vm) refuse('not_found', 'com.vmware.vcenter.vm.data_sets.not_found', `Data set '${id}' does not exist on virtual machine '${vm}'.`, [id, vm]);
    return set;
  }

  /** The API reads entries only of data sets whose host access is not NONE. */
  private readable(vm: string, id: string): DataSet {
    const set = this.find(vm, id);
    if (set.host === 'NONE') denied(set, 'read');
    return set;
  }

  private writable(vm: string, id: string): DataSet {
    const set = this.find(vm, id);
    if (set.host !== 'READ_WRITE') denied(set, 'write');
    return set;
  }
}

function denied(set: DataSet, what: 'read' | 'write'): never {
  refuse('unauthorized', 'com.vmware.vcenter.vm.data_sets.access_denied', `Data set '${set.name}' does not allow the API to ${what} its entries (host access ${set.host}).`, [set.data_set, set.host]);
}

function copy(set: DataSet): DataSet {
  return { ...set, entries: { ...set.entries } };
}

function usedBytes(entries: Record<string, string>): number {
  return Object.entries(entries).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
}
