/**
 * Reading a property path from an object: a flat map as a PropertyCollector returns
 * (`{ 'runtime.powerState': ... }`), a nested object (`{ runtime: { powerState: ... } }`), or a
 * mix (`{ 'config.hardware': { numCPU: 2 } }`). Arrays on the way are read element by element.
 */

export const PROPERTY_PATH = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

/** The value at the path: undefined when missing, an array when the path is one or passes through one. */
export type PathReader = (object: object) => unknown;

export function compilePathReader(path: string): PathReader {
  const segments = path.split('.');
  // Longest key first: a flat map's exact key wins over descending from a shorter one.
  const starts = segments.map((_, i) => ({ key: segments.slice(0, segments.length - i).join('.'), rest: segments.slice(segments.length - i) }));
  if (starts.length === 1) {
    const key = segments[0]!;
    return (object) => read(object, key);
  }
  return (object) => {
    for (const { key, rest } of starts) {
      if (has(object, key)) return descend((object as Record<string, unknown>)[key], rest, 0);
    }
    return undefined;
  };
}

/** Own properties and class getters, never Object.prototype's (`constructor`, `__proto__`, ...). */
function has(object: object, key: string): boolean {
  return key in object && (Object.hasOwn(object, key) || !(key in Object.prototype));
}

function read(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && has(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function descend(value: unknown, rest: string[], from: number): unknown {
  let current = value;
  for (let i = from; i < rest.length; i++) {
    if (Array.isArray(current)) return descendEach(current, rest, i);
    current = read(current, rest[i]!);
  }
  return current;
}

/** The values under each element, flattened into one array; missing ones left out. */
function descendEach(elements: unknown[], rest: string[], from: number): unknown[] {
  const values: unknown[] = [];
  for (const element of elements) {
    const value = descend(element, rest, from);
    if (Array.isArray(value)) values.push(...value);
    else if (value !== undefined) values.push(value);
  }
  return values;
}
