/**
 * The unit a numeric property counts in, so a size literal (`memoryMB >= 4GB`) compares in the
 * property's own unit. vSphere names most non-byte sizes with an MB or KB suffix; the rest are
 * listed here. Anything else counts bytes.
 */
import { BYTES_PER_SIZE_UNIT } from './literals.js';

const MEGABYTE_PATHS: ReadonlySet<string> = new Set([
  'summary.effectiveMemory',
  'summary.quickStats.overallMemoryUsage',
  'summary.quickStats.guestMemoryUsage',
  'summary.quickStats.hostMemoryUsage',
  'summary.config.memoryReservation',
  'config.memoryAllocation.reservation',
  'config.memoryAllocation.limit',
  'summary.config.memoryAllocation.reservation',
  'summary.config.memoryAllocation.limit',
  'resourceConfig.memoryAllocation.reservation',
  'resourceConfig.memoryAllocation.limit',
]);

export function bytesPerUnit(path: string): number {
  const name = path.slice(path.lastIndexOf('.') + 1);
  if (name.endsWith('MB') || MEGABYTE_PATHS.has(path)) return BYTES_PER_SIZE_UNIT.MB;
  if (name.endsWith('KB')) return BYTES_PER_SIZE_UNIT.KB;
  return 1;
}
