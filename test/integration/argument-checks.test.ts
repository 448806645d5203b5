/** Arguments checked as vCenter checks them: required ones present, integers in range, no repeated scalars, hardware within limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MoRef } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';

const envelope = (body: string) =>
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>' +
  body + '</soapenv:Body></soapenv:Envelope>';
const call = (method: string, type: string, value: string, args = '') =>
  envelope(`<${method} xmlns="urn:vim25"><_this type="${type}">${value}</_this>${args}</${method}>`);
const faultOf = (body: string) => ({ type: /<detail><(\w+)Fault /.exec(body)?.[1], text: /<faultstring>([^<]*)</.exec(body)?.[1] });
const basic = 'Basic ' + Buffer.from('user:pass').toString('base64');

describe('argument checks', () => {
  let sim: Simulator;
  let cookie: string;
  let token: string;
  let vm: VirtualMachine;
  const soap = async (body: string) => {
    const reply = await sim.app.inject({ method: 'POST', url: '/sdk', payload: body, headers: { cookie } });
    return { status: reply.statusCode, body: reply.body, ...faultOf(reply.body) };
  };
  const reconfigure = async (spec: string) => {
    const reply = await soap(call('ReconfigVM_Task', 'VirtualMachine', vm.self.value, `<spec>${spec}</spec>`));
    expect(reply.status, reply.body).toBe(200);
    const ref = { type: 'Task', value: /<returnval type="Task">([^<]+)</.exec(reply.body)![1]! } as MoRef;
    return sim.vc.registry.require<Task>(ref).completion();
  };
  const rest = (method: 'PATCH' | 'POST', url: string, body: unknown) =>
    sim.app.inject({ method, url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json', 'vmware-api-session-id': token } });

  beforeAll(async () => {
    sim = await createSimulator({});
    const login = await sim.app.inject({ method: 'POST', url: '/sdk', payload: call('Login', 'SessionManager', 'SessionManager', '<userName>u</userName><password>p</password>') });
    cookie = String(login.headers['set-cookie']).split(';')[0]!;
    token = (await sim.app.inject({ method: 'POST', url: '/api/session', headers: { authorization: basic } })).json();
    vm = sim.vc.registry.ofType<VirtualMachine>('VirtualMachine').find((v) => v.name === 'DC0_H0_VM0')!;
    await sim.vc.registry.require<Task>(vm.PowerOffVM_Task({ vc: sim.vc, session: sim.vc.sessionManager.lookup(/"([^"]+)"/.exec(cookie)![1]) })).completion();
  });
  afterAll(() => sim.close());

  it('a required parameter left out is InvalidRequest naming it', async () => {
    const reply = await soap(call('ReconfigVM_Task', 'VirtualMachine', vm.self.value));
    expect(reply).toMatchObject({ status: 500, type: 'InvalidRequest', text: 'Required parameter spec of ReconfigVM_Task is missing' });
  });

  it('a required property of a data object left out is InvalidRequest naming it and its type, with nothing changed', async () => {
    const spec = '<specSet><propSet><pathSet>name</pathSet></propSet><objectSet><obj type="VirtualMachine">' + vm.self.value + '</obj></objectSet></specSet><options/>';
    const reply = await soap(call('RetrievePropertiesEx', 'PropertyCollector', 'propertyCollector', spec));
    expect(reply).toMatchObject({ status: 500, type: 'InvalidRequest', text: 'Required property type is missing from data object of type PropertySpec' });
    const tasksBefore = sim.vc.registry.ofType('Task').length;
    const device = '<deviceChange><operation>add</operation><device xsi:type="VirtualCdrom"><controllerKey>200</controllerKey></device></deviceChange>';
    const noKey = await soap(call('ReconfigVM_Task', 'VirtualMachine', vm.self.value, `<spec>${device}</spec>`));
    expect(noKey).toMatchObject({ type: 'InvalidRequest', text: 'Required property key is missing from data object of type VirtualCdrom' });
    expect(sim.vc.registry.ofType('Task').length).toBe(tasksBefore); // refused before any task was made
  });

  it('an integer outside its XML Schema type is InvalidRequest', async () => {
    const max = await soap(call('ReconfigVM_Task', 'VirtualMachine', vm.self.value, '<spec><cpuAllocation><shares><shares>2147483647</shares><level>custom</level></shares></cpuAllocation></spec>'));
    expect(max.status).toBe(200); // int's largest value is one
    const big = await soap(call('ReconfigVM_Task', 'VirtualMachine', vm.self.value, '<spec><numCPUs>2147483648</numCPUs></spec>'));
    expect(big).toMatchObject({ type: 'InvalidRequest', text: "Cannot parse '2147483648' as the value of numCPUs" });
    const longOk = await soap(call('ReconfigVM_Task', 'VirtualMachine', vm.self.value, '<spec><memoryAllocation><limit>9223372036854775807</limit></memoryAllocation></spec>'));
    expect(longOk.status).toBe(200);
    const longBad = await soap(call('ReconfigVM_Task', 'VirtualMachine', vm.self.value, '<spec><memoryAllocation><limit>9223372036854775808</limit></memoryAllocation></spec>'));
    expect(longBad.type).toBe('InvalidRequest');
  });

  it('a scalar given twice is InvalidRequest', async () => {
    const reply = await soap(call('ReconfigVM_Task', 'VirtualMachine', vm.self.value, '<spec><numCPUs>2</numCPUs><numCPUs>4</numCPUs></spec>'));
    expect(reply).toMatchObject({ type: 'InvalidRequest', text: 'The element numCPUs appears more than once, but it is not an array' });
    const twice = await soap(call('ReconfigVM_Task', 'VirtualMachine', vm.self.value, '<spec/><spec/>'));
    expect(twice.type).toBe('InvalidRequest');
  });

  it('CPU, cores, memory and disk sizes beyond vCenter\'s limits fail the task, the VM unchanged', async () => {
    const before = JSON.stringify(vm.config!.hardware);
    const cases: [string, string][] = [
      ['<numCPUs>769</numCPUs>', 'InvalidArgument'],
      ['<numCPUs>0</numCPUs>', 'InvalidArgument'],
      ['<numCPUs>6</numCPUs><numCoresPerSocket>4</numCoresPerSocket>', 'InvalidArgument'],
      ['<memoryMB>1023</memoryMB>', 'InvalidArgument'],
      [`<memoryMB>${24 * 1024 * 1024 + 4}</memoryMB>`, 'InvalidArgument'],
      ['<deviceChange><operation>add</operation><device xsi:type="VirtualDisk"><key>-1</key><controllerKey>1000</controllerKey><unitNumber>5</unitNumber><capacityInKB>66571993089</capacityInKB></device></deviceChange>', 'InvalidDeviceSpec'],
    ];
    for (const [spec, fault] of cases) {
      const info = await reconfigure(spec);
      expect(info.state, spec).toBe('error');
      expect((info.error as { fault: { _type: string } }).fault._type, spec).toBe(fault);
    }
    expect(JSON.stringify(vm.config!.hardware)).toBe(before);
    expect((await reconfigure('<numCPUs>8</numCPUs><numCoresPerSocket>4</numCoresPerSocket><memoryMB>8192</memoryMB>')).state).toBe('success');
  });

  it('the same limits over REST: 400 invalid_argument', async () => {
    const cpu = await rest('PATCH', `/api/vcenter/vm/${vm.self.value}/hardware/cpu`, { count: 1000 });
    expect(cpu.statusCode).toBe(400);
    expect(cpu.json().error_type).toBe('INVALID_ARGUMENT');
    const memory = await rest('PATCH', `/api/vcenter/vm/${vm.self.value}/hardware/memory`, { size_MiB: 2 ** 40 });
    expect(memory.statusCode).toBe(400);
    expect(memory.json().error_type).toBe('INVALID_ARGUMENT');
    const cores = await rest('PATCH', `/api/vcenter/vm/${vm.self.value}/hardware/cpu`, { count: 6, cores_per_socket: 4 });
    expect(cores.statusCode).toBe(400);
    expect(vm.config!.hardware).toMatchObject({ numCPU: 8, memoryMB: 8192 });
  });
});
