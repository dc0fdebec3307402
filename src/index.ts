export { init, backend } from './kernels/backend.js';
export type { BackendChoice, InitOptions } from './kernels/backend.js';
export type { BackendName } from './kernels/runtime.js';
