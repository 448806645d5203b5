/** Test helpers for the simulator's STS: WS-Trust requests as a plain SOAP client writes them. */
import { X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import type { Simulator } from '../../simulator/index.js';
import { http, type HttpReply } from './control.js';

const wst = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512';
const wsse = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const wsu = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

export interface TokenRequest {
  /** A UsernameToken's credentials. */
  username?: string;
  password?: string;
  /** A SAML assertion for the Security header (an Issue by token, a bearer LoginByToken). */
  assertion?: string;
  kind?: 'Issue' | 'Renew' | 'Validate';
  /** The requested lifetime, from now by the host's clock. */
  lifetimeMs?: number;
  renewable?: boolean;
  /** The token a Renew or Validate names. */
  target?: string;
  keyType?: 'Bearer' | 'PublicKey';
}

/** A WS-Trust RequestSecurityToken envelope. */
export function tokenRequest(request: TokenRequest): string {
  const kind = request.kind ?? 'Issue';
  const now = new Date();
  const username = request.username === undefined ? '' : `<wsse:UsernameToken><wsse:Username>${request.username}</wsse:Username><wsse:Password>${request.password ?? ''}</wsse:Password></wsse:UsernameToken>`;
  const lifetime = request.lifetimeMs === undefined ? '' : `<wst:Lifetime><wsu:Created>${now.toISOString()}</wsu:Created><wsu:Expires>${new Date(now.getTime() + request.lifetimeMs).toISOString()}</wsu:Expires></wst:Lifetime>`;
  const target = request.target === undefined ? '' : `<wst:${kind}Target>${request.target}</wst:${kind}Target>`;
  return (
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wst="${wst}" xmlns:wsse="${wsse}" xmlns:wsu="${wsu}">` +
    `<soapenv:Header><wsse:Security>${username}${request.assertion ?? ''}</wsse:Security></soapenv:Header>` +
    `<soapenv:Body><wst:RequestSecurityToken><wst:TokenType>urn:oasis:names:tc:SAML:2.0:assertion</wst:TokenType>` +
    `<wst:RequestType>${wst}/${kind}</wst:RequestType>${lifetime}` +
    `<wst:Renewing Allow="${request.renewable ?? false}" OK="false"/><wst:KeyType>${wst}/${request.keyType ?? 'Bearer'}</wst:KeyType>${target}` +
    `</wst:RequestSecurityToken></soapenv:Body></soapenv:Envelope>`
  );
}

/** The STS URL of `sim`, as vCenter's settings give it. */
export const stsUrl = (sim: Simulator) => sim.url.replace(/\/sdk$/, '/sts/STSService/vsphere.local');

export function callSts(sim: Simulator, request: TokenRequest | string): Promise<HttpReply> {
  const body = typeof request === 'string' ? request : tokenRequest(request);
  return http(stsUrl(sim), { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body });
}

/** The assertion in an STS answer. */
export function assertionOf(reply: HttpReply): string {
  const token = /<saml2:Assertion[\s\S]*<\/saml2:Assertion>/.exec(reply.text)?.[0];
  if (!token) throw new Error(`no token in the STS answer (${reply.status}): ${reply.text.slice(0, 500)}`);
  return token;
}

/** A bearer token for `username`/`password` (the simulator's own credentials by default). */
export async function bearerToken(sim: Simulator, username = sim.username, password = sim.password, lifetimeMs?: number): Promise<string> {
  return assertionOf(await callSts(sim, { username, password, lifetimeMs }));
}

/** The faultcode and faultstring of an STS fault. */
export function stsFault(reply: HttpReply): { status: number; code?: string; message?: string } {
  return { status: reply.status, code: /<faultcode[^>]*>([^<]*)<\/faultcode>/.exec(reply.text)?.[1], message: /<faultstring>([^<]*)<\/faultstring>/.exec(reply.text)?.[1] };
}

/**
 * `envelope` signed by `signer` as govmomi's sts.Signer signs a holder-of-key request: its
 * certificate in a BinarySecurityToken, a Timestamp, and one RSA-SHA256 signature over the Body and
 * the Timestamp, all in the Security header (which the envelope must have).
 */
export function signRequest(envelope: string, signer: { key: string; cert: string }, now = new Date()): string {
  const der = new X509Certificate(signer.cert).raw.toString('base64');
  const security =
    `<wsse:BinarySecurityToken xmlns:wsse="${wsse}" xmlns:wsu="${wsu}" EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary" ` +
    `ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3" wsu:Id="_cert">${der}</wsse:BinarySecurityToken>` +
    `<wsu:Timestamp xmlns:wsu="${wsu}" wsu:Id="_timestamp"><wsu:Created>${now.toISOString()}</wsu:Created><wsu:Expires>${new Date(now.getTime() + 600_000).toISOString()}</wsu:Expires></wsu:Timestamp>`;
  const unsigned = envelope
    .replace(/<(\w+:)?Security([^>]*)>/, (open) => open + security)
    .replace(/<(\w+:)?Body>/, (_open, prefix = '') => `<${prefix}Body xmlns:wsu="${wsu}" wsu:Id="_body">`);
  const signed = new SignedXml({ privateKey: signer.key, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#', idMode: 'wssecurity' });
  for (const name of ['Body', 'Timestamp']) {
    signed.addReference({ xpath: `//*[local-name(.)='${name}']`, transforms: ['http://www.w3.org/2001/10/xml-exc-c14n#'], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
  }
  signed.computeSignature(unsigned, { prefix: 'ds', location: { reference: "//*[local-name(.)='Security']", action: 'append' } });
  return signed.getSignedXml();
}
