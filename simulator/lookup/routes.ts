/**
 * The SSO lookup service (`/lookupservice/sdk`, namespace `urn:lookup`), enough for clients to
 * find the STS and the vCenter SDK: RetrieveServiceContent, ServiceRegistration.List (filtered by
 * site, node, service type and endpoint type) and GetSiteId, with the registrations vcsim and a
 * fresh vCenter list for them.
 */
import { X509Certificate } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { MoRef } from '../../models/core/moref.js';
import type { OptionManager } from '../../models/host/option-manager.js';
import type { VCenter } from '../../models/vcenter.js';
import { escapeXml } from '../soap/encode.js';
import { childNamed, parseXml, type XmlElement } from '../soap/xml.js';

const siteId = 'vcsim';
const xmlType = 'text/xml; charset=utf-8';
/** Lookup calls are a few hundred bytes, and anyone may send them: far larger is refused unread. */
const lookupBodyLimit = 64 * 1024;
const envelope = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

interface Registration {
  ownerId: string;
  product: string;
  type: string;
  serviceVersion: string;
  serviceId: string;
  nodeId?: string;
  endpoints: { url: string; protocol: string; type: string }[];
  attributes?: [string, string][];
}

export function lookupRoutes(vc: VCenter, tlsCert: string | undefined) {
  const sslTrust = tlsCert ? new X509Certificate(tlsCert).raw.toString('base64') : '';
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.post('/lookupservice/sdk', { bodyLimit: lookupBodyLimit }, (request, reply) => {
      let call: XmlElement | undefined;
      try {
        const root = parseXml(typeof request.body === 'string' ? request.body : '');
        call = childNamed(root, 'Body')?.children[0];
      } catch {
        call = undefined;
      }
      const answer = call && method(vc, sslTrust, call);
      if (!answer) return reply.code(500).type(xmlType).send(envelope(`<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>${escapeXml(call ? `Unsupported method ${call.name}` : 'Malformed request')}</faultstring></soapenv:Fault>`));
      return reply.type(xmlType).send(envelope(`<${call!.name}Response xmlns="urn:lookup">${answer}</${call!.name}Response>`));
    });
  };
}

/** The response's content for `call`, undefined for a method the simulator does not serve. */
function method(vc: VCenter, sslTrust: string, call: XmlElement): string | undefined {
  switch (call.name) {
    case 'RetrieveServiceContent':
      return (
        '<returnval><lookupService type="LookupLookupService">lookupService</lookupService>' +
        '<serviceRegistration type="LookupServiceRegistration">ServiceRegistration</serviceRegistration>' +
        '<deploymentInformationService type="LookupDeploymentInformationService">deploymentInformationService</deploymentInformationService>' +
        '<l10n type="LookupL10n">l10n</l10n></returnval>'
      );
    case 'GetSiteId':
      return `<returnval>${siteId}</returnval>`;
    case 'List':
      return registrations(vc)
        .map((r) => matching(r, childNamed(call, 'filterCriteria')))
        .filter((r): r is Registration => r !== undefined)
        .map((r) => `<returnval>${registrationXml(r, sslTrust)}</returnval>`)
        .join('');
    default:
      return undefined;
  }
}

/** The STS (under its current and its obsolete PowerCLI service type) and the vCenter SDK, at the URLs vCenter's settings give. */
function registrations(vc: VCenter): Registration[] {
  const settings = vc.registry.require<OptionManager>(vc.content.setting as MoRef).visibleSettings({ vc });
  const setting = (key: string) => String(settings.find((o) => o.key === key)?.value ?? '');
  const stsUrl = setting('config.vpxd.sso.sts.uri');
  const sdkUrl = `${new URL(stsUrl).origin}/sdk`;
  const about = vc.content.about as { instanceUuid: string; apiVersion: string };
  const sts = {
    ownerId: setting('config.vpxd.sso.default.admin'),
    product: 'com.vmware.cis',
    type: 'cs.identity',
    serviceVersion: '2.0',
    serviceId: `${siteId}:sts`,
    endpoints: [{ url: stsUrl, protocol: 'wsTrust', type: 'com.vmware.cis.cs.identity.sso' }],
  };
  const vcenter = {
    ownerId: setting('config.vpxd.sso.solutionUser.name'),
    product: 'com.vmware.cis',
    type: 'vcenterserver',
    serviceVersion: about.apiVersion,
    serviceId: about.instanceUuid,
    nodeId: about.instanceUuid,
    endpoints: [{ url: sdkUrl, protocol: 'vmomi', type: 'com.vmware.vim' }],
    attributes: [
      ['com.vmware.cis.cm.GroupInternalId', 'com.vmware.vim.vcenter'],
      ['com.vmware.vim.vcenter.instanceName', setting('VirtualCenter.InstanceName')],
    ] as [string, string][],
  };
  return [sts, vcenter, { ...sts, type: 'sso:sts', serviceId: `${siteId}:sso-sts` }];
}

/** The registration with only the endpoints the filter asks for; undefined when it does not match. */
function matching(registration: Registration, filter: XmlElement | undefined): Registration | undefined {
  if (!filter) return registration;
  const field = (parent: XmlElement | undefined, name: string) => (parent && childNamed(parent, name)?.text.trim()) || undefined;
  const serviceType = childNamed(filter, 'serviceType');
  const endpointType = childNamed(filter, 'endpointType');
  const site = field(filter, 'siteId');
  const node = field(filter, 'nodeId');
  if (site && site !== siteId) return undefined;
  if (node && node !== registration.nodeId) return undefined;
  const product = field(serviceType, 'product');
  const type = field(serviceType, 'type');
  if ((product && product !== registration.product) || (type && type !== registration.type)) return undefined;
  if (!endpointType) return registration;
  const protocol = field(endpointType, 'protocol');
  const kind = field(endpointType, 'type');
  const endpoints = registration.endpoints.filter((e) => (!protocol || e.protocol === protocol) && (!kind || e.type === kind));
  return endpoints.length ? { ...registration, endpoints } : undefined;
}

function registrationXml(r: Registration, sslTrust: string): string {
  const endpoints = r.endpoints
    .map(
      (e) =>
        `<serviceEndpoints><url>${escapeXml(e.url)}</url><endpointType><protocol>${e.protocol}</protocol><type>${e.type}</type></endpointType>` +
        `<sslTrust>${sslTrust}</sslTrust></serviceEndpoints>`,
    )
    .join('');
  const attributes = (r.attributes ?? []).map(([key, value]) => `<serviceAttributes><key>${key}</key><value>${escapeXml(value)}</value></serviceAttributes>`).join('');
  return (
    `<serviceVersion>${escapeXml(r.serviceVersion)}</serviceVersion>${endpoints}${attributes}` +
    `<ownerId>${escapeXml(r.ownerId)}</ownerId><serviceType><product>${r.product}</product><type>${r.type}</type></serviceType>` +
    `${r.nodeId ? `<nodeId>${r.nodeId}</nodeId>` : ''}<serviceId>${escapeXml(r.serviceId)}</serviceId><siteId>${siteId}</siteId>`
  );
}
