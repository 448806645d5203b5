import { MoRef, Typed } from '../../models/moref.js';
import type { TypeTable } from '../../models/type-table.js';
import type { Decl } from './decode.js';

type Kind = 'string' | 'number' | 'boolean' | 'dateTime' | 'base64' | 'moref' | 'data' | 'any';

/** A property prepared for encoding: tags built once, kind resolved once. */
interface CompiledProp {
  name: string;
  open: string;
  close: string;
  decl: Decl;
  kind: Kind;
}

const primitiveKinds: Record<string, Kind> = {
  string: 'string',
  int: 'number',
  long: 'number',
  short: 'number',
  byte: 'number',
  double: 'number',
  float: 'number',
  boolean: 'boolean',
  dateTime: 'dateTime',
  base64Binary: 'base64',
  anyType: 'any',
  ManagedObjectReference: 'moref',
};

const needsEscape = /[&<>"]/;
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeXml(text: string): string {
  return needsEscape.test(text) ? text.replace(/[&<>"]/g, (c) => escapes[c]!) : text;
}

/**
 * Writes values as vim25 XML, directed by the type table: properties in WSDL order (base type
 * first), `xsi:type` where the runtime type differs from the declared one or the slot is anyType,
 * and, for a client of an older API version, nothing that version does not know.
 */
export class SoapEncoder {
  /** Per type, per API version index: its properties ready to encode. */
  private readonly compiled = new Map<string, CompiledProp[][]>();

  constructor(private readonly types: TypeTable) {}

  /** `<name>value</name>` (repeated for arrays) for a value declared as `decl`, for API version index `vi`. */
  element(name: string, value: unknown, decl: Decl, vi: number): string {
    if (value === undefined || value === null) return '';
    const prop: CompiledProp = { name, open: `<${name}`, close: `</${name}>`, decl, kind: this.kindOf(decl.type) };
    return this.prop(prop, value, vi);
  }

  /** The properties of a data object of type `type`, without an enclosing element. */
  content(type: string, value: Record<string, unknown>, vi: number): string {
    let out = '';
    for (const prop of this.props(type, vi)) {
      const v = value[prop.name];
      if (v !== undefined && v !== null) out += this.prop(prop, v, vi);
    }
    return out;
  }

  /** The newest type at or above `type` that API version `vi` knows. */
  visibleType(type: string, vi: number): string {
    let current: string | null = type;
    while (current) {
      const data = this.types.dataType(current);
      if (!data) return current;
      if (this.types.versionIndex(data.since) <= vi) return current;
      current = data.base;
    }
    return type;
  }

  private prop(prop: CompiledProp, value: unknown, vi: number): string {
    if (prop.decl.array && Array.isArray(value)) {
      let out = '';
      for (const item of value) if (item !== undefined && item !== null) out += this.single(prop, item, vi);
      return out;
    }
    return this.single(prop, value, vi);
  }

  private single(prop: CompiledProp, value: unknown, vi: number): string {
    switch (prop.kind) {
      case 'string':
        return `${prop.open}>${escapeXml(String(value))}${prop.close}`;
      case 'number':
      case 'boolean':
        return `${prop.open}>${String(value)}${prop.close}`;
      case 'dateTime':
        return `${prop.open}>${dateText(value)}${prop.close}`;
      case 'base64':
        return `${prop.open}>${base64Text(value)}${prop.close}`;
      case 'moref':
        return morefXml(prop.open, prop.close, value as MoRef, '');
      case 'data':
        return this.data(prop, value as Record<string, unknown>, vi);
      case 'any':
        return this.any(prop.open, prop.close, value, vi);
    }
  }

  private data(prop: CompiledProp, value: Record<string, unknown>, vi: number): string {
    if (value instanceof Typed) return this.any(prop.open, prop.close, value, vi);
    const declared = prop.decl.type;
    if (typeof value !== 'object') return `${prop.open}>${escapeXml(String(value))}${prop.close}`; // enum
    const type = value._type === undefined ? declared : this.visibleType(value._type as string, vi);
    const xsi = type === declared ? '' : ` xsi:type="${type}"`;
    return `${prop.open}${xsi}>${this.content(type, value, vi)}${prop.close}`;
  }

  /** A value in an anyType slot: always carries its xsi:type. */
  private any(open: string, close: string, value: unknown, vi: number): string {
    if (value instanceof Typed) return this.typed(open, close, value, vi);
    if (value instanceof MoRef) return morefXml(open, close, value, ' xsi:type="ManagedObjectReference"');
    switch (typeof value) {
      case 'string':
        return `${open} xsi:type="xsd:string">${escapeXml(value)}${close}`;
      case 'boolean':
        return `${open} xsi:type="xsd:boolean">${value}${close}`;
      case 'number':
        return `${open} xsi:type="xsd:${Number.isInteger(value) ? 'int' : 'double'}">${value}${close}`;
    }
    if (value instanceof Date) return `${open} xsi:type="xsd:dateTime">${value.toISOString()}${close}`;
    if (Array.isArray(value)) return this.typed(open, close, new Typed('anyType', value, true), vi);
    const data = value as Record<string, unknown>;
    const type = this.visibleType((data._type as string | undefined) ?? 'DynamicData', vi);
    return `${open} xsi:type="${type}">${this.content(type, data, vi)}${close}`;
  }

  private typed(open: string, close: string, typed: Typed, vi: number): string {
    const { type, value } = typed;
    if (!typed.array) {
      const kind = this.kindOf(type);
      if (kind === 'data' && typeof value === 'object' && value !== null) {
        const runtime = this.visibleType(((value as Record<string, unknown>)._type as string | undefined) ?? type, vi);
        return `${open} xsi:type="${runtime}">${this.content(runtime, value as Record<string, unknown>, vi)}${close}`;
      }
      if (kind === 'moref' || kind === 'any') return this.any(open, close, value, vi);
      const xsi = kind === 'data' || this.types.isEnum(type) ? type : `xsd:${type}`; // enums are vim25 types, unprefixed
      return `${open} xsi:type="${xsi}">${this.scalarText(kind, value)}${close}`;
    }
    const items = value as unknown[];
    const itemName = type;
    let inner = '';
    for (const item of items) {
      if (item === undefined || item === null) continue;
      inner += this.any(`<${itemName}`, `</${itemName}>`, type === 'anyType' ? item : new Typed(type, item), vi);
    }
    return `${open} xsi:type="ArrayOf${type[0]!.toUpperCase()}${type.slice(1)}">${inner}${close}`;
  }

  private scalarText(kind: Kind, value: unknown): string {
    if (kind === 'dateTime') return dateText(value);
    if (kind === 'base64') return base64Text(value);
    return escapeXml(String(value));
  }

  private props(type: string, vi: number): CompiledProp[] {
    let byVersion = this.compiled.get(type);
    if (!byVersion) this.compiled.set(type, (byVersion = []));
    return (byVersion[vi] ??= this.types
      .allProps(type)
      .filter((p) => this.types.versionIndex(p.since) <= vi)
      .map((decl) => ({ name: decl.name, open: `<${decl.name}`, close: `</${decl.name}>`, decl, kind: this.kindOf(decl.type) })));
  }

  private kindOf(type: string): Kind {
    return primitiveKinds[type] ?? (this.types.isDataType(type) ? 'data' : 'string'); // enums encode as strings
  }
}

function morefXml(open: string, close: string, ref: MoRef, xsi: string): string {
  return `${open} type="${ref.type}"${xsi}>${escapeXml(ref.value)}${close}`;
}

function dateText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function base64Text(value: unknown): string {
  return Buffer.isBuffer(value) ? value.toString('base64') : String(value);
}
