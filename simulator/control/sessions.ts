/**
 * World action `sessions expire`: ends sessions as if they had timed out, so their clients get
 * NotAuthenticated on SOAP and 401 on REST at the next call. Works through the SessionManager's
 * public API: `sessionList` names the live sessions, `expire` ends them as an idle timeout does
 * (no SessionTerminatedEvent: nobody terminated them).
 */
import { z } from 'zod';
import type { CallContext } from '../../models/core/managed-object.js';
import type { VCenter } from '../../models/vcenter.js';
import { globMatcher } from '../faults/glob.js';

export const sessionsExpireSchema = z
  .strictObject({
    user: z.string().min(1).optional().describe("Only this user's sessions; globs allowed"),
    sessionId: z.string().min(1).optional().describe('Only the session with this key (a SOAP cookie or REST token)'),
  })
  .describe('No field (or no body): every session');

export const sessionsExpiredSchema = z.object({ expired: z.int().describe('How many sessions ended') });

export type SessionsExpireFilter = z.input<typeof sessionsExpireSchema>;

/** The TypeScript face of /_sim/sessions. */
export interface SessionsApi {
  /** Ends every live session that matches (all of them without a filter); returns how many ended. */
  expire(filter?: SessionsExpireFilter): { expired: number };
}

export class Sessions implements SessionsApi {
  constructor(private readonly vc: VCenter) {}

  expire(filter: SessionsExpireFilter = {}): { expired: number } {
    const { user, sessionId } = sessionsExpireSchema.parse(filter);
    const matchesUser = user === undefined ? undefined : globMatcher(user);
    const ctx: CallContext = { vc: this.vc };
    const manager = this.vc.sessionManager;
    const live = manager.read('sessionList', ctx) as { key: string; userName: string }[];
    const keys = live
      .filter((s) => (sessionId === undefined || s.key === sessionId) && (!matchesUser || matchesUser(s.userName)))
      .map((s) => s.key);
    return { expired: manager.expire(keys) };
  }
}
