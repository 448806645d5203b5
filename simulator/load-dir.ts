/**
 * `-load DIR` (vcsim's flag): starts the simulator from a directory written by `govc object.save`,
 * one `*.xml` ObjectContent per managed object, read in name order as vcsim walks them. The
 * sub-directories govc writes beside some objects (saved method responses such as FetchDVPorts or
 * QueryConfigOption) are not read: those methods answer from the loaded objects as they always do.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { applySavedContent, relinkSummaries, SavedInventoryError, worldFromSaved, type SavedObject } from '../models/inventory/load-saved.js';
import type { VCenter } from '../models/vcenter.js';
import { restoreWorld } from '../models/world-state.js';
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
  return names.map((name) => {
    const path = join(dir, name);
    try {
      return reader.read(readFileSync(path, 'utf8'));
    } catch (error) {
      if (error instanceof ObjectContentError) throw new LoadDirError(`-load: ${path}: ${error.message}`);
      throw new LoadDirError(`-load: ${path}: ${(error as Error).message}`);
    }
  });
}

/** Makes `vc`'s world the one saved in `dir` (sessions and their services are kept). */
export function loadSavedDirectory(vc: VCenter, dir: string): { objects: number } {
  const saved = readSavedDirectory(vc, dir);
  let world;
  try {
    world = worldFromSaved(vc, saved);
  } catch (error) {
    if (error instanceof SavedInventoryError) throw new LoadDirError(`-load ${dir}: ${error.message}`);
    throw error;
  }
  restoreWorld(vc, world.snapshot);
  if (world.content) applySavedContent(vc, world.content);
  relinkSummaries(vc);
  return { objects: saved.length };
}
