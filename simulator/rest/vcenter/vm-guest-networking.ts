/**
 * `vcenter/vm/{vm}/guest/networking` (and its `interfaces` and `routes`): what VMware Tools report
 * of the guest's network, read from the VM's `guest` (GuestInfo.net and ipStack) that SOAP serves.
 * Without running tools vCenter has nothing to tell: service_unavailable.
 */
import type { DataObject } from '../../../models/core/moref.js';
import type { VCenter } from '../../../models/vcenter.js';
import { VirtualMachine } from '../../../models/vm/virtual-machine.js';
import { message, VapiError } from '../errors.js';
import { defineRoute, type RestRoute } from '../route.js';
import { lookup } from './filters.js';

/** The VM's guest info, when tools run in it. */
function runningGuest(vc: VCenter, id: string): DataObject {
  const vm = lookup(vc, id, VirtualMachine, 'vm', 'Virtual machine');
  const guest = (vm.guest ?? {}) as DataObject;
  if (vm.runtime.powerState !== 'poweredOn' || guest.toolsRunningStatus !== 'guestToolsRunning') {
    throw new VapiError('service_unavailable', [
      message('com.vmware.api.vcenter.vm.guest.networking.tools_not_running', `VMware Tools is not running in virtual machine ${vm.self.value}.`, [vm.self.value]),
    ]);
  }
  return guest;
}

const upper = (value: unknown) => (typeof value === 'string' ? value.toUpperCase() : undefined);
const stackOf = (guest: DataObject) => (((guest.ipStack ?? []) as DataObject[])[0] ?? {}) as DataObject;

function dnsOf(config: DataObject | undefined) {
  if (!config) return undefined;
  return { ip_addresses: (config.ipAddress ?? []) as string[], search_domains: (config.searchDomain ?? []) as string[] };
}

function networkingInfo(guest: DataObject) {
  const dns = stackOf(guest).dnsConfig as DataObject | undefined;
  return {
    dns_values: dns ? { domain_name: dns.domainName, search_domains: dns.searchDomain ?? [] } : undefined,
    dns: dnsOf(dns),
  };
}

function interfaces(guest: DataObject) {
  return ((guest.net ?? []) as DataObject[]).map((nic) => {
    const config = (nic.ipConfig ?? {}) as DataObject;
    const addresses = ((config.ipAddress ?? []) as DataObject[]).map((address) => ({
      ip_address: address.ipAddress,
      prefix_length: address.prefixLength,
      origin: upper(address.origin),
      state: upper(address.state) ?? 'UNKNOWN',
    }));
    return {
      mac_address: nic.macAddress,
      nic: nic.deviceConfigId !== undefined && Number(nic.deviceConfigId) >= 0 ? String(nic.deviceConfigId) : undefined,
      ip: { ip_addresses: addresses },
      dns: dnsOf(nic.dnsConfig as DataObject | undefined),
    };
  });
}

function routes(guest: DataObject) {
  const routeConfig = (stackOf(guest).ipRouteConfig ?? {}) as DataObject;
  return ((routeConfig.ipRoute ?? []) as DataObject[]).map((route) => {
    const gateway = (route.gateway ?? {}) as DataObject;
    return {
      network: route.network,
      prefix_length: route.prefixLength,
      gateway_address: gateway.ipAddress,
      interface_index: gateway.device !== undefined ? Number(gateway.device) : undefined,
    };
  });
}

export const vmGuestNetworkingRoutes: RestRoute[] = [
  defineRoute({ method: 'GET', path: '/vcenter/vm/:vm/guest/networking', handle: ({ vc, params }) => networkingInfo(runningGuest(vc, params.vm!)) }),
  defineRoute({ method: 'GET', path: '/vcenter/vm/:vm/guest/networking/interfaces', handle: ({ vc, params }) => interfaces(runningGuest(vc, params.vm!)) }),
  defineRoute({ method: 'GET', path: '/vcenter/vm/:vm/guest/networking/routes', handle: ({ vc, params }) => routes(runningGuest(vc, params.vm!)) }),
];
