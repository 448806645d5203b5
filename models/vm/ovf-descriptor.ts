/**
 * The little of an OVF descriptor the simulator reads and writes: a virtual system's name, guest
 * OS, CPU count and memory. Reading is pattern matching, not a full XML parse: a descriptor that
 * does not look like an OVF envelope reads as nothing, and the deployment takes its defaults.
 */

export interface OvfSummary {
  name?: string;
  guestId?: string;
  numCPUs?: number;
  memoryMB?: number;
}

/** rasd:ResourceType values (CIM_ResourceAllocationSettingData). */
const CPU = 3;
const MEMORY = 4;

/** Name, guest, CPUs and memory of the first virtual system of `xml`; empty when `xml` is no OVF envelope. */
export function readOvf(xml: string): OvfSummary {
  if (!/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<(\w+:)?Envelope[\s>]/.test(xml)) return {};
  const summary: OvfSummary = {};
  const system = /<(?:\w+:)?VirtualSystem\b([^>]*)>([\s\S]*?)<\/(?:\w+:)?VirtualSystem>/.exec(xml);
  if (!system) return summary;
  const [, attributes, body] = system as unknown as [string, string, string];
  const name = /<(?:\w+:)?Name>([^<]+)</.exec(body)?.[1] ?? /\bid="([^"]+)"/.exec(attributes)?.[1];
  if (name) summary.name = unescape(name.trim());
  const osType = /\bosType="([^"]+)"/.exec(body)?.[1];
  if (osType) summary.guestId = osType;
  for (const item of body.matchAll(/<(?:\w+:)?Item\b[^>]*>([\s\S]*?)<\/(?:\w+:)?Item>/g)) {
    const type = Number(field(item[1]!, 'ResourceType'));
    const quantity = Number(field(item[1]!, 'VirtualQuantity'));
    if (!Number.isInteger(quantity) || quantity <= 0) continue;
    if (type === CPU) summary.numCPUs = quantity;
    if (type === MEMORY) summary.memoryMB = Math.round(quantity * megabytesPerUnit(field(item[1]!, 'AllocationUnits')));
  }
  return summary;
}

function field(item: string, name: string): string | undefined {
  return new RegExp(`<(?:\\w+:)?${name}>([^<]*)<`).exec(item)?.[1]?.trim();
}

/** `byte * 2^20` (the default) is MB; `byte * 2^30` GB; `byte * 2^10` KB. */
function megabytesPerUnit(units: string | undefined): number {
  const power = /2\^(\d+)/.exec(units ?? '')?.[1];
  return power === undefined ? 1 : 2 ** (Number(power) - 20);
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => escapes[c]!);
const unescape = (text: string) => text.replace(/&(amp|lt|gt|quot);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[e]!);

/** A minimal OVF 1.0 descriptor of one virtual system (what an OVF item made from a VM holds). */
export function writeOvf(vm: Required<OvfSummary>): string {
  const name = escape(vm.name);
  return `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vmw="http://www.vmware.com/schema/ovf">
  <VirtualSystem ovf:id="${name}">
    <Info>A virtual machine</Info>
    <Name>${name}</Name>
    <OperatingSystemSection ovf:id="1" vmw:osType="${escape(vm.guestId)}">
      <Info>The kind of installed guest operating system</Info>
    </OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements</Info>
      <Item>
        <rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits>
        <rasd:ElementName>${vm.numCPUs} virtual CPU(s)</rasd:ElementName>
        <rasd:InstanceID>1</rasd:InstanceID>
        <rasd:ResourceType>${CPU}</rasd:ResourceType>
        <rasd:VirtualQuantity>${vm.numCPUs}</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits>
        <rasd:ElementName>${vm.memoryMB}MB of memory</rasd:ElementName>
        <rasd:InstanceID>2</rasd:InstanceID>
        <rasd:ResourceType>${MEMORY}</rasd:ResourceType>
        <rasd:VirtualQuantity>${vm.memoryMB}</rasd:VirtualQuantity>
      </Item>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
`;
}

/** A disk of an OVF descriptor: its DiskSection entry and the file (References) that holds it. */
export interface OvfDisk {
  diskId: string;
  capacityBytes: number;
  fileHref?: string;
  fileSize?: number;
}

/** What an import needs of a descriptor besides the summary: disks, NICs and the networks they name. */
export interface OvfHardware extends OvfSummary {
  disks: OvfDisk[];
  nics: { network: string; type: string }[];
  networks: string[];
}

/** Disks, NICs and networks of `xml` (an OVF envelope), with the summary readOvf gives. */
export function readOvfHardware(xml: string): OvfHardware {
  const files = new Map<string, { href: string; size?: number }>();
  for (const [tag] of xml.matchAll(/<(?:\w+:)?File\b[^>]*>/g)) {
    const id = attribute(tag, 'id');
    if (id) files.set(id, { href: attribute(tag, 'href') ?? '', size: numberOr(attribute(tag, 'size')) });
  }
  const disks: OvfDisk[] = [];
  for (const [tag] of xml.matchAll(/<(?:\w+:)?Disk\b[^>]*>/g)) {
    const diskId = attribute(tag, 'diskId');
    if (!diskId) continue;
    const file = files.get(attribute(tag, 'fileRef') ?? '');
    const units = attribute(tag, 'capacityAllocationUnits');
    const capacityBytes = Math.round(Number(attribute(tag, 'capacity') ?? 0) * megabytesPerUnit(units ?? 'byte * 2^20') * (units ? 2 ** 20 : 1));
    disks.push({ diskId, capacityBytes, fileHref: file?.href, fileSize: file?.size });
  }
  const nics: { network: string; type: string }[] = [];
  for (const item of xml.matchAll(/<(?:\w+:)?Item\b[^>]*>([\s\S]*?)<\/(?:\w+:)?Item>/g)) {
    if (Number(field(item[1]!, 'ResourceType')) !== 10) continue;
    nics.push({ network: field(item[1]!, 'Connection') ?? '', type: field(item[1]!, 'ResourceSubType') ?? 'E1000' });
  }
  const networks = [...xml.matchAll(/<(?:\w+:)?Network\b[^>]*>/g)].map(([tag]) => attribute(tag, 'name')).filter((n): n is string => !!n);
  return { ...readOvf(xml), disks, nics, networks };
}

function attribute(tag: string, name: string): string | undefined {
  const value = new RegExp(`\\b(?:\\w+:)?${name}="([^"]*)"`).exec(tag)?.[1];
  return value === undefined ? undefined : unescape(value);
}

function numberOr(text: string | undefined): number | undefined {
  return text === undefined || !Number.isFinite(Number(text)) ? undefined : Number(text);
}
