/**
 * World action `vm-guest`: what VMware Tools in a VM report — its IP address, host name, NICs and
 * whether the tools run (`guest.*` and `summary.guest.*`). On a VM that is off, the values are what
 * the guest reports at its next power-on, as if set inside the guest.
 */
import { z } from 'zod';
import type { DataObject } from '../../models/core/moref.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import type { VCenter } from '../../models/vcenter.js';

const toolsRunning = ['guestToolsRunning', 'guestToolsNotRunning', 'guestToolsExecutingScripts'] as const;

/** What a guest can report: an IPv4 or IPv6 address, a DNS name, a MAC; nothing a client could not parse. */
const ipAddress = z.union([z.ipv4(), z.ipv6()], { error: 'expected an IPv4 or IPv6 address' });
const hostName = z.string().max(255).regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, 'expected a host name (letters, digits, dots and hyphens)');
const macAddress = z.string().regex(/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/, 'expected a MAC address (00:50:56:aa:bb:cc)');

const guestNicSchema = z.strictObject({
  network: z.string().max(255).optional(),
  macAddress: macAddress.optional(),
  ipAddress: z.array(ipAddress).max(64).describe('Addresses of this NIC, the first IPv4 one shown as guest.ipAddress'),
  connected: z.boolean().optional(),
});

export const vmGuestSchema = z
  .strictObject({
    vm: z.string().min(1).describe("The VM's managed object id or name"),
    ipAddress: ipAddress.optional().describe('guest.ipAddress (and the first NIC\'s address when `net` is not given)'),
    hostName: hostName.optional().describe('guest.hostName'),
    toolsRunningStatus: z.enum(toolsRunning).optional().describe('guest.toolsRunningStatus (toolsStatus and guestState follow)'),
    net: z.array(guestNicSchema).max(64).optional().describe('guest.net, one entry per NIC'),
  })
  .describe('Fields left out keep their value');

export const vmGuestResultSchema = z.object({
  vm: z.string(),
  powerState: z.string(),
  guest: z.object({
    ipAddress: z.string().optional(),
    hostName: z.string().optional(),
    toolsRunningStatus: z.string().optional(),
    net: z.array(z.unknown()).optional(),
  }).describe('What the guest reports now (while the VM is off: nothing, the values show at power-on)'),
});

export type VmGuestChange = z.input<typeof vmGuestSchema>;
export type VmGuestResult = z.output<typeof vmGuestResultSchema>;

export function setGuest(vc: VCenter, vm: VirtualMachine, change: z.output<typeof vmGuestSchema>): VmGuestResult {
  const running = vm.runtime.powerState === 'poweredOn';
  vm.updateGuest((guest, summary) => apply(guest, summary, change), running);
  vc.registry.changed(vm);
  const g = vm.guest ?? {};
  return {
    vm: vm.self.value,
    powerState: String(vm.runtime.powerState),
    guest: { ipAddress: g.ipAddress as string | undefined, hostName: g.hostName as string | undefined, toolsRunningStatus: g.toolsRunningStatus as string | undefined, net: g.net as unknown[] | undefined },
  };
}

function apply(guest: DataObject, summary: DataObject, change: z.output<typeof vmGuestSchema>): void {
  const set = (key: string, value: unknown) => {
    guest[key] = value;
    if (key !== 'net' && key !== 'guestState') summary[key] = value;
  };
  if (change.net !== undefined) {
    const nets = change.net.map((nic, i) => nicInfo(nic, (guest.net as DataObject[] | undefined)?.[i]));
    set('net', nets);
    if (change.ipAddress === undefined) set('ipAddress', nets.flatMap((n) => n.ipAddress as string[]).find((ip) => ip.includes('.')));
  }
  if (change.ipAddress !== undefined) {
    set('ipAddress', change.ipAddress);
    if (change.net === undefined) {
      const [first, ...rest] = (guest.net as DataObject[] | undefined) ?? [{ connected: true }];
      set('net', [nicInfo({ ipAddress: [change.ipAddress] }, first), ...rest]);
    }
  }
  if (change.hostName !== undefined) set('hostName', change.hostName);
  if (change.toolsRunningStatus !== undefined) {
    const on = change.toolsRunningStatus !== 'guestToolsNotRunning';
    set('toolsRunningStatus', change.toolsRunningStatus);
    set('toolsStatus', on ? 'toolsOk' : 'toolsNotRunning');
    set('guestState', on ? 'running' : 'notRunning');
  }
}

/** A GuestNicInfo from the given fields, the rest kept from the NIC it replaces. */
function nicInfo(nic: z.output<typeof guestNicSchema>, old: DataObject | undefined): DataObject {
  const ipConfig = { ipAddress: nic.ipAddress.map((ip) => ({ ipAddress: ip, prefixLength: ip.includes(':') ? 64 : 24, state: 'preferred' })) };
  return {
    ...old,
    ...(nic.network !== undefined ? { network: nic.network } : {}),
    ...(nic.macAddress !== undefined ? { macAddress: nic.macAddress } : {}),
    connected: nic.connected ?? old?.connected ?? true,
    ipAddress: nic.ipAddress,
    ipConfig,
  };
}
