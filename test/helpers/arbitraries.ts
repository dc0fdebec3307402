import fc from 'fast-check';

/**
 * Sizes for kernel properties: 1..70, with the SIMD-width edge cases (1, 3, 4, 5, 7, 8, 9) and
 * 2·tile+1 (17 for an 8-wide tile) drawn often, since a tail bug hides at exactly those sizes.
 */
export const size = (max = 70): fc.Arbitrary<number> =>
  fc.oneof({ weight: 1, arbitrary: fc.constantFrom(1, 3, 4, 5, 7, 8, 9, 17) }, { weight: 2, arbitrary: fc.integer({ min: 1, max }) });

/** Like `size` but 0 (an empty input) is legal too. */
export const sizeOrZero = (max = 70): fc.Arbitrary<number> => fc.oneof(fc.constant(0), size(max));

/** `n` finite float32 values in [-range, range]. */
export const floats = (n: number, range = 1): fc.Arbitrary<Float32Array> =>
  fc.array(fc.float({ min: Math.fround(-range), max: Math.fround(range), noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n })
    .map((values) => Float32Array.from(values));

/** Values of mixed magnitude: mostly in [-range, range], some large (±1e4) and some tiny (±1e-6). */
export const mixedFloats = (n: number, range = 1): fc.Arbitrary<Float32Array> =>
  fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -range, max: range, noNaN: true }) },
      { weight: 1, arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }) },
      { weight: 1, arbitrary: fc.double({ min: -1e-6, max: 1e-6, noNaN: true }) },
    ),
    { minLength: n, maxLength: n },
  ).map((values) => Float32Array.from(values));

/** Class ids in [0, classes), with some rows ignored (-1) when `ignore` is set. */
export const classIds = (rows: number, classes: number, ignore = false): fc.Arbitrary<Float32Array> =>
  fc.array(fc.integer({ min: ignore ? -1 : 0, max: classes - 1 }), { minLength: rows, maxLength: rows }).map((ids) => Float32Array.from(ids));
