/** `vcctl about`: what the server says it is (ServiceContent.about). */
import type { Command } from 'commander';
import type { RunContext } from '../context.js';
import { examples } from '../program.js';

export const ABOUT_FIELDS = ['name', 'fullName', 'vendor', 'version', 'build', 'apiType', 'apiVersion', 'osType', 'productLineId', 'instanceUuid'] as const;

export function registerAbout(program: Command, ctx: RunContext): void {
  const about = program
    .command('about')
    .description(`the server's product, version and API (fields: ${ABOUT_FIELDS.join(', ')})`)
    .action(async () => {
      const client = await ctx.vim();
      ctx.printObject({ ...client.serviceContent.about }, ABOUT_FIELDS);
    });
  examples(about, ['vcctl about', 'vcctl about -o json | jq -r .apiVersion', 'vcctl about --columns fullName,apiVersion']);
}
