import { readFileSync } from 'node:fs';
import wabtFactory from 'wabt';
import { describe, expect, it } from 'vitest';
import { wasmBase64, wasmRelaxedBase64 } from '../../src/kernels/wasm/binary.generated.js';

const release = readFileSync(new URL('../../build/release.wasm', import.meta.url));
const releaseRelaxed = readFileSync(new URL('../../build/release-relaxed.wasm', import.meta.url));

describe('the release module', () => {
  it('is the module embedded in the library', () => {
    expect(Buffer.from(wasmBase64, 'base64').equals(release)).toBe(true);
  });

  it('contains SIMD instructions and does not validate without the SIMD feature', async () => {
    const wabt = await wabtFactory();
    const withSimd = wabt.readWasm(release, { readDebugNames: false, simd: true });
    withSimd.validate();
    const text = withSimd.toText({});
    for (const op of ['f32x4.mul', 'f32x4.add', 'v128.load', 'v128.store']) expect(text).toContain(op);
    expect(() => wabt.readWasm(release, { readDebugNames: false, simd: false }).validate()).toThrow();
  });
});

describe('the relaxed-SIMD release module', () => {
  it('is the second module embedded in the library', () => {
    expect(Buffer.from(wasmRelaxedBase64, 'base64').equals(releaseRelaxed)).toBe(true);
  });

  it('multiplies-adds with f32x4.relaxed_madd, which the baseline module never uses', async () => {
    const wabt = await wabtFactory();
    const module = wabt.readWasm(releaseRelaxed, { readDebugNames: false, simd: true, relaxed_simd: true });
    module.validate();
    expect(module.toText({})).toContain('f32x4.relaxed_madd');
    expect(wabt.readWasm(release, { readDebugNames: false, simd: true }).toText({})).not.toContain('relaxed');
  });
});
