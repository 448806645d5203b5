/** The client's pure parts: codec, error codes, backoff, Retry-After, breaker, masking. */
import { describe, expect, it } from 'vitest';
import { codeOfFault, codeOfVapiError, errorCodes, faultCodes, VimError } from '../../client/errors.js';
import { maskSecrets, traceparentFor } from '../../client/observe.js';
import { backoffDelay, CircuitBreaker, isReadOnly, parseRetryAfter } from '../../client/retry.js';
import { decodeResponse, encodeRequest } from '../../client/soap-codec.js';
import { vimTypes } from '../../client/type-info.js';
import { parseXml } from '../../client/xml.js';

const types = vimTypes();
const envelope = (body: string) =>
  `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

describe('soap codec', () => {
  it('decodes by declared type: numbers, booleans, arrays of one, morefs, subtypes, anyType arrays', () => {
    const xml = envelope(
      '<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="VirtualMachine">vm-1</obj>' +
        '<propSet><name>config.hardware.numCPU</name><val xsi:type="xsd:int">2</val></propSet>' +
        '<propSet><name>datastore</name><val xsi:type="ArrayOfManagedObjectReference"><ManagedObjectReference type="Datastore" xsi:type="ManagedObjectReference">ds-1</ManagedObjectReference></val></propSet>' +
        '<propSet><name>config.hardware.device</name><val xsi:type="ArrayOfVirtualDevice"><VirtualDevice xsi:type="VirtualDisk"><key>2000</key><capacityInKB>1024</capacityInKB></VirtualDevice></val></propSet>' +
        '<propSet><name>config.template</name><val xsi:type="xsd:boolean">false</val></propSet>' +
        '</objects></returnval></RetrievePropertiesExResponse>',
    );
    const result = decodeResponse(types, 'RetrievePropertiesEx', xml) as { objects: { obj: unknown; propSet: { name: string; val: unknown }[] }[] };
    expect(result.objects).toHaveLength(1);
    expect(result.objects[0]!.obj).toEqual({ type: 'VirtualMachine', value: 'vm-1' });
    expect(result.objects[0]!.propSet.map((p) => p.val)).toEqual([
      2,
      [{ type: 'Datastore', value: 'ds-1' }],
      [{ _type: 'VirtualDisk', key: 2000, capacityInKB: 1024 }],
      false,
    ]);
  });

  it('throws a SOAP fault as a VimError with its properties and code', () => {
    const xml = envelope(
      '<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The object has already been deleted</faultstring><detail>' +
        '<ManagedObjectNotFoundFault xmlns="urn:vim25" xsi:type="ManagedObjectNotFound"><obj type="Datastore">ds-9</obj></ManagedObjectNotFoundFault></detail></soapenv:Fault>',
    );
    const error = (() => {
      try {
        decodeResponse(types, 'RetrievePropertiesEx', xml);
      } catch (e) {
        return e as VimError;
      }
    })();
    expect(error).toBeInstanceOf(VimError);
    expect(error).toMatchObject({ code: 'DATASTORE_NOT_FOUND', faultType: 'ManagedObjectNotFound', message: 'The object has already been deleted', fault: { obj: { type: 'Datastore', value: 'ds-9' } } });
  });

  it('encodes parameters in WSDL order, xsi:type for subtypes and anyType, escaping text', () => {
    const xml = encodeRequest(types, {
      method: 'ReconfigVM_Task',
      thisRef: { type: 'VirtualMachine', value: 'vm-1' },
      args: { spec: { memoryMB: 64, name: 'a<b', extraConfig: [{ _type: 'OptionValue', key: 'k', value: 'v' }], deviceChange: [{ operation: 'add', device: { _type: 'VirtualDisk', key: -1, capacityInKB: 10 } }] } },
    });
    const body = parseXml(xml).children.find((c) => c.name === 'Body')!.children[0]!;
    const spec = body.children[1]!;
    expect(spec.children.map((c) => c.name)).toEqual(['name', 'memoryMB', 'deviceChange', 'extraConfig']);
    expect(spec.children[0]!.text).toBe('a<b');
    const device = spec.children[2]!.children.find((c) => c.name === 'device')!;
    expect(device.xsiType).toBe('VirtualDisk');
    expect(spec.children[3]!.children.find((c) => c.name === 'value')!.xsiType).toBe('string');
    expect(() => encodeRequest(types, { method: 'PowerOnVM_Task', thisRef: { type: 'VirtualMachine', value: 'vm-1' }, args: { nope: 1 } })).toThrow(/no parameter 'nope'/);
  });

  it('refuses DTDs', () => {
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')).toThrow(/DTD/);
  });
});

describe('error codes', () => {
  it('maps a fault by its nearest mapped ancestor', () => {
    expect(codeOfFault('InvalidPowerState')).toBe('INVALID_POWER_STATE');
    expect(codeOfFault('InsufficientCpuResourcesFault')).toBe('INSUFFICIENT_RESOURCES');
    expect(codeOfFault('NoDiskSpace')).toBe('INSUFFICIENT_RESOURCES');
    expect(codeOfFault('CannotAccessFile')).toBe('FILE_ERROR');
    expect(codeOfFault('VmConfigFault')).toBe('FAULT');
    expect(codeOfFault('SystemError')).toBe('RUNTIME_FAULT');
    expect(codeOfFault('ManagedObjectNotFound', { obj: { type: 'VirtualMachine', value: 'vm-1' } })).toBe('VM_NOT_FOUND');
    expect(codeOfFault('ManagedObjectNotFound', { obj: { type: 'Alarm', value: 'alarm-1' } })).toBe('NOT_FOUND');
    expect(codeOfFault('SomethingNewer')).toBe('FAULT');
    expect(codeOfVapiError('com.vmware.vapi.std.errors.not_found')).toBe('NOT_FOUND');
    expect(codeOfVapiError('service_unavailable')).toBe('UNAVAILABLE');
  });

  it('every mapped code is in the code table, every fault in the mapping exists in the type table', () => {
    for (const [fault, code] of Object.entries(faultCodes)) {
      expect(errorCodes[code], code).toBeDefined();
      expect(types.isData(fault), fault).toBe(true);
    }
    expect(new VimError({ code: 'RATE_LIMITED', message: 'x' }).retryable).toBe(true);
    expect(JSON.parse(JSON.stringify(new VimError({ code: 'VM_NOT_FOUND', message: 'gone', faultType: 'ManagedObjectNotFound' })))).toMatchObject({
      name: 'VimError', code: 'VM_NOT_FOUND', message: 'gone', faultType: 'ManagedObjectNotFound', retryable: false, mayHaveExecuted: false,
    });
    expect(new VimError({ code: 'VM_NOT_FOUND', message: 'x' }).family).toBe('not_found');
    expect(new VimError({ code: 'RATE_LIMITED', message: 'x', retryable: false }).retryable).toBe(false);
  });
});

describe('resilience primitives', () => {
  it('backs off with full jitter under an exponential ceiling', () => {
    expect(backoffDelay(0, { baseDelayMs: 100, random: () => 0.999 })).toBe(99);
    expect(backoffDelay(3, { baseDelayMs: 100, random: () => 0.5 })).toBe(400);
    expect(backoffDelay(10, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 })).toBe(500);
    expect(backoffDelay(2, { random: () => 0 })).toBe(0);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('opens after N failures, lets one probe through when half-open, reopens on a failed probe', () => {
    let now = 0;
    const breaker = new CircuitBreaker('https://x', { failureThreshold: 2, openMs: 100 }, undefined, () => now);
    breaker.failure();
    breaker.admit('A');
    breaker.failure();
    expect(() => breaker.admit('A')).toThrow(expect.objectContaining({ code: 'CIRCUIT_OPEN' }));
    now = 100;
    expect(breaker.state).toBe('half-open');
    breaker.admit('probe');
    expect(() => breaker.admit('second')).toThrow(expect.objectContaining({ code: 'CIRCUIT_OPEN' }));
    breaker.failure();
    expect(breaker.state).toBe('open');
    now = 250;
    breaker.admit('probe');
    breaker.success();
    expect(breaker.state).toBe('closed');
  });

  it('knows which methods only read', () => {
    expect(['RetrievePropertiesEx', 'WaitForUpdatesEx', 'CurrentTime', 'FindByUuid', 'QueryEvents', 'ContinueRetrievePropertiesEx'].every(isReadOnly)).toBe(true);
    expect(['PowerOnVM_Task', 'CreateVM_Task', 'Destroy_Task', 'CreateFolder', 'ReconfigVM_Task'].some(isReadOnly)).toBe(false);
  });

  it('masks credentials and makes W3C traceparents', () => {
    expect(maskSecrets('<password>s3cret</password>\ncookie: vmware_soap_session="abc"\n"password":"x" in vmware_soap_session=abc;')).toBe(
      '<password>***</password>\ncookie: ***\n"password":"***" in vmware_soap_session=***;',
    );
    expect(traceparentFor()).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(traceparentFor('bogus')).not.toBe('bogus');
  });
});

describe('xml reader', () => {
  it('reads prefixes, attributes, entities, CDATA, self-closing tags and refuses mismatched tags', () => {
    const root = parseXml('<?xml version="1.0"?><a:root xmlns:a="x"><b type="VirtualMachine" xsi:type=\'ManagedObjectReference\'>vm-1</b ><c/><d xsi:nil="true"/><e>&lt;&#65;&#x42;<![CDATA[<raw>]]></e></a:root>');
    expect(root.name).toBe('root');
    expect(root.children.map((c) => c.name)).toEqual(['b', 'c', 'd', 'e']);
    expect(root.children[0]).toMatchObject({ type: 'VirtualMachine', xsiType: 'ManagedObjectReference', text: 'vm-1' });
    expect(root.children[2]!.nil).toBe(true);
    expect(root.children[3]!.text).toBe('<AB<raw>');
    expect(() => parseXml('<a><b></a></b>')).toThrow();
    expect(() => parseXml('<a><b></bb></a>')).toThrow();
    expect(() => parseXml('<a>')).toThrow(/unclosed/);
  });
});
