import { configOptions } from '../model/seq2seq-config.js';
import { Seq2SeqCore } from '../model/seq2seq-core.js';
import { SequentialCore } from '../model/sequential-core.js';
import { completeModel, loadModelWith, modelFromJSONWith, type LoadModelOptions } from './load-model.js';
import type { ModelJSON } from './model-json.js';
import type { Manifest } from './model-json-read.js';

/*
 * loadModel and modelFromJSON of the inference entry (`wasm-rnn/inference`). They check a document
 * exactly as the full entry does, then build the model cores (SequentialCore, Seq2SeqCore), which
 * run but do not train: the compile block and optimizer state are checked and left out (a core
 * cannot compile, so its toJSON writes `compile: null`), and so are a saved tokenizer and scaler
 * (the data tools stay out of this entry; `model.tokenizer` and `model.scaler` stay null: pass
 * token ids to generate). The full entry's loadModel restores all of it.
 */

/** What the inference entry's loadModel gives: tell them apart with `model.kind`. */
export type InferenceModel = SequentialCore | Seq2SeqCore;

/** As the full entry's modelFromJSON, building a model core. */
export function modelFromJSON(json: ModelJSON | object | string, options: LoadModelOptions = {}): InferenceModel {
  return modelFromJSONWith(null, buildCore, json, options);
}

/** As the full entry's loadModel, building a model core. */
export function loadModel(source: string | URL | ModelJSON | object, options: LoadModelOptions = {}): Promise<InferenceModel> {
  return loadModelWith(null, buildCore, source, options);
}

function buildCore(manifest: Manifest, options: LoadModelOptions): InferenceModel {
  const { runtime } = options;
  const model: InferenceModel = manifest.kind === 'sequential'
    ? new SequentialCore(manifest.sequential!.specs, { seed: manifest.seed, name: manifest.sequential!.name, runtime }, 'loaded')
    : new Seq2SeqCore({ ...configOptions(manifest.seq2seq!), seed: manifest.seed, runtime });
  return completeModel(model, manifest);
}
