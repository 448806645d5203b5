/** Fault rule actions over real SOAP calls: vSphere faults, delays, HTTP statuses, resets and hangs. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SoapClient } from '../../client/soap.js';
import { createSimulator, type Simulator } from '../../simulator/index.js';
import { control, eventually, serviceInstance, sessionManager, soapFault, soapOnce } from '../support/control.js';

describe('fault rule actions', () => {
  let sim: Simulator;
  let soap: SoapClient;

  beforeAll(async () => {
    sim = await createSimulator();
    soap = new SoapClient({ url: sim.url });
    await soap.login('user', 'pass');
  });
  afterEach(() => {
    sim.faults.clear();
    sim.journal.clear();
  });
  afterAll(async () => {
    soap?.close();
    await sim?.close();
  });

  const lastCall = () => sim.journal.entries({ limit: 1 })[0]!;

  describe('fault', () => {
    it('answers a real SOAP fault of the type, with its message and properties', async () => {
      await control(sim).post('/faults', {
        match: { method: 'CurrentTime' },
        action: { kind: 'fault', fault: 'InsufficientCpuResourcesFault', message: 'Not enough CPU', properties: { unreserved: 100, requested: 2000 } },
      });
      const reply = await soap.call('CurrentTime', serviceInstance);
      expect(reply.status).toBe(500);
      expect(reply.headers['content-type']).toMatch(/^text\/xml/);
      expect(soapFault(reply.body)).toEqual({ code: 'ServerFaultCode', type: 'InsufficientCpuResourcesFault', message: 'Not enough CPU' });
      expect(reply.body).toContain(
        '<detail><InsufficientCpuResourcesFaultFault xmlns="urn:vim25" xsi:type="InsufficientCpuResourcesFault"><unreserved>100</unreserved><requested>2000</requested></InsufficientCpuResourcesFaultFault></detail>',
      );
      expect(lastCall()).toMatchObject({ method: 'CurrentTime', outcome: 'fault', fault: 'InsufficientCpuResourcesFault', status: 500 });
    });

    it('encodes morefs and nested faults, and defaults the message to the fault type', async () => {
      sim.faults.add({
        match: { method: 'CurrentTime' },
        action: {
          kind: 'fault',
          fault: 'TaskInProgress',
          properties: { task: { type: 'Task', value: 'task-7' }, faultCause: { fault: { _type: 'InvalidState' }, localizedMessage: 'busy' } },
        },
      });
      const reply = await soap.call('CurrentTime', serviceInstance);
      expect(soapFault(reply.body)).toMatchObject({ type: 'TaskInProgress', message: 'TaskInProgress' });
      expect(reply.body).toContain('<faultCause><fault xsi:type="InvalidState"></fault><localizedMessage>busy</localizedMessage></faultCause>');
      expect(reply.body).toContain('<task type="Task">task-7</task>');
    });

    it("respects the client's API version: a fault newer than it arrives as the newest base type it knows", async () => {
      sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'fault', fault: 'KeyNotFound', properties: { key: 'k1' } } });
      const current = await soap.call('CurrentTime', serviceInstance);
      expect(soapFault(current.body).type).toBe('KeyNotFound');
      expect(current.body).toContain('<key>k1</key>');
      const old = new SoapClient({ url: sim.url, version: '6.7' });
      try {
        await old.login('user', 'pass');
        const reply = await old.call('CurrentTime', serviceInstance);
        expect(soapFault(reply.body).type).toBe('VimFault'); // KeyNotFound is 7.0
        expect(reply.body).not.toContain('xsi:type="KeyNotFound"');
        expect(reply.body).not.toContain('<key>');
      } finally {
        old.close();
      }
    });
  });

  describe('delay', () => {
    it('waits, then answers normally', async () => {
      sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'delay', ms: 250 } });
      const started = performance.now();
      const reply = await soap.call('CurrentTime', serviceInstance);
      expect(performance.now() - started).toBeGreaterThanOrEqual(240);
      expect(reply.status).toBe(200);
      expect(reply.body).toContain('<CurrentTimeResponse');
      expect(lastCall()).toMatchObject({ outcome: 'ok', rules: [expect.any(String)] });
      expect(lastCall().durationMs).toBeGreaterThanOrEqual(240);
    });

    it('varies by ± jitterMs', async () => {
      sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'delay', ms: 100, jitterMs: 80 } });
      for (let i = 0; i < 6; i++) await soap.call('CurrentTime', serviceInstance);
      const durations = sim.journal.entries({ method: 'CurrentTime' }).map((e) => e.durationMs);
      for (const d of durations) {
        expect(d).toBeGreaterThanOrEqual(15);
        expect(d).toBeLessThan(2000); // 100 ± 80 ms plus the call itself, on a possibly busy machine
      }
      expect(new Set(durations.map((d) => Math.round(d / 10))).size).toBeGreaterThan(1);
    });

    it('adds up with other delays and still lets a later rule decide', async () => {
      const a = sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'delay', ms: 100 } });
      const b = sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'delay', ms: 100 } });
      const c = sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'fault', fault: 'InvalidState' } });
      const started = performance.now();
      const reply = await soap.call('CurrentTime', serviceInstance);
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      expect(soapFault(reply.body).type).toBe('InvalidState');
      expect(lastCall().rules).toEqual([a.id, b.id, c.id]);
    });
  });

  describe('http', () => {
    it('answers 503 with Retry-After instead of SOAP', async () => {
      sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'http', status: 503, retryAfter: 7 } });
      const reply = await soap.call('CurrentTime', serviceInstance);
      expect(reply.status).toBe(503);
      expect(reply.headers['retry-after']).toBe('7');
      expect(reply.headers['content-type']).toMatch(/^text\/plain/);
      expect(reply.body).toMatch(/^503 /);
      expect(lastCall()).toMatchObject({ method: 'CurrentTime', outcome: 'http', status: 503 });
      // The connection stays usable.
      expect((await soap.call('CurrentTime', serviceInstance)).status).toBe(503);
      sim.faults.clear();
      expect((await soap.call('CurrentTime', serviceInstance)).status).toBe(200);
    });

    it('answers 429 with the given headers, body and content type', async () => {
      sim.faults.add({
        match: { method: 'CurrentTime' },
        action: { kind: 'http', status: 429, retryAfter: 1, headers: { 'x-ratelimit-remaining': '0' }, body: '{"slow":"down"}', contentType: 'application/json' },
      });
      const reply = await soap.call('CurrentTime', serviceInstance);
      expect(reply.status).toBe(429);
      expect(reply.headers['retry-after']).toBe('1');
      expect(reply.headers['x-ratelimit-remaining']).toBe('0');
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(reply.body).toBe('{"slow":"down"}');
    });
  });

  describe('reset', () => {
    it('drops the TLS connection with no answer; the server stays healthy', async () => {
      sim.faults.add({ match: { method: 'CurrentTime' }, action: { kind: 'reset' }, times: 1 });
      const error = await soapOnce(sim, 'CurrentTime', serviceInstance).then(
        () => undefined,
        (e: NodeJS.ErrnoException) => e,
      );
      expect(error?.code).toBe('ECONNRESET');
      await eventually(() => sim.journal.entries({ method: 'CurrentTime' }).length === 1);
      expect(lastCall()).toMatchObject({ outcome: 'reset', status: 0 });
      expect((await soap.call('CurrentTime', serviceInstance)).status).toBe(200);
    });

    it('sends a TCP reset on plain HTTP', async () => {
      const plain = await createSimulator({ tls: false });
      try {
        plain.faults.add({ match: { method: 'RetrieveServiceContent' }, action: { kind: 'reset' } });
        const error = await soapOnce(plain, 'RetrieveServiceContent', serviceInstance).then(
          () => undefined,
          (e: NodeJS.ErrnoException) => e,
        );
        expect(error?.code).toBe('ECONNRESET');
        expect(error?.message).toMatch(/ECONNRESET/); // a reset, not just a closed socket ("socket hang up")
        plain.faults.clear();
        expect((await soapOnce(plain, 'RetrieveServiceContent', serviceInstance)).status).toBe(200);
      } finally {
        await plain.close();
      }
    });
  });

  describe('hang', () => {
    it('answers nothing until the client gives up; the call is recorded as abandoned and the server stays healthy', async () => {
      sim.faults.add({ match: { method: 'RetrieveServiceContent' }, action: { kind: 'hang' } });
      const started = performance.now();
      const error = await soapOnce(sim, 'RetrieveServiceContent', serviceInstance, { timeoutMs: 300 }).then(
        () => undefined,
        (e: NodeJS.ErrnoException) => e,
      );
      expect(error?.code).toBe('TIMEOUT');
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      await eventually(() => sim.journal.entries({ method: 'RetrieveServiceContent' }).length === 1);
      expect(lastCall()).toMatchObject({ method: 'RetrieveServiceContent', outcome: 'abandoned', status: 0 });
      expect((await soap.call('CurrentTime', serviceInstance)).status).toBe(200);
    });

    it('lets the held call go on when its rule is removed', async () => {
      const { id } = sim.faults.add({ match: { method: 'RetrieveServiceContent' }, action: { kind: 'hang' } });
      const pending = soapOnce(sim, 'RetrieveServiceContent', serviceInstance);
      await eventually(() => sim.faults.get(id)!.hits === 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await control(sim).delete(`/faults/${id}`)).status).toBe(204);
      const reply = await pending;
      expect(reply.status).toBe(200);
      expect(reply.text).toContain('<RetrieveServiceContentResponse');
      expect(lastCall()).toMatchObject({ outcome: 'ok', rules: [id] });
    });

    it('does not keep the server from closing', async () => {
      const other = await createSimulator();
      other.faults.add({ match: { method: '*' }, action: { kind: 'hang' } });
      const pending = soapOnce(other, 'Login', sessionManager).then(
        () => 'answered',
        () => 'dropped',
      );
      await eventually(() => other.faults.list()[0]!.hits === 1);
      const started = performance.now();
      await other.close();
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(await pending).toBe('dropped');
      expect(other.journal.entries()).toMatchObject([{ method: 'Login', outcome: 'abandoned' }]);
    });
  });
});
