/**
 * Shell completion scripts made from the command tree itself, so they never drift from the
 * commands: for each command path (`vm power`), the words that may follow (subcommands and
 * options). The shell function walks the words typed so far to find the path.
 */
import type { Command } from 'commander';

/** Command path (space-separated, '' for the root) → the words completing after it. */
export function completionTable(program: Command): Map<string, string[]> {
  const table = new Map<string, string[]>();
  const globals = program.options.flatMap((o) => [o.short, o.long].filter((f): f is string => Boolean(f)));
  const walk = (command: Command, path: string) => {
    const options = command === program ? [] : command.options.flatMap((o) => [o.short, o.long].filter((f): f is string => Boolean(f)));
    table.set(path, [...command.commands.map((c) => c.name()), ...options, ...globals, '--help']);
    for (const sub of command.commands) walk(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  walk(program, '');
  return table;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function bashScript(program: Command): string {
  const table = completionTable(program);
  const paths = [...table.keys()].filter(Boolean);
  return `# vcctl bash completion: source <(vcctl completion bash)
_vcctl() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath="" word i next
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in -*) continue ;; esac
    next="\${cmdpath:+$cmdpath }$word"
    case "$next" in
      ${paths.map(quote).join('|')}) cmdpath="$next" ;;
    esac
  done
  local words=""
  case "$cmdpath" in
${[...table].map(([path, words]) => `    ${quote(path)}) words=${quote(words.join(' '))} ;;`).join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _vcctl vcctl
`;
}

export function zshScript(program: Command): string {
  const table = completionTable(program);
  const paths = [...table.keys()].filter(Boolean);
  // zsh's $path is tied to $PATH: the command path is "cmdpath".
  return `#compdef vcctl
# vcctl zsh completion: source <(vcctl completion zsh), or save as _vcctl in a directory of $fpath
_vcctl() {
  local cmdpath="" word next i
  local -a candidates
  for ((i = 2; i < CURRENT; i++)); do
    word="\${words[i]}"
    [[ "$word" == -* ]] && continue
    next="\${cmdpath:+$cmdpath }$word"
    case "$next" in
      ${paths.map(quote).join('|')}) cmdpath="$next" ;;
    esac
  done
  case "$cmdpath" in
${[...table].map(([path, words]) => `    ${quote(path)}) candidates=(${words.map(quote).join(' ')}) ;;`).join('\n')}
  esac
  compadd -- "\${candidates[@]}"
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  _vcctl "$@"
else
  compdef _vcctl vcctl
fi
`;
}
