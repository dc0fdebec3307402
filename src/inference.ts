// The inference-only entry, `wasm-rnn/inference`: what running a trained network needs, without
// the data tools, metrics and optimizers of the full entry, so its bundle is smaller.
// When the model level lands, `loadModel`, `predict`, `generate` and `step` are exported here too.
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
