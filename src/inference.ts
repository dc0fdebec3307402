// The inference-only entry, `wasm-rnn/inference`: what running a trained network needs. Saved
// models load here as model cores (SequentialCore, Seq2SeqCore) and run through their own methods
// (`predict`, `generate`, `step` / `resetState`, `translate`, `stateDict`, `toJSON`). The cores
// import no training code (fit loop, optimizers, losses, callbacks), and the data tools and
// metrics stay out too: a saved tokenizer or scaler is not restored here.
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
export type { InferenceModel as Model } from './io/inference-load.js';
export type { LoadModelOptions } from './io/load-model.js';
export type { ModelJSON } from './io/model-json.js';
export { ModelFileError } from './io/model-file-error.js';
export type { SequentialCore, EvaluateOptions } from './model/sequential-core.js';
export type { Seq2SeqCore } from './model/seq2seq-core.js';
export type { SaveOptions } from './io/model-json.js';
export type { SaveResult } from './io/save-model.js';
export type { GenerateTokensOptions, GenerateSeriesOptions, GeneratedTokens } from './model/generate.js';
