/** Seeded mutations: of bytes (any request), of XML elements (SOAP), and of JSON values (REST). */
import { SeededRandom } from '../../simulator/faults/random.js';

export class Dice {
  private readonly random: SeededRandom;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  below(n: number): number {
    return Math.floor(this.random.next() * n);
  }

  chance(p: number): boolean {
    return this.random.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
}

/** Values chosen to sit on edges: of integer types, of vCenter's limits, of text handling. */
export const edgeTexts = [
  '', ' ', '-1', '0', '1', '2147483647', '2147483648', '-2147483649', '9223372036854775807', '9223372036854775808', '1e309',
  'NaN', '-INF', '0.5', 'true', 'false', '769', '24576', '&amp;', '&lt;x&gt;', '&#0;', '&#xD800;', '&unknown;', '&',
  '<![CDATA[x]]>', '\u0000', '\uffff', '😀', 'vm-1', 'group-d1', '../../etc/passwd', '%00', "'\"", 'x'.repeat(300), '*'.repeat(50),
];

const xsiTypes = ['VirtualDisk', 'TraversalSpec', 'ArrayOfString', 'xsd:int', 'xsd:string', 'NoSuchType', 'ManagedObjectReference', 'VirtualMachineConfigSpec', 'anyType'];

/** One byte-level mutation of `text`. */
export function mutateBytes(dice: Dice, text: string): string {
  if (!text) return dice.pick(edgeTexts);
  const at = dice.below(text.length);
  const span = 1 + dice.below(Math.min(64, text.length - at));
  switch (dice.below(6)) {
    case 0: // flip a character
      return text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ (1 << dice.below(7))) + text.slice(at + 1);
    case 1: // delete a span
      return text.slice(0, at) + text.slice(at + span);
    case 2: // duplicate a span
      return text.slice(0, at + span) + text.slice(at, at + span) + text.slice(at + span);
    case 3: // truncate
      return text.slice(0, at);
    case 4: // insert markup characters
      return text.slice(0, at) + dice.pick(['<', '>', '&', '"', "'", '/', '</a>', '<a>', '\u0000', ']]>', '<!--']) + text.slice(at);
    default: // insert an edge value
      return text.slice(0, at) + dice.pick(edgeTexts) + text.slice(at);
  }
}

/** The elements of `xml`, as [start, end) of each `<name ...>...</name>` or `<name/>`, found by scanning tags. */
function elements(xml: string): [number, number][] {
  const out: [number, number][] = [];
  const open: [string, number][] = [];
  const tag = /<(\/?)([\w:]+)[^>]*?(\/?)>/g;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    if (m[1]) {
      const top = open.pop();
      if (top && top[0] === m[2]) out.push([top[1], tag.lastIndex]);
    } else if (m[3]) out.push([m.index, tag.lastIndex]);
    else open.push([m[2]!, m.index]);
  }
  return out;
}

/** One element-level mutation of a SOAP request: an element removed, doubled, emptied, retyped, nested, or its text replaced. */
export function mutateElements(dice: Dice, xml: string): string {
  const found = elements(xml).filter(([start]) => !xml.startsWith('<soapenv:', start) && !xml.startsWith('<?', start));
  if (!found.length) return mutateBytes(dice, xml);
  const [start, end] = dice.pick(found);
  const element = xml.slice(start, end);
  const name = /^<([\w:]+)/.exec(element)![1]!;
  const replace = (text: string) => xml.slice(0, start) + text + xml.slice(end);
  switch (dice.below(7)) {
    case 0:
      return replace('');
    case 1:
      return replace(element + element);
    case 2:
      return replace(`<${name}/>`);
    case 3:
      return replace(element.replace(/^<([\w:]+)/, `<$1 xsi:type="${dice.pick(xsiTypes)}"`));
    case 4:
      return replace(`<${name}>${element}</${name}>`);
    case 5:
      return replace(element.replace(/>([^<>]*)</, `>${dice.pick(edgeTexts).replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}<`));
    default:
      return replace(element.replace(/type="[^"]*"/, `type="${dice.pick(['Folder', 'VirtualMachine', 'HostSystem', 'Task', 'Nothing', ''])}"`));
  }
}

/** A JSON value of any shape, edges included. */
export function randomJson(dice: Dice, depth = 0): unknown {
  switch (dice.below(depth > 3 ? 5 : 8)) {
    case 0:
      return dice.pick([0, -1, 1, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, 0.5, 769, 4096]);
    case 1:
      return dice.pick(edgeTexts);
    case 2:
      return dice.chance(0.5);
    case 3:
      return null;
    case 4:
      return dice.pick(['VM_NETWORK', 'POWERED_ON', 'VMX_14', 'OTHER', 'CREATE', 'vm-1', 'datastore-1', 'host-1', 'group-v1', 'resgroup-1']);
    case 5:
      return Array.from({ length: dice.below(4) }, () => randomJson(dice, depth + 1));
    default: {
      const keys = ['name', 'guest_OS', 'placement', 'cpu', 'count', 'cores_per_socket', 'memory', 'size_MiB', 'disks', 'nics', 'spec', 'type', 'backing', 'new_vmdk', 'capacity', 'folder', 'host', 'cluster', 'resource_pool', 'datastore', 'hot_add_enabled', 'upgrade_policy', 'description', 'category_id', 'object_id', 'cardinality', 'associable_types', 'storage_backings', 'library_id', 'source', 'target', 'deployment_spec', 'start_connected'];
      const out: Record<string, unknown> = {};
      for (let i = dice.below(5); i > 0; i--) out[dice.pick(keys)] = randomJson(dice, depth + 1);
      return out;
    }
  }
}
