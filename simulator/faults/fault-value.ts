/**
 * Turns a rule's fault (type name and JSON properties) into the VimFault the SOAP encoder writes,
 * checking every name and value against the type table so a bad rule fails when it is added, not
 * when it fires.
 */
import { VimFault } from '../../models/core/fault.js';
import { MoRef, type DataObject } from '../../models/core/moref.js';
import type { PropInfo, TypeTable } from '../../models/core/type-table.js';
import { InvalidRuleError } from './invalid-rule.js';

const integerTypes = new Set(['int', 'long', 'short', 'byte']);
const numberTypes = new Set(['float', 'double']);

export function buildFault(types: TypeTable, type: string, message: string | undefined, properties: Record<string, unknown> = {}): VimFault {
  if (!isFaultType(types, type)) invalid('action.fault', `unknown fault type '${type}' (not a MethodFault in the type table)`);
  const props = dataObject(types, type, properties, 'action.properties');
  delete props._type; // the fault's type is the VimFault's own
  return new VimFault(type, props, message ?? type);
}

export function isFaultType(types: TypeTable, type: string): boolean {
  return types.isDataType(type) && types.isSubtypeOf(type, 'MethodFault');
}

function dataObject(types: TypeTable, type: string, json: Record<string, unknown>, path: string): DataObject {
  const out: DataObject = { _type: type };
  for (const [name, value] of Object.entries(json)) {
    if (name === '_type') continue;
    const decl = types.prop(type, name);
    if (!decl) invalid(`${path}.${name}`, `${type} has no property '${name}'`);
    if (value === null || value === undefined) continue;
    out[name] = decl.array ? arrayValue(types, decl, value, `${path}.${name}`) : convert(types, decl, value, `${path}.${name}`);
  }
  return out;
}

function arrayValue(types: TypeTable, decl: PropInfo, value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) invalid(path, `expected an array of ${decl.type}`);
  return value.map((item, i) => convert(types, decl, item, `${path}.${i}`));
}

function convert(types: TypeTable, decl: PropInfo, value: unknown, path: string): unknown {
  const type = decl.type;
  if (type === 'ManagedObjectReference') return moref(types, value, path);
  if (type === 'string' || type === 'base64Binary') return expect(value, typeof value === 'string', 'a string', path);
  if (integerTypes.has(type)) return expect(value, Number.isInteger(value), 'an integer', path);
  if (numberTypes.has(type)) return expect(value, typeof value === 'number', 'a number', path);
  if (type === 'boolean') return expect(value, typeof value === 'boolean', 'true or false', path);
  if (type === 'dateTime') return expect(value, typeof value === 'string' && !Number.isNaN(Date.parse(value)), 'an ISO date-time', path);
  if (type === 'anyType') return expect(value, typeof value !== 'object', 'a string, number or boolean', path);
  if (types.isEnum(type)) return enumValue(types, type, value, path);
  return nestedData(types, type, value, path);
}

function moref(types: TypeTable, value: unknown, path: string): MoRef {
  const ref = value as { type?: unknown; value?: unknown };
  if (typeof ref !== 'object' || typeof ref?.type !== 'string' || typeof ref.value !== 'string') {
    invalid(path, 'expected a managed object reference {"type": ..., "value": ...}');
  }
  if (!types.isManaged(ref.type)) invalid(`${path}.type`, `unknown managed object type '${ref.type}'`);
  return new MoRef(ref.type, ref.value);
}

function enumValue(types: TypeTable, type: string, value: unknown, path: string): string {
  if (typeof value !== 'string' || !types.enumValues(type).includes(value)) {
    invalid(path, `expected one of ${type}: ${types.enumValues(type).join(', ')}`);
  }
  return value;
}

function nestedData(types: TypeTable, declared: string, value: unknown, path: string): DataObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(path, `expected a ${declared} object`);
  const json = value as Record<string, unknown>;
  const given = json._type;
  if (given !== undefined && (typeof given !== 'string' || !types.isDataType(given) || !types.isSubtypeOf(given, declared))) {
    invalid(`${path}._type`, `expected ${declared} or one of its subtypes`);
  }
  return dataObject(types, (given as string | undefined) ?? declared, json, path);
}

function expect(value: unknown, ok: boolean, what: string, path: string): unknown {
  if (!ok) invalid(path, `expected ${what}`);
  return value;
}

function invalid(field: string, message: string): never {
  throw new InvalidRuleError([{ field, message }]);
}
