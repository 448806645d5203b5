/**
 * The XML the STS reads and writes: namespaces, a DOM parse of text our own strict reader has
 * already accepted (no DTDs, bounded depth and size), and element lookups by namespace.
 *
 * Why a DOM here and not the SOAP hot path's reader: XML signatures are checked over the canonical
 * form of the elements they cover, and xml-crypto canonicalizes a DOM. Only token requests and
 * LoginByToken calls pay for it.
 */
import { DOMParser } from '@xmldom/xmldom';
import { XmlError, parseXml, type XmlLimits } from '../soap/xml.js';

export const ns = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  saml2: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xs: 'http://www.w3.org/2001/XMLSchema',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  wst: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512',
} as const;

/** Text that is no well-formed XML (or holds what a request never holds). */
export class MalformedXml extends Error {}

/** The DOM of `text`, after our own reader accepted it within `limits`. */
export function parseDom(text: string, limits: XmlLimits = {}): Document {
  try {
    parseXml(text, limits.maxDepth, limits.maxElements);
  } catch (error) {
    throw new MalformedXml(error instanceof XmlError ? error.message : 'Malformed XML');
  }
  const fail = (message: string) => {
    throw new MalformedXml(message);
  };
  // Warnings (an attribute without a space before it, ...) are about text our reader already accepted: not printed.
  return new DOMParser({ errorHandler: { warning: () => undefined, error: fail, fatalError: fail } }).parseFromString(text, 'text/xml') as unknown as Document;
}

/** The element children of `parent`. */
export function elements(parent: Element | Document): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) if (node.nodeType === 1) found.push(node as Element);
  return found;
}

/** The first child element of `parent` with this namespace and local name. */
export function child(parent: Element | Document | undefined, namespace: string, name: string): Element | undefined {
  return parent ? elements(parent).find((e) => e.localName === name && e.namespaceURI === namespace) : undefined;
}

/** The element at the end of a path of `[namespace, name]` steps from `parent`. */
export function path(parent: Element | Document | undefined, ...steps: [string, string][]): Element | undefined {
  let at = parent;
  for (const [namespace, name] of steps) at = child(at, namespace, name);
  return at as Element | undefined;
}

export function text(element: Element | undefined): string | undefined {
  return element?.textContent?.trim() ?? undefined;
}
