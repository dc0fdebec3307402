// f32x4 approximations of exp, tanh and sigmoid, shared by every kernel that needs them.
//
// One source for both shapes: each scalar `*S` function runs its vector twin on a splatted lane,
// so a value gives bit-identical results in a kernel's SIMD body and in its scalar tail (the
// tail is at most three elements per call, so the splat costs nothing measurable).
//
// Measured accuracy against Math in double over EVERY f32 with 2^-30 ≤ |x| < 128 (relative error
// where the result is a normal f32; test/kernels/approx.test.ts re-checks a dense sweep):
//   exp      ≤ 8.16e-8 (worst at x = 15.5968); denormal results (x < −87.337) within 0.75·2^-149;
//            +Infinity from x = 88.7228394 and 0 from x = −103.972084, the same f32 thresholds
//            as the correctly rounded e^x
//   tanh     ≤ 1.43e-7 (worst at 0.62831, just above the branch point); exactly ±1 from
//            |x| = 9.0109138 (≈ 13·ln 2), where the correctly rounded tanh becomes ±1; ±0 → ±0
//   sigmoid  ≤ 1.79e-7 (worst at −5.87816); denormal results within 0.75·2^-149; exactly 1 from
//            x = 17.32868 and exactly 0 from x = −103.972084, as the correctly rounded σ
// NaN gives NaN; ±Infinity gives +Infinity / 0 (exp), ±1 (tanh), 1 / 0 (sigmoid).
// These figures hold for both builds. In the relaxed-SIMD build tanh and sigmoid evaluate their
// polynomials and range reduction with FMA (`horner`), which makes the LSTM step kernels
// 18–20% faster there; the same exhaustive sweep on that build measured tanh ≤ 1.424e-7 and
// sigmoid ≤ 1.783e-7, the baseline's maxima. exp stays mul + add in both builds: fused, its
// dense-sweep maximum rose to 8.29e-8, above the bound. The baseline build's results are
// bit-identical to the plain formulas below (checked on 10^9 inputs against the earlier code).

// ---- exp: Cephes expf.c (S. L. Moshier, Cephes Math Library 2.2), the polynomial also used by
// sse_mathfun.h. Range reduction x = n·ln2 + r, |r| ≤ ln2/2, with the Cody–Waite split
// ln2 = LN2_HI + LN2_LO: LN2_HI has 9 significant bits, so n·LN2_HI is exact for |n| < 2^15 and
// r loses nothing to cancellation. e^r ≈ 1 + r + r²·P(r) with P of degree 5 (Cephes' minimax
// coefficients). 2^n is applied as two factors 2^(n>>1) · 2^(n−(n>>1)), each a normal f32 built
// from its exponent bits, so n ∈ [−150, 128] needs no special case: results below 2^-126 round
// once into the denormal range, and n = 128 overflows to +Infinity.
const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const EXP_P0: f32 = 1.9875691500e-4;
const EXP_P1: f32 = 1.3981999507e-3;
const EXP_P2: f32 = 8.3334519073e-3;
const EXP_P3: f32 = 4.1665795894e-2;
const EXP_P4: f32 = 1.6666665459e-1;
const EXP_P5: f32 = 5.0000001201e-1;
// Inputs are clamped first: e^89 overflows and e^−104 < 2^-150 rounds to 0, so the clamp changes
// no result, keeps n inside the two-factor range, and lets ±Infinity through as +Infinity / 0.
// f32x4.min/max propagate NaN, so NaN reaches the polynomial and comes out as NaN.
const EXP_MAX_INPUT: f32 = 89.0;
const EXP_MIN_INPUT: f32 = -104.0;
const F32_EXPONENT_BIAS: i32 = 127;

// ---- tanh: Cephes tanhf.c. For |x| < 0.625, tanh x = x + x·z·Q(z), z = x² (Cephes' minimax Q of
// degree 4), which keeps full relative accuracy near 0; for |x| ≥ 0.625,
// tanh|x| = 1 − 2/(e^{2|x|} + 1), which rounds to exactly 1 once 2/(e^{2|x|} + 1) ≤ 2^-25 and
// stays 1 up to +Infinity (e^{2|x|} overflows to +Infinity, 2/Infinity = 0). The sign is copied
// back from x, so tanh(−0) = −0.
const TANH_SMALL: f32 = 0.625;
// e^{2|x|} is clamped here: from |x| = 9.0109138 tanh is exactly 1 anyway (2/(e^18.1 + 1) < 2^-25
// rounds away against 1), and the clamp keeps 2^n a single normal factor (n ≤ 27).
const TANH_EXP_MAX_INPUT: f32 = 18.1;
const TANH_Q0: f32 = -5.70498872745e-3;
const TANH_Q1: f32 = 2.06390887954e-2;
const TANH_Q2: f32 = -5.37397155531e-2;
const TANH_Q3: f32 = 1.33314422036e-1;
const TANH_Q4: f32 = -3.33332819422e-1;

// ---- sigmoid: the rr2-p5-div scheme of XNNPACK's f32-vsigmoid: e = e^{−|x|} ≤ 1 never overflows,
// f = e/(1 + e) = σ(−|x|), and σ(x) = 1 − f for x ≥ 0, f for x < 0. No cancellation on either side,
// so the relative error stays near exp's; 1 − f rounds to exactly 1 where the true σ does
// (x ≥ 17.33), and f underflows through the denormals to 0 as e^x does.
const SIGN_BIT: i32 = 0x80000000;

/**
 * a·b + c: one FMA where `fused` and the build has relaxed SIMD, else a multiply and an add
 * (rounded twice). exp itself never fuses: with FMA its measured bound rose above 8.2e-8.
 */
@inline function horner(a: v128, b: v128, c: v128, fused: bool): v128 {
  if (ASC_FEATURE_RELAXED_SIMD && fused) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

@inline function splat(value: f32): v128 {
  return f32x4.splat(value);
}

/** 2^n for integer lanes n ∈ [−126, 127]: the biased exponent shifted into place. */
@inline function pow2(n: v128): v128 {
  return i32x4.shl(i32x4.add(n, i32x4.splat(F32_EXPONENT_BIAS)), 23);
}

/** e^x for each lane (Cephes expf; see the notes above). */
@inline export function expV(x: v128): v128 {
  // pmax/pmin (one maxps/minps on x64, where f32x4.max/min take ~7 instructions for their NaN and
  // −0 rules) give the same lanes here: a NaN x fails both compares and passes through.
  return expClamped(f32x4.pmin(f32x4.pmax(x, splat(EXP_MIN_INPUT)), splat(EXP_MAX_INPUT)), true, false);
}

/**
 * e^x for lanes already in [EXP_MIN_INPUT, EXP_MAX_INPUT] (or NaN). `wideRange` = false is for
 * callers whose x stays in [0, 88]: 2^n is then one normal factor, and the result is the same.
 * `fused`: whether the relaxed build may use FMA (see `horner`).
 */
@inline function expClamped(x: v128, wideRange: bool, fused: bool): v128 {
  const nf = f32x4.nearest(f32x4.mul(x, splat(LOG2E)));
  // x − n·ln2 as x + n·(−ln2): the same value without FMA (x − y = x + (−y) exactly).
  let r = horner(nf, splat(-LN2_HI), x, fused);
  r = horner(nf, splat(-LN2_LO), r, fused);
  let p = horner(splat(EXP_P0), r, splat(EXP_P1), fused);
  p = horner(p, r, splat(EXP_P2), fused);
  p = horner(p, r, splat(EXP_P3), fused);
  p = horner(p, r, splat(EXP_P4), fused);
  p = horner(p, r, splat(EXP_P5), fused);
  p = f32x4.add(horner(p, f32x4.mul(r, r), r, fused), splat(1.0));
  // NaN lanes convert to n = 0 (saturating conversion) and stay NaN through p.
  const n = i32x4.trunc_sat_f32x4_s(nf);
  if (!wideRange) return f32x4.mul(p, pow2(n));
  const nHalf = i32x4.shr_s(n, 1);
  return f32x4.mul(f32x4.mul(p, pow2(nHalf)), pow2(i32x4.sub(n, nHalf)));
}

/** tanh x for each lane (Cephes tanhf; see the notes above). */
@inline export function tanhV(x: v128): v128 {
  // |x| as one and with a kept constant: f32x4.abs rebuilds its mask on x64 each time (3 instructions).
  const ax = v128.and(x, i32x4.splat(~SIGN_BIT));
  const z = f32x4.mul(ax, ax);
  let q = horner(splat(TANH_Q0), z, splat(TANH_Q1), true);
  q = horner(q, z, splat(TANH_Q2), true);
  q = horner(q, z, splat(TANH_Q3), true);
  q = horner(q, z, splat(TANH_Q4), true);
  const small = f32x4.add(f32x4.mul(f32x4.mul(q, z), ax), ax);
  // 2|x| ≥ 0 needs no lower clamp, and above TANH_EXP_MAX_INPUT the result is exactly 1 either way.
  const e2x = expClamped(f32x4.pmin(f32x4.add(ax, ax), splat(TANH_EXP_MAX_INPUT)), false, true);
  const large = f32x4.sub(splat(1.0), f32x4.div(splat(2.0), f32x4.add(e2x, splat(1.0))));
  const magnitude = v128.bitselect(small, large, f32x4.lt(ax, splat(TANH_SMALL)));
  return v128.or(magnitude, v128.and(x, i32x4.splat(SIGN_BIT)));
}

/** 1 / (1 + e^{−x}) for each lane (XNNPACK's rr2-p5-div scheme over Cephes expf). */
@inline export function sigmoidV(x: v128): v128 {
  // −|x| ≤ 0 needs no upper clamp; setting the sign bit is −|x| in one instruction (NaN stays NaN).
  const e = expClamped(f32x4.pmax(v128.or(x, i32x4.splat(SIGN_BIT)), splat(EXP_MIN_INPUT)), true, true);
  const f = f32x4.div(e, f32x4.add(e, splat(1.0)));
  return v128.bitselect(f32x4.sub(splat(1.0), f), f, f32x4.ge(x, splat(0.0)));
}

/** e^x, bit-identical to one lane of expV. */
@inline export function expS(x: f32): f32 {
  return f32x4.extract_lane(expV(f32x4.splat(x)), 0);
}

/** tanh x, bit-identical to one lane of tanhV. */
@inline export function tanhS(x: f32): f32 {
  return f32x4.extract_lane(tanhV(f32x4.splat(x)), 0);
}

/** 1 / (1 + e^{−x}), bit-identical to one lane of sigmoidV. */
@inline export function sigmoidS(x: f32): f32 {
  return f32x4.extract_lane(sigmoidV(f32x4.splat(x)), 0);
}
