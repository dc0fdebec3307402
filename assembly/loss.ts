// Losses fused with their output activation. Forward kernels return the SUM over rows (elements)
// as f64; per-row terms are formed in f64 from f32 inputs, so the only f32 roundings are in the
// softmax sum and the exp approximation. Backward kernels accumulate (+=) scale · ∂loss/∂logits.
import { expS, expV, sigmoidS, sigmoidV } from "./approx";
import { scale as scaleBuffer } from "./rows";
import { at, expShiftedRow, promoteHigh, rowMax, sumF32Lanes, sumF64Lanes } from "./simd";

/**
 * probs: [cols] written = softmax(z: [cols]); returns log Σ e^z, computed as max + log Σ e^(z − max)
 * so that −log p_j = lse − z_j stays finite for any finite logits.
 */
@inline function softmaxRowLogSumExp(probs: usize, z: usize, cols: i32): f64 {
  const m = rowMax(z, cols);
  const sum = expShiftedRow(probs, z, cols, m);
  scaleBuffer(probs, cols, <f32>(1.0 / sum));
  return <f64>m + Math.log(sum);
}

export function softmaxCrossEntropyForward(
  probs: usize, // [rows, cols] f32, written = softmax(logits)
  logits: usize, // [rows, cols] f32
  targets: usize, // [rows] f32 class ids; rows with id < 0 (or NaN) add no loss
  rows: i32,
  cols: i32,
): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const zr = at(logits, r * cols);
    const target = load<f32>(at(targets, r));
    const lse = softmaxRowLogSumExp(at(probs, r * cols), zr, cols);
    if (target >= 0) total += lse - <f64>load<f32>(at(zr, <i32>target));
  }
  return total;
}

export function softmaxCrossEntropyBackward(
  dLogits: usize, // [rows, cols] f32, += scale · (probs − onehot(target)); ignored rows untouched
  probs: usize, // [rows, cols] f32, from forward
  targets: usize, // [rows] f32 class ids, id < 0 (or NaN) = ignored
  rows: i32,
  cols: i32,
  scale: f32,
): void {
  const s = f32x4.splat(scale);
  const one = f32x4.splat(1.0);
  for (let r = 0; r < rows; r++) {
    const target = load<f32>(at(targets, r));
    if (!(target >= 0)) continue;
    const t = <i32>target;
    const tv = i32x4.splat(t);
    const dr = at(dLogits, r * cols);
    const pr = at(probs, r * cols);
    let i = 0;
    for (; i + 4 <= cols; i += 4) {
      const onehot = v128.and(i32x4.eq(i32x4(i, i + 1, i + 2, i + 3), tv), one);
      const d = f32x4.mul(s, f32x4.sub(v128.load(at(pr, i)), onehot));
      v128.store(at(dr, i), f32x4.add(v128.load(at(dr, i)), d));
    }
    for (; i < cols; i++) {
      const onehot: f32 = i == t ? 1.0 : 0.0;
      store<f32>(at(dr, i), load<f32>(at(dr, i)) + scale * (load<f32>(at(pr, i)) - onehot));
    }
  }
}

export function softmaxCrossEntropyDenseForward(
  probs: usize, // [rows, cols] f32, written = softmax(logits)
  logits: usize, // [rows, cols] f32
  targets: usize, // [rows, cols] f32 target distributions (one-hot or soft)
  rows: i32,
  cols: i32,
): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const zr = at(logits, r * cols);
    const tr = at(targets, r * cols);
    const lse = softmaxRowLogSumExp(at(probs, r * cols), zr, cols);
    // Σ t·(lse − z) in f64: −log p = lse − z without rounding it to f32.
    const lv = f64x2.splat(lse);
    let acc = f64x2.splat(0);
    let i = 0;
    for (; i + 4 <= cols; i += 4) {
      const z = v128.load(at(zr, i));
      const t = v128.load(at(tr, i));
      acc = f64x2.add(acc, f64x2.mul(f64x2.promote_low_f32x4(t), f64x2.sub(lv, f64x2.promote_low_f32x4(z))));
      acc = f64x2.add(acc, f64x2.mul(promoteHigh(t), f64x2.sub(lv, promoteHigh(z))));
    }
    let row = sumF64Lanes(acc);
    for (; i < cols; i++) row += <f64>load<f32>(at(tr, i)) * (lse - <f64>load<f32>(at(zr, i)));
    total += row;
  }
  return total;
}

export function softmaxCrossEntropyDenseBackward(
  dLogits: usize, // [rows, cols] f32, += scale · (probs · Σ_row t − t)
  probs: usize, // [rows, cols] f32, from forward
  targets: usize, // [rows, cols] f32 target distributions
  rows: i32,
  cols: i32,
  scale: f32,
): void {
  const s = f32x4.splat(scale);
  for (let r = 0; r < rows; r++) {
    const dr = at(dLogits, r * cols);
    const pr = at(probs, r * cols);
    const tr = at(targets, r * cols);
    let acc = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= cols; i += 4) acc = f32x4.add(acc, v128.load(at(tr, i)));
    let tSum = sumF32Lanes(acc);
    for (; i < cols; i++) tSum += <f64>load<f32>(at(tr, i));
    const ts: f32 = <f32>tSum;
    const tv = f32x4.splat(ts);
    i = 0;
    for (; i + 4 <= cols; i += 4) {
      const d = f32x4.mul(s, f32x4.sub(f32x4.mul(v128.load(at(pr, i)), tv), v128.load(at(tr, i))));
      v128.store(at(dr, i), f32x4.add(v128.load(at(dr, i)), d));
    }
    for (; i < cols; i++) {
      store<f32>(at(dr, i), load<f32>(at(dr, i)) + scale * (load<f32>(at(pr, i)) * ts - load<f32>(at(tr, i))));
    }
  }
}

export function mseForward(
  pred: usize, // [n] f32
  target: usize, // [n] f32
  n: i32,
): f64 {
  // Differences and squares in f64 (exact for f32 inputs up to the final additions).
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = v128.load(at(pred, i));
    const t = v128.load(at(target, i));
    const lo = f64x2.sub(f64x2.promote_low_f32x4(p), f64x2.promote_low_f32x4(t));
    const hi = f64x2.sub(promoteHigh(p), promoteHigh(t));
    acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
  }
  let total = sumF64Lanes(acc);
  for (; i < n; i++) {
    const d = <f64>load<f32>(at(pred, i)) - <f64>load<f32>(at(target, i));
    total += d * d;
  }
  return total;
}

export function mseBackward(
  dPred: usize, // [n] f32, += scale · 2 · (pred − target)
  pred: usize, // [n] f32
  target: usize, // [n] f32
  n: i32,
  scale: f32,
): void {
  const s2: f32 = scale * 2;
  const sv = f32x4.splat(s2);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const d = f32x4.mul(sv, f32x4.sub(v128.load(at(pred, i)), v128.load(at(target, i))));
    v128.store(at(dPred, i), f32x4.add(v128.load(at(dPred, i)), d));
  }
  for (; i < n; i++) store<f32>(at(dPred, i), load<f32>(at(dPred, i)) + s2 * (load<f32>(at(pred, i)) - load<f32>(at(target, i))));
}

/** One BCE-with-logits term in f64, given e = e^(−|z|): max(z, 0) − z·t + log(1 + e). */
@inline function bceTerm(z: f32, t: f32, e: f32): f64 {
  return max(<f64>z, 0) - <f64>z * <f64>t + Math.log1p(<f64>e);
}

export function bceWithLogitsForward(
  logits: usize, // [n] f32
  targets: usize, // [n] f32 in [0, 1]
  n: i32,
): f64 {
  // e^(−|z|) runs four lanes at a time; log1p has no SIMD form and is taken per lane in f64.
  let total: f64 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const z = v128.load(at(logits, i));
    const t = v128.load(at(targets, i));
    const e = expV(f32x4.neg(f32x4.abs(z)));
    total += bceTerm(f32x4.extract_lane(z, 0), f32x4.extract_lane(t, 0), f32x4.extract_lane(e, 0));
    total += bceTerm(f32x4.extract_lane(z, 1), f32x4.extract_lane(t, 1), f32x4.extract_lane(e, 1));
    total += bceTerm(f32x4.extract_lane(z, 2), f32x4.extract_lane(t, 2), f32x4.extract_lane(e, 2));
    total += bceTerm(f32x4.extract_lane(z, 3), f32x4.extract_lane(t, 3), f32x4.extract_lane(e, 3));
  }
  for (; i < n; i++) {
    const z = load<f32>(at(logits, i));
    total += bceTerm(z, load<f32>(at(targets, i)), expS(-Mathf.abs(z)));
  }
  return total;
}

export function bceWithLogitsBackward(
  dLogits: usize, // [n] f32, += scale · (σ(z) − t)
  logits: usize, // [n] f32
  targets: usize, // [n] f32 in [0, 1]
  n: i32,
  scale: f32,
): void {
  const s = f32x4.splat(scale);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const d = f32x4.mul(s, f32x4.sub(sigmoidV(v128.load(at(logits, i))), v128.load(at(targets, i))));
    v128.store(at(dLogits, i), f32x4.add(v128.load(at(dLogits, i)), d));
  }
  for (; i < n; i++) {
    store<f32>(at(dLogits, i), load<f32>(at(dLogits, i)) + scale * (sigmoidS(load<f32>(at(logits, i))) - load<f32>(at(targets, i))));
  }
}
