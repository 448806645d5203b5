/**
 * `-load DIR` (vcsim's flag): starts the simulator from a directory written by `govc object.save`,
 * one `*.xml` ObjectContent per managed object, read in name order as vcsim walks them. Beside an
 * object, a sub-directory named by its moref (`Type-<value, query-escaped>`) may hold saved method
 * responses (`FetchDVPorts.xml`, `QueryConfigOption.xml`, ...): as in vcsim, the loaded object
 * then answers those methods with them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { applySavedContent, equipComputeResources, fosterOrphans, SavedInventoryError, worldFromSaved, type SavedObject } from '../models/inventory/load-saved.js';
import type { VCenter } from '../models/vcenter.js';
import { restoreWorld } from '../models/core/world-state.js';
import { ObjectContentError, ObjectContentReader } from './soap/object-content.js';

/** The directory cannot be loaded; the message names the directory or the file and what is wrong. */
export class LoadDirError extends Error {}

/** Reads every ObjectContent file of `dir`, in name order. */
export function readSavedDirectory(vc: VCenter, dir: string): SavedObject[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new LoadDirError(`-load ${dir}: not a directory`);
    names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.xml'))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if (error instanceof LoadDirError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new LoadDirError(code === 'ENOENT' ? `-load ${dir}: no such directory` : `-load ${dir}: ${(error as Error).message}`);
  }
  if (names.length === 0) throw new LoadDirError(`-load ${dir}: no *.xml files (expected a directory written by govc object.save)`);
  const reader = new ObjectContentReader(vc.types);
  const saved: SavedObject[] = names.map((name) => {
    const path = join(dir, name);
    return fileError(path, () => reader.read(readFileSync(path, 'utf8')));
  });
  for (const object of saved) {
    const methodsDir = join(dir, encodeRef(object.obj.type, object.obj.value));
    let files: string[];
    try {
      files = readdirSync(methodsDir, { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.xml')).map((e) => e.name).sort();
    } catch {
      continue; // no saved responses for this object
    }
    object.responses = files.map((file) => {
      const path = join(methodsDir, file);
      const method = file.slice(0, -'.xml'.length);
      return fileError(path, () => {
        const info = vc.types.method(object.obj.type, method);
        if (!info) throw new ObjectContentError(`${object.obj.type} has no method ${method}`);
        return { method, value: reader.readResponse(readFileSync(path, 'utf8'), method, info.returns) };
      });
    });
  }
  return saved;
}

/** `f()`, its failure a LoadDirError naming the file. */
function fileError<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (error) {
    throw new LoadDirError(`-load: ${path}: ${(error as Error).message}`);
  }
}

/** A moref as govmomi's ManagedObjectReference.Encode writes it: `Type-` and the value as Go's url.QueryEscape does. */
export function encodeRef(type: string, value: string): string {
  const escaped = encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
  return `${type}-${escaped}`;
}

/**
 * Makes `vc`'s world the one saved in `dir` (sessions and their services are kept). Returns how
 * many objects were loaded and which of them a datacenter folder adopted (their parent was not saved).
 */
export function loadSavedDirectory(vc: VCenter, dir: string): { objects: number; adopted: string[] } {
  const saved = readSavedDirectory(vc, dir);
  try {
    const world = worldFromSaved(vc, saved);
    restoreWorld(vc, world.snapshot);
    if (world.content) applySavedContent(vc, world.content);
    const loaded = saved.map((s) => s.obj);
    const adopted = fosterOrphans(vc, loaded);
    equipComputeResources(vc, loaded);
    return { objects: saved.length, adopted };
  } catch (error) {
    if (error instanceof SavedInventoryError) throw new LoadDirError(`-load ${dir}: ${error.message}`);
    throw error;
  }
}
