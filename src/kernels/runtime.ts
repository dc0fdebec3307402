import { Arena } from '../memory/arena.js';
import { ArrayStorage, WasmStorage } from '../memory/storage.js';
import { createJsKernels } from './js/index.js';
import type { Kernels } from './kernels.js';
import { instantiateKernels, preferredWasmBuild, type WasmBuild, type WasmExports } from './wasm/instantiate.js';

export type BackendName = 'wasm' | 'js';

/** A backend's kernels together with the heap they read: everything a layer computes with. */
export interface Runtime {
  readonly name: BackendName;
  readonly kernels: Kernels;
  readonly arena: Arena;
  /** Wasm backend: which build of the kernel module runs (see wasm/instantiate.ts). */
  readonly wasmBuild?: WasmBuild;
}

/** Initial heap: 4 MiB, grown by the arena on demand. */
const INITIAL_PAGES = 64;

/**
 * `build` defaults to the fastest build the engine validates; benches and tests may pin one.
 * `instantiate` picks the kernel module: the full one, or (tests of the inference entry)
 * instantiate-forward.ts's forward-only one, which the inference bundle always runs.
 */
export function createWasmRuntime(build: WasmBuild = preferredWasmBuild(), instantiate: (memory: WebAssembly.Memory, build: WasmBuild) => WasmExports = instantiateKernels): Runtime {
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES });
  const exports = instantiate(memory, build);
  const storage = new WasmStorage(memory);
  return { name: 'wasm', kernels: exports, arena: new Arena(storage, exports.heapBase()), wasmBuild: build };
}

/**
 * The pure-TS backend. `float64: true` runs every kernel in double precision; gradient checks
 * use it to compare analytic gradients with finite differences.
 */
export function createJsRuntime(options: { float64?: boolean } = {}): Runtime {
  const storage = new ArrayStorage(INITIAL_PAGES * 65536, options.float64 ?? false);
  // Byte 0 stays unused so that offset 0 can mean "no buffer" in kernel arguments.
  return { name: 'js', kernels: createJsKernels(storage), arena: new Arena(storage, 16) };
}
