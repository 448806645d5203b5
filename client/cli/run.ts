/**
 * One vcctl invocation: parse, run the command, print a failure as `ERR_<CODE>: message` on
 * stderr (never a stack trace, unless --debug) and give the exit code of its family.
 */
import { CommanderError } from 'commander';
import { VimError } from '../errors.js';
import type { Io } from './context.js';
import { EXIT, describeFailure } from './errors.js';
import { buildProgram, isCleanExit } from './program.js';

export async function run(argv: readonly string[], io: Io): Promise<number> {
  const { program, ctx } = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return isCleanExit(error) ? EXIT.ok : EXIT.usage; // commander printed it
    if (error instanceof VimError && error.code === 'ABORTED' && io.signal?.aborted) return EXIT.interrupted;
    const failure = describeFailure(error);
    io.stderr.write(`ERR_${failure.code}: ${failure.message}\n`);
    if (ctx.flags.debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return failure.exitCode;
  } finally {
    await ctx.close();
  }
}
