/**
 * Deterministic generated values of one inventory: UUIDs, MAC and IP addresses, choices.
 *
 * UUIDs are name-based (RFC 4122 version 5, SHA-1), as vcsim's: a host's is derived from its
 * name, a VM's from its .vmx path. Without a seed the namespace is the standard OID namespace, so
 * the values are exactly vcsim's; with a seed the namespace is derived from it, so another seed
 * gives other UUIDs while a given seed always gives the same ones.
 *
 * An object's MAC and IP addresses come from the hash bytes of its UUID (so they follow the seed
 * too, and cost no extra randomness per VM, which matters at 20,000 VMs); choices with no name to
 * derive them from (which cluster host runs a VM) come from a Faker instance seeded for this
 * inventory alone.
 */
import { createHash } from 'node:crypto';
import { Faker, base } from '@faker-js/faker';

const NAMESPACE_OID = uuidBytes('6ba7b812-9dad-11d1-80b4-00c04fd430c8');

export class ValueGenerator {
  private readonly faker: Faker;
  private readonly namespace: Buffer;
  private readonly macs = new Set<number>();
  private readonly ips = new Set<number>();

  constructor(readonly seed: number | undefined) {
    this.faker = new Faker({ locale: [base] });
    this.faker.seed(seed ?? 0);
    this.namespace = seed === undefined ? NAMESPACE_OID : uuidBytes(nameUuid(NAMESPACE_OID, `vcenter-sim seed ${seed}`));
  }

  /** The UUID of `name` in this inventory's namespace. */
  uuid(name: string): string {
    return nameUuid(this.namespace, name);
  }

  /**
   * A MAC address with VMware's OUI 00:0c:29 (what ESX assigns, and vcsim uses), from the last
   * hex digits of the UUID `uuid` of its owner; `nic` tells an object's NICs apart. Unique in this inventory.
   */
  mac(uuid: string, nic = 0): string {
    const n = this.unique(this.macs, (parseInt(uuid.slice(30, 36), 16) + nic * 0x1000) & 0xffffff, 0xffffff);
    const hex = (shift: number) => ((n >> shift) & 0xff).toString(16).padStart(2, '0');
    return `00:0c:29:${hex(16)}:${hex(8)}:${hex(0)}`;
  }

  /** A private IPv4 address in 10.0.0.0/8 from the last group of the UUID of its owner, unique in this inventory; the last byte is never 0 or 255. */
  ipv4(uuid: string): string {
    const n = this.unique(this.ips, parseInt(uuid.slice(24, 30), 16), 0xffffff, (v) => (v & 0xff) !== 0 && (v & 0xff) !== 0xff);
    return `10.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${n & 0xff}`;
  }

  /** A number in [min, max] read from the first (`group` 0) or second (1) group of hex digits of `uuid`: varied values at no cost. */
  fromUuid(uuid: string, group: 0 | 1, min: number, max: number): number {
    const digits = group === 0 ? uuid.slice(0, 8) : uuid.slice(9, 13);
    return min + (parseInt(digits, 16) % (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return this.faker.helpers.arrayElement(items);
  }

  /** `start`, or the next value after it (wrapping at `mask`) that is free and `ok`; then taken. */
  private unique(seen: Set<number>, start: number, mask: number, ok: (v: number) => boolean = () => true): number {
    let value = start;
    while (seen.has(value) || !ok(value)) value = (value + 1) & mask;
    seen.add(value);
    return value;
  }
}

/** RFC 4122 version 5 UUID of `name` in `namespace`. */
export function nameUuid(namespace: Buffer, name: string): string {
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}
