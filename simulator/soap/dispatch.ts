import { VimFault, faults } from '../../models/core/fault.js';
import { methodOf, type CallContext, type ManagedObject } from '../../models/core/managed-object.js';
import { MoRef } from '../../models/core/moref.js';
import type { Session } from '../../models/core/session.js';
import type { VCenter } from '../../models/vcenter.js';
import type { CallInterceptor } from '../control/interceptor.js';
import type { Sts } from '../sts/sts.js';
import { InjectedAnswer } from '../faults/answer.js';
import type { ApiCall, CallConnection } from '../faults/call.js';
import { SoapDecoder } from './decode.js';
import { SoapEncoder, XmlWriter, escapeXml } from './encode.js';
import { XmlError, childNamed, parseXml, parseXmlYielding, type XmlElement, type XmlLimits } from './xml.js';

export interface SoapRequest {
  body: string;
  /** The SOAPAction header, naming the client's API version (`"urn:vim25/6.7"`). */
  soapAction?: string;
  sessionKey?: string;
  remoteAddress: string;
  userAgent: string;
  /** The connection the request came on: a call held by a fault rule ends when it closes. */
  connection?: CallConnection;
  /** The client's W3C `traceparent` header, for the journal. */
  traceparent?: string;
  /** The DER of the TLS client certificate, read when a method asks for it. */
  clientCertificate?: () => Uint8Array | undefined;
}

export interface SoapResponse {
  status: number;
  body: Buffer;
  /** Set when the call logged a session in: the cookie to hand out. */
  newSessionKey?: string;
  /** The fault type answered, if any. */
  fault?: string;
  /** A fault rule's wire answer (HTTP status, reset) to send instead of `body`. */
  injected?: InjectedAnswer;
}

/**
 * Methods vCenter answers before login. Property retrieval is among them: it answers with
 * NotAuthenticated in each object's missingSet, which is how govmomi tells "not logged in".
 */
const openMethods = new Set([
  'RetrieveServiceContent', 'Login', 'LoginByToken', 'LoginExtensionByCertificate', 'LoginExtensionBySubjectName',
  'CloneSession', 'AcquireLocalTicket', 'RetrieveProperties', 'RetrievePropertiesEx',
]);

/**
 * Bodies longer than this are parsed a slice at a time (see parseXmlYielding); shorter ones, nearly
 * every call, in one go with no extra turn of the event loop.
 */
const yieldingParseChars = 64 * 1024;
/**
 * The largest body a caller without a session may send: a Login or RetrieveServiceContent is a
 * few hundred bytes, so anything bigger from nobody is refused before it is parsed.
 */
const anonymousBodyChars = 64 * 1024;

const envelopeOpen =
  '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n<soapenv:Body>';
const envelopeClose = '</soapenv:Body>\n</soapenv:Envelope>';

/** A whole SOAP envelope holding a client fault (ClientFaultCode, no detail): for requests refused before any dispatch. */
export function soapClientFault(message: string): string {
  return `${envelopeOpen}<soapenv:Fault><faultcode>ClientFaultCode</faultcode><faultstring>${escapeXml(message)}</faultstring></soapenv:Fault>${envelopeClose}`;
}

/** One SOAP call: decode, authorize, dispatch by method name to the model, encode. */
export class SoapDispatcher {
  private readonly decoder: SoapDecoder;
  private readonly encoder: SoapEncoder;
  private readonly newestVersion: number;

  constructor(
    private readonly vc: VCenter,
    private readonly limits: XmlLimits = {},
    /** Applies fault rules and records each call in the journal. */
    private readonly interceptor?: CallInterceptor,
    /** Checks the SAML token a LoginByToken carries in its WS-Security header. */
    private readonly sts?: Sts,
  ) {
    this.decoder = new SoapDecoder(vc.types, true);
    this.encoder = new SoapEncoder(vc.types);
    this.newestVersion = vc.types.versions.length - 1;
  }

  async handle(request: SoapRequest): Promise<SoapResponse> {
    if (!this.interceptor) return this.respond(request);
    const record = this.interceptor.open('soap', request.connection, request.traceparent);
    const response = await this.respond(request, record);
    this.interceptor.close(record, response);
    return response;
  }

  /**
   * The answer to a request refused on its headers alone, before its body is read: a large body
   * (by Content-Length) from a caller with no session. Undefined when the request may go on.
   */
  refuseEarly(sessionKey: string | undefined, contentLength: number, soapAction: string | undefined): SoapResponse | undefined {
    if (contentLength <= anonymousBodyChars || this.vc.sessionManager.lookup(sessionKey)) return undefined;
    return this.faultResponse(faults.notAuthenticated(), this.versionIndex(soapAction));
  }

  private async respond(request: SoapRequest, record?: ApiCall): Promise<SoapResponse> {
    const vi = this.versionIndex(request.soapAction);
    // The cheap checks (who calls, how much they send) come before the parse, the expensive part.
    const session = this.vc.sessionManager.lookup(request.sessionKey);
    let call: XmlElement;
    try {
      if (!session && request.body.length > anonymousBodyChars) throw faults.notAuthenticated();
      call = await this.methodElement(request.body, record);
    } catch (error) {
      return this.faultResponse(error, vi);
    }
    const ctx: CallContext = { vc: this.vc, session, call: record };
    // Only a token login reads the WS-Security header: no other call pays for a second parse.
    if (call.name === 'LoginByToken') ctx.samlSubject = this.sts?.loginSubject(request.body);
    try {
      const out = new XmlWriter();
      out.write(envelopeOpen);
      await this.invoke(out, call, ctx, request, vi, record);
      out.write(envelopeClose);
      const response: SoapResponse = { status: 200, body: out.toBuffer() };
      if (ctx.session && ctx.session !== session) {
        response.newSessionKey = ctx.session.key;
        if (record) {
          record.user = ctx.session.userName;
          record.session = ctx.session.key;
        }
      }
      return response;
    } catch (error) {
      if (error instanceof InjectedAnswer) return { status: 0, body: Buffer.alloc(0), injected: error };
      return this.faultResponse(error, vi);
    }
  }

  private async methodElement(body: string, record?: ApiCall): Promise<XmlElement> {
    let envelope: XmlElement;
    try {
      envelope = body.length > yieldingParseChars ? await parseXmlYielding(body, this.limits) : parseXml(body, this.limits.maxDepth, this.limits.maxElements);
    } catch (error) {
      throw faults.client(error instanceof XmlError ? `Malformed XML: ${error.message}` : 'Malformed XML');
    }
    const soapBody = envelope.name === 'Envelope' ? childNamed(envelope, 'Body') : undefined;
    // The client's operation id (<soapenv:Header><operationID>, as govmomi sends it), for the journal.
    if (record && envelope.children.length > 1) record.operationId = childNamed(childNamed(envelope, 'Header') ?? envelope, 'operationID')?.text.trim();
    const call = soapBody?.children[0];
    if (!call) throw faults.client('The request is not a SOAP envelope with a method call in its Body');
    return call;
  }

  private async invoke(out: XmlWriter, call: XmlElement, ctx: CallContext, request: SoapRequest, vi: number, record?: ApiCall): Promise<void> {
    const methodName = call.name;
    const thisElement = childNamed(call, '_this');
    if (record) {
      const held = this.intercept(record, methodName, thisElement, ctx.session);
      if (held) await held; // no await (and no extra turn) when no rule holds the call
    }
    if (!thisElement) throw faults.invalidRequest(`Missing _this in ${methodName}`);
    const obj = this.target(thisElement, ctx.session);
    const decl = this.vc.types.method(obj.self.type, methodName);
    const handler = decl && methodOf(obj, methodName);
    if (!decl || !handler) throw faults.methodNotFound(obj.self, methodName);
    if (!ctx.session && !openMethods.has(methodName)) throw faults.notAuthenticated(obj.self);
    const args = this.decoder.args(decl.params, call);
    this.vc.access.authorize(ctx, obj, methodName, decl, args);
    ctx.remote = { address: request.remoteAddress, userAgent: request.userAgent, certificate: request.clientCertificate };
    if (ctx.session) ctx.session.callCount++;
    const result = await handler.call(obj, ctx, args);
    out.write(`<${methodName}Response xmlns="urn:vim25">`);
    if (decl.returns) this.encoder.element(out, 'returnval', result, decl.returns, vi);
    out.write(`</${methodName}Response>`);
  }

  /**
   * Describes the call to the fault rules before anything else can fail, so a rule fires even on
   * calls the server would refuse; they may hold it, or throw the fault or wire answer it gets.
   */
  private intercept(record: ApiCall, method: string, thisElement: XmlElement | undefined, session: Session | undefined): void | Promise<void> {
    record.method = method;
    record.moid = thisElement?.text.trim();
    record.type = thisElement?.type ?? (record.moid === undefined ? undefined : this.vc.registry.byId(record.moid)?.self.type);
    record.user = session?.userName;
    record.session = session?.key;
    return this.interceptor!.before(record);
  }

  /** The object `_this` names; a `_this` without a type attribute is found by its id alone. */
  private target(element: XmlElement, session: Session | undefined): ManagedObject {
    const value = element.text.trim();
    const type = element.type ?? this.vc.registry.byId(value)?.self.type ?? 'ManagedObject';
    return this.vc.resolve(new MoRef(type, value), session);
  }

  /**
   * The API version the SOAPAction names (`"urn:vim25/6.7"`); a version the table does not list
   * (6.7.3) counts as the newest listed one below it. None at all means the newest.
   */
  private versionIndex(soapAction: string | undefined): number {
    const slash = soapAction?.lastIndexOf('/') ?? -1;
    if (slash < 0) return this.newestVersion;
    const asked = soapAction!.slice(slash + 1).replace(/"/g, '').trim();
    const versions = this.vc.types.versions;
    const exact = versions.indexOf(asked);
    if (exact >= 0) return exact;
    for (let i = versions.length - 1; i >= 0; i--) if (compareVersions(versions[i]!, asked) <= 0) return i;
    return this.newestVersion;
  }

  private faultResponse(error: unknown, vi: number): SoapResponse {
    const fault = asVimFault(error, (e) => this.reportInternal('serving a SOAP call', e));
    let out = new XmlWriter();
    try {
      out.write(envelopeOpen);
      this.writeFault(out, fault, vi);
    } catch (encodingError) {
      // A fault whose properties cannot be encoded still gets an answer, just without its detail.
      this.reportInternal(`encoding the fault ${fault.type}`, encodingError);
      out = new XmlWriter();
      out.write(envelopeOpen);
      out.write(`<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>${escapeXml(fault.message)}</faultstring></soapenv:Fault>`);
    }
    out.write(envelopeClose);
    return { status: 500, body: out.toBuffer(), fault: fault.type };
  }

  private reportInternal(where: string, error: unknown): void {
    const report = this.vc.options.onInternalError ?? ((w, e) => console.error(`vcenter-sim: internal error ${w}:`, e));
    report(where, error);
  }

  private writeFault(out: XmlWriter, fault: VimFault, vi: number): void {
    const code = fault.clientFault ? 'ClientFaultCode' : 'ServerFaultCode';
    out.write(`<soapenv:Fault><faultcode>${code}</faultcode><faultstring>${escapeXml(fault.message)}</faultstring>`);
    if (!fault.clientFault) {
      const type = this.encoder.visibleType(fault.type, vi);
      out.write(`<detail><${type}Fault xmlns="urn:vim25" xsi:type="${type}">`);
      this.encoder.content(out, type, fault.props, vi);
      out.write(`</${type}Fault></detail>`);
    }
    out.write('</soapenv:Fault>');
  }
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Anything thrown that is not a vSphere fault is a bug of ours: reported, a SystemError to the client. */
function asVimFault(error: unknown, report: (error: unknown) => void): VimFault {
  if (error instanceof VimFault) return error;
  report(error);
  return new VimFault('SystemError', { reason: 'Internal error' }, 'A general system error occurred: Internal error');
}
