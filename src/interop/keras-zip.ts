import { ModelFileError } from '../io/model-file-error.js';

/*
 * The entries of a Keras 3 `.keras` archive (a zip: config.json, model.weights.h5, metadata.json,
 * maybe assets/), unpacked with fflate, which is imported only when an archive is read. Sizes are
 * checked from the zip's central directory before anything is inflated, so a zip bomb costs no
 * more than the caps below.
 */

/** The entries wasm-rnn reads, by name; the rest (assets/, …) are left packed. */
const ENTRY_CAPS: Readonly<Record<string, number>> = {
  'config.json': 64 * 2 ** 20,
  'metadata.json': 2 ** 20,
  'model.weights.h5': 2 ** 30,
};

/** Deflate cannot expand data more than 1032 : 1 (258-byte matches coded in 2 bits). */
const DEFLATE_MAX_RATIO = 1032;

export interface KerasArchive {
  config: Uint8Array;
  weights: Uint8Array;
  /** metadata.json, which Keras always writes (it holds keras_version); undefined if absent. */
  metadata: Uint8Array | undefined;
}

interface EntryInfo {
  name: string;
  size: number;
  originalSize: number;
  compression: number;
}

/** Zip files start with a local file header, "PK\x03\x04". */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export async function readKerasArchive(where: string, bytes: Uint8Array): Promise<KerasArchive> {
  const { unzipSync } = await import('fflate');
  const declared = new Map<string, EntryInfo>();
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (entry) => admit(where, declared, entry) });
  } catch (cause) {
    if (cause instanceof ModelFileError) throw cause;
    throw new ModelFileError(`${where}: the .keras archive is not a readable zip file (${(cause as Error).message}); is it truncated?`, { cause });
  }
  for (const [name, info] of declared) {
    const got = files[name]!.length;
    if (got !== info.originalSize) {
      throw new ModelFileError(`${where}: zip entry ${name} unpacks to ${got} bytes, but the archive declares ${info.originalSize}; the archive is truncated or corrupt`);
    }
  }
  const need = (name: string): Uint8Array => {
    const entry = files[name];
    if (entry === undefined) throw new ModelFileError(`${where}: the .keras archive has no ${name} (entries: ${Object.keys(files).join(', ') || 'none of config.json, model.weights.h5, metadata.json'})`);
    return entry;
  };
  return { config: need('config.json'), weights: need('model.weights.h5'), metadata: files['metadata.json'] };
}

/** fflate's filter: unpack only the entries we read, after checking their declared sizes. */
function admit(where: string, declared: Map<string, EntryInfo>, entry: EntryInfo): boolean {
  const cap = Object.hasOwn(ENTRY_CAPS, entry.name) ? ENTRY_CAPS[entry.name] : undefined;
  if (cap === undefined) return false;
  const label = `zip entry ${entry.name}`;
  if (declared.has(entry.name)) throw new ModelFileError(`${where}: ${label} appears twice in the archive`);
  if (entry.compression !== 0 && entry.compression !== 8) {
    throw new ModelFileError(`${where}: ${label} uses zip compression method ${entry.compression}; only stored (0) and deflate (8) are read`);
  }
  if (entry.originalSize > cap) throw new ModelFileError(`${where}: ${label} declares ${entry.originalSize} bytes unpacked, over the cap of ${cap} bytes`);
  const possible = entry.compression === 0 ? entry.size : entry.size * DEFLATE_MAX_RATIO;
  if (entry.originalSize > possible) {
    throw new ModelFileError(`${where}: ${label} declares ${entry.originalSize} bytes unpacked from ${entry.size} packed bytes, more than ${entry.compression === 0 ? 'a stored entry holds' : 'deflate can produce'}`);
  }
  declared.set(entry.name, entry);
  return true;
}
