import type { WasmBuild } from '../wasm/instantiate.js';
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

const compiled = new Map<WasmBuild, WebAssembly.Module>();

/** Decodes and compiles one build once; workers receive the compiled Module, not the bytes. */
export function sharedModule(build: WasmBuild): WebAssembly.Module {
  let found = compiled.get(build);
  if (found === undefined) {
    const binary = atob(build === 'relaxed' ? wasmRelaxedSharedBase64 : wasmSharedBase64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    found = new WebAssembly.Module(bytes);
    compiled.set(build, found);
  }
  return found;
}

/** The main thread's instance on the shared memory (workers instantiate in worker-source.ts). */
export function instantiateShared(module: WebAssembly.Module, memory: WebAssembly.Memory): SharedWasmExports {
  const instance = new WebAssembly.Instance(module, {
    env: {
      memory,
      abort(_message: number, _file: number, line: number, column: number) {
        throw new Error(`wasm-rnn kernel assertion failed at ${line}:${column} (debug build)`);
      },
    },
  });
  return instance.exports as unknown as SharedWasmExports;
}
