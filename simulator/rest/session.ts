/**
 * `cis/session`: create (HTTP Basic, an OAuth bearer token, or a live SOAP session), get, delete.
 * A REST session is a SessionManager session, so it shows in `sessionList` and expires with the
 * same idle timeout.
 */
import { VimFault } from '../../models/core/fault.js';
import type { CallContext } from '../../models/core/managed-object.js';
import type { Session } from '../../models/core/session.js';
import { basicCredentials, bearerToken, sessionToken, soapSession, wantsHeaderAuthn } from './auth.js';
import { vapiErrors } from './errors.js';
import { defineRoute, type RestContext, type RestRoute } from './route.js';

const path = { api: '/session', rest: '/com/vmware/cis/session' };

/** The session's token, the key the SessionManager knows it by. */
function create(ctx: RestContext): string | Promise<string> {
  const call: CallContext = { vc: ctx.vc, remote: ctx.remote };
  const credentials = basicCredentials(ctx.headers);
  const signed = credentials ? undefined : signAuthorization(ctx);
  const bearer = credentials || signed ? undefined : bearerToken(ctx.headers);
  if (credentials) {
    login(ctx, call, credentials);
  } else if (signed !== undefined) {
    loginByToken(ctx, call, signed);
  } else if (bearer !== undefined) {
    return loginByBearerToken(ctx, call, bearer).then(() => opened(ctx, call));
  } else {
    cloneSoapSession(ctx, call);
  }
  return opened(ctx, call);
}

/** vCenter 8 with identity federation: an OAuth access token opens an ordinary session for its user. */
async function loginByBearerToken(ctx: RestContext, call: CallContext, token: string): Promise<void> {
  const grant = await ctx.vc.oauth.verify(token);
  if (!grant) throw vapiErrors.invalidBearerToken();
  ctx.vc.sessionManager.start(call, grant.principal);
}

function opened(ctx: RestContext, call: CallContext): string {
  const session = call.session!;
  // govmomi asks for the token in the body only; other clients get the cookie vCenter sets as well.
  if (ctx.flavour === 'rest' && !wantsHeaderAuthn(ctx.headers)) {
    const secure = ctx.origin.startsWith('https:') ? ' Secure;' : '';
    ctx.setHeader('set-cookie', `vmware-api-session-id=${session.key}; Path=/rest;${secure} HttpOnly`);
  }
  return session.key;
}

/** A login with Basic credentials: the SessionManager's, so a failed one is a BadUsernameSessionEvent as over SOAP. */
function login(ctx: RestContext, call: CallContext, credentials: { userName: string; password: string }): void {
  try {
    ctx.vc.sessionManager.Login(call, credentials);
  } catch (error) {
    if (error instanceof VimFault && error.type === 'InvalidLogin') throw vapiErrors.invalidCredentials();
    throw error;
  }
}

/** An `Authorization: SIGN token="..."` header: a login by SAML token (govmomi's rest.Client.LoginByToken). */
function signAuthorization(ctx: RestContext): string | undefined {
  const value = ctx.headers.authorization;
  return typeof value === 'string' && /^\s*SIGN\s/i.test(value) ? value : undefined;
}

/** The token's subject logs in through the SessionManager, so login and failed-login events are as over SOAP. */
function loginByToken(ctx: RestContext, call: CallContext, authorization: string): void {
  call.samlSubject = ctx.sts?.restLoginSubject(authorization, ctx.http);
  try {
    ctx.vc.sessionManager.LoginByToken(call, {});
  } catch (error) {
    if (error instanceof VimFault && error.type === 'InvalidLogin') throw vapiErrors.invalidToken();
    throw error;
  }
}

/**
 * vCenter lets a client logged in over SOAP open a REST session for the same user without
 * credentials (govmomi's rest.Client does, sending the SOAP cookie and `vmware-use-header-authn`).
 * The new session is a clone of the SOAP one, which is what AcquireCloneTicket/CloneSession make.
 */
function cloneSoapSession(ctx: RestContext, call: CallContext): void {
  const soap = wantsHeaderAuthn(ctx.headers) ? soapSession(ctx.vc, ctx.headers) : undefined;
  if (!soap) throw vapiErrors.authenticationRequired();
  const manager = ctx.vc.sessionManager;
  const cloneTicket = manager.AcquireCloneTicket({ ...call, session: soap });
  manager.CloneSession(call, { cloneTicket });
}

/** The session the request's session id names: a bearer token alone names none (the vAPI's `unauthenticated`). */
function current(ctx: RestContext): Session {
  if (!ctx.session || ctx.session !== ctx.vc.sessionManager.lookup(sessionToken(ctx.headers))) throw vapiErrors.authenticationRequired();
  return ctx.session;
}

function info(ctx: RestContext) {
  const session = current(ctx);
  return { user: session.userName, created_time: session.loginTime, last_accessed_time: session.lastActiveTime };
}

export const sessionRoutes: RestRoute[] = [
  defineRoute({ method: 'POST', path, auth: 'none', created: true, handle: create }),
  defineRoute({ method: 'GET', path, handle: info }),
  // The legacy form also reads the session with a POST (what govmomi's Session() sends).
  defineRoute({ method: 'POST', path: { rest: path.rest }, action: 'get', handle: info }),
  defineRoute({
    method: 'DELETE',
    path,
    handle(ctx) {
      ctx.vc.sessionManager.Logout({ vc: ctx.vc, session: current(ctx) });
    },
  }),
];
