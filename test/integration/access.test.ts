/**
 * Privileges enforced over HTTP once users are configured: SOAP faults, PropertyCollector
 * filtering, REST 403s and filtered lists; the control API untouched. The world: test/support/access.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import type { ManagedEntity } from '../../models/core/managed-entity.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { accessTopology, accessUsers } from '../support/access.js';
import { basic, control, http } from '../support/control.js';
import { RestTestClient } from './rest-support.js';

const collector = { type: 'PropertyCollector', value: 'propertyCollector' };

describe('privileges enforced over SOAP and REST', () => {
  let sim: Simulator;
  let rest: RestTestClient;
  const clients: SoapClient[] = [];

  const vm = (name: string) => (sim.vc.registry.ofType<ManagedEntity>('VirtualMachine').find((v) => v.name === name)!).self.value;
  const soapAs = async (user: keyof typeof accessUsers) => {
    const client = new SoapClient({ url: sim.url });
    clients.push(client);
    await client.login(accessUsers[user].username, accessUsers[user].password);
    return client;
  };
  const restAs = (user: keyof typeof accessUsers, flavour: 'api' | 'rest' = 'api') => rest.login(accessUsers[user].username, accessUsers[user].password, flavour);
  const powerOn = (client: SoapClient, id: string) => client.call('PowerOnVM_Task', { type: 'VirtualMachine', value: id });

  beforeAll(async () => {
    sim = await createSimulator({ topology: accessTopology() });
    rest = new RestTestClient(sim);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    rest.close();
    await sim.close();
  });

  it('refuses a SOAP call without the privilege with NoPermission naming the object and privilegeId', async () => {
    const reader = await soapAs('reader');
    const id = vm('DC0_C0_RP0_VM0');
    const reply = await powerOn(reader, id);
    expect(reply.status).toBe(500);
    expect(reply.body).toContain('<faultstring>Permission to perform this operation was denied.</faultstring>');
    expect(reply.body).toContain(`<detail><NoPermissionFault xmlns="urn:vim25" xsi:type="NoPermission"><object type="VirtualMachine">${id}</object><privilegeId>VirtualMachine.Interact.PowerOn</privilegeId></NoPermissionFault></detail>`);
    const operator = await soapAs('operator');
    expect((await powerOn(operator, id)).body).toContain('<PowerOnVM_TaskResponse');
  });

  it('retrieves only what the user sees; an object named directly reports NoPermission in missingSet', async () => {
    const reader = await soapAs('reader');
    const view = await reader.call('CreateContainerView', { type: 'ViewManager', value: 'ViewManager' }, '<container type="Folder">group-d1</container><type>VirtualMachine</type><recursive>true</recursive>');
    const viewId = /<returnval type="ContainerView">([^<]+)</.exec(view.body)![1]!;
    const listed = await reader.call('RetrievePropertiesEx', collector,
      `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><objectSet><obj type="ContainerView">${viewId}</obj><skip>true</skip><selectSet xsi:type="TraversalSpec" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><type>ContainerView</type><path>view</path></selectSet></objectSet></specSet><options/>`);
    const names = [...listed.body.matchAll(/<val xsi:type="xsd:string">([^<]+)</g)].map((m) => m[1]);
    expect(names).toContain('DC0_H0_VM0');
    expect(names).not.toContain('DC0_H0_VM1');
    expect(names).toHaveLength(sim.vc.registry.ofType('VirtualMachine').length - 1);
    const hidden = vm('DC0_H0_VM1');
    const named = await reader.call('RetrievePropertiesEx', collector,
      `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet></propSet><objectSet><obj type="VirtualMachine">${hidden}</obj></objectSet></specSet><options/>`);
    expect(named.body).toContain(`<missingSet><path>name</path><fault><fault xsi:type="NoPermission"><object type="VirtualMachine">${hidden}</object><privilegeId>System.View</privilegeId></fault>`);
  });

  it('answers REST 403 unauthorized for the same rules, and lists only what the user may read', async () => {
    const reader = await restAs('reader');
    const id = vm('DC0_C0_RP0_VM1');
    const refused = await rest.send('POST', `/api/vcenter/vm/${id}/power?action=start`, { token: reader });
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ error_type: 'UNAUTHORIZED', messages: [{ id: 'vapi.security.authorization.invalid', default_message: 'Unable to authorize user', args: [] }] });
    const legacy = await rest.send('POST', `/rest/vcenter/vm/${id}/power/start`, { token: await restAs('reader', 'rest') });
    expect(legacy.status).toBe(403);
    expect(legacy.json.type).toBe('com.vmware.vapi.std.errors.unauthorized');
    expect((await rest.get(`/api/vcenter/vm/${vm('DC0_H0_VM1')}`, reader)).status).toBe(403);
    expect((await rest.get(`/api/vcenter/vm/${vm('DC0_H0_VM0')}`, reader)).status).toBe(200);
    const listed = (await rest.get('/api/vcenter/vm', reader)).json.map((v: { name: string }) => v.name);
    expect(listed).not.toContain('DC0_H0_VM1');
    expect(listed).toHaveLength(sim.vc.registry.ofType('VirtualMachine').length - 1);
    const operator = await restAs('operator');
    expect((await rest.send('POST', `/api/vcenter/vm/${id}/power?action=stop`, { token: operator })).status).toBe(204);
    expect((await rest.send('POST', `/api/vcenter/vm/${id}/power?action=start`, { token: operator })).status).toBe(204);
    expect((await rest.send('DELETE', `/api/vcenter/vm/${id}`, { token: operator })).status).toBe(403);
    expect((await rest.get('/api/session', operator)).json.user).toBe('VSPHERE.LOCAL\\operator');
  });

  it('serves datastore files under /folder with Datastore.Browse to read and Datastore.FileManagement to change (403 otherwise)', async () => {
    const file = (path: string) => `${sim.url.replace(/\/sdk$/, '')}/folder/${path}?dcPath=DC0&dsName=LocalDS_0`;
    const as = (user: keyof typeof accessUsers) => ({ authorization: basic(accessUsers[user].username, accessUsers[user].password) });
    expect((await http(file('notes.txt'), { method: 'PUT', headers: as('admin'), body: 'hello' })).status).toBe(201);
    expect((await http(file('notes.txt'), { headers: as('admin') })).text).toBe('hello');
    const read = await http(file('notes.txt'), { headers: as('reader') });
    expect([read.status, read.text]).toEqual([403, 'Permission to perform this operation was denied: Datastore.Browse on LocalDS_0']);
    expect((await http(file('notes.txt'), { method: 'PUT', headers: as('reader'), body: 'overwritten' })).status).toBe(403);
    expect((await http(file('notes.txt'), { method: 'DELETE', headers: as('operator') })).status).toBe(403);
    expect((await http(file('notes.txt'), { headers: as('admin') })).text).toBe('hello');
  });

  it('leaves the control API alone: its world actions need no vSphere privilege', async () => {
    const host = sim.vc.registry.ofType<ManagedEntity>('HostSystem').find((h) => h.name === 'DC0_H0')!;
    const reply = await control(sim).post('/actions/host-disconnect', { host: host.self.value });
    expect(reply.status).toBe(200);
    expect((await control(sim).post('/actions/host-reconnect', { host: host.self.value })).status).toBe(200);
  });
});
