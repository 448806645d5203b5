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
import type { PropInfo, ReturnInfo, TypeTable } from '../../models/core/type-table.js';

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

/**
 * Collects a document's text. Small pieces are joined into chunks as they come, so they die
 * young and only the chunks survive until the end (far less garbage-collector work than one
 * long array of pieces or one growing string).
 */
class Out {
  private pieces: string[] = [];
  private readonly chunks: string[] = [];

  push(...parts: string[]): void {
    for (const part of parts) this.pieces.push(part);
    if (this.pieces.length >= 4096) this.flush();
  }

  text(): string {
    this.flush();
    return this.chunks.join('');
  }

  private flush(): void {
    this.chunks.push(this.pieces.join(''));
    this.pieces = [];
  }
}

/** Builds every published document. */
/**
 * `apiVersion`: the version the service reports (about.apiVersion, vcsim's -api-version), which
 * vimServiceVersions.xml names as current (govc's `-vim-version ""` negotiates it); the table's newest by default.
 */
export function wsdlFiles(types: TypeTable, apiVersion?: string): WsdlFiles {
  const model = new WsdlModel(types);
  return {
    versions: versionsXml(types.versions, apiVersion),
    documents: {
      [SERVICE_WSDL]: serviceWsdl(),
      [VIM_WSDL]: build((out) => vimWsdl(out, model)),
      [MESSAGES_XSD]: build((out) => messageTypesXsd(out, model)),
      [TYPES_XSD]: build((out) => typesXsd(out, model)),
      [CORE_XSD]: build((out) => coreTypesXsd(out, model)),
    },
  };
}

function build(write: (out: Out) => void): string {
  const out = new Out();
  write(out);
  return out.text();
}

// ------------------------------------------------------------------ versions

/** Prior versions: those of the table older than `current`; all of them when `current` is none of the table's. */
function versionsXml(versions: readonly string[], apiVersion?: string): string {
  const current = apiVersion ?? versions[versions.length - 1]!;
  const known = versions.indexOf(current);
  const prior = versions.slice(0, known < 0 ? versions.length : known).reverse().filter((v) => v !== VIM2_VERSION);
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
  /** Data types deriving from MethodFault (MethodFault included). */
  readonly faults: ReadonlySet<string>;
  /** Types that appear as arrays somewhere (properties, parameters, returns, task results). */
  readonly arrayTypes: ReadonlySet<string>;
  /** Per method name: the faults it declares that exist, RuntimeFault last. */
  private readonly declaredFaults: ReadonlyMap<string, readonly string[]>;

  constructor(readonly types: TypeTable) {
    this.dataNames = Object.keys(types.source.data);
    this.enumNames = Object.keys(types.source.enums);
    this.methods = collectMethods(types);
    this.faults = collectFaults(types, this.dataNames);
    this.arrayTypes = collectArrayTypes(types, this.methods);
    this.declaredFaults = new Map(this.methods.map((m) => [m.name, this.existingFaults(m)]));
  }

  methodFaults(method: MethodEntry): readonly string[] {
    return this.declaredFaults.get(method.name)!;
  }

  /** Every fault type some method declares, in table order. */
  usedFaults(): string[] {
    const used = new Set([...this.declaredFaults.values()].flat());
    return this.dataNames.filter((name) => used.has(name));
  }

  private existingFaults(method: MethodEntry): string[] {
    const declared = method.faults.filter((f) => f !== RUNTIME_FAULT && this.faults.has(f));
    return [...new Set(declared), RUNTIME_FAULT];
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

function collectFaults(types: TypeTable, dataNames: readonly string[]): Set<string> {
  const memo = new Map<string, boolean>([[METHOD_FAULT, true]]);
  const isFault = (name: string): boolean => {
    let fault = memo.get(name);
    if (fault === undefined) {
      const base = types.dataType(name)?.base ?? null;
      fault = base !== null && isFault(base);
      memo.set(name, fault);
    }
    return fault;
  };
  return new Set(dataNames.filter(isFault));
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

function element(out: Out, indent: string, name: string, type: string, occurs: Occurs): void {
  const min = occurs.optional ? ' minOccurs="0"' : '';
  const max = occurs.array ? ' maxOccurs="unbounded"' : '';
  out.push(`${indent}<element name="${name}" type="${type}"${min}${max} />\n`);
}

function propElements(out: Out, indent: string, props: readonly PropInfo[]): void {
  for (const p of props) element(out, indent, p.name, xsdType(p.type), p);
}

/** `<sequence>` around the elements `fill` writes at one more level of indentation. */
function sequence(out: Out, indent: string, fill: (inner: string) => void): void {
  out.push(`${indent}<sequence>\n`);
  fill(`${indent}   `);
  out.push(`${indent}</sequence>\n`);
}

function complexType(out: Out, name: string, base: string | null, props: readonly PropInfo[]): void {
  out.push(`   <complexType name="${name}">\n`);
  if (base === null) {
    sequence(out, '      ', (inner) => propElements(out, inner, props));
  } else {
    out.push('      <complexContent>\n', `         <extension base="vim25:${base}">\n`);
    sequence(out, '            ', (inner) => propElements(out, inner, props));
    out.push('         </extension>\n', '      </complexContent>\n');
  }
  out.push('   </complexType>\n');
}

function arrayType(out: Out, type: string): void {
  out.push(`   <complexType name="${arrayName(type)}">\n`);
  sequence(out, '      ', (inner) => element(out, inner, type, xsdType(type), { optional: true, array: true }));
  out.push('   </complexType>\n');
}

function enumType(out: Out, name: string, values: readonly (readonly [string, string])[]): void {
  out.push(`   <simpleType name="${name}">\n`, '      <restriction base="xsd:string">\n');
  for (const [value] of values) out.push(`         <enumeration value="${escapeXml(value)}" />\n`);
  out.push('      </restriction>\n', '   </simpleType>\n');
}

const MOREF_TYPE_XML =
  '   <complexType name="ManagedObjectReference">\n' +
  '      <simpleContent>\n' +
  '         <extension base="xsd:string">\n' +
  '            <attribute name="type" type="xsd:string" />\n' +
  '         </extension>\n' +
  '      </simpleContent>\n' +
  '   </complexType>\n';

const SCHEMA_OPEN = `<schema targetNamespace="urn:vim25" xmlns="${XSD_NS}" xmlns:vim25="urn:vim25" xmlns:xsd="${XSD_NS}" elementFormDefault="qualified">\n`;

function include(out: Out, indent: string, location: string): void {
  out.push(`${indent}<include schemaLocation="${location}" />\n`);
}

function schemaDocument(out: Out, includes: readonly string[], body: () => void): void {
  out.push(XML_DECL, SCHEMA_OPEN);
  for (const location of includes) include(out, '   ', location);
  body();
  out.push('</schema>\n');
}

// ------------------------------------------------------------------- schemas

/** A data type's complexType, followed by its ArrayOf type when one is used. */
function dataType(out: Out, model: WsdlModel, name: string): void {
  const info = model.types.dataType(name)!;
  complexType(out, name, info.base, info.props);
  if (model.arrayTypes.has(name)) arrayType(out, name);
}

function coreTypesXsd(out: Out, model: WsdlModel): void {
  schemaDocument(out, [], () => {
    for (const name of model.dataNames) if (CORE_TYPES.has(name)) dataType(out, model, name);
    out.push(MOREF_TYPE_XML);
    for (const primitive of PRIMITIVES.keys()) arrayType(out, primitive);
  });
}

function typesXsd(out: Out, model: WsdlModel): void {
  schemaDocument(out, [CORE_XSD], () => {
    for (const name of model.dataNames) if (!CORE_TYPES.has(name)) dataType(out, model, name);
    for (const name of model.enumNames) {
      enumType(out, name, model.types.enumType(name)!.values);
      if (model.arrayTypes.has(name)) arrayType(out, name);
    }
  });
}

function requestType(out: Out, method: MethodEntry): void {
  out.push(`   <complexType name="${method.name}RequestType">\n`);
  sequence(out, '      ', (inner) => {
    element(out, inner, '_this', xsdType('ManagedObjectReference'), {});
    propElements(out, inner, method.params);
  });
  out.push('   </complexType>\n');
}

function messageTypesXsd(out: Out, model: WsdlModel): void {
  schemaDocument(out, [TYPES_XSD], () => {
    for (const method of model.methods) requestType(out, method);
  });
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

function vimWsdl(out: Out, model: WsdlModel): void {
  out.push(
    XML_DECL,
    `<definitions targetNamespace="urn:vim25" xmlns="${WSDL_NS}" xmlns:soap="${SOAP_BINDING_NS}" xmlns:vim25="urn:vim25" xmlns:xsd="${XSD_NS}">\n`,
  );
  embeddedSchema(out, model);
  messages(out, model);
  portType(out, model);
  binding(out, model);
  out.push('</definitions>\n');
}

/** The `types` section: the includes, then one XFault element per fault type and the method elements. */
function embeddedSchema(out: Out, model: WsdlModel): void {
  out.push('   <types>\n', `      ${SCHEMA_OPEN}`);
  include(out, '         ', MESSAGES_XSD);
  include(out, '         ', TYPES_XSD);
  for (const name of model.dataNames) {
    if (model.faults.has(name)) out.push(`         <element name="${name}Fault" type="vim25:${name}" />\n`);
  }
  for (const method of model.methods) methodElements(out, method);
  out.push('      </schema>\n', '   </types>\n');
}

function methodElements(out: Out, method: MethodEntry): void {
  out.push(`         <element name="${method.name}" type="vim25:${method.name}RequestType" />\n`);
  out.push(`         <element name="${method.name}Response">\n`);
  const returns = method.returns;
  if (returns) {
    out.push('            <complexType>\n');
    sequence(out, '               ', (inner) => element(out, inner, 'returnval', xsdType(returns.type), returns));
    out.push('            </complexType>\n');
  } else {
    out.push('            <complexType />\n');
  }
  out.push('         </element>\n');
}

function message(out: Out, name: string, part: string, elementName: string): void {
  out.push(
    `   <message name="${name}">\n`,
    `      <part name="${part}" element="vim25:${elementName}" />\n`,
    '   </message>\n',
  );
}

function messages(out: Out, model: WsdlModel): void {
  for (const method of model.methods) {
    message(out, `${method.name}RequestMsg`, 'parameters', method.name);
    message(out, `${method.name}ResponseMsg`, 'parameters', `${method.name}Response`);
  }
  for (const fault of model.usedFaults()) message(out, `${fault}FaultMsg`, 'fault', `${fault}Fault`);
}

function portType(out: Out, model: WsdlModel): void {
  out.push('   <portType name="VimPortType">\n');
  for (const method of model.methods) {
    out.push(
      `      <operation name="${method.name}">\n`,
      `         <input message="vim25:${method.name}RequestMsg" />\n`,
      `         <output message="vim25:${method.name}ResponseMsg" />\n`,
    );
    for (const fault of model.methodFaults(method)) {
      out.push(`         <fault name="${fault}Fault" message="vim25:${fault}FaultMsg" />\n`);
    }
    out.push('      </operation>\n');
  }
  out.push('   </portType>\n');
}

const LITERAL_BODIES =
  '         <input>\n            <soap:body use="literal" />\n         </input>\n' +
  '         <output>\n            <soap:body use="literal" />\n         </output>\n';

function bindingOperation(out: Out, model: WsdlModel, method: MethodEntry, soapAction: string): void {
  out.push(
    `      <operation name="${method.name}">\n`,
    `         <soap:operation soapAction="${soapAction}" style="document" />\n`,
    LITERAL_BODIES,
  );
  for (const fault of model.methodFaults(method)) {
    out.push(
      `         <fault name="${fault}Fault">\n`,
      `            <soap:fault name="${fault}Fault" use="literal" />\n`,
      '         </fault>\n',
    );
  }
  out.push('      </operation>\n');
}

function binding(out: Out, model: WsdlModel): void {
  const versions = model.types.versions;
  const soapAction = `urn:vim25/${versions[versions.length - 1]!}`;
  out.push(
    '   <binding name="VimBinding" type="vim25:VimPortType">\n',
    `      <soap:binding style="document" transport="${SOAP_HTTP}" />\n`,
  );
  for (const method of model.methods) bindingOperation(out, model, method, soapAction);
  out.push('   </binding>\n');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
