/** `vcctl session ls|logout`: vCenter sessions, and ending ours (which also forgets the cached one). */
import type { Command } from 'commander';
import type { UserSession } from '../../vim25.js';
import type { RunContext } from '../context.js';
import { examples, group } from '../program.js';

export const SESSION_FIELDS = ['key', 'user', 'current', 'loginTime', 'lastActiveTime', 'ipAddress', 'userAgent'] as const;

export function registerSession(program: Command, ctx: RunContext): void {
  const session = group(program, 'session', "vCenter sessions (vcctl's own is cached between runs)", ['vcctl session ls', 'vcctl session logout']);

  examples(session.command('ls').description(`the server's sessions (fields: ${SESSION_FIELDS.join(', ')})`), ['vcctl session ls', "vcctl session ls -o json | jq 'select(.current)'"]).action(async () => {
    const client = await ctx.vim();
    const manager = client.serviceContent.sessionManager!;
    const [object] = await client.retrieve(manager, ['sessionList']);
    const current = client.session?.key;
    const rows = ((object?.sessionList ?? []) as UserSession[]).map((s) => ({
      key: s.key, user: s.userName, current: s.key === current, loginTime: s.loginTime, lastActiveTime: s.lastActiveTime, ipAddress: s.ipAddress, userAgent: s.userAgent,
    }));
    ctx.printRows(rows, SESSION_FIELDS);
  });

  examples(session.command('logout [key...]').description("end vcctl's session (and forget the cached one), or terminate the sessions with these keys"), [
    'vcctl session logout',
    'vcctl session logout 52a3c7d0-...',
  ]).action(async (keys: string[]) => {
    const client = await ctx.vim();
    if (keys.length) {
      await client.call(client.serviceContent.sessionManager!, 'TerminateSession', { sessionId: keys });
      return;
    }
    ctx.forgetSession();
    await client.close(); // the REST session too
  });
}
