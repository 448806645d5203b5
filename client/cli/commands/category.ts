/** `vcctl category ls|create`: tag categories (REST, cis/tagging). */
import { Option, type Command } from 'commander';
import type { RunContext } from '../context.js';
import { examples, group } from '../program.js';

export const CATEGORY_FIELDS = ['id', 'name', 'cardinality', 'associableTypes', 'description'] as const;

export function registerCategory(program: Command, ctx: RunContext): void {
  const category = group(program, 'category', 'tag categories', ['vcctl category create env --cardinality SINGLE', 'vcctl category ls']);
  examples(category.command('ls').description(`the categories (fields: ${CATEGORY_FIELDS.join(', ')})`), ['vcctl category ls']).action(async () => {
    const rest = (await ctx.vim()).rest;
    const all = await Promise.all((await rest.tagging.category.list()).map((id) => rest.tagging.category.get(id)));
    ctx.printRows(all.map((c) => ({ id: c.id, name: c.name, cardinality: c.cardinality, associableTypes: c.associable_types, description: c.description })), CATEGORY_FIELDS);
  });
  examples(
    category
      .command('create <name>')
      .description('create a category')
      .addOption(new Option('--cardinality <c>', 'how many of its tags an object may have').choices(['SINGLE', 'MULTIPLE']).default('MULTIPLE'))
      .option('--type <type...>', 'object types its tags apply to (VirtualMachine, HostSystem, ...; default: all)')
      .option('-d, --description <text>', 'description', ''),
    ['vcctl category create env --cardinality SINGLE --type VirtualMachine'],
  ).action(async (name: string, options: { cardinality: 'SINGLE' | 'MULTIPLE'; type?: string[]; description: string }) => {
    const rest = (await ctx.vim()).rest;
    const id = await rest.tagging.category.create({ name, cardinality: options.cardinality, associable_types: options.type ?? [], description: options.description });
    ctx.printRows([{ id, name }], ['id', 'name']);
  });
}
