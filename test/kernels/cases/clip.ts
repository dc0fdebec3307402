import fc from 'fast-check';
import { mixedFloats, size } from '../../helpers/arbitraries.js';
import { EXACT, f64SumTolerance, specials, SPECIAL_VALUES } from '../../helpers/tolerance.js';
import type { KernelCase } from '../case.js';

/** Finite values with NaN and ±Infinity mixed in (about one in six). */
const withNonFinite = (n: number): fc.Arbitrary<Float32Array> =>
  fc.array(fc.oneof({ weight: 5, arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) }), {
    minLength: n,
    maxLength: n,
  }).map((values) => Float32Array.from(values));

const bounds = fc
  .tuple(fc.float({ min: -10, max: 10, noNaN: true }), fc.float({ min: -10, max: 10, noNaN: true }))
  .map(([a, b]): [number, number] => (a <= b ? [a, b] : [b, a]));

export const clipCases: KernelCase[] = [
  {
    kernel: 'sumOfSquares',
    calls: fc.oneof(size(), fc.integer({ min: 71, max: 5000 })).chain((n) =>
      mixedFloats(n, 10).map((x) => ({ buffers: { x }, args: ['x', n], outputs: [] })),
    ),
    ...f64SumTolerance(1, 'squares of f32 values are exact in f64; only the order of the f64 additions differs'),
    domain: 'mixed magnitudes (±10, some ±1e4 and ±1e-6); n 1..5000',
    special: [
      { buffers: { x: Float32Array.of(3.4e38, -3.4e38, 1e-45, 0, -0) }, args: ['x', 5], outputs: [] }, // 2.3e77: finite in f64
      { buffers: { x: specials(13) }, args: ['x', 13], outputs: [] }, // ±Infinity and NaN → NaN
      { buffers: { x: Float32Array.of(1, 2, Infinity, 4, 5) }, args: ['x', 5], outputs: [] },
      { buffers: { x: Float32Array.of(1, 2) }, args: ['x', 0], outputs: [] },
    ],
  },
  {
    kernel: 'clipByValue',
    calls: fc.tuple(size(), bounds).chain(([n, [lo, hi]]) => withNonFinite(n).map((x) => ({ buffers: { x }, args: ['x', n, lo, hi], outputs: ['x'] }))),
    tolerance: EXACT,
    domain: 'x in ±1e4 with NaN and ±Infinity; lo ≤ hi in ±10',
    special: [
      { buffers: { x: specials(13) }, args: ['x', 13, -1, 1], outputs: ['x'] }, // NaN stays NaN
      { buffers: { x: specials(13) }, args: ['x', 13, -0, 0], outputs: ['x'] },
      { buffers: { x: specials(13) }, args: ['x', 13, 0.5, 0.5], outputs: ['x'] },
      { buffers: { x: specials(13) }, args: ['x', 13, -Infinity, Infinity], outputs: ['x'] },
      { buffers: { x: specials(3) }, args: ['x', 0, -1, 1], outputs: ['x'] },
    ],
  },
  {
    kernel: 'countNonFinite',
    calls: fc.oneof(size(), fc.integer({ min: 71, max: 5000 })).chain((n) => withNonFinite(n).map((x) => ({ buffers: { x }, args: ['x', n], outputs: [] }))),
    tolerance: EXACT,
    domain: 'x in ±1e4 with NaN and ±Infinity (about one in six); n 1..5000',
    special: [
      { buffers: { x: specials(4 * SPECIAL_VALUES.length + 3) }, args: ['x', 4 * SPECIAL_VALUES.length + 3], outputs: [] },
      { buffers: { x: Float32Array.of(3.4e38, -3.4e38, 1e-45) }, args: ['x', 3], outputs: [] },
      { buffers: { x: Float32Array.of(NaN, NaN) }, args: ['x', 0], outputs: [] },
    ],
  },
];
