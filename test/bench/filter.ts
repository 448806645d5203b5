/** Filter expression rows: parse+compile, and evaluation over 5,000 VM-like objects, flat and nested. */
import { parseFilter } from '../../client/filter/index.js';
import { median, seconds, type BenchSection } from './support.js';

const objects = 5000;
const text = 'powerState == poweredOn && numCPU >= 2 && memoryMB >= 2GB && (name =~ "DC0_H*_VM1*" || host in (host-21, host-42)) && !template';

function vmLike(i: number) {
  return {
    name: `DC0_H${i % 50}_VM${i}`,
    'runtime.powerState': i % 3 === 0 ? 'poweredOff' : 'poweredOn',
    'runtime.host': { type: 'HostSystem', value: `host-${i % 50}` },
    'config.hardware.numCPU': 1 + (i % 4),
    'config.hardware.memoryMB': 1024 * (1 + (i % 8)),
    'config.template': i % 100 === 0,
  };
}

function nested(flat: ReturnType<typeof vmLike>) {
  return {
    name: flat.name,
    runtime: { powerState: flat['runtime.powerState'], host: flat['runtime.host'] },
    config: { template: flat['config.template'], hardware: { numCPU: flat['config.hardware.numCPU'], memoryMB: flat['config.hardware.memoryMB'] } },
  };
}

/** Objects evaluated per second over `list`, passes repeated for the bench's seconds. */
function evaluationRate(list: object[]): { perSecond: number; matched: number } {
  const filter = parseFilter(text, { type: 'VirtualMachine' });
  let matched = 0;
  for (let pass = 0; pass < 20; pass++) matched = list.filter((o) => filter.matches(o)).length;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let evaluated = 0;
  while (performance.now() < deadline) {
    for (const object of list) filter.matches(object);
    evaluated += list.length;
  }
  return { perSecond: evaluated / ((performance.now() - started) / 1000), matched };
}

function parseMicros(): number {
  const rounds: number[] = [];
  for (let round = 0; round < 7; round++) {
    const started = performance.now();
    for (let i = 0; i < 2000; i++) parseFilter(text, { type: 'VirtualMachine' });
    rounds.push(((performance.now() - started) * 1000) / 2000);
  }
  return median(rounds);
}

async function run(results: Record<string, number>): Promise<void> {
  const flat = Array.from({ length: objects }, (_, i) => vmLike(i));
  results.filterParseUs = parseMicros();
  const flatRate = evaluationRate(flat);
  results.filterFlatObjectsPerSec = flatRate.perSecond;
  results.filterFlatMs5000 = (objects / flatRate.perSecond) * 1000;
  results.filterMatched5000 = flatRate.matched;
  results.filterNestedObjectsPerSec = evaluationRate(flat.map(nested)).perSecond;
}

export const filterSection: BenchSection = {
  name: 'filter',
  run,
  rows: (n) => [
    ['(m) filter parse + compile, 6 conditions', `${n('filterParseUs', 1)} µs`, ''],
    [`(m) filter over 5,000 flat propSet maps (${n('filterMatched5000')} match)`, `${n('filterFlatObjectsPerSec')} objects/s (${n('filterFlatMs5000', 2)} ms)`, ''],
    ['(m) the same over nested objects', `${n('filterNestedObjectsPerSec')} objects/s`, ''],
  ],
};
