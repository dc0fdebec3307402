import { existsSync } from 'node:fs';
import { Sequential, WasmRnnError, loadModel } from '../index.js';
import type { OptionReader } from './args.js';

/** The sequential model saved at `--model <file>`; a missing or unreadable file is a usage error. */
export async function loadSequential(options: OptionReader): Promise<Sequential> {
  const path = options.required('model', 'model.json');
  if (!existsSync(path)) throw options.fail(`--model: there is no file '${path}'; train one with 'wasm-rnn train … --out ${path}'`);
  let model;
  try {
    model = await loadModel(path);
  } catch (error) {
    if (error instanceof WasmRnnError) throw options.fail(`--model ${path} is not a model this version can read: ${error.message}`);
    throw error;
  }
  if (!(model instanceof Sequential)) {
    model.dispose();
    throw options.fail(`--model ${path} is an encoder–decoder (seq2seq); the CLI predicts and generates with sequential models`);
  }
  return model;
}

/** True for a model that reads token ids (an embedding first) and carries its tokenizer. */
export function isTokenModel(model: Sequential): boolean {
  return model.layers[0]!.spec.className === 'Embedding';
}
