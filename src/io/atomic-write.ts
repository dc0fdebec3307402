// Node only: `node:fs/promises` is imported when a file is read or written (a literal dynamic
// import, which the rollup build turns into one bundlers leave alone, as src/data/csv-file.ts
// does), so browser bundles stay free of Node built-ins.
import { StateError } from '../errors.js';

type FileSystem = typeof import('node:fs/promises');

/** A seam for tests: runs after the temporary file is written and synced, before the rename. */
export interface AtomicWriteHooks {
  beforeRename?: (temporaryPath: string) => void | Promise<void>;
}

/** `node:fs/promises`, or a StateError saying files need Node. */
export async function nodeFileSystem(where: string): Promise<FileSystem> {
  try {
    return await import('node:fs/promises');
  } catch (cause) {
    throw new StateError(`${where}: files are read and written with Node's fs, which this environment lacks; in a browser use model.toJSON() and modelFromJSON / loadModel(json)`, { cause });
  }
}

/**
 * Writes `text` (UTF-8) or bytes to `path` so that the file is either the old one or the complete new one, never
 * a mix: the text goes to a temporary file in the same folder, which is flushed to disk (fsync)
 * and then renamed over `path` (atomic on POSIX and on Windows' NTFS). On any failure the
 * temporary file is removed and an existing file at `path` is left untouched.
 */
export async function writeFileAtomic(fs: FileSystem, path: string, text: string | Uint8Array, hooks: AtomicWriteHooks = {}): Promise<void> {
  const temporary = `${path}.${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}.tmp`;
  let handle: Awaited<ReturnType<FileSystem['open']>> | null = null;
  try {
    handle = await fs.open(temporary, 'wx');
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = null;
    await hooks.beforeRename?.(temporary);
    await fs.rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncFolder(fs, path);
}

/**
 * Flushes the folder entry of the rename to disk (POSIX needs an fsync of the directory for a
 * rename to survive a power loss). Platforms that cannot open a folder (Windows) skip this step.
 */
async function syncFolder(fs: FileSystem, path: string): Promise<void> {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const folder = cut < 0 ? '.' : cut === 0 ? path.slice(0, 1) : path.slice(0, cut);
  let handle: Awaited<ReturnType<FileSystem['open']>>;
  try {
    handle = await fs.open(folder, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch {
    // EINVAL/EPERM on file systems without directory fsync: the rename itself has happened.
  } finally {
    await handle.close();
  }
}
