/**
 * zod building blocks for vAPI query parameters. A set-valued parameter arrives as one string
 * (`names=a`) or as an array (`names=a&names=b`); both become an array.
 */
import { z } from 'zod';

const toArray = (value: unknown) => (value === undefined || Array.isArray(value) ? value : [value]);

/** A set of identifiers or names (`vms`, `names`, `folders`, ...). */
export const stringSet = () => z.preprocess(toArray, z.array(z.string()).optional());

/** A set of enum values (`power_states=POWERED_ON`). */
export const enumSet = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(toArray, z.array(z.enum(values)).optional());

/** A boolean spelled `true` or `false` (zod's coercion would read "false" as true). */
export const queryBoolean = () =>
  z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true'));

/** A single enum value. */
export const queryEnum = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional();
