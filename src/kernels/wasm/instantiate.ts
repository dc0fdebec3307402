import { instantiateSync } from '@assemblyscript/loader';
import type { Kernels } from '../kernels.js';
import { wasmBase64 } from './binary.generated.js';

/** What the kernel module exports besides the kernels: where its static data ends. */
export interface WasmExports extends Kernels {
  heapBase(): number;
}

let compiled: WebAssembly.Module | null = null;

/** Decodes the embedded release module once; throws if the engine cannot compile it. */
function module(): WebAssembly.Module {
  if (compiled === null) {
    const binary = atob(wasmBase64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

/**
 * The ONE place that instantiates the kernel module. The module imports `memory`, owned by the
 * TS side (src/memory/storage.ts), so every backend view is a view onto the same bytes.
 * Synchronous: the module is small, and Node and workers allow synchronous compilation.
 */
export function instantiateKernels(memory: WebAssembly.Memory): WasmExports {
  const instance = instantiateSync(module(), {
    env: {
      memory,
      abort(_message: number, _file: number, line: number, column: number) {
        throw new Error(`wasm-rnn kernel assertion failed at ${line}:${column} (debug build)`);
      },
    },
  });
  // The raw exports: the loader's demangled view adds string/array helpers a numbers-only ABI never uses.
  return instance.instance.exports as unknown as WasmExports;
}
