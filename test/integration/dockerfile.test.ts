/**
 * The Dockerfile, without a container engine (none runs here, and hadolint is in neither npm nor
 * Debian): its structure is checked, and its steps are run as host commands in a scratch directory:
 * the COPYs as copies, the RUNs as shell commands, then the ENTRYPOINT with `docker run` flags
 * appended, and the HEALTHCHECK against it.
 */
import { execSync, execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runsWith } from '../support/tools.js';

const root = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'vcsim-docker-'));

interface Instruction {
  op: string;
  args: string;
}
type Stage = { from: string; name?: string; steps: Instruction[] };

function stages(text: string): Stage[] {
  const out: Stage[] = [];
  for (const line of text.split('\n')) {
    const match = /^([A-Z]+)\s+(.*)$/.exec(line.trim());
    if (!match || line.trim().startsWith('#')) continue;
    const [, op, args] = match as unknown as [string, string, string];
    if (op === 'FROM') out.push({ from: args.split(/\s+/)[0]!, name: /\bAS\s+(\S+)/i.exec(args)?.[1], steps: [] });
    else out.at(-1)!.steps.push({ op, args });
  }
  return out;
}

const dockerfile = stages(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const [build, final] = dockerfile as [Stage, Stage];
const ops = (stage: Stage, op: string) => stage.steps.filter((s) => s.op === op);

describe('Dockerfile', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('caches dependencies before the sources, runs as a non-root user, checks health, takes flags through ENTRYPOINT', () => {
    expect(dockerfile).toHaveLength(2);
    const firstCopy = build.steps.findIndex((s) => s.op === 'COPY');
    const install = build.steps.findIndex((s) => s.op === 'RUN' && /npm ci/.test(s.args));
    expect(build.steps[firstCopy]!.args).toBe('package.json package-lock.json ./');
    expect(install).toBe(firstCopy + 1);
    expect(ops(final, 'COPY').every((s) => s.args.startsWith(`--from=${build.name}`))).toBe(true);
    expect(ops(final, 'COPY').map((s) => s.args.split(/\s+/).at(-2))).toEqual(['/app/package.json', '/app/node_modules', '/app/dist']);
    const user = final.steps.findIndex((s) => s.op === 'USER');
    expect(user).toBeGreaterThan(-1);
    expect(final.steps[user]!.args).not.toMatch(/^(root|0)(:|$)/);
    expect(user).toBeLessThan(final.steps.findIndex((s) => s.op === 'ENTRYPOINT'));
    expect(ops(final, 'CMD')).toEqual([]);
    expect(JSON.parse(ops(final, 'ENTRYPOINT')[0]!.args)).toEqual(expect.arrayContaining(['node', 'dist/simulator/cli.js']));
    expect(ops(final, 'HEALTHCHECK')[0]!.args).toMatch(/CMD \["node", "dist\/simulator\/healthcheck.js"\]$/);
  });

  it.runIf(runsWith('Dockerfile steps as host commands', spawnSync('curl', ['--version']).status === 0, 'curl is missing: install curl'))('builds and runs as host commands: `docker run image -dc 2` serves two datacenters and passes its health check', async () => {
    const dirs: Record<string, string> = { [build.name!]: join(work, 'build'), final: join(work, 'final') };
    for (const [stage, dir] of [[build, dirs[build.name!]!], [final, dirs.final!]] as const) {
      mkdirSync(dir, { recursive: true });
      for (const step of stage.steps) {
        if (step.op === 'COPY') {
          const words = step.args.split(/\s+/).filter((w) => !w.startsWith('--'));
          const from = /--from=(\S+)/.exec(step.args)?.[1];
          const dest = join(dir, words.pop()!);
          for (const src of words) cpSync(from ? join(dirs[from]!, src.replace(/^\/app\//, '')) : join(root, src), words.length > 1 || dest.endsWith('/') ? join(dest, src.split('/').pop()!) : dest, { recursive: true });
        } else if (step.op === 'RUN') {
          execSync(step.args, { cwd: dir, stdio: 'pipe', timeout: 300_000 });
        }
      }
    }
    const entrypoint = JSON.parse(ops(final, 'ENTRYPOINT')[0]!.args) as string[];
    const server = spawn(process.execPath, [...entrypoint.slice(1), '-dc', '2', '-l', '127.0.0.1:0'], { cwd: dirs.final, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /export GOVC_URL=https:\/\/[^@]+@(\S+)\/sdk/.exec(out);
          if (match) resolve(`https://${match[1]}`);
        });
        server.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const health = JSON.parse(/CMD (\[.*\])$/.exec(ops(final, 'HEALTHCHECK')[0]!.args)![1]!) as string[];
      const check = (url: string) => {
        try {
          execFileSync(process.execPath, health.slice(1), { cwd: dirs.final, env: { ...process.env, VCENTER_SIM_HEALTH_URL: url }, stdio: 'pipe' });
          return 0;
        } catch (error) {
          return (error as { status: number }).status;
        }
      };
      expect(check(`${base}/_sim/health`)).toBe(0);
      expect(check(`${base}/_sim/nothing`)).toBe(1);
      const token = JSON.parse(execFileSync('curl', ['-sk', '-X', 'POST', '-u', 'user:pass', `${base}/api/session`], { encoding: 'utf8' })) as string;
      const datacenters = JSON.parse(execFileSync('curl', ['-sk', '-H', `vmware-api-session-id: ${token}`, `${base}/api/vcenter/datacenter`], { encoding: 'utf8' })) as unknown[];
      expect(datacenters).toHaveLength(2);
    } finally {
      server.kill('SIGTERM');
    }
  }, 400_000);
});
