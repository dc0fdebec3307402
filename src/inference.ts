// The inference-only entry, `wasm-rnn/inference`: what running a trained network needs, without
// the data tools and metrics of the full entry. Saved models load here and run through their own
// methods (`predict`, `generate`, `step` / `resetState`, `translate`); a saved tokenizer or scaler
// is not restored here (the data tools stay out). Model classes keep their training methods, so
// the optimizers and the fit loop come along with them.
export { init, backend } from './kernels/backend.js';
export type { BackendChoice, InitOptions } from './kernels/backend.js';
export type { BackendName } from './kernels/runtime.js';
export { Tensor, tensor } from './tensor.js';
export type { NestedArray, TensorLike } from './tensor.js';
export { WasmRnnError, ShapeError, ValueError, OptionError, StateError } from './errors.js';
export { SimpleRNN } from './layers/simple-rnn.js';
export type { SimpleRNNOptions, Nonlinearity } from './layers/simple-rnn.js';
export { LSTM } from './layers/lstm.js';
export type { LSTMOptions } from './layers/lstm.js';
export { GRU } from './layers/gru.js';
export type { GRUOptions } from './layers/gru.js';
export type { RecurrentOptions, ForwardInputs, RecurrentResult } from './layers/recurrent.js';
export type { GateActivation } from './layers/cell.js';
export type { StateDictValue } from './layers/state-dict.js';
export { loadModel, modelFromJSON } from './io/inference-load.js';
export type { Model, LoadModelOptions } from './io/load-model.js';
export type { ModelJSON } from './io/model-json.js';
export { ModelFileError } from './io/model-file-error.js';
export type { Sequential } from './model/sequential.js';
export type { Seq2Seq } from './model/seq2seq.js';
export type { GenerateTokensOptions, GenerateSeriesOptions, GeneratedTokens } from './model/generate.js';
