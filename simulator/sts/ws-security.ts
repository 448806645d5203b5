/**
 * The WS-Security header of a SOAP request (OASIS WSS 1.1 with the SAML and X.509 token profiles),
 * as govmomi's sts.Signer, pyvmomi's samlToken and vCenter's own SDKs write it: a UsernameToken,
 * a SAML assertion, a BinarySecurityToken (the signer's X.509 certificate), a Timestamp, and a
 * Signature over the Timestamp and the Body.
 */
import type { X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import type { XmlLimits } from '../soap/xml.js';
import { certificate } from './saml.js';
import { MalformedXml, child, elements, ns, parseDom, path, text } from './xml.js';

export interface SecurityHeader {
  /** The request as sent: signatures are checked against it. */
  document: string;
  /** The SOAP Body's first element: the call. */
  call?: Element;
  username?: { name: string; password: string };
  /** A SAML assertion carried in the header (a login by token, or an Issue by token). */
  assertion?: Element;
  /** The X.509 certificate a BinarySecurityToken carries (the key an Issue for holder-of-key signs with). */
  binaryToken?: X509Certificate;
  timestamp?: { created?: Date; expires?: Date };
  signature?: Element;
  /** The Body's wsu:Id, which a request signature must cover. */
  bodyId?: string;
}

/** Why a request's security header is refused. */
export class SecurityError extends Error {
  constructor(
    readonly problem: 'malformed' | 'signature' | 'expired',
    message: string,
  ) {
    super(message);
  }
}

/** The envelope `document`, its Security header read (all of it optional). */
export function readSecurityHeader(document: string, limits?: XmlLimits): SecurityHeader {
  let dom: Document;
  try {
    dom = parseDom(document, limits);
  } catch (error) {
    throw new SecurityError('malformed', error instanceof MalformedXml ? `Malformed XML: ${error.message}` : 'Malformed XML');
  }
  const envelope = dom.documentElement as unknown as Element;
  if (envelope?.localName !== 'Envelope' || envelope.namespaceURI !== ns.soap) throw new SecurityError('malformed', 'The request is not a SOAP envelope');
  const body = child(envelope, ns.soap, 'Body');
  const security = path(envelope, [ns.soap, 'Header'], [ns.wsse, 'Security']);
  const header: SecurityHeader = { document, call: body && elements(body)[0], bodyId: body?.getAttributeNS(ns.wsu, 'Id') || undefined };
  if (!security) return header;
  const username = child(security, ns.wsse, 'UsernameToken');
  if (username) header.username = { name: text(child(username, ns.wsse, 'Username')) ?? '', password: child(username, ns.wsse, 'Password')?.textContent ?? '' };
  header.assertion = child(security, ns.saml2, 'Assertion');
  const binary = child(security, ns.wsse, 'BinarySecurityToken');
  if (binary) {
    header.binaryToken = certificate(text(binary));
    if (!header.binaryToken) throw new SecurityError('malformed', 'The BinarySecurityToken holds no X.509 certificate');
  }
  const timestamp = child(security, ns.wsu, 'Timestamp');
  if (timestamp) header.timestamp = { created: date(text(child(timestamp, ns.wsu, 'Created'))), expires: date(text(child(timestamp, ns.wsu, 'Expires'))) };
  header.signature = child(security, ns.ds, 'Signature');
  return header;
}

/**
 * Checks that the request was signed by `key`'s owner: a valid signature that covers the Body
 * (a signature over the Timestamp alone proves nothing about the call).
 */
export function checkRequestSignature(header: SecurityHeader, key: X509Certificate): void {
  if (!header.signature) throw new SecurityError('signature', 'The request is not signed');
  if (key.publicKey.asymmetricKeyType !== 'rsa') throw new SecurityError('signature', 'The signing certificate has no RSA key');
  // The key is the one given: a certificate the signature's own KeyInfo names proves nothing.
  const verifier = new SignedXml({ publicCert: key.toString(), getCertFromKeyInfo: () => null });
  let valid = false;
  try {
    verifier.loadSignature(header.signature);
    valid = verifier.checkSignature(header.document);
  } catch {
    valid = false;
  }
  const covered = new Set(verifier.getReferences().map((r) => r.uri));
  if (!valid || !header.bodyId || !covered.has(`#${header.bodyId}`)) throw new SecurityError('signature', 'The request signature is not valid');
}

/**
 * Refuses a request whose Timestamp has expired, by the clock the client shares with the host
 * (`hostNow`, not the simulator's advanced clock), within vCenter's default clock tolerance.
 */
export function checkTimestamp(header: SecurityHeader, hostNow: Date, toleranceMs = 10 * 60_000): void {
  const expires = header.timestamp?.expires;
  if (expires && expires.getTime() + toleranceMs < hostNow.getTime()) throw new SecurityError('expired', 'The message has expired');
}

function date(value: string | undefined): Date | undefined {
  const parsed = value ? new Date(value) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
}
