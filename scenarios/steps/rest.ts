/**
 * REST steps: `{method: GET, path: /api/vcenter/vm, body}` against the simulator's /api (or /rest),
 * with a session made at the first call (POST /api/session) and made again once on a 401.
 */
import type { CallOptions } from '../../client/index.js';
import type { RunContext } from '../context.js';
import { basicAuth, requestJson, type JsonResponse } from '../sim/http.js';
import { StepInputError } from './resolve.js';

export async function restCall(ctx: RunContext, args: Record<string, unknown>, options: CallOptions): Promise<{ status: number; body: unknown }> {
  const method = String(args.method ?? 'GET').toUpperCase();
  const path = String(args.path ?? '');
  if (!path.startsWith('/')) throw new StepInputError('rest: args.path is a route such as /api/vcenter/vm');
  const origin = new URL(ctx.target.url).origin;
  const send = async (): Promise<JsonResponse> => {
    ctx.rest.token ??= await login(ctx, origin, path.startsWith('/rest'), options);
    const headers: Record<string, string> = { 'vmware-api-session-id': ctx.rest.token };
    if (options.traceparent) headers.traceparent = options.traceparent;
    return requestJson(`${origin}${path}`, method, headers, args.body);
  };
  let res = await send();
  if (res.status === 401) {
    ctx.rest.token = undefined; // expired: one new session, as a client would
    res = await send();
  }
  const expected = args.status === undefined ? undefined : Number(args.status);
  if (expected !== undefined ? res.status !== expected : res.status >= 400) {
    throw new Error(`${method} ${path}: HTTP ${res.status}${expected !== undefined ? ` (expected ${expected})` : ''}: ${res.text.slice(0, 200)}`);
  }
  return { status: res.status, body: res.body ?? null };
}

async function login(ctx: RunContext, origin: string, legacy: boolean, options: CallOptions): Promise<string> {
  const headers: Record<string, string> = { authorization: basicAuth(ctx.target.username, ctx.target.password) };
  if (options.traceparent) headers.traceparent = options.traceparent;
  const res = await requestJson(`${origin}${legacy ? '/rest/com/vmware/cis/session' : '/api/session'}`, 'POST', headers);
  if (res.status >= 300) throw new Error(`REST login: HTTP ${res.status}: ${res.text.slice(0, 200)}`);
  const body = res.body as string | { value: string };
  return typeof body === 'string' ? body : body.value;
}
