import fc from 'fast-check';
import { classIds, floats, mixedFloats, size } from '../../helpers/arbitraries.js';
import { F32_DENORMAL, F32_ROUNDOFF, F64_ROUNDOFF, f64SumTolerance, TWO_ROUNDINGS, updateTolerance } from '../../helpers/tolerance.js';
import type { KernelCall } from '../call.js';
import type { CaseTolerance, KernelCase } from '../case.js';
import { APPROX_MAX_REL_ERROR, LOG_SUM_EXP_ERROR_NOTE, logSumExpError, probabilityRows, softmaxTolerance } from './activation.js';

/**
 * Cross-entropy forward: the probabilities as in softmaxForward, and each row's −log p errs by the
 * error of log Σ e^(z − max) (logSumExpError), so the sum over rows errs by at most
 * (Σ targets)·that. One tolerance covers both outputs of the call, so
 * its abs part is loose for the probabilities; softmaxForward checks the same code tightly.
 * `targetMass` reads Σ targets from the call; `mass` names it in the note.
 */
function crossEntropyTolerance(targetMass: (call: KernelCall) => number, mass: string): CaseTolerance {
  return {
    tolerance: (call) => {
      const cols = call.args[4] as number;
      const probs = softmaxTolerance(cols);
      return { abs: Math.max(probs.abs, targetMass(call) * logSumExpError(cols)), rel: probs.rel };
    },
    toleranceNote: `abs max((1.01/e)·u + 2·2⁻¹⁴⁹, R·ℓ), rel as softmaxForward; ℓ = ${LOG_SUM_EXP_ERROR_NOTE} (log-sum-exp error of a row), R = ${mass}`,
  };
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

/** Largest Σ of a row of t: [rows, cols]. */
function maxRowSum(t: Float32Array, cols: number): number {
  let largest = 0;
  for (let r = 0; r * cols < t.length; r++) largest = Math.max(largest, sum(t.subarray(r * cols, (r + 1) * cols)));
  return largest;
}

/** Target distributions: each row nonnegative and summing to 1 (soft labels). */
const distributions = (rows: number, cols: number): fc.Arbitrary<Float32Array> =>
  floats(rows * cols, 1).map((t) => {
    const out = new Float32Array(t.length);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(t.subarray(r * cols, (r + 1) * cols), Math.abs);
      const total = row.reduce((a, b) => a + b, 0) || 1;
      row.forEach((v, j) => (out[r * cols + j] = v / total));
    }
    return out;
  });

const f32Scale = fc.float({ min: Math.fround(-4), max: Math.fround(4), noNaN: true, noDefaultInfinity: true });
const logitRows = (rows: number, cols: number): fc.Arbitrary<Float32Array> => mixedFloats(rows * cols, 30);
/** Rows of extreme logits: the loss must stay finite (log-sum-exp), probabilities underflow to 0. */
const extremeLogits = Float32Array.of(1e4, -1e4, 0, -1e4, 1e4, 1e4, 0, 0, 0, -1e4, -1e4, -1e4);

export const lossCases: KernelCase[] = [
  {
    kernel: 'softmaxCrossEntropyForward',
    calls: fc.tuple(size(20), size()).chain(([rows, cols]) =>
      fc.record({ logits: logitRows(rows, cols), targets: classIds(rows, cols, true) }).map(({ logits, targets }) => ({
        buffers: { probs: new Float32Array(rows * cols), logits, targets },
        args: ['probs', 'logits', 'targets', rows, cols],
        outputs: ['probs'],
      })),
    ),
    ...crossEntropyTolerance((call) => call.buffers.targets!.filter((t) => t >= 0).length, 'rows with a class id ≥ 0'),
    domain: 'rows 1..20, cols 1..70; logits mostly ±30, some ±1e4 and ±1e-6; some rows ignored (id −1)',
    special: [
      { buffers: { probs: new Float32Array(12), logits: extremeLogits, targets: Float32Array.of(1, 0, 2, 1) }, args: ['probs', 'logits', 'targets', 4, 3], outputs: ['probs'] },
      { buffers: { probs: new Float32Array(6), logits: Float32Array.of(1, 2, 3, 4, 5, 6), targets: Float32Array.of(-1, NaN) }, args: ['probs', 'logits', 'targets', 2, 3], outputs: ['probs'] },
      { buffers: { probs: new Float32Array(5), logits: Float32Array.of(0, -Infinity, 2, -Infinity, 1), targets: Float32Array.of(2) }, args: ['probs', 'logits', 'targets', 1, 5], outputs: ['probs'] },
      { buffers: { probs: new Float32Array(3), logits: new Float32Array(3), targets: new Float32Array(1) }, args: ['probs', 'logits', 'targets', 0, 3], outputs: ['probs'] },
    ],
  },
  {
    kernel: 'softmaxCrossEntropyBackward',
    calls: fc.tuple(size(20), size(), f32Scale).chain(([rows, cols, scale]) =>
      fc.record({ dLogits: mixedFloats(rows * cols, 10), probs: probabilityRows(rows, cols), targets: classIds(rows, cols, true) }).map((buffers) => ({
        buffers,
        args: ['dLogits', 'probs', 'targets', rows, cols, scale],
        outputs: ['dLogits'],
      })),
    ),
    ...updateTolerance('softmaxCrossEntropyBackward', 2, 'p − onehot and the product with scale'),
    domain: 'rows 1..20, cols 1..70; probs = softmax rows; scale ±4; some rows ignored',
    special: [
      { buffers: { dLogits: new Float32Array(10), probs: Float32Array.of(0.5, 0.5, 0, 1, 0, 0.2, 0.2, 0.2, 0.2, 0.2), targets: Float32Array.of(0, -1) }, args: ['dLogits', 'probs', 'targets', 2, 5, 1], outputs: ['dLogits'] },
      { buffers: { dLogits: new Float32Array(9), probs: new Float32Array(9).fill(1 / 9), targets: Float32Array.of(8) }, args: ['dLogits', 'probs', 'targets', 1, 9, 0.5], outputs: ['dLogits'] },
      { buffers: { dLogits: new Float32Array(4), probs: new Float32Array(4), targets: Float32Array.of(NaN, -1) }, args: ['dLogits', 'probs', 'targets', 2, 2, 1], outputs: ['dLogits'] },
      { buffers: { dLogits: new Float32Array(2), probs: new Float32Array(2), targets: new Float32Array(1) }, args: ['dLogits', 'probs', 'targets', 0, 2, 1], outputs: ['dLogits'] },
    ],
  },
  {
    kernel: 'softmaxCrossEntropyDenseForward',
    calls: fc.tuple(size(20), size()).chain(([rows, cols]) =>
      fc.record({ logits: logitRows(rows, cols), targets: distributions(rows, cols) }).map(({ logits, targets }) => ({
        buffers: { probs: new Float32Array(rows * cols), logits, targets },
        args: ['probs', 'logits', 'targets', rows, cols],
        outputs: ['probs'],
      })),
    ),
    ...crossEntropyTolerance((call) => sum(call.buffers.targets!), 'Σ targets'),
    domain: 'rows 1..20, cols 1..70; logits mostly ±30, some ±1e4; targets = soft distributions',
    special: [
      {
        buffers: { probs: new Float32Array(12), logits: extremeLogits, targets: Float32Array.of(0, 1, 0, 0.5, 0, 0.5, 1 / 3, 1 / 3, 1 / 3, 0, 0, 1) },
        args: ['probs', 'logits', 'targets', 4, 3],
        outputs: ['probs'],
      },
      { buffers: { probs: new Float32Array(5), logits: Float32Array.of(1, 2, 3, 4, 5), targets: new Float32Array(5) }, args: ['probs', 'logits', 'targets', 1, 5], outputs: ['probs'] },
      { buffers: { probs: new Float32Array(3), logits: new Float32Array(3), targets: new Float32Array(3) }, args: ['probs', 'logits', 'targets', 0, 3], outputs: ['probs'] },
    ],
  },
  {
    kernel: 'softmaxCrossEntropyDenseBackward',
    calls: fc.tuple(size(20), size(), f32Scale).chain(([rows, cols, scale]) =>
      fc.record({ dLogits: mixedFloats(rows * cols, 10), probs: probabilityRows(rows, cols), targets: distributions(rows, cols) }).map((buffers) => ({
        buffers,
        args: ['dLogits', 'probs', 'targets', rows, cols, scale],
        outputs: ['dLogits'],
      })),
    ),
    // Σ_row t in f32x4 lanes (⌈cols/4⌉ roundings of Σt), then p·Σt, − t and · scale.
    tolerance: (call: KernelCall) => {
      const cols = call.args[4] as number;
      const scale = Math.abs(call.args[5] as number);
      return { abs: scale * maxRowSum(call.buffers.targets!, cols) * (Math.ceil(cols / 4) + 3.01) * F32_ROUNDOFF + 2 * F32_DENORMAL, rel: TWO_ROUNDINGS };
    },
    toleranceNote: 'abs |scale|·max_row Σt·(⌈cols/4⌉ + 3.01)·u + 2·2⁻¹⁴⁹, rel 2.01u (Σt in f32x4 lanes, then p·Σt, − t and ·scale)',
    domain: 'rows 1..20, cols 1..70; probs = softmax rows; targets = soft distributions; scale ±4',
    special: [
      { buffers: { dLogits: new Float32Array(6), probs: Float32Array.of(0.5, 0.5, 0, 0.2, 0.3, 0.5), targets: Float32Array.of(0, 1, 0, 0, 0, 0) }, args: ['dLogits', 'probs', 'targets', 2, 3, 1], outputs: ['dLogits'] },
      { buffers: { dLogits: new Float32Array(2), probs: new Float32Array(2), targets: new Float32Array(2) }, args: ['dLogits', 'probs', 'targets', 0, 2, 1], outputs: ['dLogits'] },
    ],
  },
  {
    kernel: 'mseForward',
    calls: size().chain((n) =>
      fc.record({ pred: mixedFloats(n, 10), target: mixedFloats(n, 10) }).map((buffers) => ({ buffers, args: ['pred', 'target', n], outputs: [] })),
    ),
    ...f64SumTolerance(2, 'differences and squares in f64 as in the twin; only the order of the f64 additions differs'),
    domain: 'mixed magnitudes: mostly ±10, some ±1e4 and ±1e-6; n 1..70',
    special: [
      { buffers: { pred: Float32Array.of(0, -0, 1, Infinity, 3.4e38), target: Float32Array.of(-0, 0, 1, 1, -3.4e38) }, args: ['pred', 'target', 5], outputs: [] },
      { buffers: { pred: Float32Array.of(1, NaN, 2), target: Float32Array.of(1, 1, 1) }, args: ['pred', 'target', 3], outputs: [] },
      { buffers: { pred: new Float32Array(2), target: new Float32Array(2) }, args: ['pred', 'target', 0], outputs: [] },
    ],
  },
  {
    kernel: 'mseBackward',
    calls: fc.tuple(size(), f32Scale).chain(([n, scale]) =>
      fc.record({ dPred: mixedFloats(n, 10), pred: mixedFloats(n, 10), target: mixedFloats(n, 10) }).map((buffers) => ({
        buffers,
        args: ['dPred', 'pred', 'target', n, scale],
        outputs: ['dPred'],
      })),
    ),
    ...updateTolerance('mseBackward', 2, 'pred − target and the product with 2·scale; the doubling is exact'),
    domain: 'mixed magnitudes; scale ±4; n 1..70',
    special: [
      { buffers: { dPred: Float32Array.of(0, 1, -1, NaN, 5), pred: Float32Array.of(0, Infinity, 1, 1, -0), target: Float32Array.of(-0, 1, Infinity, 1, 0) }, args: ['dPred', 'pred', 'target', 5, 0.5], outputs: ['dPred'] },
      { buffers: { dPred: new Float32Array(2), pred: new Float32Array(2), target: new Float32Array(2) }, args: ['dPred', 'pred', 'target', 0, 1], outputs: ['dPred'] },
    ],
  },
  {
    kernel: 'bceWithLogitsForward',
    calls: size().chain((n) =>
      fc.record({ logits: mixedFloats(n, 30), targets: floats(n, 1).map((t) => t.map(Math.abs)) }).map((buffers) => ({ buffers, args: ['logits', 'targets', n], outputs: [] })),
    ),
    // Every term is ≥ 0 and only its log(1 + e^(−|z|)) part carries the exp error, relatively at
    // most the exp bound; e^(−|z|) below 2^-126 errs by a denormal step per element.
    tolerance: (call: KernelCall) => {
      const n = call.args[2] as number;
      return { abs: n * F32_DENORMAL, rel: APPROX_MAX_REL_ERROR.exp + (n + 4) * 2 * F64_ROUNDOFF };
    },
    toleranceNote: `abs n·2⁻¹⁴⁹, rel ${APPROX_MAX_REL_ERROR.exp} + (n + 4)·2·2⁻⁵³ (exp bound on each term's log(1 + e^(−|z|)); f64 sum in another order)`,
    domain: 'logits mostly ±30, some ±1e4 and ±1e-6; targets in [0, 1]; n 1..70',
    special: [
      { buffers: { logits: Float32Array.of(0, -0, 1e4, -1e4, 100, -100, 88, -88, 20), targets: Float32Array.of(0, 1, 1, 0, 0.5, 0.5, 1, 0, 0.3) }, args: ['logits', 'targets', 9], outputs: [] },
      { buffers: { logits: Float32Array.of(Infinity, -Infinity, NaN, 1, 2), targets: Float32Array.of(1, 0, 1, 1, 0) }, args: ['logits', 'targets', 5], outputs: [] },
      { buffers: { logits: new Float32Array(2), targets: new Float32Array(2) }, args: ['logits', 'targets', 0], outputs: [] },
    ],
  },
  {
    kernel: 'bceWithLogitsBackward',
    calls: fc.tuple(size(), f32Scale).chain(([n, scale]) =>
      fc.record({ dLogits: mixedFloats(n, 10), logits: mixedFloats(n, 30), targets: floats(n, 1).map((t) => t.map(Math.abs)) }).map((buffers) => ({
        buffers,
        args: ['dLogits', 'logits', 'targets', n, scale],
        outputs: ['dLogits'],
      })),
    ),
    // σ(z) errs by the sigmoid bound (σ ≤ 1), σ − t and · scale round once each.
    tolerance: (call: KernelCall) => ({
      abs: Math.abs(call.args[4] as number) * (APPROX_MAX_REL_ERROR.sigmoid + 2.01 * F32_ROUNDOFF) + 2 * F32_DENORMAL,
      rel: TWO_ROUNDINGS,
    }),
    toleranceNote: `abs |scale|·(${APPROX_MAX_REL_ERROR.sigmoid} + 2.01u) + 2·2⁻¹⁴⁹, rel 2.01u (sigmoid bound; σ − t and ·scale round once each)`,
    domain: 'logits mostly ±30, some ±1e4; targets in [0, 1]; scale ±4; n 1..70',
    special: [
      {
        buffers: { dLogits: new Float32Array(9), logits: Float32Array.of(0, -0, Infinity, -Infinity, NaN, 1e4, -1e4, 17.5, -104), targets: Float32Array.of(0.5, 0.5, 1, 0, 1, 1, 0, 1, 0) },
        args: ['dLogits', 'logits', 'targets', 9, 1],
        outputs: ['dLogits'],
      },
      { buffers: { dLogits: new Float32Array(2), logits: new Float32Array(2), targets: new Float32Array(2) }, args: ['dLogits', 'logits', 'targets', 0, 1], outputs: ['dLogits'] },
    ],
  },
];
