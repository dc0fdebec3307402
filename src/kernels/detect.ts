/**
 * The smallest module that uses SIMD: `(func i32.const 0 i8x16.splat drop)`. An engine without
 * Wasm SIMD rejects it in `WebAssembly.validate`. Same bytes as tfjs-backend-wasm's
 * `flags_wasm.ts` (WASM_HAS_SIMD_SUPPORT probe).
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11,
]);

/** True when this engine has WebAssembly with the fixed-width SIMD proposal. */
export function hasWasmSimd(): boolean {
  const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (wasm === undefined || typeof wasm.validate !== 'function') return false;
  try {
    return wasm.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/**
 * The smallest module that uses relaxed SIMD: three `i8x16.splat`s fed to `f32x4.relaxed_madd`,
 * dropped. Engines without the relaxed-SIMD proposal (Node 20 without
 * `--experimental-wasm-relaxed-simd`) reject it in `WebAssembly.validate`.
 */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 20, 1, 18, 0, 65, 0, 253, 15, 65, 0, 253, 15, 65, 0, 253, 15, 253, 133, 2, 26, 11,
]);

/** True when this engine validates the relaxed-SIMD proposal (f32x4.relaxed_madd). */
export function hasWasmRelaxedSimd(): boolean {
  const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (wasm === undefined || typeof wasm.validate !== 'function') return false;
  try {
    return wasm.validate(RELAXED_SIMD_PROBE);
  } catch {
    return false;
  }
}
