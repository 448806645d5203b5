/**
 * vim25 SOAP encoding and decoding by the type table: requests in WSDL order with xsi:type where
 * a subtype or an anyType is sent; responses decoded by declared type, so numbers are numbers,
 * booleans booleans, arrays arrays (even of one), morefs `{type, value}` and every data object
 * carries its wire type in `_type`. dateTime and base64Binary stay strings as sent.
 */
import { VimError, faultError } from './errors.js';
import type { VimTypes } from './type-info.js';
import { child, escapeXml, parseXml, type XmlNode } from './xml.js';
import type { MoRef } from './vim25.js';

const NUMBERS = new Set(['int', 'long', 'short', 'byte', 'float', 'double']);
const STRINGS = new Set(['string', 'dateTime', 'base64Binary', 'anyURI']);
const XSD_TYPES = new Set([...NUMBERS, ...STRINGS, 'boolean']);

export interface RequestParts {
  method: string;
  thisRef: MoRef;
  args: Record<string, unknown>;
  /** Extra SOAP header children, as XML (operationID, WS-Security). */
  header?: string;
}

export function encodeRequest(types: VimTypes, parts: RequestParts): string {
  const desc = types.method(parts.method);
  let body = `<_this type="${escapeXml(parts.thisRef.type)}">${escapeXml(parts.thisRef.value)}</_this>`;
  const known = new Set<string>();
  for (const param of desc?.params ?? []) {
    known.add(param.name);
    const value = parts.args[param.name];
    if (value === undefined || value === null) continue;
    body += encodeValue(types, param.name, param.type, !!param.array, value);
  }
  for (const name of Object.keys(parts.args)) {
    if (!known.has(name) && parts.args[name] !== undefined) {
      throw new VimError({ code: 'INVALID_ARGUMENT', method: parts.method, message: `${parts.method} has no parameter '${name}'${desc ? '' : ' (method unknown to the type table)'}` });
    }
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    (parts.header ? `<soapenv:Header>${parts.header}</soapenv:Header>` : '') +
    `<soapenv:Body><${parts.method} xmlns="urn:vim25">${body}</${parts.method}></soapenv:Body></soapenv:Envelope>`
  );
}

function encodeValue(types: VimTypes, name: string, declared: string, array: boolean, value: unknown): string {
  if (array) {
    if (!Array.isArray(value)) throw new VimError({ code: 'INVALID_ARGUMENT', message: `'${name}' must be an array` });
    return value.map((item) => encodeValue(types, name, declared, false, item)).join('');
  }
  if (declared === 'anyType') return encodeAny(types, name, value);
  return encodeTyped(types, name, declared, value, '');
}

function encodeTyped(types: VimTypes, name: string, declared: string, value: unknown, xsiType: string): string {
  if (declared === 'ManagedObjectReference') {
    const ref = value as MoRef;
    if (typeof ref?.type !== 'string' || typeof ref.value !== 'string') throw new VimError({ code: 'INVALID_ARGUMENT', message: `'${name}' must be a {type, value} moref` });
    return `<${name} type="${escapeXml(ref.type)}"${xsiType}>${escapeXml(ref.value)}</${name}>`;
  }
  if (XSD_TYPES.has(declared) || types.isEnum(declared)) {
    const text = value instanceof Date ? value.toISOString() : String(value);
    return `<${name}${xsiType}>${escapeXml(text)}</${name}>`;
  }
  if (typeof value !== 'object' || value === null) throw new VimError({ code: 'INVALID_ARGUMENT', message: `'${name}' must be a ${declared} object` });
  const data = value as Record<string, unknown>;
  const actual = typeof data._type === 'string' ? data._type : declared;
  if (!types.isData(actual)) throw new VimError({ code: 'INVALID_ARGUMENT', message: `'${name}': unknown type ${actual}` });
  const typeAttr = xsiType || (actual !== declared ? ` xsi:type="${actual}"` : '');
  let inner = '';
  for (const prop of types.allProps(actual)) {
    const v = data[prop.name];
    if (v === undefined || v === null) continue;
    inner += encodeValue(types, prop.name, prop.type, !!prop.array, v);
  }
  for (const key of Object.keys(data)) {
    if (key !== '_type' && data[key] !== undefined && !types.prop(actual, key)) {
      throw new VimError({ code: 'INVALID_ARGUMENT', message: `${actual} has no property '${key}'` });
    }
  }
  return `<${name}${typeAttr}>${inner}</${name}>`;
}

/** An anyType value: its wire type from `_type`, a moref's shape, or the JavaScript type. */
function encodeAny(types: VimTypes, name: string, value: unknown): string {
  if (typeof value === 'string') return `<${name} xsi:type="xsd:string">${escapeXml(value)}</${name}>`;
  if (typeof value === 'boolean') return `<${name} xsi:type="xsd:boolean">${value}</${name}>`;
  if (typeof value === 'number') return `<${name} xsi:type="xsd:${Number.isInteger(value) ? 'int' : 'double'}">${value}</${name}>`;
  if (Array.isArray(value)) {
    const first = value[0];
    const item = typeof first === 'string' ? 'string' : typeof first === 'number' ? 'int' : isMoRef(first) ? 'ManagedObjectReference' : (first as { _type?: string })?._type;
    if (!item) throw new VimError({ code: 'INVALID_ARGUMENT', message: `'${name}': cannot tell the item type of an empty or untyped anyType array` });
    const arrayType = `ArrayOf${item[0]!.toUpperCase()}${item.slice(1)}`;
    return `<${name} xsi:type="${arrayType}">${value.map((v) => encodeTyped(types, item, item, v, '')).join('')}</${name}>`;
  }
  if (isMoRef(value)) return encodeTyped(types, name, 'ManagedObjectReference', value, ' xsi:type="ManagedObjectReference"');
  const type = (value as { _type?: string })?._type;
  if (!type) throw new VimError({ code: 'INVALID_ARGUMENT', message: `'${name}' is anyType: give the object a _type` });
  return encodeTyped(types, name, type, value, ` xsi:type="${type}"`);
}

const isMoRef = (v: unknown): v is MoRef =>
  typeof v === 'object' && v !== null && !('_type' in v) && typeof (v as MoRef).type === 'string' && typeof (v as MoRef).value === 'string' && Object.keys(v).length === 2;

// ---------------------------------------------------------------------------- decoding

/** Decodes one element as `declared` (the table's type), or as its xsi:type when it has one. */
export function decodeNode(types: VimTypes, node: XmlNode, declared: string): unknown {
  if (node.nil) return undefined;
  const type = node.xsiType ?? declared;
  if (type === 'ManagedObjectReference') return { type: node.type ?? '', value: node.text };
  if (NUMBERS.has(type)) return Number(node.text);
  if (type === 'boolean') return node.text === 'true' || node.text === '1';
  if (STRINGS.has(type) || types.isEnum(type)) return node.text;
  if (type.startsWith('ArrayOf')) {
    const item = type.slice(7);
    const itemType = types.isData(item) || types.isEnum(item) || item === 'ManagedObjectReference' ? item : item[0]!.toLowerCase() + item.slice(1);
    return node.children.map((c) => decodeNode(types, c, itemType));
  }
  if (types.isData(type)) {
    const out: Record<string, unknown> = { _type: type };
    for (const c of node.children) {
      const prop = types.prop(type, c.name);
      if (!prop) {
        out[c.name] = decodeUnknown(types, c); // newer than our table: keep it, untyped
        continue;
      }
      const value = decodeNode(types, c, prop.type);
      if (prop.array) ((out[c.name] ??= []) as unknown[]).push(value);
      else out[c.name] = value;
    }
    return out;
  }
  return decodeUnknown(types, node);
}

function decodeUnknown(types: VimTypes, node: XmlNode): unknown {
  if (node.xsiType && node.xsiType !== 'anyType') return decodeNode(types, node, node.xsiType);
  if (node.type !== undefined && node.children.length === 0) return { type: node.type, value: node.text };
  if (node.children.length === 0) return node.text;
  const out: Record<string, unknown> = {};
  for (const c of node.children) {
    const value = decodeUnknown(types, c);
    const existing = out[c.name];
    if (existing === undefined) out[c.name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[c.name] = [existing, value];
  }
  return out;
}

export interface SoapFaultInfo {
  faultType: string;
  message: string;
  fault?: Record<string, unknown>;
  /** ClientFaultCode or ServerFaultCode. */
  faultCode?: string;
}

/**
 * Decodes a response body: the method's result, or throws the VimError of its SOAP fault.
 * Throws a PROTOCOL VimError when the body is not a SOAP envelope.
 */
export function decodeResponse(types: VimTypes, method: string, xml: string, status?: number): unknown {
  let body: XmlNode | undefined;
  try {
    body = child(parseXml(xml), 'Body');
  } catch (error) {
    throw new VimError({ code: 'PROTOCOL', method, message: `${method}: the answer is not XML: ${(error as Error).message}`, cause: error });
  }
  if (!body) throw new VimError({ code: 'PROTOCOL', method, message: `${method}: the answer has no SOAP Body` });
  const first = body.children[0];
  if (first?.name === 'Fault') {
    const info = decodeFault(types, first);
    throw faultError(info.faultType, info.message, info.fault, { method, status });
  }
  if (!first) return undefined;
  const returns = types.method(method)?.returns;
  const vals = first.children.filter((c) => c.name === 'returnval');
  if (!returns) return vals.length ? decodeUnknown(types, vals[0]!) : undefined;
  if (returns.array) return vals.map((v) => decodeNode(types, v, returns.type));
  return vals[0] ? decodeNode(types, vals[0], returns.type) : undefined;
}

/** A soapenv:Fault element: the fault type from its detail, the faultstring, the properties. */
export function decodeFault(types: VimTypes, fault: XmlNode): SoapFaultInfo {
  const message = child(fault, 'faultstring')?.text ?? '';
  const faultCode = child(fault, 'faultcode')?.text;
  const detail = child(fault, 'detail')?.children[0];
  if (!detail) return { faultType: faultCode?.includes('Client') ? 'InvalidRequest' : 'SystemError', message, faultCode };
  // The element is <XFault xsi:type="X">; some servers leave out xsi:type.
  const faultType = detail.xsiType ?? detail.name.replace(/Fault$/, '');
  const decoded = types.isData(faultType) ? (decodeNode(types, detail, faultType) as Record<string, unknown>) : { _type: faultType };
  return { faultType, message, fault: decoded, faultCode };
}
