import { checkOptionNames, describe, OptionError } from '../errors.js';
import type { Runtime } from '../kernels/runtime.js';
import type { Sequential } from '../model/sequential.js';
import { buildFromKeras } from './keras-config.js';
import { kerasChain } from './keras-topology.js';
import { layerWeights } from './tfjs-manifest.js';
import { readTfjsSource, type TfjsSource } from './tfjs-source.js';

export type { TfjsSource } from './tfjs-source.js';

export interface LoadTfjsOptions {
  /** Kernels and arena to build the model on. Default: the global backend (`init`). */
  runtime?: Runtime;
}

/**
 * Loads a TensorFlow.js layers model (what `model.save` of tfjs or the tensorflowjs converter
 * writes) as a wasm-rnn Sequential. `source`: `{ modelJson, weights }` (model.json as an object or
 * its text; the weight data as one ArrayBuffer of the shards concatenated in manifest order, or an
 * array of shard buffers); in Node a path to model.json (shards read beside it); or a URL (fetch).
 * A file that is malformed, truncated or holds what cannot be mapped gives a ModelFileError.
 */
export async function loadTfjsModel(source: TfjsSource, options: LoadTfjsOptions = {}): Promise<Sequential> {
  const where = 'loadTfjsModel';
  if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: options must be an object, got ${describe(options)}`);
  checkOptionNames(where, options, ['runtime']);
  const { manifest, data } = await readTfjsSource(where, source);
  const weights = layerWeights(where, manifest, kerasChain(where, manifest.topology), data);
  return buildFromKeras(where, manifest.topology, weights, manifest.flavor, options.runtime);
}
