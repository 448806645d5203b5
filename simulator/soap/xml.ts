/**
 * A small, strict XML reader for SOAP requests.
 *
 * Why not a general parser: a request is parsed on every call, and a general-purpose parser costs
 * ~120 µs for a 1 KB RetrieveProperties body where this one costs a few; it also lets us refuse
 * DTDs outright (no entity expansion, no XXE) and bound nesting depth without recursion.
 */

export interface XmlElement {
  /** Local name, namespace prefix removed. */
  name: string;
  /** The `type` attribute (a moref's type), if present. */
  type?: string;
  /** The local part of `xsi:type` (any prefix), if present. */
  xsiType?: string;
  /** `xsi:nil="true"` */
  nil?: boolean;
  children: XmlElement[];
  /** Text content (entities decoded), concatenated. */
  text: string;
}

export class XmlError extends Error {}

const entities = new Map([['lt', '<'], ['gt', '>'], ['amp', '&'], ['quot', '"'], ['apos', "'"]]);

/**
 * Replaces entity and character references. A loop rather than a regex with a callback: text
 * dense with references (a hostile body can be nothing else) decodes several times faster.
 */
function decodeEntities(raw: string): string {
  let amp = raw.indexOf('&');
  if (amp < 0) return raw;
  const parts: string[] = []; // joined once: one flat string, not a rope of thousands of pieces
  let from = 0;
  while (amp >= 0) {
    const semi = referenceEnd(raw, amp);
    const value = semi < 0 ? undefined : reference(raw.slice(amp + 1, semi)); // a bare & stays as it is
    if (value !== undefined) {
      parts.push(raw.slice(from, amp), value);
      from = semi + 1;
    }
    amp = raw.indexOf('&', value === undefined ? amp + 1 : from);
  }
  parts.push(raw.slice(from));
  return parts.join('');
}

/** The `;` ending the reference at `amp`, looked for no further than a reference can reach (no rescans of long text). */
function referenceEnd(raw: string, amp: number): number {
  const end = Math.min(raw.length, amp + maxReference + 1);
  for (let i = amp + 1; i < end; i++) if (raw.charCodeAt(i) === 59 /* ; */) return i;
  return -1;
}

/** The longest reference decoded (`&#x10FFFF;` and zero-padded forms of it). */
const maxReference = 16;
const decimalReference = /^#[0-9]+$/;
const hexReference = /^#x[0-9a-fA-F]+$/;
const namedReference = /^[a-z]+$/;

/** The text a reference's name (between `&` and `;`) stands for; undefined when it is no reference. */
function reference(name: string): string | undefined {
  const named = entities.get(name);
  if (named !== undefined) return named;
  const hex = hexReference.test(name);
  if (!hex && !decimalReference.test(name)) {
    if (namedReference.test(name)) throw new XmlError(`Unknown entity &${name};`);
    return undefined;
  }
  const code = hex ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  if (!(code >= 0 && code <= 0x10ffff)) throw new XmlError(`Invalid character reference &${name};`);
  return String.fromCodePoint(code);
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

const nameEnd = /[\s/>]/g;
const attribute = /\s*([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/y;

/** Bounds on one document: how deep its elements nest and how many there are. */
export interface XmlLimits {
  maxDepth?: number;
  maxElements?: number;
}

/**
 * The most elements one request may hold. The largest real requests (a ReconfigVM_Task with
 * hundreds of devices, a PropertyCollector spec over thousands of objects) hold tens of thousands;
 * the bound keeps a hostile body's tree, and the work done on it, small.
 */
export const defaultMaxElements = 250_000;
/** Characters parsed between yields by parseXmlYielding: a few milliseconds of work at worst. */
const sliceChars = 16 * 1024;
/** Longer than any entity reference a client sends (`&#x10FFFF;`), so a cut this far before an `&` splits none. */
const longestEntity = 32;

/** Parses `xml` and returns its root element; throws XmlError on anything malformed. */
export function parseXml(xml: string, maxDepth = 100, maxElements = defaultMaxElements): XmlElement {
  const parser = new XmlParser(xml, maxDepth, maxElements);
  parser.step(xml.length);
  return parser.finish();
}

/**
 * parseXml for large bodies: parses a slice at a time and lets the event loop run between
 * slices, so one client's tens of megabytes do not hold other clients' calls up.
 */
export async function parseXmlYielding(xml: string, limits: XmlLimits = {}): Promise<XmlElement> {
  const parser = new XmlParser(xml, limits.maxDepth ?? 100, limits.maxElements ?? defaultMaxElements);
  while (!parser.step(sliceChars)) await new Promise<void>((resolve) => setImmediate(resolve));
  return parser.finish();
}

/** The parse of one document, resumable: each step reads about `budget` more characters. */
class XmlParser {
  private readonly stack: XmlElement[] = [];
  private root: XmlElement | undefined;
  private pos = 0;
  private elements = 0;
  /** The next `<` at or after pos, kept while a long text run is read in slices. */
  private nextLt = -1;

  constructor(
    private readonly xml: string,
    private readonly maxDepth: number,
    private readonly maxElements: number,
  ) {}

  /** True once the whole document has been read. */
  step(budget: number): boolean {
    const { xml, stack } = this;
    const stop = Math.min(xml.length, this.pos + budget);
    while (this.pos < stop) {
      const pos = this.pos;
      const lt = this.nextLt >= pos ? this.nextLt : xml.indexOf('<', pos);
      this.nextLt = lt;
      if (lt < 0 || lt > pos) {
        const end = lt < 0 ? xml.length : lt;
        this.pos = this.text(end, stop);
        if (this.pos < end) return false; // a long run, cut at the slice's end: the rest next step
        continue;
      }
      const next = xml.charCodeAt(lt + 1);
      if (next === 47 /* / */) this.pos = closeTag(xml, lt, stack);
      else if (next === 63 /* ? */) this.pos = skipInstruction(xml, lt);
      else if (next === 33 /* ! */) this.pos = skipMarkup(xml, lt, stack);
      else {
        if (++this.elements > this.maxElements) throw new XmlError(`More than ${this.maxElements} elements`);
        this.pos = openTag(xml, lt, stack, this.maxDepth, (element) => {
          if (this.root) throw new XmlError('More than one root element');
          this.root = element;
        });
      }
    }
    return this.pos >= xml.length;
  }

  finish(): XmlElement {
    if (this.stack.length) throw new XmlError(`Unclosed element <${this.stack[this.stack.length - 1]!.name}>`);
    if (!this.root) throw new XmlError('No root element');
    return this.root;
  }

  /** Appends the text up to `end`, or up to about `stop` when the run is longer; returns where it stopped. */
  private text(end: number, stop: number): number {
    let cut = end;
    if (end > stop) {
      cut = stop;
      for (let i = stop - 1; i > stop - longestEntity && i > this.pos; i--) if (this.xml.charCodeAt(i) === 38 /* & */) cut = i;
    }
    appendText(this.stack, this.xml.slice(this.pos, cut));
    return cut;
  }
}

function closeTag(xml: string, lt: number, stack: XmlElement[]): number {
  const gt = xml.indexOf('>', lt);
  if (gt < 0) throw new XmlError('Unterminated end tag');
  const closing = localName(xml.slice(lt + 2, gt).trim());
  const open = stack.pop();
  if (!open || open.name !== closing) throw new XmlError(`Mismatched end tag </${closing}>`);
  return gt + 1;
}

function skipInstruction(xml: string, lt: number): number {
  const end = xml.indexOf('?>', lt);
  if (end < 0) throw new XmlError('Unterminated processing instruction');
  return end + 2;
}

function appendText(stack: XmlElement[], raw: string): void {
  const top = stack[stack.length - 1];
  if (top) top.text += decodeEntities(raw);
  else if (raw.trim()) throw new XmlError('Text outside the root element');
}

function skipMarkup(xml: string, lt: number, stack: XmlElement[]): number {
  if (xml.startsWith('<!--', lt)) {
    const end = xml.indexOf('-->', lt + 4);
    if (end < 0) throw new XmlError('Unterminated comment');
    return end + 3;
  }
  if (xml.startsWith('<![CDATA[', lt)) {
    const end = xml.indexOf(']]>', lt + 9);
    if (end < 0) throw new XmlError('Unterminated CDATA section');
    const top = stack[stack.length - 1];
    if (!top) throw new XmlError('CDATA outside the root element');
    top.text += xml.slice(lt + 9, end);
    return end + 3;
  }
  // DOCTYPE and every other declaration: refused, so no entity is ever defined or expanded.
  throw new XmlError('Document type declarations are not allowed');
}

function openTag(
  xml: string,
  lt: number,
  stack: XmlElement[],
  maxDepth: number,
  setRoot: (element: XmlElement) => void,
): number {
  nameEnd.lastIndex = lt + 1;
  const match = nameEnd.exec(xml);
  if (!match) throw new XmlError('Unterminated start tag');
  const qname = xml.slice(lt + 1, match.index);
  if (!qname) throw new XmlError('Empty element name');
  const element: XmlElement = { name: localName(qname), children: [], text: '' };

  let pos = match.index;
  for (;;) {
    attribute.lastIndex = pos;
    const attr = attribute.exec(xml);
    if (!attr) break;
    setAttribute(element, attr[1]!, decodeEntities(attr[3] ?? attr[4] ?? ''));
    pos = attribute.lastIndex;
  }
  while (pos < xml.length && xml.charCodeAt(pos) <= 32) pos++;

  const parent = stack[stack.length - 1];
  if (parent) parent.children.push(element);
  else setRoot(element);

  if (xml.startsWith('/>', pos)) return pos + 2;
  if (xml.charCodeAt(pos) !== 62 /* > */) throw new XmlError(`Malformed start tag <${qname}>`);
  if (stack.length >= maxDepth) throw new XmlError(`Elements nested deeper than ${maxDepth}`);
  stack.push(element);
  return pos + 1;
}

function setAttribute(element: XmlElement, qname: string, value: string): void {
  if (qname === 'type') element.type = value;
  else if (qname.endsWith(':type')) element.xsiType = localName(value);
  else if (qname.endsWith(':nil')) element.nil = value === 'true' || value === '1';
}

/** The first child named `name`. */
export function childNamed(element: XmlElement, name: string): XmlElement | undefined {
  for (const child of element.children) if (child.name === name) return child;
  return undefined;
}
