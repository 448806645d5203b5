/**
 * SAML 2.0 assertions as vCenter's STS issues them: a subject (the user's UPN), its groups, a
 * validity window, bearer or holder-of-key confirmation, signed RSA-SHA256 over exc-c14n by the
 * STS's key with the signing certificate in KeyInfo.
 *
 * The layout is vCenter's, element for element (Issuer, Signature, Subject, Conditions,
 * AuthnStatement, AttributeStatement, every element prefixed `saml2:`), and written already in
 * canonical form: govmomi rebuilds the canonical form of a token it embeds in a signed Renew from
 * its own parse, and the digest the STS computes must come out the same.
 */
import { X509Certificate, randomUUID } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { escapeXml } from '../soap/encode.js';
import { child, elements, ns, path, text } from './xml.js';

const excC14n = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const rsaSha256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const confirmationMethods = {
  bearer: 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
  holderOfKey: 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key',
} as const;
const groupsAttribute = 'http://rsa.com/schemas/attr-names/2009/01/GroupIdentity';
const renewRestriction = 'rsa:RenewRestrictionType';

export interface TokenSpec {
  /** The NameID: the user's UPN (`alice@VSPHERE.LOCAL`). */
  subject: string;
  /** Group principals, `vsphere.local\Administrators`. */
  groups: string[];
  issued: Date;
  notOnOrAfter: Date;
  /** Holder-of-key: the confirmation certificate, base64 DER. Bearer when absent. */
  holderOfKey?: string;
  renewable: boolean;
}

/** A token whose signature, issuer and validity window were checked. */
export interface VerifiedToken {
  id: string;
  subject: string;
  groups: string[];
  notBefore: Date;
  notOnOrAfter: Date;
  /** Holder-of-key: the confirmation certificate the token's user signs requests with. */
  holderOfKey?: X509Certificate;
  renewable: boolean;
}

export type TokenProblem = 'malformed' | 'signature' | 'expired' | 'notYetValid';

/** Why a token is refused (each API then answers in its own form). */
export class TokenError extends Error {
  constructor(
    readonly problem: TokenProblem,
    message: string,
  ) {
    super(message);
  }
}

/** Issues and verifies the STS's tokens with one signing key and certificate. */
export class SamlTokens {
  constructor(
    private readonly signing: { key: string; cert: string },
    /** The Issuer element's value: the STS's SAML metadata URL for the domain. */
    private readonly issuer: string,
  ) {}

  issue(spec: TokenSpec): string {
    const id = `_${randomUUID()}`;
    const issued = spec.issued.toISOString();
    const until = spec.notOnOrAfter.toISOString();
    const unsigned =
      `<saml2:Assertion xmlns:saml2="${ns.saml2}" xmlns:xs="${ns.xs}" ID="${id}" IssueInstant="${issued}" Version="2.0">` +
      `<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${escapeXml(this.issuer)}</saml2:Issuer>` +
      `<saml2:Subject><saml2:NameID Format="http://schemas.xmlsoap.org/claims/UPN">${escapeXml(spec.subject)}</saml2:NameID>${confirmation(spec)}</saml2:Subject>` +
      `<saml2:Conditions NotBefore="${issued}" NotOnOrAfter="${until}">${spec.renewable ? '' : notRenewable}</saml2:Conditions>` +
      `<saml2:AuthnStatement AuthnInstant="${issued}"><saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>` +
      `<saml2:AttributeStatement><saml2:Attribute FriendlyName="Groups" Name="${groupsAttribute}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${spec.groups.map(stringValue).join('')}</saml2:Attribute></saml2:AttributeStatement>` +
      `</saml2:Assertion>`;
    const signer = new SignedXml({ privateKey: this.signing.key, publicCert: this.signing.cert, signatureAlgorithm: rsaSha256, canonicalizationAlgorithm: excC14n });
    signer.addReference({ xpath: '/*', transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', excC14n], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
    signer.computeSignature(unsigned, { prefix: 'ds', location: { reference: "/*/*[local-name(.)='Issuer']", action: 'after' } });
    return signer.getSignedXml();
  }

  /**
   * The token `assertion` (an element of `document`, the text it was parsed from) if our key signed
   * it, as it is, and `now` lies in its window; a TokenError otherwise.
   */
  verify(document: string, assertion: Element, now: Date): VerifiedToken {
    if (assertion.localName !== 'Assertion' || assertion.namespaceURI !== ns.saml2) throw new TokenError('malformed', 'The token is not a SAML 2.0 assertion');
    const signed = this.signedContent(document, assertion);
    const token = readToken(signed);
    if (now.getTime() < token.notBefore.getTime()) throw new TokenError('notYetValid', `The token is not valid before ${token.notBefore.toISOString()}`);
    if (now.getTime() >= token.notOnOrAfter.getTime()) throw new TokenError('expired', `The token expired at ${token.notOnOrAfter.toISOString()}`);
    return token;
  }

  /** The assertion as signed (its canonical form, the signature taken out), re-parsed: nothing outside what was signed is read. */
  private signedContent(document: string, assertion: Element): Element {
    const signature = child(assertion, ns.ds, 'Signature');
    if (!signature) throw new TokenError('signature', 'The token is not signed');
    // Only our certificate: a key the token names in its own KeyInfo proves nothing.
    const verifier = new SignedXml({ publicCert: this.signing.cert, getCertFromKeyInfo: () => null });
    let valid = false;
    try {
      verifier.loadSignature(signature);
      valid = verifier.checkSignature(document);
    } catch {
      valid = false;
    }
    const references = verifier.getSignedReferences();
    const [reference] = verifier.getReferences();
    if (!valid || references.length !== 1 || reference?.uri !== `#${assertion.getAttribute('ID')}`) {
      throw new TokenError('signature', 'The token signature is not valid');
    }
    return new DOMParser().parseFromString(references[0]!, 'text/xml').documentElement as unknown as Element;
  }
}

/** A non-renewable token's condition, as vCenter's STS writes it (RSA's renew restriction, no renewals left). */
const notRenewable = `<saml2:Condition xmlns:rsa="http://www.rsa.com/names/2009/12/std-ext/SAML2.0" xmlns:xsi="${ns.xsi}" Count="0" xsi:type="${renewRestriction}"></saml2:Condition>`;

function confirmation(spec: TokenSpec): string {
  if (!spec.holderOfKey) {
    return `<saml2:SubjectConfirmation Method="${confirmationMethods.bearer}"><saml2:SubjectConfirmationData NotOnOrAfter="${spec.notOnOrAfter.toISOString()}"></saml2:SubjectConfirmationData></saml2:SubjectConfirmation>`;
  }
  return (
    `<saml2:SubjectConfirmation Method="${confirmationMethods.holderOfKey}">` +
    `<saml2:SubjectConfirmationData xmlns:xsi="${ns.xsi}" xsi:type="saml2:KeyInfoConfirmationDataType">` +
    `<ds:KeyInfo xmlns:ds="${ns.ds}"><ds:X509Data><ds:X509Certificate>${spec.holderOfKey}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
    `</saml2:SubjectConfirmationData></saml2:SubjectConfirmation>`
  );
}

function stringValue(value: string): string {
  return `<saml2:AttributeValue xmlns:xsi="${ns.xsi}" xsi:type="xs:string">${escapeXml(value)}</saml2:AttributeValue>`;
}

function readToken(assertion: Element): VerifiedToken {
  const subject = text(path(assertion, [ns.saml2, 'Subject'], [ns.saml2, 'NameID']));
  const conditions = child(assertion, ns.saml2, 'Conditions');
  const notBefore = new Date(conditions?.getAttribute('NotBefore') ?? '');
  const notOnOrAfter = new Date(conditions?.getAttribute('NotOnOrAfter') ?? '');
  if (!subject || Number.isNaN(notBefore.getTime()) || Number.isNaN(notOnOrAfter.getTime())) throw new TokenError('malformed', 'The token has no subject or validity window');
  const confirmation = path(assertion, [ns.saml2, 'Subject'], [ns.saml2, 'SubjectConfirmation']);
  const method = confirmation?.getAttribute('Method');
  let holderOfKey: X509Certificate | undefined;
  if (method === confirmationMethods.holderOfKey) {
    const der = text(path(confirmation, [ns.saml2, 'SubjectConfirmationData'], [ns.ds, 'KeyInfo'], [ns.ds, 'X509Data'], [ns.ds, 'X509Certificate']));
    holderOfKey = certificate(der);
    if (!holderOfKey) throw new TokenError('malformed', 'The holder-of-key token has no confirmation certificate');
  } else if (method !== confirmationMethods.bearer) {
    throw new TokenError('malformed', `Unknown subject confirmation method ${method}`);
  }
  const restrictions = conditions ? elements(conditions).filter((e) => e.localName === 'Condition') : [];
  const renewable = !restrictions.some((c) => c.getAttributeNS(ns.xsi, 'type') === renewRestriction && c.getAttribute('Count') === '0');
  const groups = elements(child(assertion, ns.saml2, 'AttributeStatement') ?? assertion)
    .filter((a) => a.getAttribute('Name') === groupsAttribute)
    .flatMap((a) => elements(a).map((v) => text(v) ?? ''));
  return { id: assertion.getAttribute('ID') ?? '', subject, groups, notBefore, notOnOrAfter, holderOfKey, renewable };
}

/** The certificate in base64 DER, undefined when it is none or its public key does not decode. */
export function certificate(base64: string | undefined): X509Certificate | undefined {
  if (!base64) return undefined;
  try {
    const parsed = new X509Certificate(Buffer.from(base64.replace(/\s+/g, ''), 'base64'));
    // Read here, where a failure means "no certificate": node decodes the key only when asked.
    void parsed.publicKey;
    return parsed;
  } catch {
    return undefined;
  }
}
