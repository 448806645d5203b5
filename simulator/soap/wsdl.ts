/**
 * The documents published beside the SOAP endpoint: /sdk/vimServiceVersions.xml, and
 * /sdk/vimService.wsdl with the vim.wsdl and schema files it reaches by relative location.
 * Generated from the type table once per server; pure string building, deterministic.
 *
 * Layout (as vCenter's): vimService.wsdl imports vim.wsdl; vim.wsdl's embedded schema includes
 * vim-messagetypes.xsd (one XRequestType per method) and vim-types.xsd (data objects, faults,
 * enums), which includes core-types.xsd (the vmodl core: DynamicData, MethodFault,
 * ManagedObjectReference, the runtime faults and the arrays of primitives). Method elements,
 * XResponse elements and XFault elements are declared in vim.wsdl's embedded schema.
 */
import type { PropInfo, ReturnInfo, TypeTable } from '../../models/type-table.js';

export interface WsdlFiles {
  /** Body of /sdk/vimServiceVersions.xml. */
  readonly versions: string;
  /** File name (served at /sdk/<name>) → text. */
  readonly documents: Readonly<Record<string, string>>;
}

const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
const WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/';
const SOAP_BINDING_NS = 'http://schemas.xmlsoap.org/wsdl/soap/';
const SOAP_HTTP = 'http://schemas.xmlsoap.org/soap/http';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" ?>\n';
const SERVICE_ADDRESS = 'https://localhost/sdk/vimService';

const CORE_XSD = 'core-types.xsd';
const TYPES_XSD = 'vim-types.xsd';
const MESSAGES_XSD = 'vim-messagetypes.xsd';
const VIM_WSDL = 'vim.wsdl';
const SERVICE_WSDL = 'vimService.wsdl';

/** The 2.0 API lived in namespace urn:vim2; it is not a prior version of urn:vim25. */
const VIM2_VERSION = '2.0';

/** Wire primitives → XML Schema types, in the order their ArrayOf types are declared. */
const PRIMITIVES: ReadonlyMap<string, string> = new Map([
  ['string', 'xsd:string'],
  ['boolean', 'xsd:boolean'],
  ['byte', 'xsd:byte'],
  ['short', 'xsd:short'],
  ['int', 'xsd:int'],
  ['long', 'xsd:long'],
  ['float', 'xsd:float'],
  ['double', 'xsd:double'],
  ['dateTime', 'xsd:dateTime'],
  ['base64Binary', 'xsd:base64Binary'],
  ['anyType', 'xsd:anyType'],
  ['ManagedObjectReference', 'vim25:ManagedObjectReference'],
]);

/** The vmodl core (pyVmomi CoreTypes and VmomiSupport): declared in core-types.xsd. */
const CORE_TYPES: ReadonlySet<string> = new Set([
  'DynamicArray', 'DynamicData', 'DynamicProperty', 'KeyAnyValue', 'LocalizableMessage',
  'LocalizedMethodFault', 'MethodFault', 'RuntimeFault',
  'HostCommunication', 'HostNotConnected', 'HostNotReachable', 'InvalidArgument', 'InvalidRequest',
  'InvalidType', 'ManagedObjectNotFound', 'MethodNotFound', 'NotEnoughLicenses', 'NotImplemented',
  'NotSupported', 'RequestCanceled', 'SecurityError', 'SystemError', 'UnexpectedFault',
]);

const METHOD_FAULT = 'MethodFault';
const RUNTIME_FAULT = 'RuntimeFault';

/** A method as the WSDL sees it: the wire name is unique across managed types. */
interface MethodEntry {
  readonly name: string;
  readonly params: readonly PropInfo[];
  readonly returns: ReturnInfo | null;
  readonly faults: readonly string[];
}

/** Builds every published document. */
export function wsdlFiles(types: TypeTable): WsdlFiles {
  const model = new WsdlModel(types);
  return {
    versions: versionsXml(types.versions),
    documents: {
      [SERVICE_WSDL]: serviceWsdl(),
      [VIM_WSDL]: vimWsdl(model),
      [MESSAGES_XSD]: messageTypesXsd(model),
      [TYPES_XSD]: typesXsd(model),
      [CORE_XSD]: coreTypesXsd(model),
    },
  };
}

// ------------------------------------------------------------------ versions

function versionsXml(versions: readonly string[]): string {
  const current = versions[versions.length - 1]!;
  const prior = versions.slice(0, -1).reverse().filter((v) => v !== VIM2_VERSION);
  return (
    XML_DECL +
    '<namespaces version="1.0">\n' +
    ' <namespace>\n' +
    '  <name>urn:vim25</name>\n' +
    `  <version>${escapeXml(current)}</version>\n` +
    '  <priorVersions>\n' +
    prior.map((v) => `   <version>${escapeXml(v)}</version>\n`).join('') +
    '  </priorVersions>\n' +
    ' </namespace>\n' +
    '</namespaces>\n'
  );
}

// --------------------------------------------------------------------- model

/** What the documents are built from, derived once from the table. */
class WsdlModel {
  readonly dataNames: readonly string[];
  readonly enumNames: readonly string[];
  readonly methods: readonly MethodEntry[];
  /** Types that appear as arrays somewhere (properties, parameters, returns, task results). */
  readonly arrayTypes: ReadonlySet<string>;
  private readonly faultCache = new Map<string, boolean>();

  constructor(readonly types: TypeTable) {
    this.dataNames = Object.keys(types.source.data);
    this.enumNames = Object.keys(types.source.enums);
    this.methods = collectMethods(types);
    this.arrayTypes = collectArrayTypes(types, this.methods);
  }

  isFault(name: string): boolean {
    let fault = this.faultCache.get(name);
    if (fault === undefined) {
      fault = this.types.isDataType(name) && this.types.isSubtypeOf(name, METHOD_FAULT);
      this.faultCache.set(name, fault);
    }
    return fault;
  }

  /** The faults a method declares, RuntimeFault first; unknown names left out. */
  methodFaults(method: MethodEntry): string[] {
    const declared = method.faults.filter((f) => f !== RUNTIME_FAULT && this.isFault(f));
    return [RUNTIME_FAULT, ...new Set(declared)];
  }

  /** Every fault type a method can declare, in table order. */
  usedFaults(): string[] {
    const used = new Set(this.methods.flatMap((m) => this.methodFaults(m)));
    return this.dataNames.filter((name) => used.has(name));
  }
}

function collectMethods(types: TypeTable): MethodEntry[] {
  const seen = new Set<string>();
  const methods: MethodEntry[] = [];
  for (const managed of Object.values(types.source.managed)) {
    for (const [name, info] of Object.entries(managed.methods)) {
      if (seen.has(name)) continue;
      seen.add(name);
      methods.push({ name, params: info.params, returns: info.returns, faults: info.faults });
    }
  }
  return methods;
}

function collectArrayTypes(types: TypeTable, methods: readonly MethodEntry[]): Set<string> {
  const arrays = new Set<string>(PRIMITIVES.keys());
  const addProps = (props: readonly PropInfo[]) => {
    for (const p of props) if (p.array) arrays.add(p.type);
  };
  for (const info of Object.values(types.source.data)) addProps(info.props);
  for (const info of Object.values(types.source.managed)) addProps(info.props);
  for (const method of methods) {
    addProps(method.params);
    if (method.returns?.array) arrays.add(method.returns.type);
    if (method.returns?.taskResultArray && method.returns.taskResult) arrays.add(method.returns.taskResult);
  }
  return arrays;
}

// ------------------------------------------------------------- xsd fragments

function xsdType(type: string): string {
  return PRIMITIVES.get(type) ?? `vim25:${type}`;
}

function arrayName(type: string): string {
  return `ArrayOf${type[0]!.toUpperCase()}${type.slice(1)}`;
}

interface Occurs {
  readonly optional?: boolean;
  readonly array?: boolean;
}

function elementXml(indent: string, name: string, type: string, occurs: Occurs): string {
  const min = occurs.optional ? ' minOccurs="0"' : '';
  const max = occurs.array ? ' maxOccurs="unbounded"' : '';
  return `${indent}<element name="${name}" type="${type}"${min}${max} />\n`;
}

function propElements(indent: string, props: readonly PropInfo[]): string {
  let out = '';
  for (const p of props) out += elementXml(indent, p.name, xsdType(p.type), p);
  return out;
}

function sequenceXml(indent: string, elements: string): string {
  return `${indent}<sequence>\n${elements}${indent}</sequence>\n`;
}

function complexTypeXml(name: string, base: string | null, props: readonly PropInfo[]): string {
  if (base === null) {
    return `   <complexType name="${name}">\n${sequenceXml('      ', propElements('         ', props))}   </complexType>\n`;
  }
  return (
    `   <complexType name="${name}">\n` +
    '      <complexContent>\n' +
    `         <extension base="vim25:${base}">\n` +
    sequenceXml('            ', propElements('               ', props)) +
    '         </extension>\n' +
    '      </complexContent>\n' +
    '   </complexType>\n'
  );
}

function arrayTypeXml(type: string): string {
  const item = elementXml('         ', type, xsdType(type), { optional: true, array: true });
  return `   <complexType name="${arrayName(type)}">\n${sequenceXml('      ', item)}   </complexType>\n`;
}

function enumTypeXml(name: string, values: readonly (readonly [string, string])[]): string {
  let out = `   <simpleType name="${name}">\n      <restriction base="xsd:string">\n`;
  for (const [value] of values) out += `         <enumeration value="${escapeXml(value)}" />\n`;
  return `${out}      </restriction>\n   </simpleType>\n`;
}

const MOREF_TYPE_XML =
  '   <complexType name="ManagedObjectReference">\n' +
  '      <simpleContent>\n' +
  '         <extension base="xsd:string">\n' +
  '            <attribute name="type" type="xsd:string" />\n' +
  '         </extension>\n' +
  '      </simpleContent>\n' +
  '   </complexType>\n';

function schemaOpen(): string {
  return `<schema targetNamespace="urn:vim25" xmlns="${XSD_NS}" xmlns:vim25="urn:vim25" xmlns:xsd="${XSD_NS}" elementFormDefault="qualified">\n`;
}

function includeXml(indent: string, location: string): string {
  return `${indent}<include schemaLocation="${location}" />\n`;
}

function schemaDocument(includes: readonly string[], body: string): string {
  return `${XML_DECL}${schemaOpen()}${includes.map((i) => includeXml('   ', i)).join('')}${body}</schema>\n`;
}

// ------------------------------------------------------------------- schemas

/** A data type's complexType, followed by its ArrayOf type when one is used. */
function dataTypeXml(model: WsdlModel, name: string): string {
  const info = model.types.dataType(name)!;
  const own = complexTypeXml(name, info.base, info.props);
  return model.arrayTypes.has(name) ? own + arrayTypeXml(name) : own;
}

function coreTypesXsd(model: WsdlModel): string {
  let body = '';
  for (const name of model.dataNames) if (CORE_TYPES.has(name)) body += dataTypeXml(model, name);
  body += MOREF_TYPE_XML;
  for (const primitive of PRIMITIVES.keys()) body += arrayTypeXml(primitive);
  return schemaDocument([], body);
}

function typesXsd(model: WsdlModel): string {
  let body = '';
  for (const name of model.dataNames) if (!CORE_TYPES.has(name)) body += dataTypeXml(model, name);
  for (const name of model.enumNames) {
    body += enumTypeXml(name, model.types.enumType(name)!.values);
    if (model.arrayTypes.has(name)) body += arrayTypeXml(name);
  }
  return schemaDocument([CORE_XSD], body);
}

function requestTypeXml(method: MethodEntry): string {
  const self = elementXml('         ', '_this', xsdType('ManagedObjectReference'), {});
  const params = propElements('         ', method.params);
  return `   <complexType name="${method.name}RequestType">\n${sequenceXml('      ', self + params)}   </complexType>\n`;
}

function messageTypesXsd(model: WsdlModel): string {
  return schemaDocument([TYPES_XSD], model.methods.map(requestTypeXml).join(''));
}

// ---------------------------------------------------------------------- wsdl

function serviceWsdl(): string {
  return (
    XML_DECL +
    `<definitions targetNamespace="urn:vim25Service" xmlns="${WSDL_NS}" xmlns:soap="${SOAP_BINDING_NS}" xmlns:interface="urn:vim25">\n` +
    `   <import location="${VIM_WSDL}" namespace="urn:vim25" />\n` +
    '   <service name="VimService">\n' +
    '      <port binding="interface:VimBinding" name="VimPort">\n' +
    `         <soap:address location="${SERVICE_ADDRESS}" />\n` +
    '      </port>\n' +
    '   </service>\n' +
    '</definitions>\n'
  );
}

function vimWsdl(model: WsdlModel): string {
  return (
    XML_DECL +
    `<definitions targetNamespace="urn:vim25" xmlns="${WSDL_NS}" xmlns:soap="${SOAP_BINDING_NS}" xmlns:vim25="urn:vim25" xmlns:xsd="${XSD_NS}">\n` +
    embeddedSchema(model) +
    messagesXml(model) +
    portTypeXml(model) +
    bindingXml(model) +
    '</definitions>\n'
  );
}

function embeddedSchema(model: WsdlModel): string {
  let body = includeXml('         ', MESSAGES_XSD) + includeXml('         ', TYPES_XSD);
  for (const name of model.dataNames) {
    if (model.isFault(name)) body += `         <element name="${name}Fault" type="vim25:${name}" />\n`;
  }
  for (const method of model.methods) body += methodElementsXml(method);
  return `   <types>\n      ${schemaOpen()}${body}      </schema>\n   </types>\n`;
}

function methodElementsXml(method: MethodEntry): string {
  const request = `         <element name="${method.name}" type="vim25:${method.name}RequestType" />\n`;
  const open = `         <element name="${method.name}Response">\n`;
  const close = '         </element>\n';
  const returns = method.returns;
  if (!returns) return `${request}${open}            <complexType />\n${close}`;
  const returnval = elementXml('                  ', 'returnval', xsdType(returns.type), returns);
  return (
    request +
    open +
    '            <complexType>\n' +
    sequenceXml('               ', returnval) +
    '            </complexType>\n' +
    close
  );
}

function messageXml(name: string, part: string, element: string): string {
  return `   <message name="${name}">\n      <part name="${part}" element="vim25:${element}" />\n   </message>\n`;
}

function messagesXml(model: WsdlModel): string {
  let out = '';
  for (const method of model.methods) {
    out += messageXml(`${method.name}RequestMsg`, 'parameters', method.name);
    out += messageXml(`${method.name}ResponseMsg`, 'parameters', `${method.name}Response`);
  }
  for (const fault of model.usedFaults()) out += messageXml(`${fault}FaultMsg`, 'fault', `${fault}Fault`);
  return out;
}

function portTypeXml(model: WsdlModel): string {
  let out = '   <portType name="VimPortType">\n';
  for (const method of model.methods) {
    out += `      <operation name="${method.name}">\n`;
    out += `         <input message="vim25:${method.name}RequestMsg" />\n`;
    out += `         <output message="vim25:${method.name}ResponseMsg" />\n`;
    for (const fault of model.methodFaults(method)) {
      out += `         <fault name="${fault}Fault" message="vim25:${fault}FaultMsg" />\n`;
    }
    out += '      </operation>\n';
  }
  return `${out}   </portType>\n`;
}

function bindingOperationXml(model: WsdlModel, method: MethodEntry, soapAction: string): string {
  let out =
    `      <operation name="${method.name}">\n` +
    `         <soap:operation soapAction="${soapAction}" style="document" />\n` +
    '         <input>\n            <soap:body use="literal" />\n         </input>\n' +
    '         <output>\n            <soap:body use="literal" />\n         </output>\n';
  for (const fault of model.methodFaults(method)) {
    out += `         <fault name="${fault}Fault">\n            <soap:fault name="${fault}Fault" use="literal" />\n         </fault>\n`;
  }
  return `${out}      </operation>\n`;
}

function bindingXml(model: WsdlModel): string {
  const versions = model.types.versions;
  const soapAction = `urn:vim25/${versions[versions.length - 1]!}`;
  let out =
    '   <binding name="VimBinding" type="vim25:VimPortType">\n' +
    `      <soap:binding style="document" transport="${SOAP_HTTP}" />\n`;
  for (const method of model.methods) out += bindingOperationXml(model, method, soapAction);
  return `${out}   </binding>\n`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
