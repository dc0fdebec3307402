// Reductions and clamps for gradient clipping and health checks (src/kernels/clip-norm.ts builds
// global-norm clipping from sumOfSquares and scale).
import { at, promoteHigh, sumF64Lanes } from "./simd";

export function sumOfSquares(
  x: usize, // [n] f32
  n: i32,
): f64 {
  // Squares and sums in f64 (two f64x2 accumulators): exact squares of f32 values, and no f32
  // rounding when one buffer holds millions of gradients.
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(at(x, i));
    const vlo = f64x2.promote_low_f32x4(v);
    const vhi = promoteHigh(v);
    lo = f64x2.add(lo, f64x2.mul(vlo, vlo));
    hi = f64x2.add(hi, f64x2.mul(vhi, vhi));
  }
  let total = sumF64Lanes(f64x2.add(lo, hi));
  for (; i < n; i++) {
    const v = <f64>load<f32>(at(x, i));
    total += v * v;
  }
  return total;
}

export function clipByValue(
  x: usize, // [n] f32, = min(max(x, lo), hi) in place; NaN stays NaN
  n: i32,
  lo: f32,
  hi: f32,
): void {
  // f32x4.min/max (unlike pmin/pmax) return NaN when either operand is NaN.
  const lov = f32x4.splat(lo);
  const hiv = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(x, i), f32x4.min(f32x4.max(v128.load(at(x, i)), lov), hiv));
  for (; i < n; i++) store<f32>(at(x, i), min(max(load<f32>(at(x, i)), lo), hi));
}

export function countNonFinite(
  x: usize, // [n] f32
  n: i32,
): i32 {
  // |x| < Infinity is false exactly for NaN and ±Infinity. Each finite lane adds −1 (all bits set)
  // to a lane counter, so the non-finite count is n minus the finite count.
  const inf = f32x4.splat(Infinity);
  let finiteNeg = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) finiteNeg = i32x4.add(finiteNeg, f32x4.lt(f32x4.abs(v128.load(at(x, i))), inf));
  let finite = -(i32x4.extract_lane(finiteNeg, 0) + i32x4.extract_lane(finiteNeg, 1) + i32x4.extract_lane(finiteNeg, 2) + i32x4.extract_lane(finiteNeg, 3));
  for (; i < n; i++) if (Mathf.abs(load<f32>(at(x, i))) < Infinity) finite++;
  return max(n, 0) - finite;
}
