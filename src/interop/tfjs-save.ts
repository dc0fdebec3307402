// Node only: `node:fs/promises` is imported when the files are written (see src/io/atomic-write.ts).
import { ValueError, describe } from '../errors.js';
import { nodeFileSystem, writeFileAtomic } from '../io/atomic-write.js';
import type { SaveResult } from '../io/save-model.js';
import { TFJS_WEIGHTS_FILE, modelToTfjs, type ExportableModel } from './tfjs-export.js';

/**
 * Writes the model as a tfjs layers model into the folder `dir` (created if missing): weights.bin,
 * then model.json, each atomically (a temporary file renamed over the old one), so model.json
 * never names weights that are not complete on disk. Returns model.json's path and the bytes of both.
 */
export async function saveTfjs(model: ExportableModel, dir: string | URL): Promise<SaveResult> {
  if (typeof dir !== 'string' && !(dir instanceof URL)) throw new ValueError(`save: path must be a folder path (string or file URL) for format 'tfjs', got ${describe(dir)}`);
  const where = `save(${String(dir)}, { format: 'tfjs' })`;
  const { modelJson, weights } = modelToTfjs(model, where);
  const fs = await nodeFileSystem(where);
  const { join } = await import('node:path');
  const folder = dir instanceof URL ? (await import('node:url')).fileURLToPath(dir) : dir;
  const text = JSON.stringify(modelJson);
  const modelPath = join(folder, 'model.json');
  try {
    await fs.mkdir(folder, { recursive: true });
    await writeFileAtomic(fs, join(folder, TFJS_WEIGHTS_FILE), new Uint8Array(weights));
    await writeFileAtomic(fs, modelPath, text);
  } catch (cause) {
    throw new ValueError(`${where}: cannot write the files: ${(cause as Error).message}`, { cause });
  }
  return { path: modelPath, bytes: new TextEncoder().encode(text).length + weights.byteLength };
}
