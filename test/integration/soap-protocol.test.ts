import { request } from 'node:https';
import { connect } from 'node:tls';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';

const serviceInstance = { type: 'ServiceInstance', value: 'ServiceInstance' };
const collector = { type: 'PropertyCollector', value: 'propertyCollector' };

function faultOf(body: string): { code?: string; type?: string } {
  return {
    code: /<faultcode>([^<]*)<\/faultcode>/.exec(body)?.[1],
    type: /<detail><(\w+)Fault /.exec(body)?.[1],
  };
}

/** A raw HTTPS request, for what SoapClient would not send. */
function raw(url: string, body: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const req = request(url, { method: 'POST', rejectUnauthorized: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const vmNameSpec = (obj: string) =>
  `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><objectSet><obj type="VirtualMachine">${obj}</obj></objectSet></specSet>`;

describe('SOAP protocol and bad input', () => {
  let sim: Simulator;
  let client: SoapClient;

  beforeAll(async () => {
    sim = await createSimulator({ bodyLimit: 256 * 1024, maxXmlDepth: 64 });
    client = new SoapClient({ url: sim.url });
  });
  afterAll(async () => {
    client.close();
    await sim.close();
  });

  const firstVm = () => sim.vc.registry.ofType('VirtualMachine')[0]!.self.value;

  it('serves RetrieveServiceContent before login, with the soapenv prefix on the root', async () => {
    const reply = await client.call('RetrieveServiceContent', serviceInstance);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/xml/);
    expect(reply.body).toMatch(/^<\?xml[^>]*>\s*<soapenv:Envelope xmlns:soapenv=/);
    expect(reply.body).toContain('<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval>');
    expect(reply.body).toContain('<rootFolder type="Folder">group-d1</rootFolder>');
  });

  it('answers NotAuthenticated before login: a fault for methods, missingSet for retrieval', async () => {
    const anonymous = new SoapClient({ url: sim.url });
    const time = await anonymous.call('CurrentTime', serviceInstance);
    const reply = await anonymous.call('RetrievePropertiesEx', collector, vmNameSpec(firstVm()) + '<options/>');
    anonymous.close();
    expect(time.status).toBe(500);
    expect(faultOf(time.body)).toEqual({ code: 'ServerFaultCode', type: 'NotAuthenticated' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatch(/<missingSet><path>name<\/path><fault><fault xsi:type="NotAuthenticated"><object type="VirtualMachine">/);
    expect(reply.body).not.toContain('<propSet>');
  });

  it('sets the session cookie on Login and rejects a bad login with InvalidLogin', async () => {
    const strict = await createSimulator({ username: 'admin', password: 'secret' });
    const c = new SoapClient({ url: strict.url });
    try {
      const bad = await c.call('Login', { type: 'SessionManager', value: 'SessionManager' }, '<userName>admin</userName><password>wrong</password>');
      expect(faultOf(bad.body).type).toBe('InvalidLogin');
      const good = await c.call('Login', { type: 'SessionManager', value: 'SessionManager' }, '<userName>admin</userName><password>secret</password>');
      expect(good.status).toBe(200);
      expect(String(good.headers['set-cookie'])).toMatch(/^vmware_soap_session="[^"]+"; Path=\/; HttpOnly/);
      expect(good.body).toContain('<userName>admin</userName>');
    } finally {
      c.close();
      await strict.close();
    }
  });

  describe('after login', () => {
    beforeAll(() => client.login('user', 'pass'));

    it('reads a property with a typed value', async () => {
      const reply = await client.call('RetrievePropertiesEx', collector, vmNameSpec(firstVm()) + '<options/>');
      expect(reply.status).toBe(200);
      expect(reply.body).toMatch(/<propSet><name>name<\/name><val xsi:type="xsd:string">[^<]+<\/val><\/propSet>/);
    });

    it('accepts any prefixes, xsi:type on primitives and a _this without type', async () => {
      const body =
        '<?xml version="1.0"?><SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns0="urn:vim25" ' +
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><SOAP-ENV:Header/>' +
        '<SOAP-ENV:Body><ns0:RetrievePropertiesEx><ns0:_this>propertyCollector</ns0:_this><ns0:specSet>' +
        '<ns0:propSet><ns0:type xsi:type="xsd:string">Folder</ns0:type><ns0:pathSet>name</ns0:pathSet></ns0:propSet>' +
        '<ns0:objectSet><ns0:obj type="Folder">group-d1</ns0:obj><ns0:skip xsi:type="xsd:boolean">false</ns0:skip></ns0:objectSet>' +
        '</ns0:specSet><ns0:options/></ns0:RetrievePropertiesEx></SOAP-ENV:Body></SOAP-ENV:Envelope>';
      const reply = await client.post(body, { soapaction: '' });
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('<obj type="Folder">group-d1</obj>');
    });

    it('follows a TraversalSpec given with a prefixed xsi:type', async () => {
      const args =
        '<specSet><propSet><type>Datacenter</type><pathSet>name</pathSet></propSet><objectSet><obj type="Folder">group-d1</obj><skip>true</skip>' +
        '<selectSet xsi:type="ns1:TraversalSpec" xmlns:ns1="urn:vim25"><name>f</name><type>Folder</type><path>childEntity</path><skip>false</skip></selectSet>' +
        '</objectSet></specSet><options/>';
      const reply = await client.call('RetrievePropertiesEx', collector, args);
      expect(reply.body).toMatch(/<obj type="Datacenter">[^<]+<\/obj><propSet><name>name<\/name><val xsi:type="xsd:string">DC0<\/val>/);
    });

    it('answers ManagedObjectNotFound for a moref that does not exist', async () => {
      const reply = await client.call('RetrievePropertiesEx', collector, vmNameSpec('vm-999999') + '<options/>');
      expect(faultOf(reply.body).type).toBe('ManagedObjectNotFound');
    });

    it('answers InvalidProperty for a path the type does not have', async () => {
      const args = `<specSet><propSet><type>VirtualMachine</type><pathSet>config.nonsense</pathSet></propSet><objectSet><obj type="VirtualMachine">${firstVm()}</obj></objectSet></specSet><options/>`;
      expect(faultOf((await client.call('RetrievePropertiesEx', collector, args)).body).type).toBe('InvalidProperty');
    });

    it('answers MethodNotFound for an unknown method', async () => {
      const reply = await client.call('NoSuchMethod', serviceInstance);
      expect(reply.status).toBe(500);
      expect(faultOf(reply.body).type).toBe('MethodNotFound');
    });

    it('answers InvalidRequest for an argument of the wrong type', async () => {
      const reply = await client.call('RetrievePropertiesEx', collector, vmNameSpec(firstVm()) + '<options><maxObjects>many</maxObjects></options>');
      expect(faultOf(reply.body).type).toBe('InvalidRequest');
    });

    it('answers InvalidType for an xsi:type that is not a subtype of the declared one', async () => {
      const args = `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><objectSet><obj type="VirtualMachine">${firstVm()}</obj><selectSet xsi:type="VirtualMachineConfigSpec"/></objectSet></specSet><options/>`;
      expect(faultOf((await client.call('RetrievePropertiesEx', collector, args)).body).type).toBe('InvalidType');
    });

    it('leaves out what is newer than the client\'s API version', async () => {
      const vm = sim.vc.registry.ofType('VirtualMachine')[0]!.self;
      sim.setProperty(vm, 'guest.hwVersion', 'vmx-17'); // GuestInfo.hwVersion came with 7.0
      const args = `<specSet><propSet><type>VirtualMachine</type><pathSet>guest</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm.value}</obj></objectSet></specSet><options/>`;
      const call = (soapaction: string) =>
        client.post(
          `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><RetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">propertyCollector</_this>${args}</RetrievePropertiesEx></soapenv:Body></soapenv:Envelope>`,
          { soapaction },
        );
      const [v7, v67, v65] = await Promise.all([call('urn:vim25/7.0'), call('"urn:vim25/6.7.3"'), call('"urn:vim25/6.5"')]);
      expect(v7.body).toContain('<hwVersion>vmx-17</hwVersion>');
      for (const older of [v67, v65]) {
        expect(older.status).toBe(200);
        expect(older.body).toContain('<val xsi:type="GuestInfo">');
        expect(older.body).not.toContain('hwVersion');
      }
    });
  });

  describe('malformed input never breaks the server', () => {
    const stillServing = async () => {
      const reply = await client.call('RetrieveServiceContent', serviceInstance);
      expect(reply.status).toBe(200);
    };

    it.each([
      ['truncated XML', '<soapenv:Envelope><soapenv:Body><Login>'],
      ['mismatched tags', '<a><b></a></b>'],
      ['not XML at all', '{"json": true}'],
      ['an empty body', ''],
      ['XML that is not an envelope', '<hello/>'],
    ])('%s gets a ClientFaultCode fault with HTTP 500', async (_name, body) => {
      const reply = await client.post(body);
      expect(reply.status).toBe(500);
      expect(faultOf(reply.body).code).toBe('ClientFaultCode');
      expect(reply.body).not.toMatch(/\n\s+at /);
      await stillServing();
    });

    it('never expands external entities (XXE)', async () => {
      const body = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>&xxe;</userName><password>x</password></Login></soapenv:Body></soapenv:Envelope>';
      const reply = await client.post(body);
      expect(faultOf(reply.body).code).toBe('ClientFaultCode');
      expect(reply.body).not.toContain('root:');
      await stillServing();
    });

    it('never expands nested entities (billion laughs)', async () => {
      const defs = ['<!ENTITY a0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY a${i + 1} "${`&a${i};`.repeat(10)}">`)].join('');
      const reply = await client.post(`<?xml version="1.0"?><!DOCTYPE x [${defs}]><x>&a9;</x>`);
      expect(faultOf(reply.body).code).toBe('ClientFaultCode');
      await stillServing();
    });

    it('refuses nesting deeper than the limit', async () => {
      const deep = '<a>'.repeat(10_000) + '</a>'.repeat(10_000);
      const reply = await client.post(`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${deep}</soapenv:Body></soapenv:Envelope>`);
      expect(reply.status).toBe(500);
      expect(faultOf(reply.body).code).toBe('ClientFaultCode');
      await stillServing();
    });

    it('answers 413 to a body over the limit', async () => {
      const reply = await client.post(`<x>${'y'.repeat(300 * 1024)}</x>`);
      expect(reply.status).toBe(413);
      await stillServing();
    });
  });

  describe('HTTP', () => {
    it('answers Connection: close with Connection: close', async () => {
      const reply = await raw(sim.url, '', { connection: 'close', 'content-type': 'text/xml' });
      expect(reply.headers.connection).toBe('close');
    });

    it('compresses with gzip when asked', async () => {
      const body = '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent></soapenv:Body></soapenv:Envelope>';
      const reply = await raw(sim.url, body, { 'accept-encoding': 'gzip', 'content-type': 'text/xml' });
      expect(reply.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(reply.body).toString()).toContain('RetrieveServiceContentResponse');
    });

    it('accepts the POST at /sdk/vimService.wsdl', async () => {
      const c = new SoapClient({ url: sim.url.replace(/\/sdk$/, '/sdk/vimService.wsdl') });
      const reply = await c.call('RetrieveServiceContent', serviceInstance);
      c.close();
      expect(reply.status).toBe(200);
    });

    const retrieveServiceContent =
      '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><RetrieveServiceContent xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></RetrieveServiceContent></soapenv:Body></soapenv:Envelope>';

    it('reads a chunked body', async () => {
      const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(sim.url, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'text/xml', 'transfer-encoding': 'chunked' } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        const half = retrieveServiceContent.length >> 1;
        req.write(retrieveServiceContent.slice(0, half));
        setTimeout(() => req.end(retrieveServiceContent.slice(half)), 20);
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('RetrieveServiceContentResponse');
    });

    it('ignores a foreign SOAP header', async () => {
      const body = retrieveServiceContent.replace('<soapenv:Body>', '<soapenv:Header><op:operationID xmlns:op="urn:vim25">abc-1</op:operationID><x:Foo xmlns:x="urn:other" x:mustUnderstand="0"><x:Bar/></x:Foo></soapenv:Header><soapenv:Body>');
      const reply = await raw(sim.url, body, { 'content-type': 'text/xml' });
      expect(reply.status).toBe(200);
    });

    it('reads the session cookie however clients send it back', async () => {
      const c = new SoapClient({ url: sim.url });
      const login = await c.call('Login', { type: 'SessionManager', value: 'SessionManager' }, '<userName>u</userName><password>p</password>');
      c.close();
      const setCookie = String(login.headers['set-cookie']);
      const currentSession =
        '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><CurrentTime xmlns="urn:vim25"><_this type="ServiceInstance">ServiceInstance</_this></CurrentTime></soapenv:Body></soapenv:Envelope>';
      for (const cookie of [setCookie, setCookie.split(';')[0]!, `other=1; ${setCookie.split(';')[0]}`]) {
        expect((await raw(sim.url, currentSession, { 'content-type': 'text/xml', cookie })).status).toBe(200);
      }
      const empty = await raw(sim.url, currentSession, { 'content-type': 'text/xml', cookie: '' });
      expect(empty.status).toBe(500);
      expect(faultOf(empty.body.toString()).type).toBe('NotAuthenticated');
    });

    it.each(['TLSv1.2', 'TLSv1.3'] as const)('speaks %s', async (version) => {
      const port = Number(new URL(sim.url).port);
      const negotiated = await new Promise<string | null>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, minVersion: version, maxVersion: version }, () => {
          resolve(socket.getProtocol());
          socket.end();
        });
        socket.on('error', reject);
      });
      expect(negotiated).toBe(version);
    });

    it('serves vimServiceVersions.xml', async () => {
      const res = await fetchText(sim.url + '/vimServiceVersions.xml');
      expect(res).toContain('<namespaces version="1.0">');
      expect(res).toContain('<name>urn:vim25</name>');
    });
  });
});

function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, { rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    })
      .on('error', reject)
      .end();
  });
}

describe('credentials', () => {
  it('logs in only the users a topology file names', async () => {
    const { topologyFromFlags } = await import('../../models/inventory/index.js');
    const sim = await createSimulator({ topology: { ...topologyFromFlags({}), users: [{ username: 'ops', password: 's3cret' }] } });
    try {
      expect(sim.vc.directory.authenticate('ops', 's3cret')).toBe('VSPHERE.LOCAL\\ops');
      expect(sim.vc.directory.authenticate('user', 'pass')).toBeUndefined();
      expect(sim.urlWithCredentials).toContain('ops:s3cret@');
    } finally {
      await sim.close();
    }
  });

  it('reports the -api-version it is given in about.apiVersion', async () => {
    const sim = await createSimulator({ apiVersion: '6.7' });
    try {
      expect((sim.vc.content.about as { apiVersion: string }).apiVersion).toBe('6.7');
    } finally {
      await sim.close();
    }
  });
});

describe('lower-case wire names', () => {
  it('serves setCustomValue, whose wire name starts lower-case, and never an internal helper', async () => {
    const sim = await createSimulator();
    const client = new SoapClient({ url: sim.url });
    try {
      await client.login('user', 'pass');
      const vm = sim.vc.registry.ofType('VirtualMachine')[0]!.self;
      const set = await client.call('setCustomValue', vm, '<key>owner</key><value>alice</value>');
      expect(set.status).toBe(200);
      expect((sim.vc.registry.require(vm) as unknown as { customValue: { value: string }[] }).customValue.map((v) => v.value)).toContain('alice');
      const internal = await client.call('read', vm, '<name>name</name>');
      expect(faultOf(internal.body).type).toBe('MethodNotFound');
    } finally {
      client.close();
      await sim.close();
    }
  });
});
