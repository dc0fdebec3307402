import { ModelFileError } from '../io/model-file-error.js';
import { parseStrictJsonRecords } from '../io/strict-json.js';
import { archiveWeights, legacyWeights } from './keras-file-weights.js';
import { attribute, isHdf5, openH5 } from './keras-h5.js';
import type { KerasFlavor } from './keras-layers.js';
import { kerasChain } from './keras-topology.js';
import type { KerasLayerWeights } from './keras-weights.js';
import { isZip, readKerasArchive } from './keras-zip.js';

/*
 * A Keras model file's bytes → what modelFromKeras takes: the topology, the weights of each layer
 * in model order, and which Keras wrote it (Keras 3's hard_sigmoid differs from Keras 2's).
 */

export interface KerasFileContents {
  format: 'keras' | 'h5';
  /** The parsed config.json (`.keras`) or `model_config` attribute (`.h5`). */
  topology: unknown;
  weights: KerasLayerWeights[];
  flavor: KerasFlavor;
  /** The `keras_version` the file records, when it records one. */
  kerasVersion: string | undefined;
}

export async function readKerasFile(where: string, bytes: Uint8Array): Promise<KerasFileContents> {
  if (isZip(bytes)) return readArchive(where, bytes);
  if (isHdf5(bytes)) return readLegacyH5(where, bytes);
  throw new ModelFileError(`${where}: not a Keras model file: expected a .keras archive (a zip, starting with "PK") or a legacy .h5 file (HDF5), got ${bytes.length} bytes starting with ${hexStart(bytes)}`);
}

async function readArchive(where: string, bytes: Uint8Array): Promise<KerasFileContents> {
  const archive = await readKerasArchive(where, bytes);
  const topology = parseStrictJsonRecords(utf8(where, archive.config, 'config.json'), where, 'config.json');
  const metadata = archive.metadata === undefined ? undefined : parseStrictJsonRecords(utf8(where, archive.metadata, 'metadata.json'), where, 'metadata.json');
  const kerasVersion = versionIn(metadata);
  const { layers } = kerasChain(where, topology);
  const root = await openH5(where, archive.weights, 'model.weights.h5');
  const weights = archiveWeights(where, root, layers, archive.weights.length);
  // Keras 2.13–2.15 wrote .keras archives too; metadata.json says which Keras did.
  return { format: 'keras', topology, weights, flavor: flavorOf(kerasVersion, 'keras3'), kerasVersion };
}

async function readLegacyH5(where: string, bytes: Uint8Array): Promise<KerasFileContents> {
  const root = await openH5(where, bytes, 'the .h5 file');
  const config = attribute(where, root, 'model_config', '/');
  if (config === undefined) {
    throw new ModelFileError(`${where}: the .h5 file has no model_config attribute: it holds weights only (save_weights), not a whole model; load it into a model built with the same layers instead`);
  }
  if (typeof config !== 'string') throw new ModelFileError(`${where}: the .h5 file's model_config attribute should be JSON text, got ${typeof config}`);
  const topology = parseStrictJsonRecords(config, where, 'the model_config attribute');
  const version = attribute(where, root, 'keras_version', '/');
  const kerasVersion = typeof version === 'string' ? version : undefined;
  const { layers } = kerasChain(where, topology);
  // Files without keras_version predate Keras 3.
  return { format: 'h5', topology, weights: legacyWeights(where, root, layers, bytes.length), flavor: flavorOf(kerasVersion, 'keras2'), kerasVersion };
}

function versionIn(metadata: unknown): string | undefined {
  if (typeof metadata !== 'object' || metadata === null || !Object.hasOwn(metadata, 'keras_version')) return undefined;
  const version = (metadata as Record<string, unknown>).keras_version;
  return typeof version === 'string' ? version : undefined;
}

function flavorOf(version: string | undefined, fallback: KerasFlavor): KerasFlavor {
  if (version === undefined) return fallback;
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  return major >= 3 ? 'keras3' : major >= 1 ? 'keras2' : fallback;
}

function utf8(where: string, bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new ModelFileError(`${where}: ${name} is not UTF-8 text`, { cause });
  }
}

function hexStart(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ') || '(nothing)';
}
