/**
 * The published package: `npm pack` ships only what runs, every `exports` entry has its types, and
 * a fresh directory that installs the tarball (dependencies from the registry) runs
 * `npx vcenter-sim` and imports the library, with no install-time warning.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'vcsim-pack-'));
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject).end();
  });
}

describe('npm package', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs dist, README and LICENSE only, with types for every export, and runs from a fresh install', async () => {
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root)) as { filename: string; files: { path: string }[] }[];
    const files = packed!.files.map((f) => f.path);
    for (const file of files) expect(file, file).toMatch(/^(dist\/.*\.(js|d\.ts|json)|README\.md|LICENSE|package\.json)$/);
    expect(files).toContain('dist/models/data/vim-types.json');
    const manifest = JSON.parse(run('node', ['-p', 'JSON.stringify(require("./package.json"))'], root)) as { exports: Record<string, string | { types: string; default: string }>; bin: Record<string, string> };
    for (const [entry, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string') continue; // ./package.json
      expect(files, `${entry} types`).toContain(target.types.replace(/^\.\//, ''));
      expect(files, `${entry} code`).toContain(target.default.replace(/^\.\//, ''));
    }
    for (const bin of Object.values(manifest.bin)) expect(files).toContain(bin);

    const fresh = join(work, 'fresh');
    execFileSync('mkdir', ['-p', fresh]);
    writeFileSync(join(fresh, 'package.json'), JSON.stringify({ name: 'fresh', private: true, type: 'module' }));
    const install = execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=warn', join(work, packed!.filename)], { cwd: fresh, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
    expect(install).not.toMatch(/EBADENGINE|deprecated/i);
    expect(existsSync(join(fresh, 'node_modules/vcenter-sim/dist/simulator/index.d.ts'))).toBe(true);
    expect(run('node', ['-e', 'import("vcenter-sim").then((m) => console.log(typeof m.createSimulator))'], fresh).trim()).toBe('function');

    // Its own process group: npx runs the server as a child, and both must go at the end.
    const server = spawn('npx', ['--no-install', 'vcenter-sim', '-l', '127.0.0.1:0'], { cwd: fresh, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /export GOVC_URL=https:\/\/[^@]+@(\S+)\/sdk/.exec(out);
          if (match) resolve(`https://${match[1]}`);
        });
        server.once('exit', (code) => reject(new Error(`vcenter-sim exited with ${code}`)));
      });
      expect(await get(`${url}/_sim/health`)).toBe(200);
    } finally {
      process.kill(-server.pid!, 'SIGTERM');
    }
  }, 300_000);
});
