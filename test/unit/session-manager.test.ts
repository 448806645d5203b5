import { X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExtensionManager } from '../../models/admin/extension-manager.js';
import type { PropertyCollector } from '../../models/core/property-collector.js';
import { selfSigned } from '../../simulator/tls.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { DataObject, MoRef } from '../../models/core/moref.js';
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
    const c = login(vc, 'carol');
    const bKey = b.session!.key;
    expect(vc.sessionManager.SessionIsActive(a, { sessionID: bKey, userName: 'bob' })).toBe(true);
    await expectFault(() => vc.sessionManager.TerminateSession(a, { sessionId: [a.session!.key] }), 'InvalidArgument');
    // One after the other, as vCenter: the sessions before the unknown key stay terminated.
    await expectFault(() => vc.sessionManager.TerminateSession(a, { sessionId: [c.session!.key, 'nope', bKey] }), 'NotFound');
    expect(vc.sessionManager.lookup(c.session!.key)).toBeUndefined();
    expect(vc.sessionManager.lookup(bKey)).toBeDefined();
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
    expect(events[1]).toMatchObject({ userName: 'alice', sessionId: key, callCount: 1 });
  });
});

describe('login events', () => {
  const eventsOf = (vc: VCenter, type: string) => vc.events.QueryEvents({ vc }, { filter: { eventTypeId: [type] } });

  it('a failed login posts BadUsernameSessionEvent naming the user and the address it came from', async () => {
    const vc = make({ username: 'admin', password: 'secret' });
    await expectFault(() => vc.sessionManager.Login({ vc, remote: { address: '10.0.0.7', userAgent: 'x' } }, { userName: 'mallory', password: 'guess' }), 'InvalidLogin');
    expect(eventsOf(vc, 'BadUsernameSessionEvent')).toEqual([
      expect.objectContaining({ userName: 'mallory', ipAddress: '10.0.0.7', fullFormattedMessage: 'Cannot login mallory@10.0.0.7' }),
    ]);
  });

  it('a session logs in once: a second Login on it is InvalidLogin and an AlreadyAuthenticatedSessionEvent', async () => {
    const vc = make();
    const ctx = login(vc, 'alice');
    const key = ctx.session!.key;
    await expectFault(() => vc.sessionManager.Login(ctx, { userName: 'bob', password: 'x' }), 'InvalidLogin');
    expect(ctx.session!.key).toBe(key);
    expect(eventsOf(vc, 'AlreadyAuthenticatedSessionEvent')).toEqual([expect.objectContaining({ userName: 'alice' })]);
  });

  it('TerminateSession posts SessionTerminatedEvent for each session it ends, by the caller', () => {
    const vc = make();
    const admin = login(vc, 'root');
    const bob = login(vc, 'bob').session!;
    vc.sessionManager.TerminateSession(admin, { sessionId: [bob.key] });
    expect(eventsOf(vc, 'SessionTerminatedEvent')).toEqual([
      expect.objectContaining({ userName: 'root', sessionId: bob.key, terminatedUsername: 'bob', fullFormattedMessage: 'A session for user bob has stopped' }),
    ]);
  });

  it('expire (the control API\'s sessions-expire) ends sessions as their idle timeout does: no event, unknown keys skipped', () => {
    const vc = make();
    const bob = login(vc, 'bob').session!;
    expect(vc.sessionManager.expire([bob.key, 'no-such-key'])).toBe(1);
    expect(vc.sessionManager.lookup(bob.key)).toBeUndefined();
    expect(eventsOf(vc, 'SessionTerminatedEvent')).toEqual([]);
  });

  it('counts the login as the session\'s first call', () => {
    const vc = make();
    expect(vc.sessionManager.Login({ vc }, { userName: 'alice', password: 'x' }).callCount).toBe(1);
  });

  it('SessionIsActive asks without keeping the session alive', () => {
    vi.useFakeTimers();
    const vc = make({ sessionIdleTimeoutMs: 60_000 });
    const watcher = login(vc, 'watcher');
    const idle = login(vc, 'idle').session!;
    vi.advanceTimersByTime(40_000);
    expect(vc.sessionManager.SessionIsActive(watcher, { sessionID: idle.key, userName: 'idle' })).toBe(true);
    vi.advanceTimersByTime(40_000);
    expect(vc.sessionManager.SessionIsActive(watcher, { sessionID: idle.key, userName: 'idle' })).toBe(false);
  });

  it('AcquireLocalTicket is for callers on the vCenter itself: InvalidRequest here, as ESX answers remote ones', async () => {
    await expectFault(() => make().sessionManager.AcquireLocalTicket(), 'InvalidRequest');
  });
});

describe('session privileges', () => {
  const READ_ONLY = -2;
  const ADMIN = 'VSPHERE.LOCAL\\admin';
  const VIEWER = 'VSPHERE.LOCAL\\viewer';
  /** Users configured: admin (Admin, as every configured user by default) and viewer, made ReadOnly. */
  function withViewer() {
    const vc = make({ topology: { ...topologyFromFlags({}), users: [{ username: 'admin', password: 'a' }, { username: 'viewer', password: 'v' }] } });
    const admin = login(vc, 'admin', 'a');
    vc.authorizationManager.SetEntityPermissions(admin, { entity: vc.rootFolder, permission: [{ principal: VIEWER, group: false, roleId: READ_ONLY, propagate: true }] });
    return { vc, admin, viewer: login(vc, 'viewer', 'v') };
  }

  it('sessionList needs Sessions.TerminateSession: NoPermission on the root folder otherwise, in the missingSet of a retrieval', async () => {
    const { vc, admin, viewer } = withViewer();
    expect((vc.sessionManager.read('sessionList', admin) as DataObject[]).map((s) => s.userName)).toEqual([ADMIN, VIEWER]);
    const fault = await expectFault(() => vc.sessionManager.read('sessionList', viewer), 'NoPermission');
    expect(fault.props).toMatchObject({ object: vc.rootFolder, privilegeId: 'Sessions.TerminateSession' });

    const collector = vc.registry.require<PropertyCollector>(vc.content.propertyCollector as MoRef);
    const spec = { propSet: [{ type: 'SessionManager', pathSet: ['currentSession', 'sessionList'] }], objectSet: [{ obj: vc.sessionManager.self }] };
    const [content] = (collector.RetrievePropertiesEx(viewer, { specSet: [spec], options: {} }) as DataObject).objects as DataObject[];
    expect((content!.propSet as { name: string }[]).map((p) => p.name)).toEqual(['currentSession']);
    expect(content!.missingSet).toEqual([
      { _type: 'MissingProperty', path: 'sessionList', fault: { _type: 'LocalizedMethodFault', localizedMessage: '', fault: expect.objectContaining({ _type: 'NoPermission', privilegeId: 'Sessions.TerminateSession' }) } },
    ]);
  });

  it('TerminateSession needs Sessions.TerminateSession', async () => {
    const { vc, admin, viewer } = withViewer();
    await expectFault(() => vc.sessionManager.TerminateSession(viewer, { sessionId: [admin.session!.key] }), 'NoPermission');
    vc.sessionManager.TerminateSession(admin, { sessionId: [viewer.session!.key] });
    expect(vc.sessionManager.lookup(viewer.session!.key)).toBeUndefined();
  });

  it('ImpersonateUser turns the session into a known user\'s (same key), under Sessions.ImpersonateUser; events name the new user', async () => {
    const { vc, admin, viewer } = withViewer();
    await expectFault(() => vc.sessionManager.ImpersonateUser(viewer, { userName: 'admin' }), 'NoPermission');
    await expectFault(() => vc.sessionManager.ImpersonateUser(admin, { userName: 'ghost' }), 'InvalidLogin');
    const key = admin.session!.key;
    // Any form of the user's name: the session takes its principal.
    const session = vc.sessionManager.ImpersonateUser(admin, { userName: 'viewer@vsphere.local', locale: 'de' });
    expect(session).toMatchObject({ key, userName: VIEWER, locale: 'de' });
    expect((vc.sessionManager.read('currentSession', admin) as DataObject).userName).toBe(VIEWER);
    // Now the session holds the viewer's permissions, and what it does is the viewer's.
    await expectFault(() => vc.sessionManager.read('sessionList', admin), 'NoPermission');
    vc.sessionManager.Logout(admin);
    expect(vc.events.QueryEvents({ vc }, { filter: { eventTypeId: ['UserLogoutSessionEvent'] } })).toEqual([expect.objectContaining({ userName: VIEWER, sessionId: key })]);
  });
});

describe('extension logins', () => {
  const KEY = 'com.acme.plugin';
  const pem = selfSigned('acme-solution').cert;
  const other = selfSigned('someone-else').cert;
  const presenting = (vc: VCenter, certificatePem?: string): CallContext => ({
    vc,
    remote: { address: '127.0.0.1', userAgent: 'ext', certificate: () => (certificatePem ? new X509Certificate(certificatePem).raw : undefined) },
  });
  function registered() {
    const vc = make({ username: 'admin', password: 'a' });
    const admin = login(vc, 'admin', 'a');
    const extensions = vc.registry.require<ExtensionManager>(vc.content.extensionManager as MoRef);
    extensions.RegisterExtension(admin, { extension: { _type: 'Extension', key: KEY, version: '1', company: 'ACME', description: { _type: 'Description', label: 'x', summary: 'x' } } });
    return { vc, admin, extensions };
  }

  it('LoginExtensionByCertificate logs in the extension whose registered certificate the caller presents', async () => {
    const { vc, admin, extensions } = registered();
    await expectFault(() => vc.sessionManager.LoginExtensionByCertificate(presenting(vc), { extensionKey: KEY }), 'NoClientCertificate');
    await expectFault(() => vc.sessionManager.LoginExtensionByCertificate(presenting(vc, pem), { extensionKey: KEY }), 'InvalidLogin');
    extensions.SetExtensionCertificate(admin, { extensionKey: KEY, certificatePem: pem });
    await expectFault(() => vc.sessionManager.LoginExtensionByCertificate(presenting(vc, other), { extensionKey: KEY }), 'InvalidLogin');
    await expectFault(() => vc.sessionManager.LoginExtensionByCertificate(presenting(vc, pem), { extensionKey: 'com.other' }), 'InvalidLogin');
    const ctx = presenting(vc, pem);
    expect(vc.sessionManager.LoginExtensionByCertificate(ctx, { extensionKey: KEY })).toMatchObject({ userName: KEY, extensionSession: true });
    await expectFault(() => vc.sessionManager.LoginExtensionByCertificate(ctx, { extensionKey: KEY }), 'InvalidLogin');
    expect(vc.events.QueryEvents({ vc }, { filter: { eventTypeId: ['BadUsernameSessionEvent'] } }).map((e) => e.userName)).toEqual([KEY, KEY, 'com.other']);
  });

  it('SetExtensionCertificate without a PEM takes the certificate the caller presents; unregistering forgets it', async () => {
    const { vc, admin, extensions } = registered();
    await expectFault(() => extensions.SetExtensionCertificate({ ...presenting(vc), session: admin.session }, { extensionKey: KEY }), 'NoClientCertificate');
    extensions.SetExtensionCertificate({ ...presenting(vc, pem), session: admin.session }, { extensionKey: KEY });
    expect(extensions.FindExtension(admin, { extensionKey: KEY })!.subjectName).toBe('CN=acme-solution');
    expect(vc.sessionManager.LoginExtensionByCertificate(presenting(vc, pem), { extensionKey: KEY }).userName).toBe(KEY);
    extensions.UnregisterExtension(admin, { extensionKey: KEY });
    await expectFault(() => vc.sessionManager.LoginExtensionByCertificate(presenting(vc, pem), { extensionKey: KEY }), 'InvalidLogin');
  });

  it('LoginExtensionBySubjectName matches the certificate\'s subject against the extension\'s subjectName', async () => {
    const { vc, admin, extensions } = registered();
    await expectFault(() => vc.sessionManager.LoginExtensionBySubjectName(presenting(vc, pem), { extensionKey: 'com.other' }), 'NotFound');
    await expectFault(() => vc.sessionManager.LoginExtensionBySubjectName(presenting(vc, pem), { extensionKey: KEY }), 'NoSubjectName');
    extensions.SetExtensionCertificate(admin, { extensionKey: KEY, certificatePem: pem });
    await expectFault(() => vc.sessionManager.LoginExtensionBySubjectName(presenting(vc, other), { extensionKey: KEY }), 'InvalidLogin');
    expect(vc.sessionManager.LoginExtensionBySubjectName(presenting(vc, pem), { extensionKey: KEY })).toMatchObject({ userName: KEY, extensionSession: true });
  });

  it('an extension session impersonates users without holding Sessions.ImpersonateUser; its clones are extension sessions too', async () => {
    const { vc, admin, extensions } = registered();
    extensions.SetExtensionCertificate(admin, { extensionKey: KEY, certificatePem: pem });
    const ext = presenting(vc, pem);
    vc.sessionManager.LoginExtensionByCertificate(ext, { extensionKey: KEY });
    vc.authorizationManager.SetEntityPermissions(admin, { entity: vc.rootFolder, permission: [{ principal: KEY, group: false, roleId: -5, propagate: true }] });
    const clone: CallContext = { vc };
    vc.sessionManager.CloneSession(clone, { cloneTicket: vc.sessionManager.AcquireCloneTicket(ext) });
    expect(vc.sessionManager.ImpersonateUser(ext, { userName: 'admin' })).toMatchObject({ userName: 'admin', extensionSession: true });
    expect(vc.sessionManager.ImpersonateUser(clone, { userName: KEY }).userName).toBe(KEY);
  });
});
