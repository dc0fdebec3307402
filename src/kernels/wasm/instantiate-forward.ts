import { refuseTrainingKernels, type ForwardKernels } from '../forward-kernels.js';
import { embeddedModules, kernelImports, preferredWasmBuild, type WasmBuild } from './embedded-module.js';
import { wasmForwardBase64, wasmRelaxedForwardBase64 } from './forward-binary.generated.js';
import type { WasmExports } from './instantiate.js';

export { preferredWasmBuild, type WasmBuild } from './embedded-module.js';
export type { WasmExports } from './instantiate.js';

/** The forward-only module's exports (assembly/inference.ts). */
export interface ForwardWasmExports extends ForwardKernels {
  heapBase(): number;
}

const module = embeddedModules({ baseline: wasmForwardBase64, relaxed: wasmRelaxedForwardBase64 });

/**
 * Instantiates the forward-only module on `memory`. A numbers-only ABI needs nothing from
 * @assemblyscript/loader, so this is plain `WebAssembly.Instance` and the inference bundle does not
 * carry the loader.
 */
export function instantiateForwardKernels(memory: WebAssembly.Memory, build: WasmBuild = preferredWasmBuild()): ForwardWasmExports {
  return new WebAssembly.Instance(module(build), kernelImports(memory)).exports as unknown as ForwardWasmExports;
}

/**
 * instantiate.ts's `instantiateKernels` for the inference bundle, which resolves every import of
 * instantiate.ts to this file (rollup.config.mjs): the same signature over the forward-only module,
 * whose training kernels throw (refuseTrainingKernels).
 */
export function instantiateKernels(memory: WebAssembly.Memory, build: WasmBuild = preferredWasmBuild()): WasmExports {
  const forward = instantiateForwardKernels(memory, build);
  return { ...refuseTrainingKernels(forward), heapBase: forward.heapBase };
}
