import { randomUUID } from 'node:crypto';
import { distinguishedName, presentedCertificate } from './client-certificate.js';
import { faults, VimFault } from './fault.js';
import type { ManagedEntity } from './managed-entity.js';
import { ManagedObject, type CallContext } from './managed-object.js';
import type { DataObject, MoRef } from './moref.js';
import { Session } from './session.js';

interface LoginArgs {
  userName: string;
  password: string;
  locale?: string;
}

/** What the SessionManager needs of the ExtensionManager to log extensions in by certificate. */
export interface ExtensionCertificates {
  /** Whether `extensionKey` is registered with a certificate of this thumbprint (SetExtensionCertificate). */
  certificateMatches(extensionKey: string, thumbprint: string): boolean;
  /** The registered extension of this key (its subjectName), or undefined. */
  registration(extensionKey: string): { subjectName?: string } | undefined;
}

/** The privileges vCenter checks on its root folder for the session methods. */
const TERMINATE = 'Sessions.TerminateSession';
const IMPERSONATE = 'Sessions.ImpersonateUser';

/** Logs users in and out; a session idle longer than the instance's timeout is gone. */
export class SessionManager extends ManagedObject {
  private readonly sessions = new Map<string, Session>();
  /** One-use tickets from AcquireCloneTicket, to the session they clone. */
  private readonly cloneTickets = new Map<string, Session>();
  /** Tickets from AcquireGenericServiceTicket: the session, and the URL and method they were asked for. */
  private readonly serviceTickets = new Map<string, { session: Session; url: string; method?: string }>();
  defaultLocale = 'en';
  supportedLocaleList = ['en', 'de', 'fr', 'ja', 'ko', 'zh_CN', 'zh_TW'];
  messageLocaleList = this.supportedLocaleList;
  message = '';
  /** Set by the owning VCenter from its options. */
  idleTimeoutMs = 30 * 60_000;
  /** The simulator's clock, ms (the VCenter sets it, so clock-advance ages sessions too). */
  clock: () => number = Date.now;

  /**
   * sessionList needs Sessions.TerminateSession: without it vCenter leaves it out of what the
   * PropertyCollector returns, with NoPermission in the missingSet. A call with no session is the
   * simulator itself (control API, metrics): it sees them all.
   */
  override read(name: string, ctx: CallContext): unknown {
    if (name === 'currentSession') return ctx.session?.toUserSession();
    if (name === 'sessionList') {
      if (ctx.session) this.requirePrivilege(ctx, TERMINATE);
      return this.liveSessions(ctx).map((s) => s.toUserSession());
    }
    return super.read(name, ctx);
  }

  /** The live session with this key, touched; undefined when unknown or idle too long. */
  lookup(key: string | undefined): Session | undefined {
    const session = this.peek(key);
    if (session) session.lastActiveTime = new Date(this.clock());
    return session;
  }

  /** The live session with this key, left untouched (asking about a session does not keep it alive). */
  private peek(key: string | undefined): Session | undefined {
    if (!key) return undefined;
    const session = this.sessions.get(key);
    if (!session) return undefined;
    if (this.isIdle(session, this.clock())) {
      this.end(session);
      return undefined;
    }
    return session;
  }

  Login(ctx: CallContext, { userName, password, locale }: LoginArgs): DataObject {
    this.refuseIfLoggedIn(ctx);
    const principal = ctx.vc.directory.authenticate(userName, password);
    if (principal === undefined) throw this.badLogin(ctx, userName);
    const session = this.start(ctx, principal);
    if (locale) session.locale = locale;
    return session.toUserSession();
  }

  /** The token's subject logs in; a call whose token the adapter could not verify carries none: InvalidLogin, as vCenter answers. */
  LoginByToken(ctx: CallContext, { locale }: { locale?: string }): DataObject {
    this.refuseIfLoggedIn(ctx);
    const principal = ctx.samlSubject === undefined ? undefined : ctx.vc.directory.principal(ctx.samlSubject);
    if (principal === undefined) throw this.badLogin(ctx, ctx.samlSubject ?? '');
    const session = this.start(ctx, principal);
    if (locale) session.locale = locale;
    return session.toUserSession();
  }

  /**
   * An extension logs in with the TLS client certificate it presents, the one SetExtensionCertificate
   * registered for it (clients reach vCenter through the SDK tunnel for this). The session is the
   * extension's and may impersonate users.
   */
  LoginExtensionByCertificate(ctx: CallContext, { extensionKey, locale }: { extensionKey: string; locale?: string }): DataObject {
    const certificate = presentedCertificate(ctx);
    this.refuseIfLoggedIn(ctx);
    const thumbprint = certificate.fingerprint;
    if (!extensionKey || !this.extensions(ctx)?.certificateMatches(extensionKey, thumbprint)) throw this.badLogin(ctx, extensionKey ?? '');
    return this.startExtension(ctx, extensionKey, locale);
  }

  /**
   * As LoginExtensionByCertificate, matching the certificate's subject against the extension's
   * subjectName instead of a registered thumbprint.
   */
  LoginExtensionBySubjectName(ctx: CallContext, { extensionKey, locale }: { extensionKey: string; locale?: string }): DataObject {
    const certificate = presentedCertificate(ctx);
    this.refuseIfLoggedIn(ctx);
    const extension = this.extensions(ctx)?.registration(extensionKey);
    if (!extension) throw faults.notFound(`The extension ${extensionKey} is not registered.`);
    if (!extension.subjectName) throw new VimFault('NoSubjectName', {}, `The extension ${extensionKey} has no subject name.`);
    if (distinguishedName(certificate) !== extension.subjectName) throw this.badLogin(ctx, extensionKey);
    return this.startExtension(ctx, extensionKey, locale);
  }

  Logout(ctx: CallContext): void {
    const session = ctx.session;
    if (!session) return;
    ctx.vc.events.post(ctx, {
      _type: 'UserLogoutSessionEvent',
      ipAddress: session.ipAddress,
      userAgent: session.userAgent,
      callCount: session.callCount,
      sessionId: session.key,
      loginTime: session.loginTime,
      fullFormattedMessage: `User ${session.userName}@${session.ipAddress} logged out (login time: ${session.loginTime.toISOString()}, number of API invocations: ${session.callCount}, user agent: ${session.userAgent})`,
    });
    this.end(session);
    ctx.session = undefined;
  }

  SessionIsActive(_ctx: CallContext, { sessionID, userName }: { sessionID: string; userName: string }): boolean {
    const session = this.peek(sessionID);
    return session !== undefined && session.userName === userName;
  }

  /**
   * Ends the sessions one after the other, as vCenter does: the first unknown key (NotFound) or
   * the caller's own (InvalidArgument) stops the rest, the ones before it stay ended.
   */
  TerminateSession(ctx: CallContext, { sessionId }: { sessionId?: string[] }): void {
    this.requirePrivilege(ctx, TERMINATE);
    for (const key of sessionId ?? []) {
      if (key === ctx.session?.key) throw faults.invalidArgument('sessionId', 'Cannot terminate the current session; use Logout.');
      const session = this.peek(key);
      if (!session) throw faults.notFound(`Session ${key} not found`);
      this.end(session);
      ctx.vc.events.post(ctx, {
        _type: 'SessionTerminatedEvent',
        sessionId: session.key,
        terminatedUsername: session.userName,
        fullFormattedMessage: `A session for user ${session.userName} has stopped`,
      });
    }
  }

  /** Ends these sessions as their idle timeout would (the control API's sessions-expire): no event; unknown keys are skipped. */
  expire(keys: readonly string[]): number {
    let ended = 0;
    for (const key of keys) {
      const session = this.sessions.get(key);
      if (!session) continue;
      this.end(session);
      ended++;
    }
    return ended;
  }

  /**
   * The current session becomes `userName`'s: it keeps its key and takes the user's identity and
   * permissions (events and the journal name the user from then on). The user must exist: a
   * known user (any name when login is open) or a registered extension; InvalidLogin otherwise.
   * Extension sessions hold Sessions.ImpersonateUser whatever their permissions.
   */
  ImpersonateUser(ctx: CallContext, { userName, locale }: { userName: string; locale?: string }): DataObject {
    const session = ctx.session!;
    if (!session.extensionSession) this.requirePrivilege(ctx, IMPERSONATE);
    const principal = this.principalOf(ctx, userName);
    if (principal === undefined) throw faults.invalidLogin();
    session.userName = principal;
    if (locale) session.locale = locale;
    return session.toUserSession();
  }

  /**
   * A ticket for logging in with a password file on the vCenter's own disk: only callers on that
   * machine can use one, and this simulator has none to give, so every caller is a remote one.
   */
  AcquireLocalTicket(): never {
    throw faults.invalidRequest('AcquireLocalTicket is only available to local callers');
  }

  AcquireCloneTicket(ctx: CallContext): string {
    const ticket = `cst-VCT-${randomUUID()}`;
    this.cloneTickets.set(ticket, ctx.session!);
    return ticket;
  }

  /**
   * A ticket to one HTTP service URL (a datastore file under /folder, sent back as the
   * `vmware_cgi_ticket` cookie), good while the session lives, for that URL and method.
   */
  AcquireGenericServiceTicket(ctx: CallContext, { spec }: { spec: DataObject }): DataObject {
    const url = String(spec?.url ?? '');
    if (!url) throw faults.invalidArgument('spec.url');
    const id = randomUUID();
    this.serviceTickets.set(id, { session: ctx.session!, url, method: spec.method as string | undefined });
    return { id, hostName: undefined };
  }

  /** The session of service ticket `id` if it was issued for `path` (and `method`, when it named one). */
  serviceTicketSession(id: string | undefined, method: string, path: string): Session | undefined {
    const ticket = id ? this.serviceTickets.get(id) : undefined;
    if (!ticket || !this.sessions.has(ticket.session.key)) return undefined;
    // The spec names its method as the HttpMethod enum does (httpPut) or plainly (PUT); a GET ticket allows HEAD.
    const allowed = ticket.method?.replace(/^http/i, '').toUpperCase();
    if (allowed && allowed !== method && !(method === 'HEAD' && allowed === 'GET')) return undefined;
    let ticketPath: string;
    try {
      ticketPath = decodeURIComponent(new URL(ticket.url, 'https://localhost').pathname);
    } catch {
      return undefined;
    }
    return ticketPath === path ? ticket.session : undefined;
  }

  /** A new session with the same identity and authority as the ticket's. */
  CloneSession(ctx: CallContext, { cloneTicket }: { cloneTicket: string }): DataObject {
    const original = this.cloneTickets.get(cloneTicket);
    this.cloneTickets.delete(cloneTicket);
    if (!original || !this.sessions.has(original.key)) throw faults.invalidLogin();
    const clone = this.start(ctx, original.userName);
    clone.extensionSession = original.extensionSession;
    return clone.toUserSession();
  }

  SetLocale(ctx: CallContext, { locale }: { locale: string }): void {
    ctx.session!.locale = locale;
    ctx.session!.messageLocale = locale;
  }

  /** Opens a session for a principal already authenticated (by password, or by a token the caller checked). */
  start(ctx: CallContext, userName: string): Session {
    const session = new Session(randomUUID(), userName, ctx.vc.now(), ctx.remote?.address ?? '127.0.0.1', ctx.remote?.userAgent ?? '');
    this.sessions.set(session.key, session);
    ctx.session = session;
    ctx.vc.events.post(ctx, {
      _type: 'UserLoginSessionEvent',
      ipAddress: session.ipAddress,
      userAgent: session.userAgent,
      locale: session.locale,
      sessionId: session.key,
      fullFormattedMessage: `User ${userName}@${session.ipAddress} logged in as ${session.userAgent}`,
    });
    return session;
  }

  private startExtension(ctx: CallContext, extensionKey: string, locale: string | undefined): DataObject {
    const session = this.start(ctx, extensionKey);
    session.extensionSession = true;
    if (locale) session.locale = locale;
    return session.toUserSession();
  }

  private end(session: Session): void {
    this.sessions.delete(session.key);
    for (const [id, ticket] of this.serviceTickets) if (ticket.session === session) this.serviceTickets.delete(id);
    for (const obj of session.objects.values()) (obj as { dispose?: () => void }).dispose?.();
    session.objects.clear();
  }

  /** A session logs in once: vCenter refuses a login on it (InvalidLogin) and records the attempt. */
  private refuseIfLoggedIn(ctx: CallContext): void {
    if (!ctx.session) return;
    ctx.vc.events.post(ctx, { _type: 'AlreadyAuthenticatedSessionEvent', fullFormattedMessage: 'User cannot logon since the user is already logged on' });
    throw faults.invalidLogin();
  }

  /** The InvalidLogin for a failed login, recorded as vCenter does with a BadUsernameSessionEvent. */
  private badLogin(ctx: CallContext, userName: string): VimFault {
    const ipAddress = ctx.remote?.address ?? '127.0.0.1';
    ctx.vc.events.post(ctx, { _type: 'BadUsernameSessionEvent', userName, ipAddress, fullFormattedMessage: `Cannot login ${userName}@${ipAddress}` });
    return faults.invalidLogin();
  }

  private extensions(ctx: CallContext): ExtensionCertificates | undefined {
    const ref = ctx.vc.content.extensionManager as MoRef | undefined;
    return ref && (ctx.vc.registry.get(ref) as unknown as ExtensionCertificates | undefined);
  }

  /** The principal of a known user (named in any form the directory accepts), or a registered extension's key; undefined for nobody. */
  private principalOf(ctx: CallContext, userName: string): string | undefined {
    if (!userName) return undefined;
    return ctx.vc.directory.principal(userName) ?? (this.extensions(ctx)?.registration(userName) ? userName : undefined);
  }

  /**
   * NoPermission on the root folder unless the caller holds `privId` there, as vCenter checks the
   * Sessions privileges. A call with no session is the simulator's own and may do anything.
   */
  private requirePrivilege(ctx: CallContext, privId: string): void {
    if (ctx.session) ctx.vc.access.require(ctx, ctx.vc.registry.require<ManagedEntity>(ctx.vc.rootFolder), privId);
  }

  private liveSessions(ctx: CallContext): Session[] {
    const now = this.clock();
    return [...this.sessions.values()].filter((s) => !this.isIdle(s, now) || s === ctx.session);
  }

  private isIdle(session: Session, now: number): boolean {
    return now - session.lastActiveTime.getTime() > this.idleTimeoutMs;
  }
}
