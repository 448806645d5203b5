/**
 * A small XML reader for SOAP responses: elements with their local names, the three attributes a
 * vim25 decoder needs (`type` of a moref, `xsi:type`, `xsi:nil`) and text.
 *
 * Why our own: the client must not import the simulator's code, and a general parser builds
 * attribute maps and namespace tables we never look at, on responses of many megabytes
 * (a RetrievePropertiesEx of thousands of objects). DTDs are refused: no entity expansion.
 */

export interface XmlNode {
  /** Local name, prefix removed. */
  name: string;
  /** The `type` attribute (a ManagedObjectReference's type). */
  type?: string;
  /** The local part of `xsi:type` (any prefix). */
  xsiType?: string;
  nil?: boolean;
  children: XmlNode[];
  text: string;
}

export class XmlParseError extends Error {
  override name = 'XmlParseError';
}

const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescape(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ref: string) => {
    if (ref[0] === '#') return String.fromCodePoint(ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
    const value = named[ref];
    if (value === undefined) throw new XmlParseError(`unknown entity ${whole}`);
    return value;
  });
}

const local = (qname: string) => qname.slice(qname.indexOf(':') + 1);
const attributePattern = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Parses a whole document and returns its root element. */
export function parseXml(xml: string): XmlNode {
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let pos = 0;
  const length = xml.length;
  while (pos < length) {
    const lt = xml.indexOf('<', pos);
    if (lt < 0) break;
    if (lt > pos && stack.length) stack[stack.length - 1]!.text += unescape(xml.slice(pos, lt));
    const next = xml.charCodeAt(lt + 1);
    if (next === 63 /* ? */) {
      pos = endOf(xml, '?>', lt);
      continue;
    }
    if (next === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) pos = endOf(xml, '-->', lt);
      else if (xml.startsWith('<![CDATA[', lt)) {
        const end = endOf(xml, ']]>', lt);
        if (stack.length) stack[stack.length - 1]!.text += xml.slice(lt + 9, end - 3);
        pos = end;
      } else throw new XmlParseError('DTDs are not accepted');
      continue;
    }
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new XmlParseError('unterminated tag');
    if (next === 47 /* / */) {
      // Closing tag: the local name must be the open element's (compared in place, no slicing).
      const open = stack.pop();
      let nameEnd = gt;
      while (xml.charCodeAt(nameEnd - 1) <= 32) nameEnd--;
      if (!open || !xml.startsWith(open.name, nameEnd - open.name.length) || !isNameStart(xml.charCodeAt(nameEnd - open.name.length - 1))) {
        throw new XmlParseError(`unexpected ${xml.slice(lt, gt + 1)}`);
      }
      pos = gt + 1;
      continue;
    }
    const selfClosing = xml.charCodeAt(gt - 1) === 47;
    const tagEnd = selfClosing ? gt - 1 : gt;
    // The qualified name ends at the first whitespace (or the tag's end); its local part follows any ':'.
    let i = lt + 1;
    let colon = -1;
    for (; i < tagEnd; i++) {
      const c = xml.charCodeAt(i);
      if (c <= 32) break;
      if (c === 58 /* : */) colon = i;
    }
    const node: XmlNode = { name: xml.slice(colon < 0 ? lt + 1 : colon + 1, i), children: [], text: '' };
    if (i < tagEnd) readAttributes(xml.slice(i, tagEnd), node);
    if (stack.length) stack[stack.length - 1]!.children.push(node);
    else if (root) throw new XmlParseError('more than one root element');
    else root = node;
    if (!selfClosing) stack.push(node);
    pos = gt + 1;
  }
  if (!root || stack.length) throw new XmlParseError(root ? `unclosed <${stack[stack.length - 1]!.name}>` : 'no root element');
  return root;
}

/** The character before a closing tag's local name: '/' (no prefix) or ':' (after a prefix). */
const isNameStart = (c: number) => c === 47 || c === 58;

function readAttributes(text: string, node: XmlNode): void {
  // matchAll works on a copy of the pattern: no lastIndex shared between calls.
  for (const match of text.matchAll(attributePattern)) {
    const name = match[1]!;
    const value = unescape(match[2] ?? match[3] ?? '');
    if (name === 'type') node.type = value;
    else if (name.endsWith(':type')) node.xsiType = local(value);
    else if (name.endsWith(':nil')) node.nil = value === 'true' || value === '1';
  }
}

function endOf(xml: string, terminator: string, from: number): number {
  const at = xml.indexOf(terminator, from);
  if (at < 0) throw new XmlParseError(`unterminated ${terminator}`);
  return at + terminator.length;
}

/** The first child named `name`. */
export const child = (node: XmlNode, name: string): XmlNode | undefined => node.children.find((c) => c.name === name);

const escapes: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
export const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => escapes[c]!);
