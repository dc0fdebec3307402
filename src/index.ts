export { init, backend } from './kernels/backend.js';
export type { BackendChoice, InitOptions } from './kernels/backend.js';
export type { BackendName } from './kernels/runtime.js';
export { Tensor, tensor } from './tensor.js';
export type { NestedArray, TensorLike } from './tensor.js';
export { WasmRnnError, ShapeError, ValueError, OptionError, StateError } from './errors.js';
