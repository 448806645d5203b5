/** `vcctl completion bash|zsh`: the completion script for a shell. */
import { Argument, type Command } from 'commander';
import { bashScript, zshScript } from '../completion.js';
import type { RunContext } from '../context.js';
import { examples } from '../program.js';

export function registerCompletion(program: Command, ctx: RunContext): void {
  examples(
    program
      .command('completion')
      .description('print the shell completion script')
      .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh'])),
    ['source <(vcctl completion bash)', 'vcctl completion zsh > "${fpath[1]}/_vcctl"'],
  ).action((shell: 'bash' | 'zsh') => ctx.print(shell === 'bash' ? bashScript(program) : zshScript(program)));
}
