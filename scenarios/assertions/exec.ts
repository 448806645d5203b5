/** What an exec step gave: exit code, and globs over stdout and stderr. */
import { compileGlob } from '../../client/filter/index.js';
import type { ExecResult, RunContext } from '../context.js';
import type { z } from 'zod';
import type { execAssertionSchema } from '../schema.js';
import { AssertionFailure } from './failure.js';

type ExecAssertion = z.output<typeof execAssertionSchema>;

const excerpt = (text: string) => JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text);

export function assertExec(ctx: RunContext, spec: ExecAssertion, label?: string): void {
  const result = ctx.vars[spec.of] as ExecResult | undefined;
  const what = label ?? `exec ${spec.of}`;
  if (!result || typeof result !== 'object' || !('stdout' in result)) throw new AssertionFailure(what, `the result of an exec step saved as ${spec.of}`, 'no such result');
  if (spec.exitCode !== undefined && result.exitCode !== spec.exitCode) {
    throw new AssertionFailure(`${what} exit code`, String(spec.exitCode), `${result.exitCode ?? `killed by ${result.signal}`}; stderr ${excerpt(result.stderr)}`);
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    const pattern = spec[stream];
    if (pattern !== undefined && !compileGlob(pattern)(result[stream])) throw new AssertionFailure(`${what} ${stream}`, `to match ${JSON.stringify(pattern)}`, excerpt(result[stream]));
  }
}
