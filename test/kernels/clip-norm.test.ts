import { describe, expect, it } from 'vitest';
import { clipByGlobalNorm } from '../../src/kernels/clip-norm.js';
import type { Handle } from '../../src/memory/handle.js';
import { Random } from '../../src/random.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { expectClose } from '../helpers/close.js';

// The scale factor reaches the Wasm kernel as an f32 (one rounding) and each product rounds once.
const SCALED = { abs: 0, rel: 2.01 * 2 ** -24 };
// The norm: f64 sums of exact f64 squares, in another order than the reference.
const NORM = { abs: 0, rel: 1e-12 };

describe.each(BACKENDS)('clipByGlobalNorm on the %s backend', (backend) => {
  const runtime = createRuntime(backend);
  const random = new Random(20261123);

  function buffer(values: ArrayLike<number>): Handle {
    const handle = runtime.arena.alloc(values.length);
    handle.view().set(values);
    return handle;
  }
  const randomValues = (n: number, range: number) => Float32Array.from({ length: n }, () => (2 * random.next() - 1) * range);
  /** The float64 reference norm of the buffers' current f32 contents. */
  const referenceNorm = (handles: Handle[]) => Math.sqrt(handles.reduce((sum, h) => sum + Array.from(h.view()).reduce((s, v) => s + v * v, 0), 0));

  it('scales several buffers by maxNorm / norm when the global norm exceeds maxNorm', () => {
    const handles = [buffer(randomValues(5, 3)), buffer(randomValues(70, 1)), buffer(randomValues(1, 10)), buffer(randomValues(33, 0.01))];
    const before = handles.map((h) => Float64Array.from(h.view()));
    const norm = referenceNorm(handles);
    const maxNorm = norm / 7;
    const returned = clipByGlobalNorm(runtime.kernels, handles, maxNorm);
    expectClose([returned], [norm], NORM, 'returned norm');
    handles.forEach((h, i) => expectClose(h.view(), before[i]!.map((v) => v * (maxNorm / norm)), SCALED, `buffer ${i}`));
    expect(referenceNorm(handles) / maxNorm).toBeCloseTo(1, 6);
  });

  it('leaves the buffers bit-identical when the norm is at or below maxNorm', () => {
    const handles = [buffer(randomValues(9, 1)), buffer(randomValues(4, 1))];
    const before = handles.map((h) => Float32Array.from(h.view()));
    const norm = referenceNorm(handles);
    const computed = clipByGlobalNorm(runtime.kernels, handles, Infinity);
    expectClose([computed], [norm], NORM, 'returned norm');
    expect(clipByGlobalNorm(runtime.kernels, handles, norm * 1.5)).toBe(computed);
    expect(clipByGlobalNorm(runtime.kernels, handles, computed)).toBe(computed); // exactly at the limit
    handles.forEach((h, i) => expect(Float32Array.from(h.view())).toEqual(before[i]));
  });

  it('returns 0 and changes nothing for zero gradients, empty buffers and an empty list', () => {
    const handles = [buffer(new Float32Array(17)), buffer([]), buffer(new Float32Array(3))];
    expect(clipByGlobalNorm(runtime.kernels, handles, 1)).toBe(0);
    for (const h of handles) expect(Array.from(h.view()).every((v) => Object.is(v, 0))).toBe(true);
    expect(clipByGlobalNorm(runtime.kernels, [], 1)).toBe(0);
  });

  it('returns a NaN or infinite norm and leaves the buffers unchanged', () => {
    const finite = buffer([3, 4]);
    const withInfinity = buffer([1, Infinity, 2]);
    const withNaN = buffer([NaN, 1]);
    expect(clipByGlobalNorm(runtime.kernels, [finite, withInfinity], 1)).toBe(Infinity);
    expect(clipByGlobalNorm(runtime.kernels, [finite, withNaN], 1)).toBeNaN();
    expect(Array.from(finite.view())).toEqual([3, 4]);
    expect(Array.from(withInfinity.view())).toEqual([1, Infinity, 2]);
  });

  it('clips with the norm of large gradients computed without f32 overflow', () => {
    const handles = [buffer([3e38, -3e38]), buffer([1e38])];
    const norm = Math.sqrt(2 * Math.fround(3e38) ** 2 + Math.fround(1e38) ** 2);
    const maxNorm = 1e30; // maxNorm / norm stays a normal f32
    expectClose([clipByGlobalNorm(runtime.kernels, handles, maxNorm)], [norm], NORM, 'returned norm');
    expectClose(handles[0]!.view(), [(Math.fround(3e38) * maxNorm) / norm, (-Math.fround(3e38) * maxNorm) / norm], SCALED, 'buffer 0');
  });

  it('rejects a maxNorm that is not a positive number, naming it', () => {
    const h = buffer([1]);
    for (const bad of [0, -1, NaN]) expect(() => clipByGlobalNorm(runtime.kernels, [h], bad)).toThrow(/maxNorm must be a positive number, got/);
  });
});
