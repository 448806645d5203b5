/** `vcctl tag ls|create|attach|detach`: tags (REST, cis/tagging) on inventory objects. */
import type { Command } from 'commander';
import type { RunContext } from '../context.js';
import { examples, group } from '../program.js';
import { byIdOrName, dynamicId } from '../rest-objects.js';

export const TAG_FIELDS = ['id', 'name', 'category', 'description'] as const;

export function registerTag(program: Command, ctx: RunContext): void {
  const tag = group(program, 'tag', 'tags on inventory objects', ['vcctl tag create web --category env', 'vcctl tag attach web DC0_H0_VM0']);

  /** The REST client, and helpers resolving tags and categories by name. */
  const api = async () => {
    const client = await ctx.vim();
    const tagging = client.rest.tagging;
    return {
      client,
      tagging,
      tagOf: async (idOrName: string) => byIdOrName(await tagging.tag.list(), (id) => tagging.tag.get(id), idOrName, 'tag'),
      categoryOf: async (idOrName: string) => byIdOrName(await tagging.category.list(), (id) => tagging.category.get(id), idOrName, 'category'),
    };
  };

  examples(tag.command('ls').description(`tags, or the tags on one object (fields: ${TAG_FIELDS.join(', ')})`).option('--object <vm-or-path>', 'only the tags attached to this object').option('--type <noun>', 'the object\'s type when given by name (vm, host, ds, ...)', 'vm'), [
    'vcctl tag ls',
    'vcctl tag ls --object DC0_H0_VM0',
    'vcctl tag ls --object /DC0/host/DC0_C0 -o json',
  ]).action(async (options: { object?: string; type: string }) => {
    const { client, tagging } = await api();
    const ids = options.object ? await tagging.association.listAttachedTags(await dynamicId(client, options.object, options.type)) : await tagging.tag.list();
    const tags = await Promise.all(ids.map((id) => tagging.tag.get(id)));
    const categories = new Map((await Promise.all([...new Set(tags.map((t) => t.category_id))].map((id) => tagging.category.get(id)))).map((c) => [c.id, c.name]));
    ctx.printRows(tags.map((t) => ({ id: t.id, name: t.name, category: categories.get(t.category_id) ?? t.category_id, description: t.description })), TAG_FIELDS);
  });

  examples(tag.command('create <name>').description('create a tag in a category').requiredOption('-c, --category <category>', 'its category (name or id)').option('-d, --description <text>', 'description', ''), [
    'vcctl tag create web --category env',
  ]).action(async (name: string, options: { category: string; description: string }) => {
    const { tagging, categoryOf } = await api();
    const category = await categoryOf(options.category);
    const id = await tagging.tag.create({ name, category_id: category.id, description: options.description });
    ctx.printRows([{ id, name, category: category.name }], ['id', 'name', 'category']);
  });

  for (const verb of ['attach', 'detach'] as const) {
    examples(tag.command(`${verb} <tag> <object>`).description(`${verb} a tag (name or id) ${verb === 'attach' ? 'to' : 'from'} an object (a VM name, or an inventory path)`).option('--type <noun>', 'the object\'s type when given by name (vm, host, ds, ...)', 'vm'), [
      `vcctl tag ${verb} web DC0_H0_VM0`,
      `vcctl tag ${verb} web /DC0/host/DC0_C0`,
    ]).action(async (tagName: string, object: string, options: { type: string }) => {
      const { client, tagging, tagOf } = await api();
      const [found, target] = await Promise.all([tagOf(tagName), dynamicId(client, object, options.type)]);
      await tagging.association[verb](found.id, target);
      ctx.printRows([{ tag: found.name, object, id: target.id, action: verb }], ['tag', 'object', 'id', 'action']);
    });
  }
}
