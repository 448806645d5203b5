/**
 * Own copies of the strings a journal entry keeps. Names parsed from a request are slices of its
 * body, and V8 keeps a whole parent string alive for any slice of it: a journal of 10,000 calls
 * would otherwise hold up to 10,000 request bodies. Known strings come from a bounded table (a map
 * lookup per string), unknown ones are copied.
 */
export class Interner {
  private readonly table = new Map<string, string>();

  constructor(private readonly maxSize = 10_000) {}

  own(text: string): string;
  own(text: string | undefined): string | undefined;
  own(text: string | undefined): string | undefined {
    if (text === undefined || text.length < 13) return text; // V8 copies substrings this short anyway
    const known = this.table.get(text);
    if (known !== undefined) return known;
    const copy = Buffer.from(text, 'utf8').toString('utf8');
    if (this.table.size < this.maxSize) this.table.set(copy, copy);
    return copy;
  }
}
