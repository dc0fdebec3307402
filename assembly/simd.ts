// Small @inline helpers shared by the pointwise, row, loss and clip kernels. Not re-exported from
// index.ts: nothing here is part of the ABI.
import { expS, expV } from "./approx";

/** Byte address of element `i` of the f32 buffer at `base`. */
@inline export function at(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/** Lanes 2 and 3 of an f32x4, widened to an f64x2 (f64x2.promote_low_f32x4 gives lanes 0 and 1). */
@inline export function promoteHigh(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3));
}

/** Sum of an f64x2's two lanes. */
@inline export function sumF64Lanes(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** Sum of an f32x4's four lanes, added in f64. */
@inline export function sumF32Lanes(v: v128): f64 {
  return sumF64Lanes(f64x2.add(f64x2.promote_low_f32x4(v), promoteHigh(v)));
}

/** Largest of an f32x4's four lanes; NaN if any lane is NaN (f32.max propagates NaN). */
@inline export function maxF32Lanes(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

// ---- softmax rows (softmaxForward and the cross-entropy losses)

/** Largest element of x: [n] f32 (−Infinity for n = 0, NaN if any element is NaN). */
@inline export function rowMax(x: usize, n: i32): f32 {
  let acc = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) acc = f32x4.max(acc, v128.load(at(x, i)));
  let m = maxF32Lanes(acc);
  for (; i < n; i++) m = max(m, load<f32>(at(x, i)));
  return m;
}

/** y: [n] written = e^(x − shift) (may alias x); returns Σ y, f32x4 partial sums added in f64. */
@inline export function expShiftedRow(y: usize, x: usize, n: i32, shift: f32): f64 {
  const s = f32x4.splat(shift);
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const e = expV(f32x4.sub(v128.load(at(x, i)), s));
    v128.store(at(y, i), e);
    acc = f32x4.add(acc, e);
  }
  let sum = sumF32Lanes(acc);
  for (; i < n; i++) {
    const e = expS(load<f32>(at(x, i)) - shift);
    store<f32>(at(y, i), e);
    sum += e;
  }
  return sum;
}
