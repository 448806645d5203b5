/**
 * vCenter's limits on what a VirtualMachineConfigSpec asks for (the vSphere 7.0 configuration
 * maximums): checked before any part of a spec is applied, for SOAP and REST alike (REST goes
 * through the same ReconfigVM_Task and CreateVM_Task).
 */
import { VimFault, faults } from '../core/fault.js';
import type { DataObject } from '../core/moref.js';
import type { ConfigSpec } from './vm-reconfigure.js';

/** Virtual CPUs per VM. */
export const maxCpus = 768;
/** Memory per VM: 24 TB, in MB; memory comes in 4 MB steps. */
export const maxMemoryMB = 24 * 1024 * 1024;
const memoryStepMB = 4;
/** A virtual disk on VMFS 6: 62 TB, in KB. */
export const maxDiskKB = 62 * 1024 ** 3;

/** Throws the fault vCenter gives for the first value of `spec` beyond its limits; `hardware` is the VM's current one. */
export function checkHardwareLimits(spec: ConfigSpec, hardware: DataObject): void {
  const cpus = spec.numCPUs ?? (hardware.numCPU as number);
  if (spec.numCPUs !== undefined && !within(spec.numCPUs, 1, maxCpus)) {
    throw faults.invalidArgument('numCPUs', `The number of virtual CPUs (${spec.numCPUs}) is not between 1 and ${maxCpus}.`);
  }
  const cores = spec.numCoresPerSocket;
  if (cores !== undefined && cores !== 0 && (!within(cores, 1, maxCpus) || cpus % cores !== 0)) {
    throw faults.invalidArgument('numCoresPerSocket', `The number of virtual CPUs (${cpus}) is not a multiple of the cores per socket (${cores}).`);
  }
  const memory = spec.memoryMB;
  if (memory !== undefined && (!within(memory, memoryStepMB, maxMemoryMB) || memory % memoryStepMB !== 0)) {
    throw faults.invalidArgument('memoryMB', `The memory size (${memory} MB) is not a multiple of ${memoryStepMB} MB between ${memoryStepMB} MB and ${maxMemoryMB} MB.`);
  }
  spec.deviceChange?.forEach((change, index) => checkDiskSize(change.device, index));
}

function checkDiskSize(device: DataObject, index: number): void {
  const kb = device.capacityInBytes !== undefined ? Number(device.capacityInBytes) / 1024 : (device.capacityInKB as number | undefined);
  if (kb === undefined || (kb >= 0 && kb <= maxDiskKB)) return;
  throw new VimFault(
    'InvalidDeviceSpec',
    { deviceIndex: index, property: 'device.capacityInKB' },
    `Invalid configuration for device '${index}': the disk size is not between 0 and ${maxDiskKB} KB.`,
  );
}

function within(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
