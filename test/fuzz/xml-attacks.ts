/**
 * Hostile XML for the endpoints that read XML before anyone is authenticated (the STS, the lookup
 * service, LoginByToken): DTDs (external entities, billion laughs), deep nesting, huge and
 * repeated elements, wrong namespaces; and SAML tokens forged to name another user (tampered,
 * re-signed by another key, signature wrapping). Every forgery names `forgedSubject`: a server
 * that lets one through answers for that user, which the fuzzer looks for.
 */
import { SignedXml } from 'xml-crypto';
import type { Dice } from './mutate.js';

/** The user a forged token claims to be (an administrator; the genuine tokens are a reader's). */
export const forgedSubject = 'administrator@VSPHERE.LOCAL';
/** How a reply names the forged subject: in a token's NameID, a session's user name. */
export const namesForgedSubject = /administrator@VSPHERE\.LOCAL|VSPHERE\.LOCAL\\{1,2}administrator/i;

const doctypes = [
  // External entities: a file, a URL (never fetched: DTDs are refused before anything resolves).
  '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:1/x">]>',
  '<!DOCTYPE r SYSTEM "http://127.0.0.1:1/r.dtd">',
  '<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>',
  // Billion laughs: ten levels of ten, 10^10 copies when expanded.
  `<!DOCTYPE r [<!ENTITY x0 "lol">${Array.from({ length: 10 }, (_, i) => `<!ENTITY x${i + 1} "${`&x${i};`.repeat(10)}">`).join('')}]>`,
  // Quadratic blowup: one big entity referenced many times.
  `<!DOCTYPE r [<!ENTITY x "${'a'.repeat(50_000)}">]>`,
];

/** `xml` with a DOCTYPE ahead of its root and its entity referenced in an element's text. */
export function withDoctype(dice: Dice, xml: string): string {
  const doctype = dice.pick(doctypes);
  const entity = /ENTITY (x\d*) /.exec(doctype)?.[1] ?? 'x';
  const declaration = /^<\?xml[^>]*\?>/.exec(xml)?.[0] ?? '';
  const rest = xml.slice(declaration.length);
  const uses = dice.chance(0.5) ? `&${entity};`.repeat(1 + dice.below(1000)) : `&${entity};`;
  return declaration + doctype + rest.replace(/>([^<>]+)</, `>${uses}<`);
}

/** One structural attack on `xml`. */
export function hostileXml(dice: Dice, xml: string): string {
  const elements = [...xml.matchAll(/<([\w:]+)[^>]*>/g)].filter((m) => !m[0].startsWith('<?') && !m[0].endsWith('/>'));
  const at = elements.length ? dice.pick(elements) : undefined;
  const open = at?.index === undefined ? 0 : at.index + at[0].length;
  switch (dice.below(5)) {
    case 0:
      return withDoctype(dice, xml);
    case 1: {
      // Deep nesting, inside an element the reader looks into.
      const depth = dice.pick([150, 1000, 20_000]);
      return xml.slice(0, open) + '<a>'.repeat(depth) + '</a>'.repeat(depth) + xml.slice(open);
    }
    case 2: // A huge text: past the body limit or just under it.
      return xml.slice(0, open) + 'A'.repeat(dice.pick([60_000, 300_000, 2_000_000])) + xml.slice(open);
    case 3: {
      // One element repeated many times.
      const element = /<([\w:]+)[^>]*>[^<]*<\/\1>/.exec(xml.slice(open))?.[0] ?? '<a/>';
      return xml.slice(0, open) + element.repeat(dice.pick([2, 100, 5000])) + xml.slice(open);
    }
    default:
      return wrongNamespace(dice, xml);
  }
}

const namespaceSwaps: [RegExp, string][] = [
  [/http:\/\/docs\.oasis-open\.org\/ws-sx\/ws-trust\/200512/g, 'http://schemas.xmlsoap.org/ws/2005/02/trust'],
  [/urn:oasis:names:tc:SAML:2\.0:assertion/g, 'urn:oasis:names:tc:SAML:1.0:assertion'],
  [/http:\/\/schemas\.xmlsoap\.org\/soap\/envelope\//g, 'http://www.w3.org/2003/05/soap-envelope'],
  [/oasis-200401-wss-wssecurity-secext-1\.0\.xsd/g, 'oasis-200401-wss-wssecurity-secext-1.1.xsd'],
  [/http:\/\/www\.w3\.org\/2000\/09\/xmldsig#/g, 'http://www.w3.org/2000/09/xmldsig-more#'],
  [/urn:lookup/g, 'urn:vim25'],
  [/xmlns(:\w+)?="[^"]*"/, ''],
];

export function wrongNamespace(dice: Dice, xml: string): string {
  const [pattern, replacement] = dice.pick(namespaceSwaps);
  return xml.replace(pattern, replacement);
}

/**
 * Tokens claiming `forgedSubject`, made from the genuine `token` (a signed `<saml2:Assertion>`
 * of `genuineSubject`) and, for a re-signed one, the `attacker`'s key.
 */
export function forgeries(token: string, genuineSubject: string, attacker: { key: string; cert: string }): string[] {
  const claim = (xml: string) => xml.split(genuineSubject).join(forgedSubject);
  const id = /ID="([^"]*)"/.exec(token)?.[1] ?? '';
  const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(token)?.[0] ?? '';
  const unsigned = claim(token.replace(signature, ''));
  return [
    // the subject changed, the signature kept
    claim(token),
    // no signature at all
    unsigned,
    // the signature value and a digest damaged (and the subject changed)
    claim(token).replace(/<ds:(SignatureValue|DigestValue)>(.)/g, (_m, name: string, c: string) => `<ds:${name}>${c === 'A' ? 'B' : 'A'}`),
    // wrapping: the forged assertion first, the genuine one (same ID) after it
    unsigned + token,
    // wrapping: the forged assertion holds the genuine one (in an Advice, as SAML allows)
    unsigned.replace(/(<saml2:Subject>)/, `<saml2:Advice>${token}</saml2:Advice>$1`),
    // wrapping: the genuine signature moved into a forged assertion of another ID
    unsigned.replace(`ID="${id}"`, 'ID="_forged"').replace(/(<\/saml2:Issuer>)/, `$1${signature}`),
    // signed by another key, its certificate in the token's own KeyInfo
    resign(unsigned, attacker),
    // the validity window stretched (under the genuine signature)
    claim(token.replace(/NotOnOrAfter="[^"]*"/g, 'NotOnOrAfter="2099-01-01T00:00:00.000Z"')),
  ];
}

function resign(assertion: string, attacker: { key: string; cert: string }): string {
  const signer = new SignedXml({ privateKey: attacker.key, publicCert: attacker.cert, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#' });
  signer.addReference({ xpath: '/*', transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
  signer.computeSignature(assertion, { prefix: 'ds', location: { reference: "/*/*[local-name(.)='Issuer']", action: 'after' } });
  return signer.getSignedXml();
}
