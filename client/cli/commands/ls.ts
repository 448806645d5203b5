/** `vcctl ls [path]`: an inventory folder's children as govc paths (`/DC0/vm`, `/DC0/host/DC0_C0`). */
import type { Command } from 'commander';
import { VimError } from '../../errors.js';
import type { MoRef } from '../../vim25.js';
import type { RunContext } from '../context.js';
import { atPath, childProperties, escapeName, namesOf } from '../inventory.js';
import { examples } from '../program.js';

export const LS_FIELDS = ['path', 'name', 'type', 'id'] as const;

export function registerLs(program: Command, ctx: RunContext): void {
  const ls = program
    .command('ls [path]')
    .description(`the children of an inventory path (default /); a leaf lists itself (fields: ${LS_FIELDS.join(', ')})`)
    .action(async (path: string | undefined) => {
      const client = await ctx.vim();
      const where = path ?? '/';
      const ref = await atPath(client, where);
      if (!ref) throw new VimError({ code: 'NOT_FOUND', message: `path "${where}" not found` });
      const base = where.replace(/\/+$/, '');
      const properties = childProperties(ref.type);
      if (!properties.length) {
        const names = await namesOf(client, [ref]);
        ctx.printRows([{ path: base || '/', name: names.get(ref.value), type: ref.type, id: ref.value }], LS_FIELDS);
        return;
      }
      const [object] = await client.retrieve(ref, properties);
      const children = properties.flatMap((p) => {
        const value = (object as Record<string, unknown> | undefined)?.[p];
        return Array.isArray(value) ? (value as MoRef[]) : value ? [value as MoRef] : [];
      });
      const names = await namesOf(client, children);
      const prefix = base.startsWith('/') || base === '' ? base : `/${base}`;
      ctx.printRows(
        children.map((c) => ({ path: `${prefix}/${escapeName(names.get(c.value) ?? c.value)}`, name: names.get(c.value), type: c.type, id: c.value })),
        LS_FIELDS,
      );
    });
  examples(ls, ['vcctl ls', 'vcctl ls /DC0/vm', 'vcctl ls /DC0/host/DC0_C0 -o json', 'vcctl ls /DC0/vm --columns path']);
}
