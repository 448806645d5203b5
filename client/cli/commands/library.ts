/** `vcctl library ls|create|item ls`: content libraries (REST, content/library). */
import type { Command } from 'commander';
import type { RunContext } from '../context.js';
import { resolve } from '../inventory.js';
import { examples, group } from '../program.js';
import { byIdOrName } from '../rest-objects.js';

export const LIBRARY_FIELDS = ['id', 'name', 'type', 'description'] as const;
export const ITEM_FIELDS = ['id', 'name', 'type', 'size'] as const;

export function registerLibrary(program: Command, ctx: RunContext): void {
  const library = group(program, 'library', 'content libraries', ['vcctl library ls', 'vcctl library item ls templates']);

  examples(library.command('ls').description(`the libraries (fields: ${LIBRARY_FIELDS.join(', ')})`), ['vcctl library ls']).action(async () => {
    const content = (await ctx.vim()).rest.content;
    const all = await Promise.all((await content.library.list()).map((id) => content.library.get(id)));
    ctx.printRows(all.map((l) => ({ id: l.id, name: l.name, type: l.type, description: l.description })), LIBRARY_FIELDS);
  });

  examples(library.command('create <name>').description('create a local library on a datastore').requiredOption('--ds <datastore>', 'where its files go').option('-d, --description <text>', 'description', ''), [
    'vcctl library create templates --ds LocalDS_0',
  ]).action(async (name: string, options: { ds: string; description: string }) => {
    const client = await ctx.vim();
    const ds = await resolve(client, 'Datastore', options.ds);
    const id = await client.rest.content.localLibrary.create({ name, description: options.description, storage_backings: [{ type: 'DATASTORE', datastore_id: ds.value }] });
    ctx.printRows([{ id, name }], ['id', 'name']);
  });

  const item = group(library, 'item', 'library items', ['vcctl library item ls templates']);
  examples(item.command('ls <library>').description(`a library's items (library by name or id; fields: ${ITEM_FIELDS.join(', ')})`), ['vcctl library item ls templates -o json']).action(async (libraryName: string) => {
    const content = (await ctx.vim()).rest.content;
    const found = await byIdOrName(await content.library.list(), (id) => content.library.get(id), libraryName, 'library');
    const items = await Promise.all((await content.item.list(found.id)).map((id) => content.item.get(id)));
    ctx.printRows(items.map((i) => ({ id: i.id, name: i.name, type: i.type, size: i.size })), ITEM_FIELDS);
  });
}
