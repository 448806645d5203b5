import { existsSync, readFileSync } from 'node:fs';

/** vcenter-sim's version, from the package.json beside dist/ (built) or beside the sources (run from source). */
export function packageVersion(): string {
  for (const path of ['../package.json', '../../package.json']) {
    const file = new URL(path, import.meta.url);
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'vcenter-sim') return pkg.version ?? 'unknown';
  }
  return 'unknown';
}
