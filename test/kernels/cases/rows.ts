import fc from 'fast-check';
import { mixedFloats, size } from '../../helpers/arbitraries.js';
import { EXACT, specials, updateTolerance } from '../../helpers/tolerance.js';
import type { KernelCase } from '../case.js';

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
    tolerance: EXACT,
    toleranceNote: 'both add the rows into db in row order, rounding to f32 after each row',
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
    ...updateTolerance('axpy', 1, 'alpha·x rounds once more than in the twin'),
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
