import fc from 'fast-check';
import type { KernelName } from '../../../src/kernels/kernels.js';
import { floats, mixedFloats, size } from '../../helpers/arbitraries.js';
import type { Tolerance } from '../../helpers/close.js';
import { EXACT, F32_DENORMAL, F32_ROUNDOFF, maxAbs, specials, SPECIAL_VALUES, TWO_ROUNDINGS, updateTolerance } from '../../helpers/tolerance.js';
import type { KernelCall } from '../call.js';
import type { CaseTolerance, KernelCase } from '../case.js';

/**
 * Max relative error of assembly/approx.ts against Math in double, measured over EVERY f32 with
 * 2^-30 ≤ |x| < 128 (results in the normal f32 range; below it, within one denormal step). Worst
 * points: exp 8.155e-8 at x = 15.5968; tanh 1.424e-7 at 0.62831; sigmoid 1.783e-7 at −5.87816.
 * test/kernels/approx.test.ts re-measures a dense sweep and fails if these bounds are exceeded.
 */
export const APPROX_MAX_REL_ERROR = { exp: 8.2e-8, tanh: 1.43e-7, sigmoid: 1.79e-7 } as const;

/**
 * Wasm approximation vs the twin's Math result rounded to f32: the approximation's error plus the
 * twin's own rounding (u), and two denormal steps where results underflow.
 */
function approxTolerance(fn: keyof typeof APPROX_MAX_REL_ERROR): CaseTolerance {
  const bound = APPROX_MAX_REL_ERROR[fn];
  return {
    tolerance: { abs: 2 * F32_DENORMAL, rel: bound + 1.01 * F32_ROUNDOFF },
    toleranceNote: `${fn} approximation bound ${bound} + 1.01u; abs 2·2⁻¹⁴⁹ where results underflow`,
  };
}

/** Where the approximations change branch or saturate, on both sides. */
const SATURATION_VALUES = Float32Array.from(
  [0.625, 0.62499994, 9.0109, 9.02, 16.63, 17.33, 17.34, 30, 40, 87.33, 88.72, 88.73, 89, 103.97, 104, 1e4].flatMap((v) => [v, -v]),
);
const ACTIVATION_SPECIALS = Float32Array.from([...SPECIAL_VALUES, ...SATURATION_VALUES]);

/** A pointwise forward case: y written from x, random and special inputs, empty and in-place calls. */
function forwardCase(kernel: KernelName, values: (n: number) => fc.Arbitrary<Float32Array>, tolerance: CaseTolerance, domain: string): KernelCase {
  const all = specials(ACTIVATION_SPECIALS.length + 3, ACTIVATION_SPECIALS);
  return {
    kernel,
    calls: size().chain((n) => values(n).map((x) => ({ buffers: { y: new Float32Array(n), x }, args: ['y', 'x', n], outputs: ['y'] }))),
    ...tolerance,
    domain,
    special: [
      { buffers: { y: new Float32Array(all.length), x: all }, args: ['y', 'x', all.length], outputs: ['y'] },
      { buffers: { x: all.slice() }, args: ['x', 'x', all.length], outputs: ['x'] }, // in place, y = x
      { buffers: { y: specials(3), x: specials(3) }, args: ['y', 'x', 0], outputs: ['y'] },
    ],
  };
}

/** A pointwise backward case: dx += f(dy, y), with y drawn from the forward's output range (specials: dy and dx special, y at its range's edges). */
function backwardCase(
  kernel: KernelName,
  outputs: (n: number) => fc.Arbitrary<Float32Array>,
  specialOutputs: number[],
  tolerance: CaseTolerance,
  domain: string,
): KernelCase {
  const n = SPECIAL_VALUES.length;
  const y = specials(n, Float32Array.from(specialOutputs));
  return {
    kernel,
    calls: size().chain((n) =>
      fc.record({ dx: mixedFloats(n, 10), dy: mixedFloats(n, 10), y: outputs(n) }).map((buffers) => ({ buffers, args: ['dx', 'dy', 'y', n], outputs: ['dx'] })),
    ),
    ...tolerance,
    domain,
    special: [
      { buffers: { dx: specials(n).reverse(), dy: specials(n), y }, args: ['dx', 'dy', 'y', n], outputs: ['dx'] },
      { buffers: { dx: specials(3), dy: specials(3), y: specials(3) }, args: ['dx', 'dy', 'y', 0], outputs: ['dx'] },
    ],
  };
}

/** Rows of probabilities (softmax of ±10 logits in double, rounded to f32), as softmaxForward returns them. */
export const probabilityRows = (rows: number, cols: number): fc.Arbitrary<Float32Array> =>
  floats(rows * cols, 10).map((logits) => {
    const probs = new Float32Array(logits.length);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(logits.subarray(r * cols, (r + 1) * cols), Math.exp);
      const sum = row.reduce((a, b) => a + b, 0);
      row.forEach((e, j) => (probs[r * cols + j] = e / sum));
    }
    return probs;
  });

/**
 * softmaxForward (and the probabilities the cross-entropy losses write). Error sources, relative
 * to p_j unless said: e^(d_j), d_j = x_j − max, errs by the exp bound; d_j itself is rounded to
 * f32 (u·|d_j|, exact in the twin), which is at most u·|d_j|·e^(−|d_j|) ≤ u/e absolutely; the row
 * sum S carries the exp bound, u·E_p|d| ≤ u·ln(cols) from the rounded d_j, and one rounding per
 * f32x4 lane addition (⌈cols/4⌉); the reciprocal, the product and the twin round once each.
 */
export function softmaxTolerance(cols: number): Tolerance {
  return {
    abs: (1.01 / Math.E) * F32_ROUNDOFF + 2 * F32_DENORMAL,
    rel: 2 * APPROX_MAX_REL_ERROR.exp + (Math.ceil(cols / 4) + Math.log(cols) + 3.01) * F32_ROUNDOFF,
  };
}

/** Error of log Σ_j e^(x_j − max) as the kernels compute it (absolute): the row sum's relative error above. */
export function logSumExpError(cols: number): number {
  return APPROX_MAX_REL_ERROR.exp + (Math.ceil(cols / 4) + Math.log(cols) + 0.01) * F32_ROUNDOFF;
}
export const LOG_SUM_EXP_ERROR_NOTE = `${APPROX_MAX_REL_ERROR.exp} + (⌈cols/4⌉ + ln cols + 0.01)·u`;

const logitRows = (rows: number, cols: number): fc.Arbitrary<Float32Array> => mixedFloats(rows * cols, 30);
const softmaxSpecialRow = Float32Array.from([1e4, -1e4, 0, 9999, -Infinity, 88, -88, 1e-6, 3, 3, 3]); // −Infinity = masked logit

export const activationCases: KernelCase[] = [
  forwardCase('tanhForward', (n) => floats(n, 30), approxTolerance('tanh'), 'x in ±30 (saturating), plus ±0, ±Inf, NaN, branch and saturation points'),
  backwardCase(
    'tanhBackward',
    (n) => floats(n, 1),
    [0, -0, 1, -1, 0.5, NaN],
    updateTolerance('tanhBackward', 4, 'dy·(1 − y)(1 + y): 4 roundings'),
    'y in [−1, 1]; dx, dy mixed magnitudes',
  ),
  forwardCase('sigmoidForward', (n) => floats(n, 30), approxTolerance('sigmoid'), 'x in ±30 (saturating), plus ±0, ±Inf, NaN, ±104 (underflow)'),
  backwardCase(
    'sigmoidBackward',
    (n) => floats(n, 1).map((y) => y.map(Math.abs)),
    [0, 1, 0.5, 1e-45, NaN],
    updateTolerance('sigmoidBackward', 3, 'dy·(y·(1 − y)): 3 roundings'),
    'y in [0, 1]; dx, dy mixed magnitudes',
  ),
  forwardCase('reluForward', (n) => mixedFloats(n, 10), { tolerance: EXACT }, 'mixed magnitudes; NaN stays NaN'),
  backwardCase('reluBackward', (n) => mixedFloats(n, 10).map((y) => y.map((v) => Math.max(v, 0))), [0, -0, 1, 1e-45, Infinity, NaN], { tolerance: EXACT }, 'y = relu output (≥ 0, many zeros); dx, dy mixed'),
  forwardCase('expForward', (n) => floats(n, 100).map((x) => x.map((v) => Math.min(v, 88))), approxTolerance('exp'), 'x in [−100, 88] (denormal results below −87.3), plus overflow/underflow points'),
  backwardCase(
    'expBackward',
    (n) => floats(n, 100).map((y) => y.map(Math.abs)),
    [0, 1, 1e-45, Infinity, NaN],
    updateTolerance('expBackward', 1, 'dy·y rounds once more than in the twin'),
    'y in [0, 100]; dx, dy mixed magnitudes',
  ),
  {
    kernel: 'softmaxForward',
    calls: fc.tuple(size(20), size()).chain(([rows, cols]) =>
      logitRows(rows, cols).map((x) => ({ buffers: { y: new Float32Array(rows * cols), x }, args: ['y', 'x', rows, cols], outputs: ['y'] })),
    ),
    tolerance: (call: KernelCall) => softmaxTolerance(call.args[3] as number),
    toleranceNote:
      `abs (1.01/e)·u + 2·2⁻¹⁴⁹, rel 2·${APPROX_MAX_REL_ERROR.exp} + (⌈cols/4⌉ + ln cols + 3.01)·u ` +
      '(exp bound on e^(x − max) and on the row sum; x − max rounded: u/e abs, ln cols·u in the sum; one rounding per f32x4 lane addition; 1/sum, product, twin)',
    domain: 'rows 1..20, cols 1..70; logits mostly ±30, some ±1e4 and ±1e-6',
    special: [
      { buffers: { y: new Float32Array(22), x: specials(22, softmaxSpecialRow) }, args: ['y', 'x', 2, 11], outputs: ['y'] },
      { buffers: { x: specials(22, softmaxSpecialRow) }, args: ['x', 'x', 2, 11], outputs: ['x'] }, // in place
      { buffers: { y: new Float32Array(5), x: Float32Array.of(NaN, 1, 2, 3, 4) }, args: ['y', 'x', 1, 5], outputs: ['y'] },
      { buffers: { y: new Float32Array(3), x: Float32Array.of(Infinity, 1, 2) }, args: ['y', 'x', 1, 3], outputs: ['y'] },
      { buffers: { y: specials(4), x: specials(4) }, args: ['y', 'x', 0, 4], outputs: ['y'] },
    ],
  },
  {
    kernel: 'softmaxBackward',
    calls: fc.tuple(size(20), size()).chain(([rows, cols]) =>
      fc.record({ dx: mixedFloats(rows * cols, 10), dy: mixedFloats(rows * cols, 10), y: probabilityRows(rows, cols) }).map((buffers) => ({
        buffers,
        args: ['dx', 'dy', 'y', rows, cols],
        outputs: ['dx'],
      })),
    ),
    // s = Σ dy⊙y (|s| ≤ max|dy| as Σy = 1) rounds once per product, once per f32x4 lane addition
    // (⌈cols/4⌉) and once to f32, and reaches dx times y ≤ 1. Since dy_j − s = (1 − y_j)·(dy_j − s')
    // with s' the y-weighted mean of dy over the other columns, y·|dy − s| ≤ max|dy|/2: the
    // difference and the product with y round at most u·max|dy|/2 each. In all (⌈cols/4⌉ + 3)·u·max|dy|,
    // budgeted as (⌈cols/4⌉ + 5.01); the addition into dx is the final rounding (rel).
    tolerance: (call: KernelCall) => ({
      abs: (Math.ceil((call.args[4] as number) / 4) + 5.01) * F32_ROUNDOFF * maxAbs(call.buffers.dy!) + 2 * F32_DENORMAL,
      rel: TWO_ROUNDINGS,
    }),
    toleranceNote: 'abs (⌈cols/4⌉ + 5.01)·u·max|dy| + 2·2⁻¹⁴⁹, rel 2.01u (Σ dy⊙y in f32x4 lanes, then dy − Σ and ·y)',
    domain: 'rows 1..20, cols 1..70; y = softmax rows; dx, dy mixed magnitudes',
    special: [
      { buffers: { dx: new Float32Array(6), dy: Float32Array.of(1, 2, 3, 4, 5, 6), y: Float32Array.of(1, 0, 0, 0, 0, 0) }, args: ['dx', 'dy', 'y', 1, 6], outputs: ['dx'] },
      { buffers: { dx: new Float32Array(5), dy: Float32Array.of(NaN, 0, 0, 0, 0), y: Float32Array.of(0.2, 0.2, 0.2, 0.2, 0.2) }, args: ['dx', 'dy', 'y', 1, 5], outputs: ['dx'] },
      { buffers: { dx: specials(4), dy: specials(4), y: specials(4) }, args: ['dx', 'dy', 'y', 0, 4], outputs: ['dx'] },
    ],
  },
];
