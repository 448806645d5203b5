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
