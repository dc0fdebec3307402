import { OptionError, ValueError, checkOptionNames, describe } from '../errors.js';
import type { Runtime } from '../kernels/runtime.js';
import { Seq2Seq } from '../model/seq2seq.js';
import { configOptions } from '../model/seq2seq-config.js';
import { Sequential } from '../model/sequential.js';
import { nodeFileSystem } from './atomic-write.js';
import { readManifest, type DataReaders, type Manifest } from './model-json-read.js';

/*
 * Loading, shared by the full entry (save-load.ts, which restores tokenizers and scalers) and the
 * inference entry (inference-load.ts, which has no data tools and leaves them out).
 */

/** What loading gives: tell them apart with `model.kind` ('sequential' | 'seq2seq'). */
export type Model = Sequential | Seq2Seq;

export interface LoadModelOptions {
  /** Kernels and arena to build the model on. Default: the global backend. */
  runtime?: Runtime;
}

export function modelFromJSONWith(data: DataReaders | null, json: unknown, options: LoadModelOptions): Model {
  return build(readManifest('modelFromJSON', json, data), readLoadOptions('modelFromJSON', options));
}

export async function loadModelWith(data: DataReaders | null, source: unknown, options: LoadModelOptions): Promise<Model> {
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

function build(manifest: Manifest, options: LoadModelOptions): Model {
  const { runtime } = options;
  const model: Model = manifest.kind === 'sequential'
    ? new Sequential(manifest.sequential!.specs, { seed: manifest.seed, name: manifest.sequential!.name, runtime })
    : new Seq2Seq({ ...configOptions(manifest.seq2seq!), seed: manifest.seed, runtime });
  try {
    model.loadStateDict(manifest.weights);
    if (manifest.compile !== null) model.compile(manifest.compile as never);
    if (manifest.optimizerState !== null) restoreOptimizers(model, manifest.optimizerState);
    if (model.kind === 'sequential') {
      model.tokenizer = manifest.tokenizer;
      model.scaler = manifest.scaler;
    }
    model.epochsTrained = manifest.epochs;
    model.lastLogs = manifest.lastLogs;
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

function restoreOptimizers(model: Model, state: NonNullable<Manifest['optimizerState']>): void {
  const parts = model.kind === 'sequential' ? { model } : { encoder: model.encoder, decoder: model.decoder };
  for (const [name, part] of Object.entries(parts)) part.optimizer!.setState(state[name]!);
}
