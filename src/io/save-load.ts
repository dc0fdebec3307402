import { CharTokenizer } from '../data/char-tokenizer.js';
import { scalerFromJSON } from '../data/scalers.js';
import type { Tokenizer } from '../data/tokenizer.js';
import { WordTokenizer } from '../data/word-tokenizer.js';
import { ValueError, describe } from '../errors.js';
import { readCompileOptions } from '../model/compile.js';
import { Seq2Seq } from '../model/seq2seq.js';
import { configOptions } from '../model/seq2seq-config.js';
import { Sequential } from '../model/sequential.js';
import { completeModel, loadModelWith, modelFromJSONWith, type LoadModelOptions, type Model } from './load-model.js';
import type { ModelJSON } from './model-json.js';
import type { DataReaders, Manifest } from './model-json-read.js';

export type { LoadModelOptions, Model } from './load-model.js';

const DATA_READERS: DataReaders = {
  tokenizer(json: unknown): Tokenizer {
    const kind = typeof json === 'object' && json !== null ? (json as { kind?: unknown }).kind : undefined;
    if (kind === 'charTokenizer') return CharTokenizer.fromJSON(json);
    if (kind === 'wordTokenizer') return WordTokenizer.fromJSON(json);
    throw new ValueError(`kind must be 'charTokenizer' or 'wordTokenizer', got ${describe(kind)}`);
  },
  scaler: scalerFromJSON,
  compile: readCompileOptions,
};

/**
 * Rebuilds a model from `model.toJSON()` (the object, or its JSON text): architecture, weights
 * (bit for bit), compile settings, optimizer state when saved, tokenizer, scaler and training
 * metadata. Everything is checked before the model is built; a malformed or hostile document
 * throws ModelFileError naming what is wrong. Synchronous and browser-safe.
 */
export function modelFromJSON(json: ModelJSON | object | string, options: LoadModelOptions = {}): Model {
  return modelFromJSONWith(DATA_READERS, buildModel, json, options);
}

/**
 * Loads a model from a file path or `file:` URL (Node), from JSON text (a string starting with
 * '{'), or from the object `model.toJSON()` returned.
 */
export function loadModel(source: string | URL | ModelJSON | object, options: LoadModelOptions = {}): Promise<Model> {
  return loadModelWith(DATA_READERS, buildModel, source, options);
}

/** The full entry's model: compiled and with its optimizer state when the document has them. */
function buildModel(manifest: Manifest, options: LoadModelOptions): Model {
  const { runtime } = options;
  const model: Model = manifest.kind === 'sequential'
    ? new Sequential(manifest.sequential!.specs, { seed: manifest.seed, name: manifest.sequential!.name, runtime }, 'loaded')
    : new Seq2Seq({ ...configOptions(manifest.seq2seq!), seed: manifest.seed, runtime });
  return completeModel(model, manifest, (built) => {
    if (manifest.compile !== null) built.compile(manifest.compile as never);
    if (manifest.optimizerState !== null) restoreOptimizers(built, manifest.optimizerState);
    if (built.kind === 'sequential') {
      built.tokenizer = manifest.tokenizer;
      built.scaler = manifest.scaler;
    }
  });
}

function restoreOptimizers(model: Model, state: NonNullable<Manifest['optimizerState']>): void {
  const parts = model.kind === 'sequential' ? { model } : { encoder: model.encoder, decoder: model.decoder };
  for (const [name, part] of Object.entries(parts)) part.optimizer!.setState(state[name]!);
}
