// gruStepForward / gruStepBackward (+ gruResetGateForward / gruResetGateBackward for the
// reset-before variant): the fused pointwise part of one GRU step, gates in PyTorch order r, z, n
// with the two-bias candidate; h = (1−z)⊙n + z⊙hPrev. Contract: src/kernels/kernels.ts.
//
// resetAfter = 1 (PyTorch, Keras reset_after=True): n = tanh(x_n + r⊙h_n), one kernel per step.
// resetAfter = 0 (Keras reset_after=False): n = tanh(x_n + (r⊙hPrev)·W_hnᵀ + b_hn), so the step is
// split around the caller's GEMM: gruResetGateForward (r, z, r⊙hPrev) → GEMM → gruStepForward;
// backward: gruStepBackward (z, n columns) → GEMM dRh = dHProj_n·W_hn → gruResetGateBackward (r).
import { tanhV } from "./approx";
import {
  GATE_HARD_TFJS, GATE_SIGMOID, HardSigmoidKeras3, HardSigmoidTfjs, LANES, Sigmoid,
  gateGradV, gateV, isMaskedRow, loadLanes, storeLanes, tanhGradV,
} from "./gates";

// The variant as a compile-time type argument of the row loops (see the gate types in gates.ts).
@final abstract class ResetAfter {}
@final abstract class ResetBefore {}

export function gruStepForward(
  h: usize, // h: [B, H] f32, written = (1−z)⊙n + z⊙hPrev; hPrev on masked rows
  gates: usize, // gates: [B, 3H] f32 (r, z, n), written; resetAfter = 0: r, z in (from gruResetGateForward), n written
  xProj: usize, // xProj: [B, 3H] f32 = x·W_ihᵀ + b_ih
  hProj: usize, // hProj: [B, 3H] f32 = hPrev·W_hhᵀ + b_hh; resetAfter = 0: n block = (r⊙hPrev)·W_hnᵀ + b_hn
  hPrev: usize, // hPrev: [B, H] f32
  mask: usize, // mask: [B] f32 of 1 / 0, or 0 = no mask
  batch: i32,
  hidden: i32,
  gateAct: i32,
  resetAfter: i32,
): void {
  // Reset-before applies no gate activation here (r and z are already activations).
  if (resetAfter == 0) gruForwardRows<Sigmoid, ResetBefore>(h, gates, xProj, hProj, hPrev, mask, batch, hidden);
  else if (gateAct == GATE_SIGMOID) gruForwardRows<Sigmoid, ResetAfter>(h, gates, xProj, hProj, hPrev, mask, batch, hidden);
  else if (gateAct == GATE_HARD_TFJS) gruForwardRows<HardSigmoidTfjs, ResetAfter>(h, gates, xProj, hProj, hPrev, mask, batch, hidden);
  else gruForwardRows<HardSigmoidKeras3, ResetAfter>(h, gates, xProj, hProj, hPrev, mask, batch, hidden);
}

export function gruResetGateForward(
  gates: usize, // gates: [B, 3H] f32, r and z blocks written (n untouched)
  rh: usize, // rh: [B, H] f32, written = r⊙hPrev (the left operand of the caller's n-block GEMM)
  xProj: usize, // xProj: [B, 3H] f32 = x·W_ihᵀ + b_ih (n block unused)
  hProj: usize, // hProj: [B, 3H] f32, r and z blocks = hPrev·W_h{r,z}ᵀ + b_h{r,z} (n block unused)
  hPrev: usize, // hPrev: [B, H] f32
  batch: i32,
  hidden: i32,
  gateAct: i32,
): void {
  if (gateAct == GATE_SIGMOID) gruResetGateForwardRows<Sigmoid>(gates, rh, xProj, hProj, hPrev, batch, hidden);
  else if (gateAct == GATE_HARD_TFJS) gruResetGateForwardRows<HardSigmoidTfjs>(gates, rh, xProj, hProj, hPrev, batch, hidden);
  else gruResetGateForwardRows<HardSigmoidKeras3>(gates, rh, xProj, hProj, hPrev, batch, hidden);
}

export function gruStepBackward(
  dXProj: usize, // dXProj: [B, 3H] f32, written (resetAfter = 0: z and n blocks only); 0 on masked rows
  dHProj: usize, // dHProj: [B, 3H] f32, written (resetAfter = 0: z and n blocks only); 0 on masked rows
  dhPrev: usize, // dhPrev: [B, H] f32, written = dh⊙z; dh on masked rows
  dh: usize, // dh: [B, H] f32 = total ∂L/∂h_t
  gates: usize, // gates: [B, 3H] f32, r, z, n from forward
  hProj: usize, // hProj: [B, 3H] f32, from forward (resetAfter = 1 reads its n block)
  hPrev: usize, // hPrev: [B, H] f32
  mask: usize, // mask: [B] f32 of 1 / 0, or 0 = no mask
  batch: i32,
  hidden: i32,
  gateAct: i32,
  resetAfter: i32,
): void {
  if (resetAfter != 0) {
    if (gateAct == GATE_SIGMOID) gruBackwardRows<Sigmoid, ResetAfter>(dXProj, dHProj, dhPrev, dh, gates, hProj, hPrev, mask, batch, hidden);
    else if (gateAct == GATE_HARD_TFJS) gruBackwardRows<HardSigmoidTfjs, ResetAfter>(dXProj, dHProj, dhPrev, dh, gates, hProj, hPrev, mask, batch, hidden);
    else gruBackwardRows<HardSigmoidKeras3, ResetAfter>(dXProj, dHProj, dhPrev, dh, gates, hProj, hPrev, mask, batch, hidden);
  } else {
    if (gateAct == GATE_SIGMOID) gruBackwardRows<Sigmoid, ResetBefore>(dXProj, dHProj, dhPrev, dh, gates, hProj, hPrev, mask, batch, hidden);
    else if (gateAct == GATE_HARD_TFJS) gruBackwardRows<HardSigmoidTfjs, ResetBefore>(dXProj, dHProj, dhPrev, dh, gates, hProj, hPrev, mask, batch, hidden);
    else gruBackwardRows<HardSigmoidKeras3, ResetBefore>(dXProj, dHProj, dhPrev, dh, gates, hProj, hPrev, mask, batch, hidden);
  }
}

export function gruResetGateBackward(
  dXProj: usize, // dXProj: [B, 3H] f32, r block written; 0 on masked rows
  dHProj: usize, // dHProj: [B, 3H] f32, r block written; 0 on masked rows
  dhPrev: usize, // dhPrev: [B, H] f32, += dRh⊙r (unchanged on masked rows)
  dRh: usize, // dRh: [B, H] f32 = dHProj[:, 2H:3H]·W_hn, computed by the caller
  gates: usize, // gates: [B, 3H] f32, r from forward
  hPrev: usize, // hPrev: [B, H] f32
  mask: usize, // mask: [B] f32 of 1 / 0, or 0 = no mask
  batch: i32,
  hidden: i32,
  gateAct: i32,
): void {
  if (gateAct == GATE_SIGMOID) gruResetGateBackwardRows<Sigmoid>(dXProj, dHProj, dhPrev, dRh, gates, hPrev, mask, batch, hidden);
  else if (gateAct == GATE_HARD_TFJS) gruResetGateBackwardRows<HardSigmoidTfjs>(dXProj, dHProj, dhPrev, dRh, gates, hPrev, mask, batch, hidden);
  else gruResetGateBackwardRows<HardSigmoidKeras3>(dXProj, dHProj, dhPrev, dRh, gates, hPrev, mask, batch, hidden);
}

// In the lane functions, `gates`, `xProj`, `hProj`, `dXProj` and `dHProj` point at the row's r
// block; z and n follow at 1 and 2 × `gateBytes`.

/** gate(xProj + hProj) of one block: the r and z preactivations are sums of both projections. */
@inline
function gateOfSum<G>(xProj: usize, hProj: usize, e: usize, lanes: i32): v128 {
  return gateV<G>(f32x4.add(loadLanes(xProj + e, lanes), loadLanes(hProj + e, lanes)));
}

@inline
function gruForwardRows<G, Reset>(
  h: usize, gates: usize, xProj: usize, hProj: usize, hPrev: usize, mask: usize, batch: i32, hidden: i32,
): void {
  const rowBytes = <usize>hidden << 2;
  for (let b = 0; b < batch; b++) {
    const row = <usize>b * rowBytes;
    const gateRow = row * 3;
    let j = 0;
    for (; j + LANES <= hidden; j += LANES) {
      gruForwardLanes<G, Reset>(h + row, gates + gateRow, xProj + gateRow, hProj + gateRow, hPrev + row, rowBytes, <usize>j << 2, LANES);
    }
    for (; j < hidden; j++) {
      gruForwardLanes<G, Reset>(h + row, gates + gateRow, xProj + gateRow, hProj + gateRow, hPrev + row, rowBytes, <usize>j << 2, 1);
    }
    // Padding rows still get their gates (the cache stays uniform) but keep their state.
    if (isMaskedRow(mask, b)) memory.copy(h + row, hPrev + row, rowBytes);
  }
}

@inline
function gruForwardLanes<G, Reset>(
  h: usize, gates: usize, xProj: usize, hProj: usize, hPrev: usize, gateBytes: usize, e: usize, lanes: i32,
): void {
  const zAt = gateBytes + e;
  const nAt = (gateBytes << 1) + e;
  const xn = loadLanes(xProj + nAt, lanes);
  const hn = loadLanes(hProj + nAt, lanes);
  let z: v128;
  let n: v128;
  if (idof<Reset>() == idof<ResetAfter>()) {
    const r = gateOfSum<G>(xProj, hProj, e, lanes);
    z = gateOfSum<G>(xProj, hProj, zAt, lanes);
    storeLanes(gates + e, r, lanes);
    storeLanes(gates + zAt, z, lanes);
    n = tanhV(f32x4.add(xn, f32x4.mul(r, hn)));
  } else {
    z = loadLanes(gates + zAt, lanes);
    n = tanhV(f32x4.add(xn, hn));
  }
  storeLanes(gates + nAt, n, lanes);
  const oneMinusZ = f32x4.sub(f32x4.splat(1), z);
  storeLanes(h + e, f32x4.add(f32x4.mul(oneMinusZ, n), f32x4.mul(z, loadLanes(hPrev + e, lanes))), lanes);
}

@inline
function gruResetGateForwardRows<G>(gates: usize, rh: usize, xProj: usize, hProj: usize, hPrev: usize, batch: i32, hidden: i32): void {
  const rowBytes = <usize>hidden << 2;
  for (let b = 0; b < batch; b++) {
    const row = <usize>b * rowBytes;
    const gateRow = row * 3;
    let j = 0;
    for (; j + LANES <= hidden; j += LANES) {
      gruResetGateForwardLanes<G>(gates + gateRow, rh + row, xProj + gateRow, hProj + gateRow, hPrev + row, rowBytes, <usize>j << 2, LANES);
    }
    for (; j < hidden; j++) {
      gruResetGateForwardLanes<G>(gates + gateRow, rh + row, xProj + gateRow, hProj + gateRow, hPrev + row, rowBytes, <usize>j << 2, 1);
    }
  }
}

@inline
function gruResetGateForwardLanes<G>(
  gates: usize, rh: usize, xProj: usize, hProj: usize, hPrev: usize, gateBytes: usize, e: usize, lanes: i32,
): void {
  const r = gateOfSum<G>(xProj, hProj, e, lanes);
  storeLanes(gates + e, r, lanes);
  storeLanes(gates + gateBytes + e, gateOfSum<G>(xProj, hProj, gateBytes + e, lanes), lanes);
  storeLanes(rh + e, f32x4.mul(r, loadLanes(hPrev + e, lanes)), lanes);
}

@inline
function gruBackwardRows<G, Reset>(
  dXProj: usize, dHProj: usize, dhPrev: usize, dh: usize, gates: usize, hProj: usize, hPrev: usize, mask: usize, batch: i32, hidden: i32,
): void {
  const rowBytes = <usize>hidden << 2;
  // Reset-before leaves the r block to gruResetGateBackward.
  const firstWritten: usize = idof<Reset>() == idof<ResetAfter>() ? 0 : rowBytes;
  const writtenBytes = rowBytes * 3 - firstWritten;
  for (let b = 0; b < batch; b++) {
    const row = <usize>b * rowBytes;
    const gateRow = row * 3;
    if (isMaskedRow(mask, b)) {
      memory.copy(dhPrev + row, dh + row, rowBytes);
      memory.fill(dXProj + gateRow + firstWritten, 0, writtenBytes);
      memory.fill(dHProj + gateRow + firstWritten, 0, writtenBytes);
      continue;
    }
    let j = 0;
    for (; j + LANES <= hidden; j += LANES) {
      gruBackwardLanes<G, Reset>(
        dXProj + gateRow, dHProj + gateRow, dhPrev + row, dh + row, gates + gateRow, hProj + gateRow, hPrev + row,
        rowBytes, <usize>j << 2, LANES,
      );
    }
    for (; j < hidden; j++) {
      gruBackwardLanes<G, Reset>(
        dXProj + gateRow, dHProj + gateRow, dhPrev + row, dh + row, gates + gateRow, hProj + gateRow, hPrev + row,
        rowBytes, <usize>j << 2, 1,
      );
    }
  }
}

@inline
function gruBackwardLanes<G, Reset>(
  dXProj: usize, dHProj: usize, dhPrev: usize, dh: usize, gates: usize, hProj: usize, hPrev: usize,
  gateBytes: usize, e: usize, lanes: i32,
): void {
  const zAt = gateBytes + e;
  const nAt = (gateBytes << 1) + e;
  const z = loadLanes(gates + zAt, lanes);
  const n = loadLanes(gates + nAt, lanes);
  const dy = loadLanes(dh + e, lanes);
  const dnPre = f32x4.mul(f32x4.mul(dy, f32x4.sub(f32x4.splat(1), z)), tanhGradV(n));
  const dzPre = f32x4.mul(f32x4.mul(dy, f32x4.sub(loadLanes(hPrev + e, lanes), n)), gateGradV<G>(z));
  storeLanes(dXProj + zAt, dzPre, lanes);
  storeLanes(dHProj + zAt, dzPre, lanes);
  storeLanes(dXProj + nAt, dnPre, lanes);
  if (idof<Reset>() == idof<ResetAfter>()) {
    // n = tanh(x_n + r⊙h_n): h_n reaches the preactivation through r, and r through h_n.
    const r = loadLanes(gates + e, lanes);
    const drPre = f32x4.mul(f32x4.mul(dnPre, loadLanes(hProj + nAt, lanes)), gateGradV<G>(r));
    storeLanes(dXProj + e, drPre, lanes);
    storeLanes(dHProj + e, drPre, lanes);
    storeLanes(dHProj + nAt, f32x4.mul(dnPre, r), lanes);
  } else {
    storeLanes(dHProj + nAt, dnPre, lanes);
  }
  storeLanes(dhPrev + e, f32x4.mul(dy, z), lanes);
}

@inline
function gruResetGateBackwardRows<G>(
  dXProj: usize, dHProj: usize, dhPrev: usize, dRh: usize, gates: usize, hPrev: usize, mask: usize, batch: i32, hidden: i32,
): void {
  const rowBytes = <usize>hidden << 2;
  for (let b = 0; b < batch; b++) {
    const row = <usize>b * rowBytes;
    const gateRow = row * 3;
    if (isMaskedRow(mask, b)) {
      memory.fill(dXProj + gateRow, 0, rowBytes);
      memory.fill(dHProj + gateRow, 0, rowBytes);
      continue;
    }
    let j = 0;
    for (; j + LANES <= hidden; j += LANES) {
      gruResetGateBackwardLanes<G>(dXProj + gateRow, dHProj + gateRow, dhPrev + row, dRh + row, gates + gateRow, hPrev + row, <usize>j << 2, LANES);
    }
    for (; j < hidden; j++) {
      gruResetGateBackwardLanes<G>(dXProj + gateRow, dHProj + gateRow, dhPrev + row, dRh + row, gates + gateRow, hPrev + row, <usize>j << 2, 1);
    }
  }
}

@inline
function gruResetGateBackwardLanes<G>(
  dXProj: usize, dHProj: usize, dhPrev: usize, dRh: usize, gates: usize, hPrev: usize, e: usize, lanes: i32,
): void {
  const r = loadLanes(gates + e, lanes);
  const dr = loadLanes(dRh + e, lanes);
  const drPre = f32x4.mul(f32x4.mul(dr, loadLanes(hPrev + e, lanes)), gateGradV<G>(r));
  storeLanes(dXProj + e, drPre, lanes);
  storeLanes(dHProj + e, drPre, lanes);
  storeLanes(dhPrev + e, f32x4.add(loadLanes(dhPrev + e, lanes), f32x4.mul(dr, r)), lanes);
}
