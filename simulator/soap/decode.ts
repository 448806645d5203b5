import { VimFault, faults } from '../../models/core/fault.js';
import { MoRef } from '../../models/core/moref.js';
import type { TypeTable } from '../../models/core/type-table.js';
import type { XmlElement } from './xml.js';

/** The slice of a property or parameter declaration the codec reads. */
export interface Decl {
  name?: string;
  type: string;
  array?: boolean;
  mo?: string;
}

const integerTypes = new Set(['int', 'long', 'short', 'byte']);
const integer = /^\s*[-+]?\d+\s*$/;
const decimal = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$|^\s*(-?INF|NaN)\s*$/;

/**
 * Turns request XML into typed values, directed by the type table: data objects become plain
 * objects with `_type` always set, morefs become MoRef, numbers and booleans are parsed.
 */
export class SoapDecoder {
  /** Per data type: its properties by element name, built once. */
  private readonly propMaps = new Map<string, Map<string, Decl>>();

  constructor(private readonly types: TypeTable) {}

  /** Decodes the method's parameters from the children of the method element (`_this` excluded). */
  args(params: readonly Decl[], method: XmlElement): Record<string, unknown> {
    const args: Record<string, unknown> = {};
    const byName = new Map(params.map((p) => [p.name!, p] as const));
    for (const child of method.children) {
      const decl = byName.get(child.name);
      if (!decl) continue;
      this.assign(args, decl, child);
    }
    return args;
  }

  value(element: XmlElement, decl: Decl): unknown {
    if (element.nil) return undefined;
    const type = this.runtimeType(element, decl);
    if (type === 'ManagedObjectReference') return this.moref(element, decl);
    if (this.types.isDataType(type)) return this.dataObject(element, type);
    return this.primitive(element, type, element.name);
  }

  private assign(target: Record<string, unknown>, decl: Decl, element: XmlElement): void {
    const value = this.value(element, decl);
    if (value === undefined) return;
    const name = decl.name!;
    if (decl.array) ((target[name] ??= []) as unknown[]).push(value);
    else target[name] = value;
  }

  private runtimeType(element: XmlElement, decl: Decl): string {
    const declared = decl.type;
    const given = element.xsiType;
    if (!given || given === declared) return declared;
    if (given.startsWith('ArrayOf') || given === 'anyType') return declared === 'anyType' ? 'string' : declared;
    if (declared === 'anyType') {
      if (this.types.isDataType(given) || this.types.isEnum(given) || given === 'ManagedObjectReference') return given;
      return given in primitiveNames ? given : 'string';
    }
    if (this.types.isDataType(declared)) {
      if (!this.types.isDataType(given)) throw faults.invalidType(given);
      if (!this.types.isSubtypeOf(given, declared)) throw faults.invalidType(given);
      return given;
    }
    // A primitive with a redundant xsi:type (xsd:string, xsd:int): the declaration decides.
    return declared;
  }

  private moref(element: XmlElement, decl: Decl): MoRef {
    const value = element.text.trim();
    const type = element.type ?? decl.mo;
    if (!type || type === 'ManagedObject') throw faults.invalidRequest(`Missing type attribute on ${element.name}`);
    return new MoRef(type, value);
  }

  private dataObject(element: XmlElement, type: string): Record<string, unknown> {
    const props = this.propMap(type);
    const object: Record<string, unknown> = { _type: type };
    for (const child of element.children) {
      const decl = props.get(child.name);
      if (decl) this.assign(object, decl, child);
    }
    return object;
  }

  private primitive(element: XmlElement, type: string, name: string): unknown {
    const text = element.text;
    if (integerTypes.has(type)) {
      if (!integer.test(text)) throw invalidValue(name, text);
      return Number(text);
    }
    switch (type) {
      case 'boolean': {
        const value = text.trim();
        if (value === 'true' || value === '1') return true;
        if (value === 'false' || value === '0') return false;
        throw invalidValue(name, text);
      }
      case 'double':
      case 'float':
        if (!decimal.test(text)) throw invalidValue(name, text);
        return Number(text);
      case 'dateTime': {
        const date = new Date(text.trim());
        if (Number.isNaN(date.getTime())) throw invalidValue(name, text);
        return date;
      }
      default:
        return text;
    }
  }

  private propMap(type: string): Map<string, Decl> {
    let map = this.propMaps.get(type);
    if (!map) {
      map = new Map(this.types.allProps(type).map((p) => [p.name, p as Decl] as const));
      this.propMaps.set(type, map);
    }
    return map;
  }
}

const primitiveNames = { string: 1, int: 1, long: 1, short: 1, byte: 1, boolean: 1, double: 1, float: 1, dateTime: 1, base64Binary: 1 };

function invalidValue(name: string, text: string): VimFault {
  return faults.invalidRequest(`Cannot parse '${text.slice(0, 64)}' as the value of ${name}`);
}
