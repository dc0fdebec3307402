// Node only: `node:fs/promises` is imported when the file is written (see src/io/atomic-write.ts).
import { ValueError, describe } from '../errors.js';
import { nodeFileSystem, writeFileAtomic } from '../io/atomic-write.js';
import type { SaveResult } from '../io/save-model.js';
import { modelToOnnx, type OnnxExportOptions } from './onnx-export.js';
import type { ExportableModel } from './tfjs-export.js';

/** Writes `toOnnx(options)` to the file `path` atomically (a temporary file renamed over the old one). */
export async function saveOnnx(model: ExportableModel, path: string | URL, options: OnnxExportOptions = {}): Promise<SaveResult> {
  if (typeof path !== 'string' && !(path instanceof URL)) throw new ValueError(`save: path must be a file path (string or file URL) for format 'onnx', got ${describe(path)}`);
  const where = `save(${String(path)}, { format: 'onnx' })`;
  const bytes = await modelToOnnx(model, options, where);
  const fs = await nodeFileSystem(where);
  const file = path instanceof URL ? (await import('node:url')).fileURLToPath(path) : path;
  try {
    await writeFileAtomic(fs, file, bytes);
  } catch (cause) {
    throw new ValueError(`${where}: cannot write the file (an existing file there is left as it was): ${(cause as Error).message}`, { cause });
  }
  return { path: file, bytes: bytes.byteLength };
}
