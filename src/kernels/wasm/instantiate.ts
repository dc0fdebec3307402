import { instantiateSync } from '@assemblyscript/loader';
import { hasWasmRelaxedSimd } from '../detect.js';
import type { Kernels } from '../kernels.js';
import { wasmBase64, wasmRelaxedBase64 } from './binary.generated.js';

/** What the kernel module exports besides the kernels: where its static data ends. */
export interface WasmExports extends Kernels {
  heapBase(): number;
}

/**
 * The two builds of assembly/: 'baseline' needs Wasm SIMD; 'relaxed' also relaxed SIMD, whose
 * f32x4.relaxed_madd makes the GEMM micro-kernel one FMA per multiply-add (~1.4× faster here).
 */
export type WasmBuild = 'baseline' | 'relaxed';

const compiled = new Map<WasmBuild, WebAssembly.Module>();

/** The build this engine runs best: 'relaxed' where it validates relaxed SIMD. */
export function preferredWasmBuild(): WasmBuild {
  return hasWasmRelaxedSimd() ? 'relaxed' : 'baseline';
}

/** Decodes an embedded module once; throws if the engine cannot compile it. */
function module(build: WasmBuild): WebAssembly.Module {
  let found = compiled.get(build);
  if (found === undefined) {
    if (build === 'relaxed' && !hasWasmRelaxedSimd()) {
      throw new Error("wasm-rnn: the 'relaxed' kernel build needs WebAssembly relaxed SIMD, which this engine does not validate (Node 20: run node with --experimental-wasm-relaxed-simd); use the 'baseline' build");
    }
    const binary = atob(build === 'relaxed' ? wasmRelaxedBase64 : wasmBase64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    found = new WebAssembly.Module(bytes);
    compiled.set(build, found);
  }
  return found;
}

/**
 * The ONE place that instantiates the kernel module. The module imports `memory`, owned by the
 * TS side (src/memory/storage.ts), so every backend view is a view onto the same bytes.
 * Synchronous: the module is small, and Node and workers allow synchronous compilation.
 */
export function instantiateKernels(memory: WebAssembly.Memory, build: WasmBuild = preferredWasmBuild()): WasmExports {
  const instance = instantiateSync(module(build), {
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
