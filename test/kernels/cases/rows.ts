import fc from 'fast-check';
import type { KernelName } from '../../../src/kernels/kernels.js';
import { twins } from '../../../src/kernels/js/index.js';
import { mixedFloats, size } from '../../helpers/arbitraries.js';
import type { Tolerance } from '../../helpers/close.js';
import type { KernelCall } from '../call.js';
import type { KernelCase } from '../case.js';

// ---- Tolerance helpers shared by the case files of the pointwise, loss, clip and optimizer kernels.

/** f32 unit roundoff: one rounded f32 operation is off by at most this, relatively (normal range). */
export const F32_ROUNDOFF = 2 ** -24;
/** Smallest f32 denormal: the absolute error floor of any result that underflows. */
export const F32_DENORMAL = 2 ** -149;
/** Same bits in both backends. The kernel does one IEEE operation per element (or the same operations in the same order as the twin), and a single f32 operation equals the double result rounded to f32. */
export const EXACT: Tolerance = { abs: 0, rel: 0 };
/**
 * Final rounding of an accumulated output, in the kernel (f32) and in the twin (double stored
 * to f32): 2u, plus slack for the twin's double rounding (53 then 24 bits).
 */
export const TWO_ROUNDINGS = 2.01 * F32_ROUNDOFF;

/** Largest |v| over the arrays, ignoring NaN and ±Infinity (0 for none). */
export function maxAbs(...arrays: ArrayLike<number>[]): number {
  let largest = 0;
  for (const values of arrays) {
    for (let i = 0; i < values.length; i++) {
      const v = Math.abs(values[i]!);
      if (Number.isFinite(v) && v > largest) largest = v;
    }
  }
  return largest;
}

/**
 * The size of what an updating kernel adds to its outputs: the largest finite |after − before|
 * over the call's outputs when the TS twin runs it in float64. A kernel that rounds k times while
 * forming that update is off by at most about k·u·size from the twin (plus the final rounding).
 */
export function updateSize(kernel: KernelName, call: KernelCall): number {
  const offsets = new Map<string, number>();
  let length = 4; // element 0 stays unused: offset 0 means "no buffer"
  for (const [name, values] of Object.entries(call.buffers)) {
    offsets.set(name, length);
    length += values.length + 4;
  }
  const heap = new Float64Array(length);
  for (const [name, values] of Object.entries(call.buffers)) heap.set(values, offsets.get(name));
  const before = heap.slice();
  const args = call.args.map((arg) => (typeof arg === 'number' ? arg : offsets.get(arg)! * 4));
  (twins[kernel] as (...a: unknown[]) => unknown)(heap, ...args);
  let largest = 0;
  for (const name of call.outputs) {
    const start = offsets.get(name)!;
    for (let i = start; i < start + call.buffers[name]!.length; i++) {
      const d = Math.abs(heap[i]! - before[i]!);
      if (Number.isFinite(d) && d > largest) largest = d;
    }
  }
  return largest;
}

/**
 * Tolerance of a kernel that forms an update with `roundings` f32 roundings and adds it to its
 * outputs: `roundings`·u of the update's size, plus both final roundings and a denormal floor.
 */
export function updateTolerance(kernel: KernelName, roundings: number): (call: KernelCall) => Tolerance {
  return (call) => ({ abs: (roundings + 0.01) * F32_ROUNDOFF * updateSize(kernel, call) + 2 * F32_DENORMAL, rel: TWO_ROUNDINGS });
}

/** Values every pointwise case runs through: signed zeros, infinities, NaN, extremes, denormals. */
export const SPECIAL_VALUES = Float32Array.from([0, -0, Infinity, -Infinity, NaN, 1, -1, 3.4e38, -3.4e38, 1e-45, -1e-45, 1.17549435e-38]);

/** `n` copies of the special values, cycled (so every value lands in the SIMD body and in the tail). */
export function specials(n: number, values: Float32Array = SPECIAL_VALUES): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => values[i % values.length]!);
}

// ---- rows.ts kernels

const f32Scalar = (range: number): fc.Arbitrary<number> =>
  fc.float({ min: Math.fround(-range), max: Math.fround(range), noNaN: true, noDefaultInfinity: true });

const matrix = (rows: number, cols: number): fc.Arbitrary<Float32Array> => mixedFloats(rows * cols, 10);

export const rowsCases: KernelCase[] = [
  {
    kernel: 'addRowVector',
    calls: fc.tuple(size(), size()).chain(([rows, cols]) =>
      fc.record({ y: matrix(rows, cols), b: mixedFloats(cols, 10) }).map((buffers) => ({ buffers, args: ['y', 'b', rows, cols], outputs: ['y'] })),
    ),
    tolerance: EXACT,
    domain: 'mixed magnitudes: mostly ±10, some ±1e4 and ±1e-6; rows, cols 1..70',
    special: [
      { buffers: { y: specials(15), b: specials(5).reverse() }, args: ['y', 'b', 3, 5], outputs: ['y'] },
      { buffers: { y: new Float32Array(0), b: specials(4) }, args: ['y', 'b', 0, 4], outputs: ['y'] },
    ],
  },
  {
    kernel: 'sumRows',
    calls: fc.tuple(size(), size()).chain(([rows, cols]) =>
      fc.record({ db: mixedFloats(cols, 10), x: matrix(rows, cols) }).map((buffers) => ({ buffers, args: ['db', 'x', rows, cols], outputs: ['db'] })),
    ),
    tolerance: EXACT, // both add the rows into db in row order, rounding to f32 after each row
    domain: 'mixed magnitudes: mostly ±10, some ±1e4 and ±1e-6; rows, cols 1..70',
    special: [
      { buffers: { db: specials(7), x: specials(21).reverse() }, args: ['db', 'x', 3, 7], outputs: ['db'] },
      { buffers: { db: Float32Array.of(1, 2, 3), x: new Float32Array(0) }, args: ['db', 'x', 0, 3], outputs: ['db'] },
    ],
  },
  {
    kernel: 'fill',
    calls: fc.tuple(size(), f32Scalar(1e4)).chain(([n, value]) =>
      mixedFloats(n, 10).map((x) => ({ buffers: { x }, args: ['x', value, n], outputs: ['x'] })),
    ),
    tolerance: EXACT,
    domain: 'any f32 value; n 1..70',
    special: [
      { buffers: { x: specials(9) }, args: ['x', -0, 9], outputs: ['x'] },
      { buffers: { x: specials(9) }, args: ['x', NaN, 9], outputs: ['x'] },
      { buffers: { x: specials(9) }, args: ['x', 0.1, 9], outputs: ['x'] }, // not an f32: both store fround(0.1)
      { buffers: { x: specials(3) }, args: ['x', 7, 0], outputs: ['x'] },
    ],
  },
  {
    kernel: 'copy',
    calls: size().chain((n) =>
      fc.record({ dst: mixedFloats(n, 10), src: mixedFloats(n, 10) }).map((buffers) => ({ buffers, args: ['dst', 'src', n], outputs: ['dst'] })),
    ),
    tolerance: EXACT,
    domain: 'any f32 values (NaN payloads aside); n 1..70',
    special: [
      { buffers: { dst: new Float32Array(13), src: specials(13) }, args: ['dst', 'src', 13], outputs: ['dst'] },
      { buffers: { x: specials(13) }, args: ['x', 'x', 13], outputs: ['x'] }, // dst = src
      { buffers: { dst: specials(4), src: new Float32Array(4) }, args: ['dst', 'src', 0], outputs: ['dst'] },
    ],
  },
  {
    kernel: 'copyRows',
    calls: fc.tuple(size(20), size(), fc.nat(5), fc.nat(5)).chain(([rows, cols, padDst, padSrc]) =>
      fc.record({ dst: mixedFloats(rows * (cols + padDst), 10), src: mixedFloats(rows * (cols + padSrc), 10) }).map((buffers) => ({
        buffers,
        args: ['dst', 'src', rows, cols, cols + padDst, cols + padSrc],
        outputs: ['dst'], // the padding between rows must stay as it was
      })),
    ),
    tolerance: EXACT,
    domain: 'rows 1..20, cols 1..70, row strides cols..cols+5',
    special: [
      { buffers: { dst: new Float32Array(12), src: specials(12) }, args: ['dst', 'src', 3, 3, 4, 4], outputs: ['dst'] },
      { buffers: { dst: specials(6), src: new Float32Array(6) }, args: ['dst', 'src', 3, 0, 2, 2], outputs: ['dst'] },
      { buffers: { dst: specials(6), src: new Float32Array(6) }, args: ['dst', 'src', 0, 2, 2, 2], outputs: ['dst'] },
    ],
  },
  {
    kernel: 'axpy',
    calls: fc.tuple(size(), f32Scalar(100)).chain(([n, alpha]) =>
      fc.record({ y: mixedFloats(n, 10), x: mixedFloats(n, 10) }).map((buffers) => ({ buffers, args: ['y', 'x', n, alpha], outputs: ['y'] })),
    ),
    tolerance: updateTolerance('axpy', 1), // alpha·x rounds once more than in the twin
    domain: 'x, y mixed magnitudes (±10, some ±1e4, ±1e-6); alpha ±100; n 1..70',
    special: [
      { buffers: { y: specials(12), x: specials(12).reverse() }, args: ['y', 'x', 12, 2], outputs: ['y'] },
      { buffers: { y: specials(12), x: specials(12) }, args: ['y', 'x', 12, 0], outputs: ['y'] }, // 0·Inf = NaN in both
      { buffers: { y: specials(3), x: specials(3) }, args: ['y', 'x', 0, 1], outputs: ['y'] },
    ],
  },
  {
    kernel: 'scale',
    calls: fc.tuple(size(), f32Scalar(100)).chain(([n, alpha]) => mixedFloats(n, 10).map((x) => ({ buffers: { x }, args: ['x', n, alpha], outputs: ['x'] }))),
    tolerance: EXACT,
    domain: 'x mixed magnitudes; alpha ±100; n 1..70 (in place)',
    special: [
      { buffers: { x: specials(12) }, args: ['x', 12, -0.5], outputs: ['x'] },
      { buffers: { x: specials(12) }, args: ['x', 12, Infinity], outputs: ['x'] },
      { buffers: { x: specials(12) }, args: ['x', 12, 0], outputs: ['x'] },
      { buffers: { x: specials(3) }, args: ['x', 0, 2], outputs: ['x'] },
    ],
  },
  {
    kernel: 'hadamard',
    calls: size().chain((n) =>
      fc.record({ z: mixedFloats(n, 10), x: mixedFloats(n, 10), y: mixedFloats(n, 10) }).map((buffers) => ({ buffers, args: ['z', 'x', 'y', n], outputs: ['z'] })),
    ),
    tolerance: EXACT,
    domain: 'mixed magnitudes: mostly ±10, some ±1e4 and ±1e-6; n 1..70',
    special: [
      { buffers: { z: new Float32Array(12), x: specials(12), y: specials(12).reverse() }, args: ['z', 'x', 'y', 12], outputs: ['z'] },
      { buffers: { x: specials(12), y: specials(12).reverse() }, args: ['x', 'x', 'y', 12], outputs: ['x'] }, // z = x
      { buffers: { x: specials(12), y: specials(12).reverse() }, args: ['y', 'x', 'y', 12], outputs: ['y'] }, // z = y
      { buffers: { x: specials(13) }, args: ['x', 'x', 'x', 13], outputs: ['x'] }, // z = x = y: squares
      { buffers: { z: specials(3), x: specials(3), y: specials(3) }, args: ['z', 'x', 'y', 0], outputs: ['z'] },
    ],
  },
];
