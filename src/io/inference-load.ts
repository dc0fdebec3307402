import { loadModelWith, modelFromJSONWith, type LoadModelOptions, type Model } from './load-model.js';
import type { ModelJSON } from './model-json.js';

/*
 * loadModel and modelFromJSON of the inference entry (`wasm-rnn/inference`), which does not ship
 * the data tools: a saved tokenizer or scaler is checked but not restored (`model.tokenizer` and
 * `model.scaler` stay null; pass token ids to generate). The full entry restores them.
 */

/** As the full entry's modelFromJSON, without restoring a tokenizer or scaler. */
export function modelFromJSON(json: ModelJSON | object | string, options: LoadModelOptions = {}): Model {
  return modelFromJSONWith(null, json, options);
}

/** As the full entry's loadModel, without restoring a tokenizer or scaler. */
export function loadModel(source: string | URL | ModelJSON | object, options: LoadModelOptions = {}): Promise<Model> {
  return loadModelWith(null, source, options);
}
