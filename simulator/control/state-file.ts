/**
 * State files (--state, --save-on-exit) on disk. A write goes to a temporary file beside the
 * target, is flushed to the disk (fsync), then renamed over it, and the directory is flushed: a
 * crash or kill at any moment leaves either the previous good file or the new one, never part of
 * one. The document carries its format version (`format`, see models/inventory/world-json.ts).
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { WorldFormatError } from '../../models/inventory/world-json.js';

/** Writes `document` as JSON to `path` atomically. */
export function writeStateFile(path: string, document: unknown): void {
  // Unique per write, so two writers of one path never share a temporary file.
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(document));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  syncDirectory(dirname(path));
}

/** The document in the state file at `path`; a file that is not JSON is a WorldFormatError naming it. */
export function readStateFile(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new WorldFormatError(`${path} is not a state file (not JSON: ${(error as Error).message})`);
  }
}

/** Makes the rename itself durable. Some file systems cannot open a directory for this: the rename is still atomic there. */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(directory, 'r');
    fsyncSync(fd);
  } catch {
    // EISDIR/EPERM on some platforms: nothing more to do.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
