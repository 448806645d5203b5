/**
 * What vcctl prints when a command fails, and with which exit code: `ERR_<CODE>: message` on
 * stderr, the code from the client's stable table (client/errors.ts) or one of vcctl's own, and
 * an exit code per code family so scripts can branch without parsing text.
 */
import { CommanderError } from 'commander';
import { VimError, errorCodes, type ErrorFamily } from '../errors.js';
import { FilterSyntaxError } from '../filter/index.js';

/** vcctl's own codes, for failures that never reach a server. */
export type CliCode = 'USAGE' | 'FILTER_SYNTAX' | 'CONFIG' | 'INTERRUPTED' | 'INTERNAL';

/** A failure found by vcctl itself (bad flags, no URL, an unreadable config file...). */
export class CliError extends Error {
  constructor(
    readonly code: CliCode,
    message: string,
  ) {
    super(message);
  }
}

/** The documented exit codes (README, "vcctl exit codes"). */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  notFound: 3,
  auth: 4,
  state: 5,
  unavailable: 6,
  interrupted: 130,
} as const;

const familyExit: Record<ErrorFamily, number> = {
  not_found: EXIT.notFound,
  auth: EXIT.auth,
  permission: EXIT.auth,
  state: EXIT.state,
  conflict: EXIT.state,
  argument: EXIT.usage,
  transient: EXIT.unavailable,
  transport: EXIT.unavailable,
  resources: EXIT.error,
  task: EXIT.error,
  unsupported: EXIT.error,
  fault: EXIT.error,
};

const cliExit: Record<CliCode, number> = { USAGE: EXIT.usage, FILTER_SYNTAX: EXIT.usage, CONFIG: EXIT.usage, INTERRUPTED: EXIT.interrupted, INTERNAL: EXIT.error };

export interface Failure {
  code: string;
  message: string;
  exitCode: number;
}

/** Any thrown value as the code, one-line message and exit code vcctl reports. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof VimError) return { code: error.code, message: error.message, exitCode: familyExit[errorCodes[error.code].family] };
  if (error instanceof CliError) return { code: error.code, message: error.message, exitCode: cliExit[error.code] };
  if (error instanceof FilterSyntaxError) return { code: 'FILTER_SYNTAX', message: `${error.message}\n${error.format()}`, exitCode: EXIT.usage };
  if (error instanceof CommanderError) return { code: 'USAGE', message: error.message.replace(/^error: /, ''), exitCode: EXIT.usage };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message, exitCode: EXIT.error };
}

/** The exit code of every family, for the README table and the tests. */
export const exitCodeOfFamily: Readonly<Record<ErrorFamily, number>> = familyExit;
