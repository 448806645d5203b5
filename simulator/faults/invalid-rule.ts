import type { z } from 'zod';

export interface RuleIssue {
  /** Dotted path of the offending field (`action.fault`, `match.api`). */
  field: string;
  message: string;
}

/** A rule the engine refuses; the control API answers it with 400 naming `field`. */
export class InvalidRuleError extends Error {
  readonly field: string;

  constructor(readonly issues: RuleIssue[]) {
    super(issues.map((i) => `${i.field || '(body)'}: ${i.message}`).join('; '));
    this.name = 'InvalidRuleError';
    this.field = issues[0]?.field ?? '';
  }

  static fromZod(error: z.ZodError): InvalidRuleError {
    return new InvalidRuleError(zodIssues(error));
  }
}

/** zod's issues as fields and messages. */
export function zodIssues(error: z.ZodError): RuleIssue[] {
  return error.issues.flatMap(issuesOf);
}

/** One issue per offending field: an unknown key names the key itself, not its parent object. */
function issuesOf(issue: z.core.$ZodIssue): RuleIssue[] {
  const base = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: [...base, key].join('.'), message: 'unknown field' }));
  }
  // A record key that fails its schema: the key's own complaint (`is not a valid HTTP header name`).
  if (issue.code === 'invalid_key' && issue.issues.length) return [{ field: base.join('.'), message: issue.issues[0]!.message }];
  return [{ field: base.join('.'), message: issue.message }];
}
