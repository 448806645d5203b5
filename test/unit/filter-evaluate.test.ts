import { describe, expect, it } from 'vitest';
import { compilePredicate, parseFilter, type FilterNode, type Literal } from '../../client/filter/index.js';
import { topologyFromFlags } from '../../models/inventory/index.js';
import { VCenter } from '../../models/vcenter.js';

const matches = (text: string, object: object, type = 'VirtualMachine') => parseFilter(text, { type }).matches(object);
const moref = (type: string, value: string) => ({ type, value });

describe('filter comparisons', () => {
  const vm = { name: 'web-01', 'config.hardware.numCPU': 4, 'config.template': false, 'runtime.powerState': 'poweredOn' };

  it('== and != on strings, numbers and booleans', () => {
    expect(matches('powerState == poweredOn', vm)).toBe(true);
    expect(matches('powerState != poweredOn', vm)).toBe(false);
    expect(matches('powerState == "poweredOff"', vm)).toBe(false);
    expect(matches('numCPU == 4', vm)).toBe(true);
    expect(matches('numCPU == 4.0', vm)).toBe(true);
    expect(matches('numCPU != 2', vm)).toBe(true);
    expect(matches('template == false', vm)).toBe(true);
    expect(matches('template != true', vm)).toBe(true);
  });

  it('is case-sensitive', () => {
    expect(matches('powerState == poweredon', vm)).toBe(false);
    expect(matches('name =~ WEB*', vm)).toBe(false);
  });

  it('< <= > >= on numbers', () => {
    const results = ['<', '<=', '>', '>='].map((op) => [3, 4, 5].map((n) => matches(`numCPU ${op} ${n}`, vm)));
    expect(results).toEqual([
      [false, false, true],
      [false, true, true],
      [true, false, false],
      [true, true, false],
    ]);
    expect(matches('numCPU > -1', vm)).toBe(true);
    expect(matches('numCPU < 4.5', vm)).toBe(true);
  });

  it('< <= > >= on strings, by code unit', () => {
    expect(matches('name < web-02', vm)).toBe(true);
    expect(matches('name >= web-01', vm)).toBe(true);
    expect(matches('name > x', vm)).toBe(false);
    expect(matches('name > Z', vm)).toBe(true);
  });

  it('is false for mismatched types, except != which is true', () => {
    expect(matches('numCPU == "4"', vm)).toBe(false);
    expect(matches('numCPU != "4"', vm)).toBe(true);
    expect(matches('name == 4', { name: '4' })).toBe(false);
    expect(matches('name < 5', { name: '4' })).toBe(false);
    expect(matches('numCPU < z', vm)).toBe(false);
    expect(matches('template == "false"', vm)).toBe(false);
    expect(matches('template', { 'config.template': 'true' })).toBe(false);
    expect(matches('numCPU > 2', { 'config.hardware.numCPU': { nested: 4 } })).toBe(false);
    expect(matches('name =~ "4*"', { name: 4 })).toBe(false);
    expect(matches('name !~ "4*"', { name: 4 })).toBe(true);
  });

  it('orders nothing by true, false or null in a hand-built tree (the parser refuses them)', () => {
    const ordered = (value: Literal, object: object) =>
      ['<', '<=', '>', '>='].map((operator) => compilePredicate({ kind: 'compare', path: 'a', operator, value } as FilterNode)(object));
    expect(ordered({ kind: 'boolean', value: true }, { a: true })).toEqual([false, false, false, false]);
    expect(ordered({ kind: 'null' }, {})).toEqual([false, false, false, false]);
  });

  it('a bare path is == true', () => {
    expect(matches('template', { 'config.template': true })).toBe(true);
    expect(matches('template', { 'config.template': false })).toBe(false);
    expect(matches('template', {})).toBe(false);
    expect(matches('!template', {})).toBe(true);
    expect(matches('inMaintenanceMode', { runtime: { inMaintenanceMode: true } }, 'HostSystem')).toBe(true);
  });

  it('null: missing, null, an empty array, or an array holding null', () => {
    expect(matches('ip == null', {})).toBe(true);
    expect(matches('ip == null', { 'guest.ipAddress': null })).toBe(true);
    expect(matches('ip == null', { guest: {} })).toBe(true);
    expect(matches('ip == null', { 'guest.ipAddress': '10.0.0.1' })).toBe(false);
    expect(matches('ip != null', { 'guest.ipAddress': '10.0.0.1' })).toBe(true);
    expect(matches('ip != null', { 'guest.ipAddress': '' })).toBe(true);
    expect(matches('network == null', { network: [] })).toBe(true);
    expect(matches('network != null', { network: [moref('Network', 'net-1')] })).toBe(true);
    expect(matches('ip == "x"', {})).toBe(false);
    expect(matches('ip != "x"', {})).toBe(true);
  });
});

describe('filter globs', () => {
  it('=~ and !~ with * and ?', () => {
    const vm = { name: 'web-01' };
    expect(matches('name =~ web-*', vm)).toBe(true);
    expect(matches('name =~ "*-0?"', vm)).toBe(true);
    expect(matches('name =~ web-?', vm)).toBe(false);
    expect(matches('name =~ web', vm)).toBe(false);
    expect(matches('name !~ db*', vm)).toBe(true);
    expect(matches('name !~ *', vm)).toBe(false);
  });

  it('matches a literal * or ? when escaped', () => {
    expect(matches(String.raw`name =~ "a\*"`, { name: 'a*' })).toBe(true);
    expect(matches(String.raw`name =~ "a\*"`, { name: 'ab' })).toBe(false);
    expect(matches(String.raw`name =~ a\?`, { name: 'a?' })).toBe(true);
    expect(matches(String.raw`name =~ a\?`, { name: 'ab' })).toBe(false);
  });
});

describe('filter in lists', () => {
  it('matches any of the values, typed', () => {
    expect(matches('powerState in (poweredOff, suspended)', { 'runtime.powerState': 'suspended' })).toBe(true);
    expect(matches('powerState in (poweredOff, suspended)', { 'runtime.powerState': 'poweredOn' })).toBe(false);
    expect(matches('numCPU in (1, 2, 4)', { 'config.hardware.numCPU': 4 })).toBe(true);
    expect(matches('numCPU in ("4")', { 'config.hardware.numCPU': 4 })).toBe(false);
    expect(matches('template in (true)', { 'config.template': true })).toBe(true);
    expect(matches('ip in (null, 10.0.0.1)', {})).toBe(true);
    expect(matches('ip in (null, 10.0.0.1)', { 'guest.ipAddress': '10.0.0.1' })).toBe(true);
    expect(matches('ip in (null, 10.0.0.1)', { 'guest.ipAddress': '10.0.0.2' })).toBe(false);
    expect(matches('host in (host-1, host-21)', { 'runtime.host': moref('HostSystem', 'host-21') })).toBe(true);
    expect(matches('memoryMB in (4GB)', { 'config.hardware.memoryMB': 4096 })).toBe(true);
    expect(matches('bootTime in (2024-01-01)', { 'runtime.bootTime': new Date('2024-01-01T00:00:00Z') })).toBe(true);
  });
});

describe('filter logic', () => {
  const object = { a: 1, b: 2 };

  it('&& || ! and parentheses', () => {
    expect(matches('a == 1 && b == 2', object)).toBe(true);
    expect(matches('a == 1 && b == 3', object)).toBe(false);
    expect(matches('a == 0 || b == 2', object)).toBe(true);
    expect(matches('a == 0 || b == 3', object)).toBe(false);
    expect(matches('!(a == 0)', object)).toBe(true);
    expect(matches('a == 0 && b == 3 || a == 1', object)).toBe(true);
    expect(matches('a == 0 && (b == 3 || a == 1)', object)).toBe(false);
    expect(matches('!a == 0 && !b == 3', object)).toBe(true);
    expect(matches('a == 1 && b == 2 && a < 5 && b > 0', object)).toBe(true);
    expect(matches('a == 0 || b == 0 || a == 9 || b == 2', object)).toBe(true);
  });
});

describe('filter objects', () => {
  it('reads flat maps, nested objects and mixes of both', () => {
    const filter = parseFilter('numCPU >= 2 && powerState == poweredOn', { type: 'VirtualMachine' });
    expect(filter.matches({ 'config.hardware.numCPU': 2, 'runtime.powerState': 'poweredOn' })).toBe(true);
    expect(filter.matches({ config: { hardware: { numCPU: 2 } }, runtime: { powerState: 'poweredOn' } })).toBe(true);
    expect(filter.matches({ 'config.hardware': { numCPU: 2 }, runtime: { powerState: 'poweredOn' } })).toBe(true);
    expect(filter.matches({ config: { 'hardware.numCPU': 2 }, runtime: { powerState: 'poweredOn' } })).toBe(false);
    expect(filter.matches({ config: { hardware: { numCPU: 1 } }, runtime: { powerState: 'poweredOn' } })).toBe(false);
  });

  it('hands out matches as a plain function, usable as a callback', () => {
    const { matches: isOn } = parseFilter('powerState == poweredOn', { type: 'VirtualMachine' });
    expect([{ 'runtime.powerState': 'poweredOn' }, {}].filter(isOn)).toEqual([{ 'runtime.powerState': 'poweredOn' }]);
  });

  it('prefers a flat key over a nested path', () => {
    expect(matches('numCPU == 2', { 'config.hardware.numCPU': 2, config: { hardware: { numCPU: 8 } } })).toBe(true);
  });

  it('never reads Object.prototype', () => {
    expect(matches('constructor != null', {})).toBe(false);
    expect(matches('a.toString != null', { a: {} })).toBe(false);
    expect(matches('__proto__ != null', {})).toBe(false);
    expect(matches('constructor == x', { constructor: 'x' })).toBe(true);
  });

  it('reads class getters', () => {
    class Vm {
      get name() {
        return 'from-getter';
      }
    }
    expect(matches('name == from-getter', new Vm())).toBe(true);
  });
});

describe('filter arrays: any element matches', () => {
  const vm = {
    network: [moref('Network', 'net-1'), moref('Network', 'net-2')],
    guest: { net: [{ ipAddress: ['10.0.0.5', 'fe80::1'] }, { ipAddress: ['192.168.1.9'] }, { network: 'x' }] },
  };

  it('compares each element of an array property', () => {
    expect(matches('network == net-2', vm)).toBe(true);
    expect(matches('network == net-3', vm)).toBe(false);
    expect(matches('network =~ net-*', vm)).toBe(true);
  });

  it('reads through arrays on the way, flattening', () => {
    expect(matches('ips == 192.168.1.9', vm)).toBe(true);
    expect(matches('ips =~ "10.*"', vm)).toBe(true);
    expect(matches('ips =~ "172.*"', vm)).toBe(false);
    expect(matches('guest.net.network == x', vm)).toBe(true);
  });

  it('!= means no element equals (it is the negation of ==)', () => {
    expect(matches('network != net-1', vm)).toBe(false);
    expect(matches('network != net-3', vm)).toBe(true);
    expect(matches('network != net-3', { network: [] })).toBe(true);
    expect(matches('network == net-3', { network: [] })).toBe(false);
  });

  it('reads a flat map whose value holds arrays', () => {
    expect(matches('datastore.info.url =~ "ds:*"', { datastore: [{ info: { url: 'ds:///a' } }] })).toBe(true);
    expect(matches('host == host-9', { host: [{ key: moref('HostSystem', 'host-9') }] }, 'Datastore')).toBe(true);
  });
});

describe('filter morefs', () => {
  const vm = { 'runtime.host': moref('HostSystem', 'host-21') };

  it('compare against strings by value', () => {
    expect(matches('host == host-21', vm)).toBe(true);
    expect(matches('host == "host-21"', vm)).toBe(true);
    expect(matches('host != host-21', vm)).toBe(false);
    expect(matches('host == HostSystem', vm)).toBe(false);
    expect(matches('host =~ host-2?', vm)).toBe(true);
    expect(matches('host > host-1', vm)).toBe(true);
  });
});

describe('filter dates', () => {
  const booted = new Date('2024-03-01T12:00:00Z');

  it('compares with Date values', () => {
    expect(matches('bootTime > 2024-01-01', { 'runtime.bootTime': booted })).toBe(true);
    expect(matches('bootTime < 2024-01-01T00:00:00Z', { 'runtime.bootTime': booted })).toBe(false);
    expect(matches('bootTime == 2024-03-01T12:00:00Z', { 'runtime.bootTime': booted })).toBe(true);
    expect(matches('bootTime == 2024-03-01T14:00:00+02:00', { 'runtime.bootTime': booted })).toBe(true);
    expect(matches('bootTime >= 2024-03-01T12:00:00.001Z', { 'runtime.bootTime': booted })).toBe(false);
  });

  it('compares with ISO strings as dates, and not with other strings or numbers', () => {
    expect(matches('bootTime > 2024-01-01', { 'runtime.bootTime': '2024-03-01T12:00:00.000Z' })).toBe(true);
    expect(matches('bootTime == 2024-03-01T12:00:00Z', { 'runtime.bootTime': '2024-03-01T12:00:00.000Z' })).toBe(true);
    expect(matches('bootTime > 2024-01-01', { 'runtime.bootTime': 'March 1, 2024' })).toBe(false);
    expect(matches('bootTime > 2024-01-01', { 'runtime.bootTime': booted.getTime() })).toBe(false);
    expect(matches('bootTime > 2024-01-01', { 'runtime.bootTime': new Date(NaN) })).toBe(false);
    expect(matches('bootTime > "2024-01-01"', { 'runtime.bootTime': booted })).toBe(false);
    expect(matches('bootTime != 2024-01-01', {})).toBe(true);
  });
});

describe('filter sizes', () => {
  it('count in bytes, or in the property unit its name or the unit table says', () => {
    expect(matches('freeSpace < 10GB', { 'summary.freeSpace': 9 * 1024 ** 3 }, 'Datastore')).toBe(true);
    expect(matches('capacity >= 1.5TB', { 'summary.capacity': 1.5 * 1024 ** 4 }, 'Datastore')).toBe(true);
    expect(matches('memoryMB >= 4GB', { 'config.hardware.memoryMB': 4096 })).toBe(true);
    expect(matches('memoryMB > 4GB', { 'config.hardware.memoryMB': 4096 })).toBe(false);
    expect(matches('memoryMB == 512MB', { 'config.hardware.memoryMB': 512 })).toBe(true);
    expect(matches('capacityInKB == 1MB', { capacityInKB: 1024 })).toBe(true);
    expect(matches('effectiveMemory == 1GB', { 'summary.effectiveMemory': 1024 }, 'ClusterComputeResource')).toBe(true);
    expect(matches('memoryUsage == 2GB', { 'summary.quickStats.overallMemoryUsage': 2048 }, 'HostSystem')).toBe(true);
    expect(matches('memorySize == 2GB', { 'summary.hardware.memorySize': 2 * 1024 ** 3 }, 'HostSystem')).toBe(true);
  });
});

describe('filter over simulator objects', () => {
  it('reads the model objects of an in-process world', () => {
    const vc = new VCenter({ topology: topologyFromFlags({ vm: 4 }), seed: 1 });
    const vms = vc.registry.ofType('VirtualMachine') as unknown as object[];
    const on = parseFilter('powerState == poweredOn && numCPU >= 1 && memoryMB >= 32MB && host =~ host-*', { type: 'VirtualMachine' });
    expect(vms.length).toBeGreaterThan(0);
    expect(vms.filter((vm) => on.matches(vm)).length).toBe(vms.length);
    expect(vms.filter((vm) => parseFilter('powerState != poweredOn || host !~ host-*', { type: 'VirtualMachine' }).matches(vm))).toEqual([]);
    const named = (vms[0] as { name: string }).name;
    expect(vms.filter((vm) => parseFilter(`name == "${named}"`).matches(vm))).toEqual([vms[0]]);
  });
});
