import { randomUUID } from 'node:crypto';
import { faults } from './fault.js';
import { ManagedObject, type CallContext } from './managed-object.js';
import type { DataObject } from './moref.js';
import { Session } from './session.js';

interface LoginArgs {
  userName: string;
  password: string;
  locale?: string;
}

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

  override read(name: string, ctx: CallContext): unknown {
    if (name === 'currentSession') return ctx.session?.toUserSession();
    if (name === 'sessionList') return this.liveSessions(ctx).map((s) => s.toUserSession());
    return super.read(name, ctx);
  }

  /** The live session with this key, touched; undefined when unknown or idle too long. */
  lookup(key: string | undefined): Session | undefined {
    if (!key) return undefined;
    const session = this.sessions.get(key);
    if (!session) return undefined;
    const now = this.clock();
    if (this.isIdle(session, now)) {
      this.end(session);
      return undefined;
    }
    session.lastActiveTime = new Date(now);
    return session;
  }

  Login(ctx: CallContext, { userName, password, locale }: LoginArgs): DataObject {
    const principal = ctx.vc.directory.authenticate(userName, password);
    if (principal === undefined) throw faults.invalidLogin();
    const session = this.start(ctx, principal);
    if (locale) session.locale = locale;
    return session.toUserSession();
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
    const session = this.lookup(sessionID);
    return session !== undefined && session.userName === userName;
  }

  TerminateSession(ctx: CallContext, { sessionId }: { sessionId?: string[] }): void {
    const targets = (sessionId ?? []).map((key) => {
      if (key === ctx.session?.key) throw faults.invalidArgument('sessionId', 'Cannot terminate the current session');
      const session = this.sessions.get(key);
      if (!session) throw faults.notFound(`Session ${key} not found`);
      return session;
    });
    for (const session of targets) this.end(session);
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

  CloneSession(ctx: CallContext, { cloneTicket }: { cloneTicket: string }): DataObject {
    const original = this.cloneTickets.get(cloneTicket);
    this.cloneTickets.delete(cloneTicket);
    if (!original || !this.sessions.has(original.key)) throw faults.invalidLogin();
    return this.start(ctx, original.userName).toUserSession();
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

  private end(session: Session): void {
    this.sessions.delete(session.key);
    for (const [id, ticket] of this.serviceTickets) if (ticket.session === session) this.serviceTickets.delete(id);
    for (const obj of session.objects.values()) (obj as { dispose?: () => void }).dispose?.();
    session.objects.clear();
  }

  private liveSessions(ctx: CallContext): Session[] {
    const now = this.clock();
    return [...this.sessions.values()].filter((s) => !this.isIdle(s, now) || s === ctx.session);
  }

  private isIdle(session: Session, now: number): boolean {
    return now - session.lastActiveTime.getTime() > this.idleTimeoutMs;
  }
}
