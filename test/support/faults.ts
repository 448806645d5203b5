import { expect } from 'vitest';
import { VimFault } from '../../models/core/fault.js';

/** Asserts that `action` throws (or rejects with) the vSphere fault of type `type`. */
export async function expectFault(action: () => unknown, type: string): Promise<VimFault> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(VimFault);
    expect((error as VimFault).type).toBe(type);
    return error as VimFault;
  }
  throw new Error(`expected a ${type} fault, but nothing was thrown`);
}
