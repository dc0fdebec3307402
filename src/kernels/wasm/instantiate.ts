import { instantiateSync } from '@assemblyscript/loader';
import type { Kernels } from '../kernels.js';
import { wasmBase64, wasmRelaxedBase64 } from './binary.generated.js';
import { embeddedModules, kernelImports, preferredWasmBuild, type WasmBuild } from './embedded-module.js';

export { preferredWasmBuild, type WasmBuild } from './embedded-module.js';

/** What the kernel module exports besides the kernels: where its static data ends. */
export interface WasmExports extends Kernels {
  heapBase(): number;
}

/** Decodes an embedded module once; throws if the engine cannot compile it. */
const module = embeddedModules({ baseline: wasmBase64, relaxed: wasmRelaxedBase64 });

/**
 * The ONE place that instantiates the full kernel module (the inference bundle runs
 * instantiate-forward.ts in its place, see rollup.config.mjs). The module imports `memory`, owned
 * by the TS side (src/memory/storage.ts), so every backend view is a view onto the same bytes.
 * Synchronous: the module is small, and Node and workers allow synchronous compilation.
 */
export function instantiateKernels(memory: WebAssembly.Memory, build: WasmBuild = preferredWasmBuild()): WasmExports {
  const instance = instantiateSync(module(build), kernelImports(memory));
  // The raw exports: the loader's demangled view adds string/array helpers a numbers-only ABI never uses.
  return instance.instance.exports as unknown as WasmExports;
}
