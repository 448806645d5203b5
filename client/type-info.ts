/**
 * The client's view of the vSphere type table (models/data/vim-types.json, shipped in the same
 * package): what the SOAP codec needs to decode by type and encode in WSDL order.
 *
 * It is read on first use and compiled once per process: the table is immutable, so sharing it is
 * not shared mutable state, and a CLI that never speaks SOAP never pays for parsing 1 MB of JSON.
 * The client does not import the simulator's TypeTable: it must stand alone against any vCenter.
 */
import { readFileSync } from 'node:fs';

export interface PropDesc {
  readonly name: string;
  readonly type: string;
  readonly array?: boolean;
  readonly optional?: boolean;
  readonly mo?: string;
}

export interface MethodDesc {
  readonly params: readonly PropDesc[];
  readonly returns: { type: string; array?: boolean; optional?: boolean; mo?: string; taskResult?: string } | null;
}

interface RawTable {
  versions: string[];
  data: Record<string, { base: string | null; props: PropDesc[] }>;
  enums: Record<string, { values: [string, string][] }>;
  managed: Record<string, { base: string | null; props: PropDesc[]; methods: Record<string, MethodDesc> }>;
}

export class VimTypes {
  readonly versions: readonly string[];
  private readonly props = new Map<string, Map<string, PropDesc>>();
  private readonly ordered = new Map<string, readonly PropDesc[]>();
  private readonly methods = new Map<string, MethodDesc>();

  constructor(private readonly raw: RawTable) {
    this.versions = raw.versions;
    // Method names are unique across managed types in vim25, so calls can be described by name.
    for (const type of Object.values(raw.managed)) for (const [name, m] of Object.entries(type.methods)) this.methods.set(name, m);
  }

  isData(type: string): boolean {
    return type in this.raw.data;
  }

  isEnum(type: string): boolean {
    return type in this.raw.enums;
  }

  isManaged(type: string): boolean {
    return type in this.raw.managed;
  }

  method(name: string): MethodDesc | undefined {
    return this.methods.get(name);
  }

  base(type: string): string | null | undefined {
    return (this.raw.data[type] ?? this.raw.managed[type])?.base;
  }

  /** `type` and its bases, nearest first. */
  ancestry(type: string): string[] {
    const chain: string[] = [];
    for (let t: string | null | undefined = type; t; t = this.base(t)) chain.push(t);
    return chain;
  }

  /** All properties of a data or managed type, base-most first (WSDL order). */
  allProps(type: string): readonly PropDesc[] {
    let list = this.ordered.get(type);
    if (!list) {
      const own = (this.raw.data[type] ?? this.raw.managed[type])?.props ?? [];
      const base = this.base(type);
      list = [...(base ? this.allProps(base) : []), ...own];
      this.ordered.set(type, list);
    }
    return list;
  }

  /** A property of `type` (own or inherited) by name. */
  prop(type: string, name: string): PropDesc | undefined {
    let byName = this.props.get(type);
    if (!byName) {
      byName = new Map(this.allProps(type).map((p) => [p.name, p]));
      this.props.set(type, byName);
    }
    return byName.get(name);
  }

  /** The type of a dotted property path of a managed type (`config.hardware.numCPU`). */
  pathType(type: string, path: string): PropDesc | undefined {
    let current: PropDesc | undefined;
    let owner = type;
    for (const part of path.split('.')) {
      if (current?.array) return undefined;
      current = this.prop(owner, part);
      if (!current) return undefined;
      owner = current.type;
    }
    return current;
  }
}

/** Loads and compiles the table once per process (see the file comment for why that is safe). */
export const vimTypes: () => VimTypes = (() => {
  let loaded: VimTypes | undefined;
  return () => {
    // From client/ (sources) and from dist/client/ (the build copies models/data) alike.
    loaded ??= new VimTypes(JSON.parse(readFileSync(new URL('../models/data/vim-types.json', import.meta.url), 'utf8')) as RawTable);
    return loaded;
  };
})();
