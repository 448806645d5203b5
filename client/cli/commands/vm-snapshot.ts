/** `vcctl vm snapshot create|ls|revert|rm|rename`: a VM's snapshot tree, by name or `parent/child` path. */
import type { Command } from 'commander';
import { VimError } from '../../errors.js';
import type { MoRef, VirtualMachineSnapshotInfo, VirtualMachineSnapshotTree } from '../../vim25.js';
import type { RunContext } from '../context.js';
import { resolve } from '../inventory.js';
import { runTask } from '../progress.js';
import { examples, group } from '../program.js';

export const SNAPSHOT_FIELDS = ['name', 'path', 'id', 'createTime', 'state', 'current', 'description'] as const;
const ACTION_FIELDS = ['vm', 'snapshot', 'action', 'task'] as const;

interface Flat {
  tree: VirtualMachineSnapshotTree;
  path: string;
}

function flatten(trees: readonly VirtualMachineSnapshotTree[] = [], parent = ''): Flat[] {
  return trees.flatMap((tree) => {
    const path = parent ? `${parent}/${tree.name}` : tree.name;
    return [{ tree, path }, ...flatten(tree.childSnapshotList, path)];
  });
}

async function snapshotsOf(ctx: RunContext, vmName: string) {
  const client = await ctx.vim();
  const vm = await resolve(client, 'VirtualMachine', vmName);
  const [object] = await client.retrieve(vm, ['snapshot']);
  const info = object?.snapshot as VirtualMachineSnapshotInfo | undefined;
  return { vm, current: info?.currentSnapshot, all: flatten(info?.rootSnapshotList) };
}

/** A snapshot by path (`a/b`) or by a name only one snapshot has. */
async function findSnapshot(ctx: RunContext, vmName: string, name: string) {
  const found = await snapshotsOf(ctx, vmName);
  const matches = found.all.filter((s) => s.path === name || s.tree.name === name);
  const exact = matches.filter((s) => s.path === name);
  const chosen = exact.length === 1 ? exact : matches;
  if (!chosen.length) throw new VimError({ code: 'SNAPSHOT_NOT_FOUND', message: `snapshot "${name}" of vm "${vmName}" not found` });
  if (chosen.length > 1) throw new VimError({ code: 'INVALID_ARGUMENT', message: `snapshot name "${name}" is ambiguous (${chosen.map((s) => s.path).join(', ')}): give its path` });
  return { vm: found.vm, snapshot: chosen[0]!.tree.snapshot as MoRef<'VirtualMachineSnapshot'> };
}

export function registerSnapshot(vm: Command, ctx: RunContext): void {
  const snapshot = group(vm, 'snapshot', 'VM snapshots', ['vcctl vm snapshot create DC0_H0_VM0 before-upgrade', 'vcctl vm snapshot ls DC0_H0_VM0']);

  examples(
    snapshot.command('create <vm> <name>').description('take a snapshot').option('-d, --description <text>', 'description', '').option('--memory', "include the VM's memory").option('--quiesce', 'quiesce the guest file system'),
    ['vcctl vm snapshot create DC0_H0_VM0 before-upgrade -d "pre 2.0"'],
  ).action(async (vmName: string, name: string, options: { description: string; memory?: boolean; quiesce?: boolean }) => {
    const ref = await resolve(await ctx.vim(), 'VirtualMachine', vmName);
    const { task, result } = await runTask(ctx, `snapshot ${vmName}`, ref, 'CreateSnapshot_Task', { name, description: options.description, memory: Boolean(options.memory), quiesce: Boolean(options.quiesce) });
    ctx.printRows([{ vm: vmName, snapshot: name, id: (result as MoRef | undefined)?.value, action: 'create', task }], ACTION_FIELDS);
  });

  examples(snapshot.command('ls <vm>').description(`a VM's snapshots, parents first (fields: ${SNAPSHOT_FIELDS.join(', ')})`), ['vcctl vm snapshot ls DC0_H0_VM0 -o json']).action(async (vmName: string) => {
    const { current, all } = await snapshotsOf(ctx, vmName);
    ctx.printRows(
      all.map(({ tree, path }) => ({ name: tree.name, path, id: tree.snapshot.value, createTime: tree.createTime, state: tree.state, current: tree.snapshot.value === current?.value, description: tree.description })),
      SNAPSHOT_FIELDS,
    );
  });

  examples(snapshot.command('revert <vm> [name]').description('revert to a snapshot (default: the current one)'), ['vcctl vm snapshot revert DC0_H0_VM0', 'vcctl vm snapshot revert DC0_H0_VM0 before-upgrade']).action(
    async (vmName: string, name: string | undefined) => {
      if (name === undefined) {
        const ref = await resolve(await ctx.vim(), 'VirtualMachine', vmName);
        const { task } = await runTask(ctx, `revert ${vmName}`, ref, 'RevertToCurrentSnapshot_Task', {});
        ctx.printRows([{ vm: vmName, snapshot: undefined, action: 'revert', task }], ACTION_FIELDS);
        return;
      }
      const { snapshot: ref } = await findSnapshot(ctx, vmName, name);
      const { task } = await runTask(ctx, `revert ${vmName} to ${name}`, ref, 'RevertToSnapshot_Task', {});
      ctx.printRows([{ vm: vmName, snapshot: name, action: 'revert', task }], ACTION_FIELDS);
    },
  );

  examples(snapshot.command('rm <vm> <name>').description('remove a snapshot').option('--children', 'remove its children too'), ['vcctl vm snapshot rm DC0_H0_VM0 before-upgrade']).action(
    async (vmName: string, name: string, options: { children?: boolean }) => {
      const { snapshot: ref } = await findSnapshot(ctx, vmName, name);
      const { task } = await runTask(ctx, `remove ${name}`, ref, 'RemoveSnapshot_Task', { removeChildren: Boolean(options.children) });
      ctx.printRows([{ vm: vmName, snapshot: name, action: 'rm', task }], ACTION_FIELDS);
    },
  );

  examples(snapshot.command('rename <vm> <name> <new-name>').description('rename a snapshot').option('-d, --description <text>', 'a new description'), ['vcctl vm snapshot rename DC0_H0_VM0 before-upgrade v1']).action(
    async (vmName: string, name: string, newName: string, options: { description?: string }) => {
      const { snapshot: ref } = await findSnapshot(ctx, vmName, name);
      await (await ctx.vim()).call(ref, 'RenameSnapshot', { name: newName, description: options.description });
      ctx.printRows([{ vm: vmName, snapshot: newName, action: 'rename', task: undefined }], ACTION_FIELDS);
    },
  );
}
