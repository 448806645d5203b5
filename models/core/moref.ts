/** A ManagedObjectReference: the wire identity of a managed object. */
export class MoRef {
  constructor(
    readonly type: string,
    readonly value: string,
  ) {}

  equals(other: MoRef | undefined): boolean {
    return other !== undefined && other.value === this.value && other.type === this.type;
  }

  toString(): string {
    return `${this.type}:${this.value}`;
  }
}

/**
 * A data object is a plain object. `_type` names its wire type when it differs from the type the
 * property declares (a VirtualDisk in a VirtualDevice[] list, a fault in a LocalizedMethodFault).
 */
export interface DataObject {
  _type?: string;
  [property: string]: unknown;
}

/** A value whose wire type the encoder cannot infer (anyType slots: PropertyCollector values, option values). */
export class Typed {
  constructor(
    /** Wire type name: 'string', 'int', 'ManagedObjectReference', 'VirtualMachineSummary', ... */
    readonly type: string,
    readonly value: unknown,
    readonly array = false,
  ) {}
}

/**
 * A deep copy of a data object tree. Morefs and dates are immutable here and shared; everything
 * else is copied, so the copy can change without touching the original (snapshots, clones).
 */
export function cloneData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneData) as T;
  if (value === null || typeof value !== 'object' || value instanceof MoRef || value instanceof Date || value instanceof Typed) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = cloneData(item);
  return copy as T;
}
