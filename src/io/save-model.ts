import { ValueError, describe } from '../errors.js';
import type { SavedModel } from '../model/model-core.js';
import { nodeFileSystem, writeFileAtomic, type AtomicWriteHooks } from './atomic-write.js';
import { modelToJSON, type SaveOptions } from './model-json.js';

/** What `save` wrote. */
export interface SaveResult {
  path: string;
  /** Size of the file (UTF-8 bytes). */
  bytes: number;
}

/** Writes `model.toJSON(options)` to `path` atomically (Node). `hooks` is a seam for tests. */
export async function saveModel(model: SavedModel, path: string | URL, options: SaveOptions = {}, hooks: AtomicWriteHooks = {}): Promise<SaveResult> {
  if (typeof path !== 'string' && !(path instanceof URL)) throw new ValueError(`save: path must be a string or file URL, got ${describe(path)}`);
  const where = `save(${String(path)})`;
  const text = JSON.stringify(modelToJSON(model, options));
  const fs = await nodeFileSystem(where);
  const file = path instanceof URL ? (await import('node:url')).fileURLToPath(path) : path;
  try {
    await writeFileAtomic(fs, file, text, hooks);
  } catch (cause) {
    throw new ValueError(`${where}: cannot write the file (an existing file there is left as it was): ${(cause as Error).message}`, { cause });
  }
  return { path: file, bytes: new TextEncoder().encode(text).length };
}
