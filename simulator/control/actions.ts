/**
 * Every world action of the control API: those of world.ts (host-disconnect, host-reconnect,
 * datastore-fill) and host-fail, vm-guest, clock-advance. This is the object behind
 * `sim.actions` and POST /_sim/actions/*.
 */
import { z } from 'zod';
import type { HostSystem } from '../../models/host/host-system.js';
import type { VirtualMachine } from '../../models/vm/virtual-machine.js';
import type { VCenter } from '../../models/vcenter.js';
import { failHost, type HostFailResult } from './host-fail.js';
import { setGuest, vmGuestSchema, type VmGuestChange, type VmGuestResult } from './vm-guest.js';
import { hostSelectSchema, WorldActionError, WorldActions, type HostSelect, type WorldActionsApi } from './world.js';

export const clockAdvanceSchema = z
  .strictObject({ seconds: z.number().positive().max(10 * 365 * 86_400).describe('How far the simulator clock jumps ahead') })
  .describe("Moves the simulator's clock (CurrentTime, event and task times, rule time windows) ahead");

export const clockResultSchema = z.object({
  now: z.string().describe('The simulator clock after the jump (ISO 8601)'),
  offsetSeconds: z.number().describe('How far ahead of the wall clock it runs in all'),
});

export type ClockAdvance = z.input<typeof clockAdvanceSchema>;
export type ClockResult = z.output<typeof clockResultSchema>;

/** The TypeScript face of POST /_sim/actions/*. */
export interface ActionsApi extends WorldActionsApi {
  /** The host stops responding; in a cluster, HA restarts its powered-on VMs on other hosts. */
  hostFail(select: HostSelect): HostFailResult;
  /** Sets what the guest of a VM reports (IP, host name, NICs, tools state). */
  vmGuest(change: VmGuestChange): VmGuestResult;
  /** Moves the simulator clock ahead. */
  clockAdvance(advance: ClockAdvance): ClockResult;
}

export class Actions extends WorldActions implements ActionsApi {
  constructor(private readonly world: VCenter) {
    super(world);
  }

  hostFail(select: HostSelect): HostFailResult {
    const { host: id, name } = parseInput(hostSelectSchema, select);
    const host = this.world.registry.ofType<HostSystem>('HostSystem').find((h) => (id !== undefined ? h.self.value === id : h.name === name));
    if (!host) throw new WorldActionError(404, id !== undefined ? 'host' : 'name', `No host '${id ?? name}'`);
    return failHost(this.world, host);
  }

  vmGuest(change: VmGuestChange): VmGuestResult {
    const parsed = parseInput(vmGuestSchema, change);
    const vm = this.world.registry.ofType<VirtualMachine>('VirtualMachine').find((v) => v.self.value === parsed.vm || v.name === parsed.vm);
    if (!vm) throw new WorldActionError(404, 'vm', `No VM '${parsed.vm}'`);
    return setGuest(this.world, vm, parsed);
  }

  clockAdvance(advance: ClockAdvance): ClockResult {
    const { seconds } = parseInput(clockAdvanceSchema, advance);
    this.world.clockOffsetMs += Math.round(seconds * 1000);
    return { now: this.world.now().toISOString(), offsetSeconds: this.world.clockOffsetMs / 1000 };
  }
}

/** The input as the schema reads it, or a 400 naming the first bad field. */
function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.code === 'unrecognized_keys' ? issue.keys[0]! : issue.path.map(String).join('.');
  throw new WorldActionError(400, field, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), parsed.error);
}
