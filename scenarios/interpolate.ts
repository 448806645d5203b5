/**
 * `${vars.vm.value}`, `${sim.url}`, `${env.HOME}` in step bodies. A string that is one whole
 * reference takes the value with its type (a moref stays an object); inside longer text the value
 * is printed (a moref as its id).
 */
export type Scope = Record<string, unknown>;

const reference = /\$\{([A-Za-z_][\w.]*)\}/g;

export class InterpolationError extends Error {}

export function interpolate<T>(value: T, scope: Scope): T {
  if (typeof value === 'string') return interpolateString(value, scope) as T;
  if (Array.isArray(value)) return value.map((v) => interpolate(v, scope)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, scope)])) as T;
  }
  return value;
}

function interpolateString(text: string, scope: Scope): unknown {
  const whole = /^\$\{([A-Za-z_][\w.]*)\}$/.exec(text);
  if (whole) return lookup(whole[1]!, scope);
  return text.replace(reference, (_, path: string) => printed(lookup(path, scope)));
}

function lookup(path: string, scope: Scope): unknown {
  let value: unknown = scope;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !(part in value)) {
      throw new InterpolationError(`\${${path}} is not defined (${part} is missing)`);
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function printed(value: unknown): string {
  if (value && typeof value === 'object' && 'value' in value && 'type' in value) return String((value as { value: unknown }).value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
