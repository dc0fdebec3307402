import { createJsRuntime, createWasmRuntime, type BackendName, type Runtime } from '../../src/kernels/runtime.js';

/** The backends every layer, model and learning test runs on (tfjs's ALL_ENVS). */
export const BACKENDS: readonly BackendName[] = ['wasm', 'js'];

export function createRuntime(name: BackendName): Runtime {
  return name === 'wasm' ? createWasmRuntime() : createJsRuntime();
}
