/**
 * Names for REST resources: tags, categories and libraries by name or id (REST lists ids only,
 * so a name costs one get per candidate), and inventory objects as the vAPI DynamicId
 * (`{type: 'VirtualMachine', id: 'vm-42'}`) tag associations use.
 */
import type { VimClient } from '../client.js';
import { VimError } from '../errors.js';
import type { DynamicId } from '../rest.js';
import { resolve, NOUNS } from './inventory.js';
import { CliError } from './errors.js';

/** The id of the one item whose id or name is `idOrName`. */
export async function byIdOrName<T extends { id: string; name: string }>(ids: readonly string[], get: (id: string) => Promise<T>, idOrName: string, what: string): Promise<T> {
  if (ids.includes(idOrName)) return get(idOrName);
  const items = await Promise.all(ids.map(get));
  const matches = items.filter((i) => i.name === idOrName);
  if (!matches.length) throw new VimError({ code: 'NOT_FOUND', message: `${what} "${idOrName}" not found` });
  if (matches.length > 1) throw new VimError({ code: 'INVALID_ARGUMENT', message: `${what} "${idOrName}" is ambiguous (${matches.map((m) => m.id).join(', ')}): give its id` });
  return matches[0]!;
}

/** An inventory object as a DynamicId: an inventory path, or a name of `--type` (default vm). */
export async function dynamicId(client: VimClient, nameOrPath: string, noun = 'vm'): Promise<DynamicId> {
  const type = NOUNS[noun];
  if (!type) throw new CliError('USAGE', `unknown object type "${noun}" (one of ${Object.keys(NOUNS).join(', ')})`);
  const ref = await resolve(client, nameOrPath.includes('/') ? 'ManagedEntity' : type, nameOrPath);
  return { type: ref.type, id: ref.value };
}
