// rnnStepForward / rnnStepBackward: the fused pointwise part of one SimpleRNN step,
// h = φ(pre) with φ = tanh or relu. Contract: src/kernels/kernels.ts.
import { tanhV } from "./approx";
import { LANES, isMaskedRow, loadLanes, routeMaskedGradient, storeLanes, tanhGradV } from "./gates";

// φ as a compile-time type argument of the row loops (see the gate types in gates.ts for why).
@final abstract class Tanh {}
@final abstract class Relu {}

export function rnnStepForward(
  h: usize, // h: [B, H] f32, written; may alias pre
  pre: usize, // pre: [B, H] f32 = x·W_ihᵀ + b_ih + b_hh + hPrev·W_hhᵀ
  hPrev: usize, // hPrev: [B, H] f32, copied to h on masked rows
  mask: usize, // mask: [B] f32 of 1 / 0, or 0 = no mask
  batch: i32,
  hidden: i32,
  relu: i32,
): void {
  if (relu != 0) rnnForwardRows<Relu>(h, pre, hPrev, mask, batch, hidden);
  else rnnForwardRows<Tanh>(h, pre, hPrev, mask, batch, hidden);
}

export function rnnStepBackward(
  dPre: usize, // dPre: [B, H] f32, written = dh·φ'(h), 0 on masked rows; may alias dh
  dhPrev: usize, // dhPrev: [B, H] f32, written only when mask ≠ 0: dh on masked rows, 0 elsewhere
  dh: usize, // dh: [B, H] f32 = total ∂L/∂h_t
  h: usize, // h: [B, H] f32, forward output
  mask: usize, // mask: [B] f32 of 1 / 0, or 0 = no mask
  batch: i32,
  hidden: i32,
  relu: i32,
): void {
  if (relu != 0) rnnBackwardRows<Relu>(dPre, dhPrev, dh, h, mask, batch, hidden);
  else rnnBackwardRows<Tanh>(dPre, dhPrev, dh, h, mask, batch, hidden);
}

@inline
function rnnForwardRows<Phi>(h: usize, pre: usize, hPrev: usize, mask: usize, batch: i32, hidden: i32): void {
  const rowBytes = <usize>hidden << 2;
  for (let b = 0; b < batch; b++) {
    const row = <usize>b * rowBytes;
    if (isMaskedRow(mask, b)) {
      memory.copy(h + row, hPrev + row, rowBytes);
      continue;
    }
    let j = 0;
    for (; j + LANES <= hidden; j += LANES) rnnForwardLanes<Phi>(h + row, pre + row, <usize>j << 2, LANES);
    for (; j < hidden; j++) rnnForwardLanes<Phi>(h + row, pre + row, <usize>j << 2, 1);
  }
}

@inline
function rnnForwardLanes<Phi>(h: usize, pre: usize, e: usize, lanes: i32): void {
  const x = loadLanes(pre + e, lanes);
  storeLanes(h + e, idof<Phi>() == idof<Relu>() ? f32x4.max(x, f32x4.splat(0)) : tanhV(x), lanes);
}

@inline
function rnnBackwardRows<Phi>(dPre: usize, dhPrev: usize, dh: usize, h: usize, mask: usize, batch: i32, hidden: i32): void {
  const rowBytes = <usize>hidden << 2;
  for (let b = 0; b < batch; b++) {
    const row = <usize>b * rowBytes;
    // dh is read before dPre is zeroed: they may alias.
    if (routeMaskedGradient(dhPrev + row, dh + row, mask, b, rowBytes)) {
      memory.fill(dPre + row, 0, rowBytes);
      continue;
    }
    let j = 0;
    for (; j + LANES <= hidden; j += LANES) rnnBackwardLanes<Phi>(dPre + row, dh + row, h + row, <usize>j << 2, LANES);
    for (; j < hidden; j++) rnnBackwardLanes<Phi>(dPre + row, dh + row, h + row, <usize>j << 2, 1);
  }
}

@inline
function rnnBackwardLanes<Phi>(dPre: usize, dh: usize, h: usize, e: usize, lanes: i32): void {
  const dy = loadLanes(dh + e, lanes);
  const y = loadLanes(h + e, lanes);
  // relu' selects dh where h > 0 (a bit mask, so 0 · NaN never appears).
  const dx = idof<Phi>() == idof<Relu>() ? v128.and(dy, f32x4.gt(y, f32x4.splat(0))) : f32x4.mul(dy, tanhGradV(y));
  storeLanes(dPre + e, dx, lanes);
}
