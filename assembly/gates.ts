// Shared @inline helpers of the recurrent step kernels (rnn-step.ts, lstm-step.ts, gru-step.ts):
// gate activations and their derivatives, lane access for the SIMD body and its tail, and masks.
// Not re-exported from index.ts: nothing here is part of the ABI.
import { sigmoidV } from "./approx";

// ---- gate activation codes (the `gateAct` argument of the step kernels)
export const GATE_SIGMOID: i32 = 0;
/** tfjs / Keras 2 hard sigmoid: clip(0.2·x + 0.5, 0, 1). */
export const GATE_HARD_TFJS: i32 = 1;
/** Keras 3 hard sigmoid: clip(x/6 + 0.5, 0, 1) = relu6(x + 3) / 6. */
export const GATE_HARD_KERAS3: i32 = 2;

// The same gate activations as compile-time type arguments. A kernel branches on `gateAct` once
// per call and runs a generic row loop instantiated for one of these types; AssemblyScript folds
// `idof<G>() == idof<…>()` while compiling, so each instantiation holds only its own activation.
// (An @inline row loop given a constant `act` argument is not enough: Binaryen's code folding
// merges the three near-identical copies back into one loop that tests `act` per element, which
// measured ~30% slower on lstmStepForward.) The classes are types only, never instantiated.
@final export abstract class Sigmoid {}
@final export abstract class HardSigmoidTfjs {}
@final export abstract class HardSigmoidKeras3 {}

/** Slope of a hard sigmoid's linear part. */
@inline
function hardSlope<G>(): v128 {
  return f32x4.splat(idof<G>() == idof<HardSigmoidTfjs>() ? <f32>0.2 : <f32>(1.0 / 6.0));
}

/** Gate activation of four preactivations. */
@inline
export function gateV<G>(x: v128): v128 {
  if (idof<G>() == idof<Sigmoid>()) return sigmoidV(x);
  const linear = f32x4.add(f32x4.mul(x, hardSlope<G>()), f32x4.splat(0.5));
  return f32x4.min(f32x4.max(linear, f32x4.splat(0)), f32x4.splat(1));
}

/** Derivative of the gate activation, from its output y: y(1 − y), or the slope where 0 < y < 1. */
@inline
export function gateGradV<G>(y: v128): v128 {
  if (idof<G>() == idof<Sigmoid>()) return f32x4.mul(y, f32x4.sub(f32x4.splat(1), y));
  const linear = v128.and(f32x4.gt(y, f32x4.splat(0)), f32x4.lt(y, f32x4.splat(1)));
  return v128.and(linear, hardSlope<G>());
}

/** Derivative of tanh from its output y: 1 − y². */
@inline
export function tanhGradV(y: v128): v128 {
  return f32x4.sub(f32x4.splat(1), f32x4.mul(y, y));
}

// ---- lanes: the row loops run the same @inline body for 4 lanes (f32x4 loads and stores) and
// for the tail (`lanes` = 1: one f32 splatted in, lane 0 stored). The formulas exist once, and an
// element's result does not depend on where it falls in the row.
export const LANES: i32 = 4;

@inline
export function loadLanes(ptr: usize, lanes: i32): v128 {
  return lanes == LANES ? v128.load(ptr) : f32x4.splat(load<f32>(ptr));
}

@inline
export function storeLanes(ptr: usize, value: v128, lanes: i32): void {
  if (lanes == LANES) v128.store(ptr, value);
  else store<f32>(ptr, f32x4.extract_lane(value, 0));
}

// ---- masks: `mask` is a [B] f32 buffer of 1 (real step) / 0 (padding), or 0 for "no mask".

/** Whether row `b` is padding: it keeps its previous state and passes its gradient through. */
@inline
export function isMaskedRow(mask: usize, b: i32): bool {
  return mask != 0 && load<f32>(mask + (<usize>b << 2)) == 0;
}

/**
 * The dhPrev row of a masked RNN / LSTM backward step: dh on a padding row, 0 on a real one (its
 * dhPrev comes from the caller's GEMM); untouched without a mask. Returns whether the row is padding.
 */
@inline
export function routeMaskedGradient(dhPrevRow: usize, dhRow: usize, mask: usize, b: i32, rowBytes: usize): bool {
  if (mask == 0) return false;
  if (isMaskedRow(mask, b)) {
    memory.copy(dhPrevRow, dhRow, rowBytes);
    return true;
  }
  memory.fill(dhPrevRow, 0, rowBytes);
  return false;
}
