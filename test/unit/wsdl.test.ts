import { runsWith } from '../support/tools.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { typeTable } from '../../models/core/type-table.js';
import { wsdlFiles, type WsdlFiles } from '../../simulator/soap/wsdl.js';

type XmlNode = Record<string, any>;

interface ElementDecl {
  name: string;
  type?: string;
  minOccurs?: string;
  maxOccurs?: string;
}

interface TypeDecl {
  kind: 'complex' | 'simple';
  node: XmlNode;
  doc: string;
}

const table = typeTable();
const REPEATED = new Set([
  'complexType', 'simpleType', 'element', 'enumeration', 'include', 'import', 'message', 'part',
  'operation', 'fault', 'attribute', 'version', 'namespace',
]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && REPEATED.has(name),
});

let files: WsdlFiles;
let schemas: Record<string, XmlNode>;
let wsdl: XmlNode;
let typeIndex: Map<string, TypeDecl>;
let globalElements: Map<string, XmlNode>;

function embeddedSchemaText(vimWsdl: string): string {
  const match = /<schema[\s\S]*?<\/schema>/.exec(vimWsdl);
  if (!match) throw new Error('vim.wsdl has no embedded schema');
  return `<?xml version="1.0" encoding="UTF-8" ?>\n${match[0]}\n`;
}

function indexSchemas(): void {
  typeIndex = new Map();
  globalElements = new Map();
  for (const [doc, schema] of Object.entries(schemas)) {
    for (const node of schema.complexType ?? []) addType(node, 'complex', doc);
    for (const node of schema.simpleType ?? []) addType(node, 'simple', doc);
    for (const node of schema.element ?? []) {
      if (globalElements.has(node.name)) throw new Error(`element ${node.name} declared twice`);
      globalElements.set(node.name, node);
    }
  }
}

function addType(node: XmlNode, kind: TypeDecl['kind'], doc: string): void {
  if (typeIndex.has(node.name)) throw new Error(`type ${node.name} declared twice`);
  typeIndex.set(node.name, { kind, node, doc });
}

function complexType(name: string): XmlNode {
  const decl = typeIndex.get(name);
  expect(decl?.kind, `complexType ${name}`).toBe('complex');
  return decl!.node;
}

/** Base type (without prefix) and own elements of a complexType. */
function shape(name: string): { base: string | null; elements: ElementDecl[] } {
  const node = complexType(name);
  const extension = node.complexContent?.extension;
  const sequence = extension ? extension.sequence : node.sequence;
  const elements = (typeof sequence === 'object' ? sequence.element : undefined) ?? [];
  return { base: extension ? String(extension.base) : null, elements };
}

function elementNames(elements: ElementDecl[]): string[] {
  return elements.map((e) => e.name);
}

/** Every `vim25:X` named by an attribute anywhere under a node. */
function vimReferences(node: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) {
    for (const child of node) vimReferences(child, into);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'type' || key === 'base') && typeof value === 'string' && value.startsWith('vim25:')) {
        into.add(value.slice('vim25:'.length));
      } else {
        vimReferences(value, into);
      }
    }
  }
  return into;
}

beforeAll(() => {
  files = wsdlFiles(table);
  const docs = files.documents;
  schemas = {};
  for (const name of ['core-types.xsd', 'vim-types.xsd', 'vim-messagetypes.xsd']) {
    schemas[name] = parser.parse(docs[name]!).schema;
  }
  wsdl = parser.parse(docs['vim.wsdl']!).definitions;
  schemas['vim.wsdl#types'] = wsdl.types.schema;
  indexSchemas();
});

describe('wsdlFiles: documents', () => {
  it('generates deterministically', () => {
    expect(wsdlFiles(table)).toEqual(files);
  });

  it('publishes the service, vim.wsdl and the schemas', () => {
    expect(Object.keys(files.documents).sort()).toEqual(
      ['core-types.xsd', 'vim-messagetypes.xsd', 'vim-types.xsd', 'vim.wsdl', 'vimService.wsdl'],
    );
  });

  it('parses every document as XML', () => {
    for (const [name, text] of Object.entries({ ...files.documents, versions: files.versions })) {
      expect(text.startsWith('<?xml version="1.0" encoding="UTF-8" ?>'), name).toBe(true);
      expect(XMLValidator.validate(text), name).toBe(true);
    }
  });

  it('imports and includes by relative location, each naming a published document', () => {
    const locations: string[] = [];
    for (const text of Object.values(files.documents)) {
      for (const m of text.matchAll(/(?:schemaLocation|<import location)="([^"]*)"/g)) locations.push(m[1]!);
    }
    expect(locations).toContain('vim.wsdl');
    expect(locations).toContain('vim-types.xsd');
    for (const location of locations) {
      expect(location).not.toMatch(/^[a-z]+:|^\//i);
      expect(Object.keys(files.documents)).toContain(location);
    }
  });

  it('has vimService.wsdl import vim.wsdl and point at /sdk/vimService', () => {
    const service = parser.parse(files.documents['vimService.wsdl']!).definitions;
    expect(service.import[0]).toMatchObject({ location: 'vim.wsdl', namespace: 'urn:vim25' });
    expect(service.service.name).toBe('VimService');
    expect(service.service.port.binding).toBe('interface:VimBinding');
    expect(service.service.port['soap:address'].location).toBe('https://localhost/sdk/vimService');
  });

  it('declares schemas in urn:vim25, qualified', () => {
    for (const schema of Object.values(schemas)) {
      expect(schema.targetNamespace).toBe('urn:vim25');
      expect(schema['xmlns:vim25']).toBe('urn:vim25');
      expect(schema['xmlns:xsd']).toBe('http://www.w3.org/2001/XMLSchema');
      expect(schema.elementFormDefault).toBe('qualified');
    }
  });
});

describe('wsdlFiles: types', () => {
  it('declares every data object and enum of the table', () => {
    for (const name of Object.keys(table.source.data)) expect(typeIndex.get(name)?.kind, name).toBe('complex');
    for (const name of Object.keys(table.source.enums)) expect(typeIndex.get(name)?.kind, name).toBe('simple');
  });

  it('resolves every vim25: reference', () => {
    for (const [doc, schema] of Object.entries(schemas)) {
      for (const name of vimReferences(schema)) expect(typeIndex.has(name), `${doc}: ${name}`).toBe(true);
    }
  });

  it('keeps core-types.xsd self-contained', () => {
    const core = schemas['core-types.xsd']!;
    const own = new Set([...core.complexType, ...(core.simpleType ?? [])].map((t: XmlNode) => t.name));
    for (const name of vimReferences(core)) expect(own.has(name), name).toBe(true);
    expect(own).toContain('ManagedObjectReference');
    expect(own).toContain('MethodFault');
  });

  it('describes VirtualMachineConfigSpec with its own properties in table order', () => {
    const { base, elements } = shape('VirtualMachineConfigSpec');
    expect(base).toBe('vim25:DynamicData');
    const props = table.dataType('VirtualMachineConfigSpec')!.props;
    expect(elementNames(elements)).toEqual(props.map((p) => p.name));
    const byName = new Map(elements.map((e) => [e.name, e]));
    expect(byName.get('numCPUs')).toEqual({ name: 'numCPUs', type: 'xsd:int', minOccurs: '0' });
    expect(byName.get('name')).toEqual({ name: 'name', type: 'xsd:string', minOccurs: '0' });
    expect(byName.get('deviceChange')).toEqual({
      name: 'deviceChange', type: 'vim25:VirtualDeviceConfigSpec', minOccurs: '0', maxOccurs: 'unbounded',
    });
  });

  it('derives VirtualDisk from VirtualDevice', () => {
    const { base, elements } = shape('VirtualDisk');
    expect(base).toBe('vim25:VirtualDevice');
    expect(elements[0]).toEqual({ name: 'capacityInKB', type: 'xsd:long' });
    expect(elementNames(elements)).toEqual(table.dataType('VirtualDisk')!.props.map((p) => p.name));
    expect(shape('VirtualDevice').elements[0]).toEqual({ name: 'key', type: 'xsd:int' });
  });

  it('writes root types as plain sequences', () => {
    const { base, elements } = shape('DynamicData');
    expect(base).toBeNull();
    expect(elementNames(elements)).toEqual(table.dataType('DynamicData')!.props.map((p) => p.name));
  });

  it('declares enums as restrictions of xsd:string', () => {
    const node = typeIndex.get('VirtualMachinePowerState')!.node;
    expect(node.restriction.base).toBe('xsd:string');
    expect(node.restriction.enumeration.map((e: XmlNode) => e.value)).toEqual(['poweredOff', 'poweredOn', 'suspended']);
  });

  it('declares faults as complex types with an XFault element', () => {
    const { base, elements } = shape('InvalidPowerState');
    expect(base).toBe('vim25:InvalidState');
    expect(elements).toEqual([
      { name: 'requestedState', type: 'vim25:VirtualMachinePowerState', minOccurs: '0' },
      { name: 'existingState', type: 'vim25:VirtualMachinePowerState' },
    ]);
    expect(globalElements.get('InvalidPowerStateFault')?.type).toBe('vim25:InvalidPowerState');
    expect(globalElements.get('RuntimeFaultFault')?.type).toBe('vim25:RuntimeFault');
    expect(globalElements.get('MethodFaultFault')?.type).toBe('vim25:MethodFault');
  });

  it('declares ManagedObjectReference as a string with a type attribute', () => {
    const extension = complexType('ManagedObjectReference').simpleContent.extension;
    expect(extension.base).toBe('xsd:string');
    expect(extension.attribute).toEqual([{ name: 'type', type: 'xsd:string' }]);
  });

  it('declares ArrayOf types for primitives and for types used in arrays', () => {
    const items: Record<string, ElementDecl> = {
      ArrayOfManagedObjectReference: { name: 'ManagedObjectReference', type: 'vim25:ManagedObjectReference' },
      ArrayOfString: { name: 'string', type: 'xsd:string' },
      ArrayOfInt: { name: 'int', type: 'xsd:int' },
      ArrayOfLong: { name: 'long', type: 'xsd:long' },
      ArrayOfBoolean: { name: 'boolean', type: 'xsd:boolean' },
      ArrayOfAnyType: { name: 'anyType', type: 'xsd:anyType' },
      ArrayOfVirtualDevice: { name: 'VirtualDevice', type: 'vim25:VirtualDevice' },
      ArrayOfObjectContent: { name: 'ObjectContent', type: 'vim25:ObjectContent' },
    };
    for (const [array, item] of Object.entries(items)) {
      expect(shape(array), array).toEqual({ base: null, elements: [{ ...item, minOccurs: '0', maxOccurs: 'unbounded' }] });
    }
  });
});

describe('wsdlFiles: methods', () => {
  const methodNames = () => Object.values(table.source.managed).flatMap((m) => Object.keys(m.methods));

  it('declares RetrievePropertiesEx request and response', () => {
    expect(shape('RetrievePropertiesExRequestType')).toEqual({
      base: null,
      elements: [
        { name: '_this', type: 'vim25:ManagedObjectReference' },
        { name: 'specSet', type: 'vim25:PropertyFilterSpec', maxOccurs: 'unbounded' },
        { name: 'options', type: 'vim25:RetrieveOptions' },
      ],
    });
    expect(globalElements.get('RetrievePropertiesEx')?.type).toBe('vim25:RetrievePropertiesExRequestType');
    const response = globalElements.get('RetrievePropertiesExResponse')!;
    expect(response.complexType[0].sequence.element).toEqual([
      { name: 'returnval', type: 'vim25:RetrieveResult', minOccurs: '0' },
    ]);
  });

  it('repeats returnval for array returns and leaves it out for void methods', () => {
    const find = globalElements.get('FindAllByUuidResponse')!;
    expect(find.complexType[0].sequence.element[0]).toMatchObject({
      name: 'returnval', type: 'vim25:ManagedObjectReference', maxOccurs: 'unbounded',
    });
    expect(globalElements.get('LogoutResponse')!.complexType[0]).toBe('');
  });

  it('has one request type, element pair and message pair per method', () => {
    const messages = new Set(wsdl.message.map((m: XmlNode) => m.name));
    for (const name of methodNames()) {
      expect(typeIndex.get(`${name}RequestType`)?.doc, name).toBe('vim-messagetypes.xsd');
      expect(globalElements.has(name) && globalElements.has(`${name}Response`), name).toBe(true);
      expect(messages.has(`${name}RequestMsg`) && messages.has(`${name}ResponseMsg`), name).toBe(true);
    }
  });

  it('points every message part at a declared element', () => {
    for (const message of wsdl.message) {
      const element = String(message.part[0].element);
      expect(globalElements.has(element.replace(/^vim25:/, '')), message.name).toBe(true);
    }
  });

  it('lists operations in VimPortType with their faults', () => {
    expect(wsdl.portType.name).toBe('VimPortType');
    const operations = new Map(wsdl.portType.operation.map((o: XmlNode) => [o.name, o]));
    expect(operations.size).toBe(methodNames().length);
    const powerOn = operations.get('PowerOnVM_Task') as XmlNode;
    expect(powerOn.input.message).toBe('vim25:PowerOnVM_TaskRequestMsg');
    expect(powerOn.output.message).toBe('vim25:PowerOnVM_TaskResponseMsg');
    const faults = powerOn.fault.map((f: XmlNode) => f.message);
    expect(faults).toContain('vim25:InvalidStateFaultMsg');
    expect(faults).toContain('vim25:RuntimeFaultFaultMsg');
    const messages = new Set(wsdl.message.map((m: XmlNode) => `vim25:${m.name}`));
    for (const operation of wsdl.portType.operation) {
      for (const fault of operation.fault) expect(messages.has(fault.message), fault.message).toBe(true);
    }
  });

  it('binds VimBinding as document/literal with soapAction urn:vim25/7.0', () => {
    const binding = wsdl.binding;
    expect(binding.name).toBe('VimBinding');
    expect(binding.type).toBe('vim25:VimPortType');
    expect(binding['soap:binding']).toMatchObject({ style: 'document', transport: 'http://schemas.xmlsoap.org/soap/http' });
    expect(binding.operation.length).toBe(methodNames().length);
    for (const operation of binding.operation) {
      expect(operation['soap:operation']).toEqual({ soapAction: 'urn:vim25/7.0', style: 'document' });
      expect(operation.input['soap:body'].use).toBe('literal');
      expect(operation.output['soap:body'].use).toBe('literal');
    }
  });
});

describe('wsdlFiles: vimServiceVersions.xml', () => {
  it('names urn:vim25 at 7.0 with prior versions newest first', () => {
    const root = parser.parse(files.versions).namespaces;
    expect(root.version).toBe('1.0');
    expect(root.namespace).toHaveLength(1);
    const ns = root.namespace[0];
    expect(ns.name).toBe('urn:vim25');
    expect(ns.version).toEqual(['7.0']);
    const prior: string[] = ns.priorVersions.version;
    expect(prior.slice(0, 3)).toEqual(['6.7.1', '6.7', '6.5']);
    expect(prior).toContain('6.0');
    expect(prior).not.toContain('7.0');
    expect(prior).not.toContain('2.0');
  });

  it('names the service\'s own API version as current: older ones of the table as prior, all of them for one it does not know', () => {
    const namespace = (apiVersion: string) => parser.parse(wsdlFiles(table, apiVersion).versions).namespaces.namespace[0];
    expect(namespace('6.7').version).toEqual(['6.7']);
    expect(namespace('6.7').priorVersions.version.slice(0, 2)).toEqual(['6.5', '6.0']);
    expect(namespace('uE53DA').version).toEqual(['uE53DA']);
    expect(namespace('uE53DA').priorVersions.version.slice(0, 2)).toEqual(['7.0', '6.7.1']);
  });
});

// ------------------------------------------------------------------ xmllint

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

const NS = 'xmlns="urn:vim25" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"';
const INSTANCES: Record<string, string> = {
  'request.xml':
    `<RetrievePropertiesEx ${NS}><_this type="PropertyCollector">propertyCollector</_this>` +
    '<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet>' +
    '<objectSet><obj type="Folder">group-d1</obj><skip>false</skip>' +
    '<selectSet xsi:type="TraversalSpec"><name>t</name><type>Folder</type><path>childEntity</path><skip>false</skip></selectSet>' +
    '</objectSet></specSet><options/></RetrievePropertiesEx>',
  'response.xml':
    `<RetrievePropertiesExResponse ${NS}><returnval><objects><obj type="Folder">group-d1</obj>` +
    '<propSet><name>childEntity</name><val xsi:type="ArrayOfManagedObjectReference">' +
    '<ManagedObjectReference type="VirtualMachine" xsi:type="ManagedObjectReference">vm-1</ManagedObjectReference></val></propSet>' +
    '<propSet><name>name</name><val xsi:type="xsd:string">vm</val></propSet>' +
    '<propSet><name>runtime.powerState</name><val xsi:type="VirtualMachinePowerState">poweredOn</val></propSet>' +
    '</objects></returnval></RetrievePropertiesExResponse>',
  'fault.xml':
    `<InvalidPowerStateFault ${NS} xsi:type="InvalidPowerState">` +
    '<requestedState>poweredOn</requestedState><existingState>poweredOn</existingState></InvalidPowerStateFault>',
};
const SPEC_INSTANCE =
  `<spec ${NS}><name>vm</name><numCPUs>2</numCPUs><memoryMB>1024</memoryMB>` +
  '<deviceChange><operation>add</operation><fileOperation>create</fileOperation>' +
  '<device xsi:type="VirtualDisk"><key>-1</key><backing xsi:type="VirtualDiskFlatVer2BackingInfo">' +
  '<fileName></fileName><diskMode>persistent</diskMode></backing><controllerKey>1000</controllerKey>' +
  '<unitNumber>0</unitNumber><capacityInKB>1024</capacityInKB></device></deviceChange></spec>';
const SPEC_SCHEMA =
  '<?xml version="1.0" encoding="UTF-8" ?>\n' +
  '<schema targetNamespace="urn:vim25" xmlns="http://www.w3.org/2001/XMLSchema" xmlns:vim25="urn:vim25" elementFormDefault="qualified">' +
  '<include schemaLocation="vim-types.xsd" /><element name="spec" type="vim25:VirtualMachineConfigSpec" /></schema>\n';

describe.runIf(runsWith('wsdlFiles: xmllint', hasXmllint, 'xmllint is missing: install libxml2-utils'))('wsdlFiles: xmllint', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vcsim-wsdl-'));
    for (const [name, text] of Object.entries(files.documents)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'vim-schema.xsd'), embeddedSchemaText(files.documents['vim.wsdl']!));
    writeFileSync(join(dir, 'spec-schema.xsd'), SPEC_SCHEMA);
    writeFileSync(join(dir, 'spec.xml'), SPEC_INSTANCE);
    for (const [name, text] of Object.entries(INSTANCES)) writeFileSync(join(dir, name), text);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function xmllint(schema: string, ...instances: string[]): void {
    if (!hasXmllint) throw new Error('xmllint is missing: install libxml2-utils (required when CI=true)');
    const result = spawnSync('xmllint', ['--noout', '--schema', schema, ...instances], { cwd: dir, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  }

  it('compiles vim-types.xsd with its includes and validates a VirtualMachineConfigSpec', () => {
    xmllint('spec-schema.xsd', 'spec.xml');
  });

  it('compiles the schema of vim.wsdl and validates a request, a response and a fault', () => {
    xmllint('vim-schema.xsd', ...Object.keys(INSTANCES));
  });

  it('finds vimService.wsdl and vim.wsdl well-formed', () => {
    if (!hasXmllint) throw new Error('xmllint is missing: install libxml2-utils (required when CI=true)');
    const result = spawnSync('xmllint', ['--noout', 'vimService.wsdl', 'vim.wsdl'], { cwd: dir, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  });
});
