/** `vcctl folder create <path>`: a folder under an existing one (`/DC0/vm/web` makes `web` in `/DC0/vm`). */
import type { Command } from 'commander';
import { VimError } from '../../errors.js';
import type { MoRef } from '../../vim25.js';
import type { RunContext } from '../context.js';
import { CliError } from '../errors.js';
import { atPath } from '../inventory.js';
import { examples, group } from '../program.js';

export function registerFolder(program: Command, ctx: RunContext): void {
  const folder = group(program, 'folder', 'inventory folders', ['vcctl folder create /DC0/vm/web']);
  examples(folder.command('create <path>').description('create a folder; its parent must exist'), ['vcctl folder create /DC0/vm/web', 'vcctl folder create /DC0/host/lab']).action(async (path: string) => {
    const trimmed = path.replace(/\/+$/, '');
    const slash = trimmed.lastIndexOf('/');
    const name = trimmed.slice(slash + 1);
    if (slash < 0 || !name) throw new CliError('USAGE', `folder create needs a path such as /DC0/vm/web, not "${path}"`);
    const client = await ctx.vim();
    const parentPath = trimmed.slice(0, slash) || '/';
    const parent = await atPath(client, parentPath);
    if (!parent) throw new VimError({ code: 'FOLDER_NOT_FOUND', message: `folder "${parentPath}" not found` });
    if (parent.type !== 'Folder') throw new VimError({ code: 'INVALID_ARGUMENT', message: `"${parentPath}" is a ${parent.type}, not a folder` });
    const created = await client.call(parent as MoRef<'Folder'>, 'CreateFolder', { name });
    ctx.printRows([{ path: `${parentPath === '/' ? '' : parentPath}/${name}`, name, id: created.value }], ['path', 'name', 'id']);
  });
}
