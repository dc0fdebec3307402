import { embeddedModules, kernelImports } from '../wasm/embedded-module.js';
import type { WasmExports } from '../wasm/instantiate.js';
import { wasmRelaxedSharedBase64, wasmSharedBase64 } from './binary.generated.js';

/**
 * The kernel module built over a shared memory (asconfig targets `release-shared` and
 * `release-relaxed-shared`, entry assembly/threads.ts): the kernels of wasm/instantiate.ts plus
 * the two exports a thread needs for its own scratch. This is the shared-memory twin of
 * wasm/instantiate.ts, used only by the threaded runtime and, through the compiled Module it
 * posts, by its workers.
 */
export interface SharedWasmExports extends WasmExports {
  /** Moves this instance's GEMM scratch to `base` (64-byte aligned, `scratchBytes()` long). */
  setScratchBase(base: number): void;
  scratchBytes(): number;
}

/** Largest shared memory: the 4 GiB the build declares (asconfig `maximumMemory`) and the arena allows. */
export const MAX_SHARED_PAGES = 65536;

/** Decodes and compiles one build once; workers receive the compiled Module, not the bytes. */
export const sharedModule = embeddedModules({ baseline: wasmSharedBase64, relaxed: wasmRelaxedSharedBase64 });

/** The main thread's instance on the shared memory (workers instantiate in worker-source.ts). */
export function instantiateShared(module: WebAssembly.Module, memory: WebAssembly.Memory): SharedWasmExports {
  const instance = new WebAssembly.Instance(module, kernelImports(memory));
  return instance.exports as unknown as SharedWasmExports;
}
