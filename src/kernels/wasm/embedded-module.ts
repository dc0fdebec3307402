import { hasWasmRelaxedSimd } from '../detect.js';

/**
 * The two builds of every kernel module: 'baseline' needs Wasm SIMD; 'relaxed' also relaxed SIMD,
 * whose f32x4.relaxed_madd makes the GEMM micro-kernel one FMA per multiply-add (~1.4× faster here).
 */
export type WasmBuild = 'baseline' | 'relaxed';

/** The build this engine runs best: 'relaxed' where it validates relaxed SIMD. */
export function preferredWasmBuild(): WasmBuild {
  return hasWasmRelaxedSimd() ? 'relaxed' : 'baseline';
}

/** Compiles an embedded (base64) module of `build`; throws if the engine cannot run that build. */
export function compileEmbedded(build: WasmBuild, base64: string): WebAssembly.Module {
  if (build === 'relaxed' && !hasWasmRelaxedSimd()) {
    throw new Error("wasm-rnn: the 'relaxed' kernel build needs WebAssembly relaxed SIMD, which this engine does not validate (Node 20: run node with --experimental-wasm-relaxed-simd); use the 'baseline' build");
  }
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new WebAssembly.Module(bytes);
}

/**
 * Per-build getter of an embedded module (base64 per build), decoding and compiling each build
 * once, on first use.
 */
export function embeddedModules(base64: Record<WasmBuild, string>): (build: WasmBuild) => WebAssembly.Module {
  const compiled = new Map<WasmBuild, WebAssembly.Module>();
  return (build) => {
    let found = compiled.get(build);
    if (found === undefined) {
      found = compileEmbedded(build, base64[build]);
      compiled.set(build, found);
    }
    return found;
  };
}

/** The imports of a kernel module: the TS-owned heap, and `abort` for the debug build's assertions. */
export function kernelImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort(_message: number, _file: number, line: number, column: number) {
        throw new Error(`wasm-rnn kernel assertion failed at ${line}:${column} (debug build)`);
      },
    },
  };
}
