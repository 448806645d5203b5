/** An answer a rule gives instead of the API's: not a vSphere fault but something on the wire. */
export type InjectedAnswerKind =
  | { kind: 'http'; status: number; headers: Record<string, string>; body: string; contentType: string }
  | { kind: 'reset' }
  /** A held call whose client left, or whose server closed: nothing is left to answer. */
  | { kind: 'abandoned' };

/**
 * Thrown by the rule engine where a method would throw a fault; an adapter catches it and hands it
 * to its transport (`sendInjected`) instead of encoding an API answer.
 */
export class InjectedAnswer extends Error {
  constructor(
    readonly answer: InjectedAnswerKind,
    /** The rule that asked for it (none for abandoned calls). */
    readonly ruleId?: string,
  ) {
    super(`injected ${answer.kind}`);
    this.name = 'InjectedAnswer';
  }
}
