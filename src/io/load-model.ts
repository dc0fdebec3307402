import { OptionError, ValueError, checkOptionNames, describe } from '../errors.js';
import type { Runtime } from '../kernels/runtime.js';
import type { ModelCore } from '../model/model-core.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import type { Sequential } from '../model/sequential.js';
import { nodeFileSystem } from './atomic-write.js';
import { readManifest, type DataReaders, type Manifest } from './model-json-read.js';

/*
 * Loading, shared by the full entry (save-load.ts, which restores tokenizers and scalers) and the
 * inference entry (inference-load.ts, which has no data tools and leaves them out).
 */

/** What loading gives: tell them apart with `model.kind` ('sequential' | 'seq2seq'). */
export type Model = Sequential | Seq2Seq;

/**
 * Turns a checked document into a model: buildModel (save-load.ts, the full entry) or buildCore
 * (inference-load.ts). Kept out of this file so that the inference entry, which imports it, does
 * not reach the training classes.
 */
export type ModelBuilder<M> = (manifest: Manifest, options: LoadModelOptions) => M;

export interface LoadModelOptions {
  /** Kernels and arena to build the model on. Default: the global backend. */
  runtime?: Runtime;
}

export function modelFromJSONWith<M>(data: DataReaders | null, build: ModelBuilder<M>, json: unknown, options: LoadModelOptions): M {
  return build(readManifest('modelFromJSON', json, data), readLoadOptions('modelFromJSON', options));
}

export async function loadModelWith<M>(data: DataReaders | null, build: ModelBuilder<M>, source: unknown, options: LoadModelOptions): Promise<M> {
  const settings = readLoadOptions('loadModel', options);
  const isText = typeof source === 'string' && source.trimStart().startsWith('{');
  if (!(typeof source === 'string' || source instanceof URL) || isText) return build(readManifest('loadModel', source, data), settings);
  const where = `loadModel(${String(source)})`;
  const fs = await nodeFileSystem(where);
  let text: string;
  try {
    text = await fs.readFile(source, 'utf8');
  } catch (cause) {
    throw new ValueError(`${where}: cannot read the file: ${(cause as Error).message}`, { cause });
  }
  return build(readManifest(where, text, data), settings);
}

function readLoadOptions(where: string, options: LoadModelOptions): LoadModelOptions {
  if (typeof options !== 'object' || options === null) throw new OptionError(`${where}: options must be an object, got ${describe(options)}`);
  checkOptionNames(where, options, ['runtime']);
  return options;
}

/**
 * Loads a freshly built model's weights and training metadata from the manifest, with `finish` in
 * between (the full entry: compile settings, optimizer state, tokenizer, scaler). Anything that
 * throws disposes the model first, so a refused file leaves no arena memory behind.
 */
export function completeModel<M extends ModelCore & { loadStateDict(dict: Manifest['weights']): void }>(model: M, manifest: Manifest, finish: (model: M) => void = () => {}): M {
  try {
    model.loadStateDict(manifest.weights);
    finish(model);
    model.epochsTrained = manifest.epochs;
    model.lastLogs = manifest.lastLogs;
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}
