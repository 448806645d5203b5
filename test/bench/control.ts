/**
 * Control-plane rows: what fault rules cost on the hot path (one-VM RetrievePropertiesEx with 0, 10
 * and 1,000 rules that never match, added over the control API), and what journaling a call costs.
 */
import { ApiCall } from '../../simulator/faults/call.js';
import { FaultInjector } from '../../simulator/faults/injector.js';
import { Journal } from '../../simulator/control/journal.js';
import { Metrics } from '../../simulator/control/metrics.js';
import { CallInterceptor } from '../../simulator/control/interceptor.js';
import { createLogger } from '../../simulator/logger.js';
import { VCenter } from '../../models/vcenter.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { basic, http } from '../support/control.js';
import { call, containerViewRetrieval, loggedIn, median, rate, startSimulator, type BenchSection } from './support.js';
import type { RawClient } from './raw-client.js';

const rounds = 5;

async function ruleCost(results: Record<string, number>): Promise<void> {
  const sim = await startSimulator([]);
  const base = sim.url.replace(/\/sdk$/, '');
  const authorization = basic('user', 'pass');
  const control = async (method: string, path: string, body?: unknown) => {
    const reply = await http(`${base}/_sim${path}`, { method, headers: { authorization }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${reply.text}`);
  };
  // Rules with no method are tried on every call (rules naming one method are only tried on it):
  // each is tested against the call and fails on its moid, the worst case for a rule that does not match.
  let added = 0;
  const rulesUpTo = async (n: number) => {
    for (; added < n; added++) await control('POST', '/faults', { match: { moid: `no-such-object-${added}` }, action: { kind: 'fault', fault: 'InvalidState' } });
  };

  const [client] = await loggedIn(sim.url, 1);
  const vm = /<obj type="VirtualMachine">([^<]+)</.exec((await client!.post(await containerViewRetrieval(client!, ['name']))).toString())![1]!;
  const oneVm = call(
    'RetrievePropertiesEx', 'PropertyCollector', 'propertyCollector',
    `<specSet><propSet><type>VirtualMachine</type><pathSet>name</pathSet><pathSet>runtime.powerState</pathSet></propSet><objectSet><obj type="VirtualMachine">${vm}</obj></objectSet></specSet><options/>`,
  );
  const retrieve = (c: RawClient) => c.post(oneVm);
  // Rounds alternate the rule counts, and medians are kept, so a noisy neighbour hurts all alike.
  const measured: Record<number, number[]> = { 0: [], 10: [], 1000: [] };
  for (let round = 0; round < rounds; round++) {
    for (const n of [0, 10, 1000]) {
      if (n === 0) {
        await control('DELETE', '/faults');
        added = 0;
      }
      await rulesUpTo(n);
      measured[n]!.push(await rate([client!], retrieve));
    }
  }
  results.rules0 = median(measured[0]!);
  results.rules10 = median(measured[10]!);
  results.rules1000 = median(measured[1000]!);
  results.rules10SlowdownPct = (1 - results.rules10 / results.rules0) * 100;
  results.rules1000SlowdownPct = (1 - results.rules1000 / results.rules0) * 100;
  client!.close();
  sim.child.kill();
}

/**
 * ns per call the rule engine spends, in-process, with 10 and 1,000 rules that do not match: the
 * same figure as the HTTP rows without a busy machine's noise. The slowdown it means is that share
 * of a call's time at the 0-rule rate.
 */
function ruleEngineCost(results: Record<string, number>): void {
  const vc = new VCenter({ topology: topologyFromFlags({}) });
  const calls = 200_000;
  const time = (rules: number) => {
    const injector = new FaultInjector({ types: vc.types, seed: 0, now: () => Date.now(), entityName: () => undefined });
    for (let i = 0; i < rules; i++) injector.rules.add({ match: { moid: `no-such-object-${i}` }, action: { kind: 'fault', fault: 'InvalidState' } });
    const call = new ApiCall(1, 'soap', Date.now());
    call.method = 'RetrievePropertiesEx';
    call.type = 'PropertyCollector';
    call.moid = 'propertyCollector';
    const started = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) injector.apply(call);
    return Number(process.hrtime.bigint() - started) / calls;
  };
  for (const rules of [0, 10, 1000]) {
    const samples = Array.from({ length: 5 }, () => time(rules));
    results[`ruleEngineNs${rules}`] = median(samples);
  }
  const callNs = 1e9 / results.rules0!;
  results.ruleEngine10SlowdownPct = ((results.ruleEngineNs10! - results.ruleEngineNs0!) / callNs) * 100;
  results.ruleEngine1000SlowdownPct = ((results.ruleEngineNs1000! - results.ruleEngineNs0!) / callNs) * 100;
}

/**
 * ns per journaled call, in-process: what the interceptor does when a call ends (journal ring,
 * coverage counts, metrics), against a journal of one entry and no metrics.
 */
function journalCost(results: Record<string, number>): void {
  const vc = new VCenter({ topology: topologyFromFlags({}) });
  const entries = 200_000;
  const methods = ['RetrievePropertiesEx', 'WaitForUpdatesEx', 'CurrentTime', 'PowerOnVM_Task'];
  const time = (journal: Journal, metrics?: Metrics) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < entries; i++) {
      const c = new ApiCall(journal.nextSeq(), 'soap', Date.now());
      c.method = methods[i & 3]!;
      c.outcome = 'ok';
      c.status = 200;
      c.durationMs = 0.1;
      journal.record(c);
      metrics?.observe(c);
    }
    return Number(process.hrtime.bigint() - started) / entries;
  };
  const full: number[] = [];
  const tiny: number[] = [];
  const withMetrics: number[] = [];
  for (let round = 0; round < 5; round++) {
    full.push(time(new Journal(10_000)));
    tiny.push(time(new Journal(1)));
    withMetrics.push(time(new Journal(10_000), new Metrics(vc)));
  }
  results.journalNsPerCall = median(full);
  results.tinyJournalNsPerCall = median(tiny);
  results.journalAndMetricsNsPerCall = median(withMetrics);
}

/**
 * ns per call of the interceptor's close (journal, coverage, and the debug log line), in-process,
 * with the logger at info (no line: the default) and at debug (a JSON line to a sink that drops it).
 */
function callLogCost(results: Record<string, number>): void {
  const vc = new VCenter({ topology: topologyFromFlags({}) });
  const calls = 100_000;
  const time = (level: 'info' | 'debug') => {
    const logger = createLogger({ level, destination: { write: () => {} } });
    const interceptor = new CallInterceptor(vc, new FaultInjector({ types: vc.types, seed: 0, now: () => Date.now(), entityName: () => undefined }), new Journal(10_000), undefined, logger);
    const started = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) {
      const c = interceptor.open('soap');
      c.method = 'RetrievePropertiesEx';
      c.moid = 'propertyCollector';
      interceptor.close(c, { status: 200 });
    }
    return Number(process.hrtime.bigint() - started) / calls;
  };
  const info: number[] = [];
  const debug: number[] = [];
  for (let round = 0; round < 5; round++) {
    info.push(time('info'));
    debug.push(time('debug'));
  }
  results.callCloseNsLogInfo = median(info);
  results.callCloseNsLogDebug = median(debug);
}

export const controlSection: BenchSection = {
  name: 'control',
  async run(results) {
    await ruleCost(results);
    ruleEngineCost(results);
    journalCost(results);
    callLogCost(results);
  },
  rows: (n) => [
    ['(k) RetrievePropertiesEx, 1 VM, 0 fault rules', `${n('rules0')} calls/s`, ''],
    ['(k) RetrievePropertiesEx, 1 VM, 10 non-matching rules', `${n('rules10')} calls/s`, ''],
    ['(k) RetrievePropertiesEx, 1 VM, 1,000 non-matching rules', `${n('rules1000')} calls/s`, ''],
    ['(k) slowdown with 10 rules', `${n('rules10SlowdownPct', 1)} %`, '< 5 %'],
    ['(k) slowdown with 1,000 rules', `${n('rules1000SlowdownPct', 1)} %`, ''],
    ['(k) rule engine per call, 10 / 1,000 non-matching rules, in-process', `${n('ruleEngineNs10')} / ${n('ruleEngineNs1000')} ns`, ''],
    ['(k) slowdown with 10 rules, from the in-process cost', `${n('ruleEngine10SlowdownPct', 2)} %`, '< 5 %'],
    ['(k) slowdown with 1,000 rules, from the in-process cost', `${n('ruleEngine1000SlowdownPct', 1)} %`, ''],
    ['(k) journal write (10,000-entry ring + coverage), in-process', `${n('journalNsPerCall')} ns/call`, ''],
    ['(k) journal write, 1-entry ring, in-process', `${n('tinyJournalNsPerCall')} ns/call`, ''],
    ['(k) journal write + Prometheus metrics, in-process', `${n('journalAndMetricsNsPerCall')} ns/call`, ''],
    ['(k) call close (journal + log line), log level info / debug, in-process', `${n('callCloseNsLogInfo')} / ${n('callCloseNsLogDebug')} ns/call`, 'info: no extra cost'],
  ],
};
