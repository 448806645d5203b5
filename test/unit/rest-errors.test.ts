/** vSphere faults raised under a REST call, as the vAPI errors and statuses vCenter answers with. */
import { describe, expect, it } from 'vitest';
import { VimFault } from '../../models/core/fault.js';
import { asVapiError } from '../../simulator/rest/errors.js';

const kindOf = (type: string) => asVapiError(new VimFault(type, {}, 'message')).kind;

describe('faults as vAPI errors', () => {
  it('maps a fault type to its error, and a subtype to its nearest mapped ancestor', () => {
    expect(kindOf('InvalidPowerState')).toBe('not_allowed_in_current_state');
    expect(kindOf('InsufficientResourcesFault')).toBe('unable_to_allocate_resource');
    expect(kindOf('InsufficientCpuResourcesFault')).toBe('unable_to_allocate_resource');
    expect(kindOf('InsufficientMemoryResourcesFault')).toBe('unable_to_allocate_resource');
    expect(kindOf('DuplicateName')).toBe('already_exists');
    expect(kindOf('InvalidArgument')).toBe('invalid_argument');
    expect(kindOf('InvalidIndexArgument')).toBe('invalid_argument');
  });

  it('leaves faults with no mapped ancestor as error', () => {
    expect(kindOf('SystemError')).toBe('error');
    expect(kindOf('NoSuchFaultType')).toBe('error');
  });
});
