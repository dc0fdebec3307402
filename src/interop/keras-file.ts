import { ValueError, describe } from '../errors.js';
import type { Sequential } from '../model/sequential.js';
import { buildFromKeras } from './keras-config.js';
import { readKerasFile } from './keras-file-read.js';

/**
 * Loads a Keras model file: a Keras 3 `.keras` archive (config.json + model.weights.h5) or a
 * legacy full-model `.h5` file, given as its bytes (`Uint8Array`, a Node `Buffer`, `ArrayBuffer`)
 * or, in Node, as a file path. Returns the same `Sequential` that `sequential()` builds, with
 * Keras' weights: `predict`, `evaluate`, `fit` and `save` work on it.
 *
 * The zip reader (fflate) and the HDF5 reader (jsfive) are imported on the first call, so an
 * application that never loads a Keras file never loads them. A malformed, truncated or hostile
 * file throws a ModelFileError naming the part at fault; a layer or option wasm-rnn does not
 * support throws a ModelFileError naming it and listing what is supported.
 */
export async function loadKerasModel(source: Uint8Array | ArrayBuffer | string | URL): Promise<Sequential> {
  const { where, bytes } = await bytesOf(source);
  const contents = await readKerasFile(where, bytes);
  return buildFromKeras(where, contents.topology, contents.weights, contents.flavor);
}

async function bytesOf(source: unknown): Promise<{ where: string; bytes: Uint8Array }> {
  if (source instanceof Uint8Array) return { where: 'loadKerasModel', bytes: source };
  if (source instanceof ArrayBuffer) return { where: 'loadKerasModel', bytes: new Uint8Array(source) };
  if (typeof source === 'string' || source instanceof URL) {
    const where = `loadKerasModel(${String(source)})`;
    return { where, bytes: await readLocalFile(where, source) };
  }
  throw new ValueError(`loadKerasModel: source must be the file's bytes (Uint8Array or ArrayBuffer) or, in Node, a file path; got ${describe(source)}`);
}

/** Node only: `node:fs/promises` is imported here, so browser bundles never need it. */
async function readLocalFile(where: string, path: string | URL): Promise<Uint8Array> {
  let readFile: typeof import('node:fs/promises').readFile;
  try {
    ({ readFile } = await import('node:fs/promises'));
  } catch (cause) {
    throw new ValueError(`${where}: file paths work in Node only; in a browser pass the bytes, e.g. await (await fetch(url)).arrayBuffer()`, { cause });
  }
  try {
    return await readFile(path);
  } catch (cause) {
    throw new ValueError(`${where}: cannot read the file: ${(cause as Error).message}`, { cause });
  }
}
