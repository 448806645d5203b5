/** GET /metrics: Prometheus text from a registry of the simulator's own, behind the control API's credentials. */
import { register as globalRegistry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import { MoRef } from '../../models/core/moref.js';
import type { Task } from '../../models/core/task.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { basic, http, serviceInstance } from '../support/control.js';

describe('metrics', () => {
  let sim: Simulator;
  let other: Simulator;
  let soap: SoapClient;

  beforeAll(async () => {
    sim = await createSimulator();
    other = await createSimulator();
    soap = new SoapClient({ url: sim.url });
    await soap.login('user', 'pass');
  });
  afterAll(async () => {
    soap?.close();
    await sim?.close();
    await other?.close();
  });

  const metricsUrl = (s: Simulator) => s.url.replace(/\/sdk$/, '/metrics');
  const scrape = async (s: Simulator) => {
    const reply = await http(metricsUrl(s), { headers: { authorization: basic(s.username, s.password) } });
    expect(reply.status).toBe(200);
    return reply;
  };
  /** The value of one sample line, e.g. value(text, 'vcenter_sim_sessions'). */
  const value = (text: string, sample: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
    return line === undefined ? undefined : Number(line.slice(sample.length + 1));
  };

  it('needs the control API credentials', async () => {
    expect((await http(metricsUrl(sim))).status).toBe(401);
    expect((await http(metricsUrl(sim), { headers: { authorization: basic('user', 'wrong') } })).status).toBe(401);
  });

  it('counts calls by api, method and outcome, with latency histograms and injected faults by rule', async () => {
    const { id } = sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'fault', fault: 'InvalidState' }, times: 1 });
    await soap.call('CurrentTime', serviceInstance);
    await soap.call('CurrentTime', serviceInstance);
    await soap.call('CurrentTime', serviceInstance);
    const reply = await scrape(sim);
    expect(reply.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = reply.text;
    expect(value(text, 'vcenter_sim_api_calls_total{api="soap",method="CurrentTime",outcome="ok"}')).toBe(2);
    expect(value(text, 'vcenter_sim_api_calls_total{api="soap",method="CurrentTime",outcome="fault"}')).toBe(1);
    expect(value(text, 'vcenter_sim_api_calls_total{api="soap",method="Login",outcome="ok"}')).toBe(1);
    expect(value(text, 'vcenter_sim_api_call_duration_seconds_count{api="soap",method="CurrentTime"}')).toBe(3);
    expect(text).toContain('# TYPE vcenter_sim_api_call_duration_seconds histogram');
    expect(value(text, `vcenter_sim_injected_faults_total{rule="${id}"}`)).toBe(1);
    // The other simulator counted nothing of this; the library's global registry holds nothing.
    expect((await scrape(other)).text).not.toContain('method="CurrentTime"');
    expect(await globalRegistry.metrics()).not.toContain('vcenter_sim_');
    sim.faults.clear();
  });

  it('reads tasks by state, sessions and inventory counts from the world when scraped', async () => {
    const vm = sim.vc.registry.ofType('VirtualMachine')[0]!;
    const before = await sim.metrics.text();
    const reply = await soap.call('PowerOffVM_Task', vm.self);
    const taskId = /<returnval type="Task">([^<]+)</.exec(reply.body)![1]!;
    await sim.vc.registry.require<Task>(new MoRef('Task', taskId)).completion();
    await soap.call('PowerOnVM_Task', vm.self);
    const text = (await scrape(sim)).text;
    expect(value(text, 'vcenter_sim_tasks{state="success"}')).toBeGreaterThanOrEqual((value(before, 'vcenter_sim_tasks{state="success"}') ?? 0) + 1);
    expect(value(text, 'vcenter_sim_sessions')).toBe(1);
    expect(value(text, 'vcenter_sim_inventory_objects{type="VirtualMachine"}')).toBe(sim.vc.registry.ofType('VirtualMachine').length);
    expect(value(text, 'vcenter_sim_inventory_objects{type="HostSystem"}')).toBe(4);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await http(`${sim.controlUrl}/openapi.json`)).json;
    expect(Object.keys(doc.paths['/metrics'].get.responses['200'].content)).toEqual(['text/plain; version=0.0.4']);
  });
});
