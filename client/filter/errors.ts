/** A filter that does not parse: where (1-based column in the text) and why. */
export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';

  constructor(
    /** The filter text as given. */
    readonly expression: string,
    /** 1-based; `expression.length + 1` when the text ended too early. */
    readonly column: number,
    /** The message without the position. */
    readonly reason: string,
  ) {
    super(`${reason} at column ${column}`);
  }

  /** The expression on one line (tabs and newlines shown as spaces) and a caret under the column. */
  format(): string {
    const line = this.expression.replace(/[\t\n\r]/g, ' ');
    return `${line}\n${' '.repeat(this.column - 1)}^ ${this.reason}`;
  }
}
