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

/** The XML Schema integer types and their ranges: a value outside is no value of the type. */
const integerRanges: Record<string, [bigint, bigint]> = {
  byte: [-(2n ** 7n), 2n ** 7n - 1n],
  short: [-(2n ** 15n), 2n ** 15n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
};
const integer = /^\s*[-+]?\d+\s*$/;
/** Up to 15 digits every integer type's check is a plain Number comparison (exact below 2^53). */
const safeDigits = 15;
const decimal = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$|^\s*(-?INF|NaN)\s*$/;

interface MethodPlan {
  byName: Map<string, Decl>;
  required: readonly string[];
}

/**
 * Turns request XML into typed values, directed by the type table: data objects become plain
 * objects with `_type` always set, morefs become MoRef, numbers and booleans are parsed.
 */
export class SoapDecoder {
  /** Per data type: its properties by element name, built once. */
  private readonly propMaps = new Map<string, Map<string, Decl>>();
  /** Per data type: the properties a value of it must have (neither optional nor arrays), built once. */
  private readonly requiredProps = new Map<string, readonly string[]>();

  constructor(
    private readonly types: TypeTable,
    /**
     * Requests are checked as vCenter's deserializer checks them (required properties present, no
     * scalar given twice); saved documents (-load), written by other tools, are read as they are.
     */
    private readonly strict = false,
  ) {}

  /** Per method (its parameter list): parameters by name and the required ones, built once. */
  private readonly methodPlans = new WeakMap<readonly Decl[], MethodPlan>();

  /**
   * Decodes the method's parameters from the children of the method element (`_this` excluded);
   * a required parameter left out is InvalidRequest naming it, as vCenter's deserializer answers.
   */
  args(params: readonly (Decl & { optional?: boolean })[], method: XmlElement): Record<string, unknown> {
    const plan = this.plan(params);
    const args: Record<string, unknown> = {};
    for (const child of method.children) {
      const decl = plan.byName.get(child.name);
      if (decl) this.assign(args, decl, child);
    }
    for (const name of plan.required) {
      if (args[name] === undefined) throw faults.invalidRequest(`Required parameter ${name} of ${method.name} is missing`);
    }
    return args;
  }

  private plan(params: readonly (Decl & { optional?: boolean })[]): MethodPlan {
    let plan = this.methodPlans.get(params);
    if (!plan) {
      plan = {
        byName: new Map(params.map((p) => [p.name!, p] as const)),
        required: params.filter((p) => !p.optional && !p.array).map((p) => p.name!),
      };
      this.methodPlans.set(params, plan);
    }
    return plan;
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
    else if (this.strict && target[name] !== undefined) throw faults.invalidRequest(`The element ${name} appears more than once, but it is not an array`);
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
    if (this.strict) this.checkRequired(object, type);
    return object;
  }

  private checkRequired(object: Record<string, unknown>, type: string): void {
    for (const name of this.required(type)) {
      if (object[name] === undefined) throw faults.invalidRequest(`Required property ${name} is missing from data object of type ${type}`);
    }
  }

  private primitive(element: XmlElement, type: string, name: string): unknown {
    const text = element.text;
    const range = integerRanges[type];
    if (range) {
      if (!integer.test(text) || !inRange(text.trim(), range)) throw invalidValue(name, text);
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

  private required(type: string): readonly string[] {
    let names = this.requiredProps.get(type);
    if (!names) {
      // A property added after its type (FileQueryFlags.fileOwner, 4.0 on a 2.0 type) is optional
      // on the wire, as the WSDL has it, so older clients' requests stay valid.
      names = this.types
        .ancestry(type)
        .flatMap((name) => {
          const declared = this.types.dataType(name);
          return (declared?.props ?? []).filter((p) => !p.optional && !p.array && p.since === declared!.since);
        })
        .map((p) => p.name);
      this.requiredProps.set(type, names);
    }
    return names;
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

/** Whether the integer literal `text` lies within `[min, max]`; BigInt only for long literals. */
function inRange(text: string, [min, max]: [bigint, bigint]): boolean {
  const digits = text.length - (text[0] === '-' || text[0] === '+' ? 1 : 0);
  if (digits <= safeDigits) {
    const value = Number(text);
    return value >= Number(min) && value <= Number(max);
  }
  const value = BigInt(text);
  return value >= min && value <= max;
}

function invalidValue(name: string, text: string): VimFault {
  return faults.invalidRequest(`Cannot parse '${text.slice(0, 64)}' as the value of ${name}`);
}
