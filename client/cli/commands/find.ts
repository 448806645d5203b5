/** `vcctl find [path] --type vm --name 'web-*' --filter ...`: objects under a path, as govc paths. */
import type { Command } from 'commander';
import { Option } from 'commander';
import type { RunContext } from '../context.js';
import { atPath, NOUNS } from '../inventory.js';
import { listRows } from '../listing.js';
import { filterOption, examples } from '../program.js';
import { VimError } from '../../errors.js';
import { compileGlob } from '../../filter/index.js';

export const FIND_FIELDS = ['path', 'name', 'type', 'id'] as const;
const TYPES = ['vm', 'host', 'ds', 'net', 'cluster', 'pool', 'folder', 'dc'] as const;

export function registerFind(program: Command, ctx: RunContext): void {
  const find = program
    .command('find [path]')
    .description(`objects under an inventory path (default /), of one type or all (fields: ${FIND_FIELDS.join(', ')}, and the type's filter fields)`)
    .addOption(new Option('-t, --type <type>', 'only this type').choices(TYPES))
    .option('-n, --name <glob>', "only names matching the glob (e.g. 'DC0_*_VM?')")
    .addOption(filterOption())
    .action(async (path: string | undefined, options: { type?: (typeof TYPES)[number]; name?: string; filter?: string }) => {
      const client = await ctx.vim();
      const root = await atPath(client, path ?? '/');
      if (!root) throw new VimError({ code: 'NOT_FOUND', message: `path "${path}" not found` });
      const type = options.type ? NOUNS[options.type]! : 'ManagedEntity';
      const glob = options.name !== undefined ? compileGlob(options.name) : undefined;
      const { rows, columns } = await listRows(ctx, { type, columns: FIND_FIELDS, root, need: glob ? ['name'] : [] }, options.filter);
      const kept = glob ? rows.filter((r) => glob(String(r.name))) : rows;
      ctx.printRows(kept, columns);
    });
  examples(find, ['vcctl find --type vm', "vcctl find /DC0/host --type host --name 'DC0_C0_*'", "vcctl find -t vm --filter 'powerState==poweredOff' --columns path"]);
}
