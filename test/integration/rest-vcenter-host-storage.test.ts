/**
 * Host connect/disconnect over REST (the SOAP side sees runtime.connectionState and the
 * HostConnectedEvent/HostDisconnectedEvent), storage policies and VM compliance, and the guest's
 * networking as VMware Tools report it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoapClient } from '../../client/soap.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import type { HostSystem } from '../../models/host/host-system.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import type { Simulator } from '../../simulator/index.js';
import { named } from '../clients/inventory.js';
import { closeCrossApi, openCrossApi, type RestTestClient } from './rest-support.js';

const collector = { type: 'PropertyCollector', value: 'propertyCollector' };

describe('REST hosts, storage policies and guest networking', () => {
  let sim: Simulator;
  let rest: RestTestClient;
  let soap: SoapClient;
  let token: string;
  let restToken: string;

  const send = (method: string, path: string, body?: unknown, tok = token) =>
    rest.send(method, path, { token: tok, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const get = (path: string, tok = token) => rest.get(path, tok);
  const events = (type: string, host: string) =>
    (sim.vc.events.QueryEvents({ vc: sim.vc }, { filter: { eventTypeId: [type] } as never }) as DataObject[]).filter(
      (e) => ((e.host as DataObject | undefined)?.host as MoRef | undefined)?.value === host,
    ).length;
  const soapConnectionState = async (host: string) => {
    const spec = `<specSet><propSet><type>HostSystem</type><pathSet>runtime.connectionState</pathSet></propSet><objectSet><obj type="HostSystem">${host}</obj></objectSet></specSet><options/>`;
    const reply = await soap.call('RetrievePropertiesEx', collector, spec);
    expect(reply.status, reply.body).toBe(200);
    return /<val[^>]*>([^<]*)<\/val>/.exec(reply.body)?.[1];
  };

  beforeAll(async () => ({ sim, rest, soap, token, restToken } = await openCrossApi()));
  afterAll(() => closeCrossApi({ sim, rest, soap }));

  it('disconnects and connects a host: SOAP sees the state, its VMs and the events; the host list filters on it', async () => {
    const host = named(sim, 'HostSystem', 'DC0_H0') as HostSystem;
    const id = host.self.value;
    const [disconnected, connected] = [events('HostDisconnectedEvent', id), events('HostConnectedEvent', id)];

    const off = await send('POST', `/api/vcenter/host/${id}?action=disconnect`);
    expect(off.status, off.text).toBe(204);
    expect(await soapConnectionState(id)).toBe('disconnected');
    expect(events('HostDisconnectedEvent', id)).toBe(disconnected + 1);
    for (const ref of host.vm) expect((sim.vc.registry.get(ref) as VirtualMachine).runtime.connectionState).toBe('disconnected');
    expect((await get(`/api/vcenter/host?connection_states=DISCONNECTED`)).json).toEqual([{ host: id, name: 'DC0_H0', connection_state: 'DISCONNECTED' }]);
    const task = sim.vc.registry.ofType<Task>('Task').find((t) => t.info.name === 'DisconnectHost_Task');
    expect((task?.info.entity as MoRef).value).toBe(id);

    const again = await send('POST', `/api/vcenter/host/${id}?action=disconnect`);
    expect(again.status).toBe(400);
    expect(again.json.error_type).toBe('ALREADY_IN_DESIRED_STATE');

    const on = await send('POST', `/rest/vcenter/host/${id}/connect`, undefined, restToken);
    expect(on.status, on.text).toBe(200);
    expect(await soapConnectionState(id)).toBe('connected');
    expect(events('HostConnectedEvent', id)).toBe(connected + 1);
    expect((await get(`/api/vcenter/host?hosts=${id}`)).json[0].connection_state).toBe('CONNECTED');

    expect((await send('POST', '/api/vcenter/host/host-999999?action=connect')).status).toBe(404);
    expect((await send('POST', `/api/vcenter/host/${id}?action=reboot`)).status).toBe(404);
  });

  it('host disconnect with ?vmw-task=true answers the task, reported by /api/cis/tasks', async () => {
    const id = named(sim, 'HostSystem', 'DC0_C0_H1').self.value;
    const reply = await send('POST', `/api/vcenter/host/${id}?action=disconnect&vmw-task=true`);
    expect(reply.status, reply.text).toBe(200);
    await (sim.vc.registry.byId(reply.json) as Task).completion();
    expect((await get(`/api/cis/tasks/${reply.json}`)).json).toMatchObject({ service: 'com.vmware.vcenter.host', operation: 'disconnect', status: 'SUCCEEDED', target: { type: 'HostSystem', id } });
    expect((sim.vc.registry.byId(id) as HostSystem).runtime.connectionState).toBe('disconnected');
  });

  it('lists the storage policies vCenter ships, filters them, and checks datastore compatibility', async () => {
    const all = (await get('/api/vcenter/storage/policies')).json as DataObject[];
    expect(all.map((p) => p.name)).toEqual(expect.arrayContaining(['vSAN Default Storage Policy', 'VM Encryption Policy', 'VVol No Requirements Policy']));
    for (const policy of all) expect(Object.keys(policy).sort()).toEqual(['description', 'name', 'policy']);
    const vsan = all.find((p) => p.name === 'vSAN Default Storage Policy')!;
    expect(vsan.policy).toBe('aa6d5a82-1c88-45da-85d3-3d74b91a5bad');
    expect((await get(`/api/vcenter/storage/policies?policies=${vsan.policy}`)).json).toEqual([vsan]);
    expect((await get(`/rest/vcenter/storage/policies?filter.policies=${vsan.policy}`, restToken)).json).toEqual({ value: [vsan] });

    const ds = named(sim, 'Datastore', 'LocalDS_0').self.value;
    const check = await send('POST', `/api/vcenter/storage/policies/${vsan.policy}?action=check-compatibility`, { datastores: [ds] });
    expect(check.status, check.text).toBe(200);
    expect(check.json).toEqual({ compatible_datastores: [], incompatible_datastores: [{ datastore: ds }] });
    const encryption = all.find((p) => p.name === 'VM Encryption Policy')!;
    expect((await send('POST', `/api/vcenter/storage/policies/${encryption.policy}?action=check-compatibility`, { datastores: [ds] })).json.compatible_datastores).toEqual([{ datastore: ds }]);
    const empty = await send('POST', `/api/vcenter/storage/policies/${vsan.policy}?action=check-compatibility`, { datastores: [] });
    expect(empty.status).toBe(400);
    expect(empty.json.messages[0].args[0]).toBe('datastores');
    expect((await send('POST', `/api/vcenter/storage/policies/nope?action=check-compatibility`, { datastores: [ds] })).status).toBe(404);
    expect((await get(`/api/vcenter/storage/policies/${vsan.policy}/vm`)).json).toEqual({});
    expect((await get('/api/vcenter/storage/policies/nope/vm')).status).toBe(404);
  });

  it("reports a VM's storage policy and compliance: no policy on local VMFS, NOT_APPLICABLE", async () => {
    const vm = named(sim, 'VirtualMachine', 'DC0_H0_VM0').self.value;
    expect((await get(`/api/vcenter/vm/${vm}/storage/policy`)).json).toEqual({ disks: {} });
    expect((await get(`/api/vcenter/vm/${vm}/storage/policy/compliance`)).json).toEqual({ overall_compliance: 'NOT_APPLICABLE', disks: {} });
    const checked = await send('POST', `/api/vcenter/vm/${vm}/storage/policy/compliance?action=check`, { vm_home: true });
    expect(checked.status, checked.text).toBe(200);
    expect(checked.json.overall_compliance).toBe('NOT_APPLICABLE');
    expect((await send('POST', `/api/vcenter/vm/${vm}/storage/policy/compliance?action=check`, { disks: ['99999'] })).status).toBe(404);
    expect((await get('/api/vcenter/vm/vm-999999/storage/policy/compliance')).status).toBe(404);
    const list = await get('/api/vcenter/storage/policies/compliance?status=NON_COMPLIANT');
    expect(list.status).toBe(200);
    expect(list.json).toEqual({});
    expect((await get('/api/vcenter/storage/policies/compliance')).status).toBe(400);
  });

  it("reads the guest's networking from its GuestInfo; without running tools: service_unavailable", async () => {
    const vm = named(sim, 'VirtualMachine', 'DC0_C0_RP0_VM0') as VirtualMachine;
    const guest = vm.guest as DataObject;
    const nic = (guest.net as DataObject[])[0]!;
    const interfaces = (await get(`/api/vcenter/vm/${vm.self.value}/guest/networking/interfaces`)).json;
    expect(interfaces).toEqual([
      {
        mac_address: nic.macAddress,
        nic: String(nic.deviceConfigId),
        ip: { ip_addresses: [{ ip_address: guest.ipAddress, prefix_length: 8, state: 'PREFERRED' }] },
      },
    ]);
    expect((await get(`/api/vcenter/vm/${vm.self.value}/guest/networking`)).status).toBe(200);
    expect((await get(`/api/vcenter/vm/${vm.self.value}/guest/networking/routes`)).json).toEqual([]);

    // Set over the simulator (as a SOAP client's tools would report it), seen over REST.
    sim.setProperty(vm.self, 'guest.ipStack', [
      { dnsConfig: { dhcp: false, hostName: 'vm0', domainName: 'example.com', ipAddress: ['10.0.0.2'], searchDomain: ['example.com'] }, ipRouteConfig: { ipRoute: [{ network: '0.0.0.0', prefixLength: 0, gateway: { ipAddress: '10.0.0.1', device: '0' } }] } },
    ]);
    expect((await get(`/api/vcenter/vm/${vm.self.value}/guest/networking`)).json).toEqual({
      dns_values: { domain_name: 'example.com', search_domains: ['example.com'] },
      dns: { ip_addresses: ['10.0.0.2'], search_domains: ['example.com'] },
    });
    expect((await get(`/api/vcenter/vm/${vm.self.value}/guest/networking/routes`)).json).toEqual([{ network: '0.0.0.0', prefix_length: 0, gateway_address: '10.0.0.1', interface_index: 0 }]);

    expect((await send('POST', `/api/vcenter/vm/${vm.self.value}/power?action=stop`)).status).toBe(204);
    const off = await get(`/api/vcenter/vm/${vm.self.value}/guest/networking/interfaces`);
    expect(off.status).toBe(503);
    expect(off.json.error_type).toBe('SERVICE_UNAVAILABLE');
    expect((await get('/api/vcenter/vm/vm-999999/guest/networking')).status).toBe(404);
  });
});
