import { MoRef, Typed } from '../../models/core/moref.js';
import type { TypeTable } from '../../models/core/type-table.js';
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
  /** Per data type, per API version index: the type a client of that version is sent. */
  private readonly visible = new Map<string, string[]>();

  constructor(private readonly types: TypeTable) {}

  /** `<name>value</name>` (repeated for arrays) for a value declared as `decl`, for API version index `vi`. */
  element(out: XmlWriter, name: string, value: unknown, decl: Decl, vi: number): void {
    if (value === undefined || value === null) return;
    this.prop(out, { name, open: `<${name}`, close: `</${name}>`, decl, kind: this.kindOf(decl.type) }, value, vi);
  }

  /** The properties of a data object of type `type`, without an enclosing element. */
  content(out: XmlWriter, type: string, value: Record<string, unknown>, vi: number): void {
    for (const prop of this.props(type, vi)) {
      const v = value[prop.name];
      if (v !== undefined && v !== null) this.prop(out, prop, v, vi);
    }
  }

  /** The newest type at or above `type` that API version `vi` knows. */
  visibleType(type: string, vi: number): string {
    let byVersion = this.visible.get(type);
    if (!byVersion) {
      if (!this.types.isDataType(type)) return type; // not ours to cache: names from outside the table
      this.visible.set(type, (byVersion = []));
    }
    return (byVersion[vi] ??= this.nearestKnownType(type, vi));
  }

  private nearestKnownType(type: string, vi: number): string {
    let current: string | null = type;
    while (current) {
      const data = this.types.dataType(current);
      if (!data) return current;
      if (this.types.versionIndex(data.since) <= vi) return current;
      current = data.base;
    }
    return type;
  }

  private prop(out: XmlWriter, prop: CompiledProp, value: unknown, vi: number): void {
    if (prop.decl.array && Array.isArray(value)) {
      for (const item of value) if (item !== undefined && item !== null) this.single(out, prop, item, vi);
    } else {
      this.single(out, prop, value, vi);
    }
  }

  private single(out: XmlWriter, prop: CompiledProp, value: unknown, vi: number): void {
    switch (prop.kind) {
      case 'string':
        return out.write(`${prop.open}>${escapeXml(String(value))}${prop.close}`);
      case 'number':
      case 'boolean':
        return out.write(`${prop.open}>${String(value)}${prop.close}`);
      case 'dateTime':
        return out.write(`${prop.open}>${dateText(value)}${prop.close}`);
      case 'base64':
        return out.write(`${prop.open}>${base64Text(value)}${prop.close}`);
      case 'moref':
        return out.write(morefXml(prop.open, prop.close, value as MoRef, ''));
      case 'data':
        return this.data(out, prop, value as Record<string, unknown>, vi);
      case 'any':
        return this.any(out, prop.open, prop.close, value, vi);
    }
  }

  private data(out: XmlWriter, prop: CompiledProp, value: Record<string, unknown>, vi: number): void {
    if (value instanceof Typed) return this.any(out, prop.open, prop.close, value, vi);
    if (typeof value !== 'object') return out.write(`${prop.open}>${escapeXml(String(value))}${prop.close}`); // enum
    const declared = prop.decl.type;
    const runtime = value._type as string | undefined;
    const type = runtime === undefined || runtime === declared ? declared : this.visibleType(runtime, vi);
    out.write(type === declared ? `${prop.open}>` : `${prop.open} xsi:type="${type}">`);
    this.content(out, type, value, vi);
    out.write(prop.close);
  }

  /** A value in an anyType slot: always carries its xsi:type. */
  private any(out: XmlWriter, open: string, close: string, value: unknown, vi: number): void {
    if (value instanceof Typed) return this.typed(out, open, close, value, vi);
    if (value instanceof MoRef) return out.write(morefXml(open, close, value, ' xsi:type="ManagedObjectReference"'));
    switch (typeof value) {
      case 'string':
        return out.write(`${open} xsi:type="xsd:string">${escapeXml(value)}${close}`);
      case 'boolean':
        return out.write(`${open} xsi:type="xsd:boolean">${value}${close}`);
      case 'number':
        return out.write(`${open} xsi:type="xsd:${Number.isInteger(value) ? 'int' : 'double'}">${value}${close}`);
    }
    if (value instanceof Date) return out.write(`${open} xsi:type="xsd:dateTime">${value.toISOString()}${close}`);
    if (Array.isArray(value)) return this.typed(out, open, close, new Typed('anyType', value, true), vi);
    const data = value as Record<string, unknown>;
    this.typedData(out, open, close, (data._type as string | undefined) ?? 'DynamicData', data, vi);
  }

  private typedData(out: XmlWriter, open: string, close: string, type: string, data: Record<string, unknown>, vi: number): void {
    const runtime = this.visibleType(type, vi);
    out.write(`${open} xsi:type="${runtime}">`);
    this.content(out, runtime, data, vi);
    out.write(close);
  }

  private typed(out: XmlWriter, open: string, close: string, typed: Typed, vi: number): void {
    const { type, value } = typed;
    if (!typed.array) {
      const kind = this.kindOf(type);
      if (kind === 'data' && typeof value === 'object' && value !== null) {
        const data = value as Record<string, unknown>;
        return this.typedData(out, open, close, (data._type as string | undefined) ?? type, data, vi);
      }
      if (kind === 'moref' || kind === 'any') return this.any(out, open, close, value, vi);
      const xsi = kind === 'data' || this.types.isEnum(type) ? type : `xsd:${type}`; // enums are vim25 types, unprefixed
      return out.write(`${open} xsi:type="${xsi}">${this.scalarText(kind, value)}${close}`);
    }
    out.write(`${open} xsi:type="ArrayOf${type[0]!.toUpperCase()}${type.slice(1)}">`);
    const itemOpen = `<${type}`;
    const itemClose = `</${type}>`;
    for (const item of value as unknown[]) {
      if (item === undefined || item === null) continue;
      this.any(out, itemOpen, itemClose, type === 'anyType' ? item : new Typed(type, item), vi);
    }
    out.write(close);
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

/**
 * Collects a response as bytes. Text is gathered in a short string and moved into a Buffer every
 * few kilobytes, so the many small strings of a large response die young instead of surviving, as
 * one growing string, into the old generation (where collecting them cost more than encoding).
 */
export class XmlWriter {
  private readonly chunks: Buffer[] = [];
  private current = '';

  write(text: string): void {
    this.current += text;
    if (this.current.length >= 8192) this.flush();
  }

  toBuffer(): Buffer {
    this.flush();
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
  }

  private flush(): void {
    if (this.current.length === 0) return;
    this.chunks.push(Buffer.from(this.current, 'utf8'));
    this.current = '';
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
