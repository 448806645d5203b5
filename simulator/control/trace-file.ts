/**
 * `--trace-file FILE`: every journal entry, as it is recorded, appended to FILE as one JSON line.
 * The file outlives the journal's ring, so a long run keeps every call.
 */
import { createWriteStream, openSync } from 'node:fs';
import type { Journal } from './journal.js';

export class TraceFile {
  private readonly stopFollowing: () => void;
  private readonly out: ReturnType<typeof createWriteStream>;

  constructor(journal: Journal, path: string) {
    // Opened now, so a bad path fails the start rather than the first write.
    this.out = createWriteStream(path, { fd: openSync(path, 'a') });
    this.out.on('error', (error) => console.error(`vcenter-sim: trace file ${path}: ${error.message}`));
    this.stopFollowing = journal.follow((entry) => this.out.write(`${JSON.stringify(entry)}\n`));
  }

  /** Stops tracing; resolves once what was written is on disk. */
  close(): Promise<void> {
    this.stopFollowing();
    return new Promise((resolve) => this.out.end(resolve));
  }
}
