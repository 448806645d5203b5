import { describe, expect, it } from 'vitest';
import { typeTable } from '../../models/core/type-table.js';
import { ApiCall } from '../../simulator/faults/call.js';
import { globMatcher } from '../../simulator/faults/glob.js';
import { SeededRandom, mixSeed } from '../../simulator/faults/random.js';
import { FaultRules } from '../../simulator/faults/rules.js';
import { Interner } from '../../simulator/control/intern.js';
import { Journal } from '../../simulator/control/journal.js';

const rules = () => new FaultRules({ types: typeTable(), seed: 0, now: () => Date.now(), entityName: () => undefined });
const call = (method: string, seq = 1) => Object.assign(new ApiCall(seq, 'soap', Date.now()), { method });

describe('globs', () => {
  it('* is any run, ? one character, everything else literal', () => {
    expect(globMatcher('DC0_H0_*')('DC0_H0_VM1')).toBe(true);
    expect(globMatcher('DC0_H0_*')('DC0_C0_VM1')).toBe(false);
    expect(globMatcher('vm-?')('vm-4')).toBe(true);
    expect(globMatcher('vm-?')('vm-42')).toBe(false);
    expect(globMatcher('a.b(c)+[d]')('a.b(c)+[d]')).toBe(true);
    expect(globMatcher('a.b*')('axb')).toBe(false);
    expect(globMatcher('*')(undefined)).toBe(false);
    expect(globMatcher('x')(undefined)).toBe(false);
    expect(globMatcher('/api/vcenter/vm/*')('/api/vcenter/vm/vm-1/power')).toBe(true);
  });

  it('agrees with the regular expression of the glob on seeded random patterns and values', () => {
    const random = new SeededRandom(15);
    const pick = (alphabet: string, max: number) =>
      Array.from({ length: Math.floor(random.next() * max) }, () => alphabet[Math.floor(random.next() * alphabet.length)]).join('');
    const asRegex = (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
    let matched = 0;
    for (let i = 0; i < 5000; i++) {
      const pattern = pick('ab*?', 8);
      const value = pick('ab', 10);
      const expected = asRegex(pattern).test(value);
      expect(globMatcher(pattern)(value), `${pattern} ~ ${value}`).toBe(expected);
      if (expected) matched++;
    }
    expect(matched).toBeGreaterThan(500);
  });

  it('answers a pattern that makes a backtracking regex take exponential time', () => {
    // As a regex, `^.*a.*a...b$` against 5,000 a's does not finish in a lifetime.
    expect(globMatcher(`${'*a'.repeat(40)}*b`)('a'.repeat(5000))).toBe(false);
    expect(globMatcher(`${'*?'.repeat(40)}*b`)(`${'a'.repeat(5000)}b`)).toBe(true);
    expect(globMatcher(`${'*a?'.repeat(40)}*c`)('ab'.repeat(5000))).toBe(false);
  });
});

describe('seeded random', () => {
  it('repeats for a seed and differs between seeds, within [0, 1)', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, ((r) => () => r.next())(new SeededRandom(seed)));
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    for (const x of draw(3)) expect(x >= 0 && x < 1).toBe(true);
    expect(mixSeed(7, 1)).toBe(mixSeed(7, 1));
    expect(mixSeed(7, 1)).not.toBe(mixSeed(7, 2));
    expect(mixSeed(7, 1)).not.toBe(mixSeed(8, 1));
  });
});

describe('rule order and the method index', () => {
  const fault = (name: string) => ({ kind: 'fault' as const, fault: 'InvalidState', message: name });

  it('tries exact-method and glob rules in the order they were added', () => {
    const r = rules();
    r.add({ match: { method: 'Current*' }, action: fault('glob first') });
    r.add({ match: { method: 'CurrentTime' }, action: fault('exact second') });
    expect(r.evaluate(call('CurrentTime'))!.rule!.fault!.message).toBe('glob first');
    const s = rules();
    s.add({ match: { method: 'CurrentTime' }, action: fault('exact first') });
    s.add({ action: fault('any second') });
    expect(s.evaluate(call('CurrentTime'))!.rule!.fault!.message).toBe('exact first');
    expect(s.evaluate(call('Login'))!.rule!.fault!.message).toBe('any second');
  });

  it('forgets removed rules in the index', () => {
    const r = rules();
    const a = r.add({ match: { method: 'CurrentTime' }, action: fault('a') });
    const b = r.add({ match: { method: 'CurrentTime' }, action: fault('b') });
    r.remove(a.id);
    expect(r.evaluate(call('CurrentTime'))!.rule!.fault!.message).toBe('b');
    r.remove(b.id);
    expect(r.evaluate(call('CurrentTime'))).toBeUndefined();
    expect(r.size).toBe(0);
  });

  it('matches a call by its trace id, and leaves alone the calls its `unless` matches', () => {
    const r = rules();
    const trace = (id: string) => `00-${id}-${id.slice(0, 16)}-01`;
    const runner = 'a'.repeat(32);
    const traced = (method: string, id: string) => Object.assign(call(method), { traceparent: trace(id) });
    r.add({ match: { method: 'Retrieve*' }, unless: { trace: runner }, action: fault('not the runner') });
    r.add({ match: { trace: 'b*' }, action: fault('client b') });
    expect(r.evaluate(traced('RetrievePropertiesEx', runner))).toBeUndefined();
    expect(r.evaluate(traced('RetrievePropertiesEx', 'c'.repeat(32)))!.rule!.fault!.message).toBe('not the runner');
    expect(r.evaluate(call('RetrievePropertiesEx'))!.rule!.fault!.message).toBe('not the runner');
    expect(r.evaluate(traced('CurrentTime', 'b'.repeat(32)))!.rule!.fault!.message).toBe('client b');
    expect(r.evaluate(call('CurrentTime'))).toBeUndefined();
    expect(() => r.add({ unless: {}, action: fault('x') })).toThrow(/unless.*at least one field/);
  });

  it('returns nothing, and leaves the call untouched, when no rule fires', () => {
    const r = rules();
    for (let i = 0; i < 100; i++) r.add({ match: { method: `Other${i}` }, action: fault('x') });
    const c = call('CurrentTime');
    expect(r.evaluate(c)).toBeUndefined();
    expect(c.rules).toBeUndefined();
  });
});

describe('journal ring buffer', () => {
  const ended = (seq: number, method: string) => Object.assign(call(method, seq), { outcome: 'ok' as const, status: 200 });

  it('keeps the newest `capacity` calls in arrival order, whatever order they ended in', () => {
    const journal = new Journal(3);
    for (const seq of [2, 1, 3, 5, 4]) journal.record(ended(seq, `M${seq}`));
    expect(journal.entries().map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(journal.entries({ limit: 2 }).map((e) => e.method)).toEqual(['M4', 'M5']);
    journal.clear();
    expect(journal.entries()).toEqual([]);
    expect(() => new Journal(0)).toThrow(/positive integer/);
  });
});

describe('interner', () => {
  it('returns equal strings, the same copy for known ones', () => {
    const interner = new Interner(2);
    const body = '<x>RetrievePropertiesEx</x>';
    const slice = body.slice(3, 23);
    const own = interner.own(slice);
    expect(own).toBe('RetrievePropertiesEx');
    expect(interner.own(body.slice(3, 23))).toBe(own);
    expect(interner.own('short')).toBe('short');
    expect(interner.own(undefined)).toBeUndefined();
  });
});
