import { afterEach, describe, expect, it, vi } from 'vitest';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject } from '../../models/core/moref.js';
import { VCenter } from '../../models/vcenter.js';
import { expectFault } from '../support/faults.js';

const make = (options: Partial<ConstructorParameters<typeof VCenter>[0]> = {}) =>
  new VCenter({ topology: topologyFromFlags({}), ...options });

function login(vc: VCenter, userName = 'user', password = 'pass'): CallContext {
  const ctx: CallContext = { vc };
  vc.sessionManager.Login(ctx, { userName, password });
  return ctx;
}

afterEach(() => vi.useRealTimers());

describe('SessionManager', () => {
  it('accepts any non-empty credentials when none are configured, and only the configured ones otherwise', async () => {
    const open = make();
    expect(login(open, 'anyone', 'anything').session?.userName).toBe('anyone');
    await expectFault(() => login(open, '', 'x'), 'InvalidLogin');
    const strict = make({ username: 'admin', password: 'secret' });
    await expectFault(() => login(strict, 'admin', 'nope'), 'InvalidLogin');
    expect(login(strict, 'admin', 'secret').session).toBeDefined();
  });

  it('logs a verified token subject in by token as its principal; no subject or an unknown user is InvalidLogin', async () => {
    const vc = make({ topology: { ...topologyFromFlags({}), users: [{ username: 'alice', password: 'pw' }] } });
    await expectFault(() => vc.sessionManager.LoginByToken({ vc }, {}), 'InvalidLogin');
    await expectFault(() => vc.sessionManager.LoginByToken({ vc, samlSubject: 'bob@VSPHERE.LOCAL' }, {}), 'InvalidLogin');
    const ctx: CallContext = { vc, samlSubject: 'alice@VSPHERE.LOCAL' };
    const session = vc.sessionManager.LoginByToken(ctx, { locale: 'de' });
    expect(session).toMatchObject({ userName: 'VSPHERE.LOCAL\\alice', locale: 'de' });
    expect(vc.events.QueryEvents(ctx, { filter: { eventTypeId: ['UserLoginSessionEvent'] } }).map((e) => e.userName)).toEqual(['VSPHERE.LOCAL\\alice']);
  });

  it('reports the caller as currentSession and every session in sessionList', () => {
    const vc = make();
    const a = login(vc, 'alice');
    login(vc, 'bob');
    expect((vc.sessionManager.read('currentSession', a) as DataObject).userName).toBe('alice');
    expect((vc.sessionManager.read('sessionList', a) as DataObject[]).map((s) => s.userName).sort()).toEqual(['alice', 'bob']);
    expect(vc.sessionManager.read('currentSession', { vc })).toBeUndefined();
  });

  it('logs out, terminates other sessions but not its own, and knows which are active', async () => {
    const vc = make();
    const a = login(vc, 'alice');
    const b = login(vc, 'bob');
    const bKey = b.session!.key;
    expect(vc.sessionManager.SessionIsActive(a, { sessionID: bKey, userName: 'bob' })).toBe(true);
    await expectFault(() => vc.sessionManager.TerminateSession(a, { sessionId: [a.session!.key] }), 'InvalidArgument');
    await expectFault(() => vc.sessionManager.TerminateSession(a, { sessionId: ['nope'] }), 'NotFound');
    vc.sessionManager.TerminateSession(a, { sessionId: [bKey] });
    expect(vc.sessionManager.lookup(bKey)).toBeUndefined();
    const aKey = a.session!.key;
    vc.sessionManager.Logout(a);
    expect(a.session).toBeUndefined();
    expect(vc.sessionManager.lookup(aKey)).toBeUndefined();
  });

  it('clones a session once per ticket', async () => {
    const vc = make();
    const a = login(vc, 'alice');
    const ticket = vc.sessionManager.AcquireCloneTicket(a);
    const clone: CallContext = { vc };
    expect(vc.sessionManager.CloneSession(clone, { cloneTicket: ticket }).userName).toBe('alice');
    expect(clone.session!.key).not.toBe(a.session!.key);
    await expectFault(() => vc.sessionManager.CloneSession({ vc }, { cloneTicket: ticket }), 'InvalidLogin');
  });

  it('sets the locale of the session', () => {
    const vc = make();
    const a = login(vc);
    vc.sessionManager.SetLocale(a, { locale: 'de' });
    expect((vc.sessionManager.read('currentSession', a) as DataObject).locale).toBe('de');
  });

  it('forgets a session idle longer than the timeout, and keeps one in use', () => {
    vi.useFakeTimers();
    const vc = make({ sessionIdleTimeoutMs: 60_000 });
    const idle = login(vc).session!.key;
    const busy = login(vc).session!.key;
    vi.advanceTimersByTime(40_000);
    expect(vc.sessionManager.lookup(busy)).toBeDefined();
    vi.advanceTimersByTime(40_000);
    expect(vc.sessionManager.lookup(idle)).toBeUndefined();
    expect(vc.sessionManager.lookup(busy)).toBeDefined();
  });
});

describe('session events', () => {
  it('posts UserLoginSessionEvent and UserLogoutSessionEvent', () => {
    const vc = make();
    const ctx = login(vc, 'alice');
    const key = ctx.session!.key;
    vc.sessionManager.Logout(ctx);
    const events = vc.events.QueryEvents({ vc }, { filter: { userName: { userList: ['alice'] } } });
    expect(events.map((e) => e._type)).toEqual(['UserLoginSessionEvent', 'UserLogoutSessionEvent']);
    expect(events[0]).toMatchObject({ userName: 'alice', sessionId: key });
    expect(events[1]).toMatchObject({ userName: 'alice', sessionId: key, callCount: 0 });
  });
});
