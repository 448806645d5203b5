/** The STS's SAML tokens: issued signed, verified by signature and window, refused when tampered with or foreign. */
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SamlTokens, TokenError, type TokenProblem } from '../../simulator/sts/saml.js';
import { parseDom } from '../../simulator/sts/xml.js';
import { selfSigned } from '../../simulator/tls.js';

const signing = selfSigned('sts-signing', 'rsa');
const tokens = new SamlTokens(signing, 'https://vcenter-sim/websso/SAML2/Metadata/vsphere.local');
const issued = new Date('2030-01-01T00:00:00.000Z');
const later = (ms: number) => new Date(issued.getTime() + ms);
const bearer = tokens.issue({ subject: 'alice@VSPHERE.LOCAL', groups: ['vsphere.local\\Operators'], issued, notOnOrAfter: later(300_000), renewable: false });

const verify = (xml: string, now = later(1000), by = tokens) => by.verify(xml, parseDom(xml).documentElement as unknown as Element, now);
const problem = (run: () => unknown): TokenProblem | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof TokenError) return error.problem;
    throw error;
  }
};

describe('SAML tokens', () => {
  it('lays a token out as vCenter does: Issuer, Signature, Subject, Conditions, AuthnStatement, AttributeStatement', () => {
    const root = parseDom(bearer).documentElement;
    const children = [];
    for (let n = root.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) children.push((n as Element).localName);
    expect(children).toEqual(['Issuer', 'Signature', 'Subject', 'Conditions', 'AuthnStatement', 'AttributeStatement']);
    expect(bearer).toContain('<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>');
    expect(bearer).toContain('Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"');
  });

  it('verifies its own tokens and reads subject, groups, window and renewability from what was signed', () => {
    expect(verify(bearer)).toMatchObject({ subject: 'alice@VSPHERE.LOCAL', groups: ['vsphere.local\\Operators'], notBefore: issued, notOnOrAfter: later(300_000), renewable: false });
    expect(verify(bearer).holderOfKey).toBeUndefined();
  });

  it('carries a holder-of-key token\'s confirmation certificate', () => {
    const holder = new X509Certificate(selfSigned('holder', 'rsa').cert);
    const hok = tokens.issue({ subject: 'alice@VSPHERE.LOCAL', groups: [], issued, notOnOrAfter: later(3600_000), holderOfKey: holder.raw.toString('base64'), renewable: true });
    const token = verify(hok);
    expect(token.holderOfKey?.fingerprint256).toBe(holder.fingerprint256);
    expect(token.renewable).toBe(true);
  });

  it('refuses a token outside its window: expired at NotOnOrAfter, not yet valid before NotBefore', () => {
    expect(problem(() => verify(bearer, later(300_000)))).toBe('expired');
    expect(problem(() => verify(bearer, later(-1)))).toBe('notYetValid');
  });

  it('refuses a tampered token, one signed by another key, and an unsigned one', () => {
    expect(problem(() => verify(bearer.replace('alice@', 'mallory@')))).toBe('signature');
    expect(problem(() => verify(bearer.replace(/NotOnOrAfter="[^"]*"/g, 'NotOnOrAfter="2099-01-01T00:00:00.000Z"')))).toBe('signature');
    const other = new SamlTokens(selfSigned('other-sts', 'rsa'), 'https://elsewhere');
    expect(problem(() => verify(bearer, later(1000), other))).toBe('signature');
    expect(problem(() => verify(bearer.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')))).toBe('signature');
  });

  it('refuses a signature that covers another element than the assertion (signature wrapping)', () => {
    const wrapped = bearer.replace(/ID="([^"]*)"/, 'ID="_other"');
    expect(problem(() => verify(wrapped))).toBe('signature');
  });
});
