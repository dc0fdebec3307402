import { describe, expect, it } from 'vitest';
import { hasWasmRelaxedSimd } from '../../src/kernels/detect.js';
import { createWasmRuntime } from '../../src/kernels/runtime.js';

describe('the Wasm build selection', () => {
  it('runs the relaxed-SIMD build exactly where the engine validates relaxed SIMD', () => {
    expect(createWasmRuntime().wasmBuild).toBe(hasWasmRelaxedSimd() ? 'relaxed' : 'baseline');
  });

  it('runs the baseline build when asked, on any SIMD engine', () => {
    const runtime = createWasmRuntime('baseline');
    expect(runtime.wasmBuild).toBe('baseline');
    expect(runtime.name).toBe('wasm');
  });

  it.skipIf(hasWasmRelaxedSimd())('refuses the relaxed build with a clear error where relaxed SIMD is missing', () => {
    expect(() => createWasmRuntime('relaxed')).toThrow(/relaxed SIMD.*--experimental-wasm-relaxed-simd/);
  });
});
