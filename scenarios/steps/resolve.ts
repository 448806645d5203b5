/** Finding managed objects by name or id for client steps: `vm: DC0_H0_VM0`, `vm: vm-42`, or a moref variable. */
import type { CallOptions, ManagedTypeName, VimClient } from '../../client/index.js';
import type { MoRef } from '../../client/vim25.js';

export class StepInputError extends Error {}

export async function resolveRef<T extends ManagedTypeName>(client: VimClient, type: T, given: unknown, options: CallOptions, what: string = type): Promise<MoRef<T>> {
  if (given && typeof given === 'object' && 'type' in given && 'value' in given) return given as MoRef<T>;
  // A variable holding a step's result, such as a clone's {vm, task}: take its reference of the type.
  if (given && typeof given === 'object') {
    const ref = Object.values(given).find((v) => v && typeof v === 'object' && (v as MoRef).type === type);
    if (ref) return ref as MoRef<T>;
  }
  if (type === 'Task' && typeof given === 'string' && given) return { type, value: given } as MoRef<T>; // tasks are in no container view
  if (typeof given !== 'string' || !given) throw new StepInputError(`${what}: give a name, a managed object id or a reference`);
  const found = (await client.find(type, { paths: ['name'], ...options })).find((o) => o.ref.value === given || (o as { name?: string }).name === given);
  if (!found) throw new StepInputError(`${what}: no ${type} named or with id '${given}'`);
  return found.ref;
}

/** The first object of `type` (when `given` is undefined), else the one given. */
export async function resolveOrFirst<T extends ManagedTypeName>(client: VimClient, type: T, given: unknown, options: CallOptions): Promise<MoRef<T>> {
  if (given !== undefined) return resolveRef(client, type, given, options);
  const [first] = await client.find(type, { ...options });
  if (!first) throw new StepInputError(`there is no ${type}`);
  return first.ref;
}
