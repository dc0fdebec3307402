// lstmStepForward / lstmStepBackward: the fused pointwise part of one LSTM step, gates in
// PyTorch order i, f, g, o: c = f⊙cPrev + i⊙g, h = o⊙tanh(c). Contract: src/kernels/kernels.ts.
import { tanhV } from "./approx";
import {
  GATE_HARD_TFJS, GATE_SIGMOID, HardSigmoidKeras3, HardSigmoidTfjs, LANES, Sigmoid,
  gateGradV, gateV, isMaskedRow, loadLanes, routeMaskedGradient, storeLanes, tanhGradV,
} from "./gates";

export function lstmStepForward(
  h: usize, // h: [B, H] f32, written = o⊙tanh(c); hPrev on masked rows
  c: usize, // c: [B, H] f32, written = f⊙cPrev + i⊙g; cPrev on masked rows
  gates: usize, // gates: [B, 4H] f32 (i, f, g, o): preactivations in, activations out
  cPrev: usize, // cPrev: [B, H] f32
  hPrev: usize, // hPrev: [B, H] f32
  mask: usize, // mask: [B] f32 of 1 / 0, or 0 = no mask
  batch: i32,
  hidden: i32,
  gateAct: i32,
): void {
  if (gateAct == GATE_SIGMOID) lstmForwardRows<Sigmoid>(h, c, gates, cPrev, hPrev, mask, batch, hidden);
  else if (gateAct == GATE_HARD_TFJS) lstmForwardRows<HardSigmoidTfjs>(h, c, gates, cPrev, hPrev, mask, batch, hidden);
  else lstmForwardRows<HardSigmoidKeras3>(h, c, gates, cPrev, hPrev, mask, batch, hidden);
}

export function lstmStepBackward(
  dGates: usize, // dGates: [B, 4H] f32, written = ∂L/∂preactivations (i, f, g, o); 0 on masked rows
  dc: usize, // dc: [B, H] f32, in = ∂L/∂c_t from later steps, out = ∂L/∂c_{t−1}; unchanged on masked rows
  dhPrev: usize, // dhPrev: [B, H] f32, written only when mask ≠ 0: dh on masked rows, 0 elsewhere
  dh: usize, // dh: [B, H] f32 = total ∂L/∂h_t
  gates: usize, // gates: [B, 4H] f32, activations from forward
  c: usize, // c: [B, H] f32, from forward
  cPrev: usize, // cPrev: [B, H] f32
  mask: usize, // mask: [B] f32 of 1 / 0, or 0 = no mask
  batch: i32,
  hidden: i32,
  gateAct: i32,
): void {
  if (gateAct == GATE_SIGMOID) lstmBackwardRows<Sigmoid>(dGates, dc, dhPrev, dh, gates, c, cPrev, mask, batch, hidden);
  else if (gateAct == GATE_HARD_TFJS) lstmBackwardRows<HardSigmoidTfjs>(dGates, dc, dhPrev, dh, gates, c, cPrev, mask, batch, hidden);
  else lstmBackwardRows<HardSigmoidKeras3>(dGates, dc, dhPrev, dh, gates, c, cPrev, mask, batch, hidden);
}

@inline
function lstmForwardRows<G>(h: usize, c: usize, gates: usize, cPrev: usize, hPrev: usize, mask: usize, batch: i32, hidden: i32): void {
  const rowBytes = <usize>hidden << 2;
  for (let b = 0; b < batch; b++) {
    const row = <usize>b * rowBytes;
    const gateRow = row << 2;
    let j = 0;
    for (; j + LANES <= hidden; j += LANES) lstmForwardLanes<G>(h + row, c + row, gates + gateRow, cPrev + row, rowBytes, <usize>j << 2, LANES);
    for (; j < hidden; j++) lstmForwardLanes<G>(h + row, c + row, gates + gateRow, cPrev + row, rowBytes, <usize>j << 2, 1);
    // Padding rows still get their gates activated (the cache stays uniform) but keep their state.
    if (isMaskedRow(mask, b)) {
      memory.copy(h + row, hPrev + row, rowBytes);
      memory.copy(c + row, cPrev + row, rowBytes);
    }
  }
}

/** `gates` is the row's i block; f, g, o follow at 1, 2, 3 × `gateBytes`. */
@inline
function lstmForwardLanes<G>(h: usize, c: usize, gates: usize, cPrev: usize, gateBytes: usize, e: usize, lanes: i32): void {
  const pi = gates + e;
  const pf = pi + gateBytes;
  const pg = pf + gateBytes;
  const po = pg + gateBytes;
  const i = gateV<G>(loadLanes(pi, lanes));
  const f = gateV<G>(loadLanes(pf, lanes));
  const g = tanhV(loadLanes(pg, lanes));
  const o = gateV<G>(loadLanes(po, lanes));
  storeLanes(pi, i, lanes);
  storeLanes(pf, f, lanes);
  storeLanes(pg, g, lanes);
  storeLanes(po, o, lanes);
  const cNew = f32x4.add(f32x4.mul(f, loadLanes(cPrev + e, lanes)), f32x4.mul(i, g));
  storeLanes(c + e, cNew, lanes);
  storeLanes(h + e, f32x4.mul(o, tanhV(cNew)), lanes);
}

@inline
function lstmBackwardRows<G>(
  dGates: usize, dc: usize, dhPrev: usize, dh: usize, gates: usize, c: usize, cPrev: usize, mask: usize, batch: i32, hidden: i32,
): void {
  const rowBytes = <usize>hidden << 2;
  for (let b = 0; b < batch; b++) {
    const row = <usize>b * rowBytes;
    const gateRow = row << 2;
    if (routeMaskedGradient(dhPrev + row, dh + row, mask, b, rowBytes)) {
      memory.fill(dGates + gateRow, 0, rowBytes << 2);
      continue;
    }
    let j = 0;
    for (; j + LANES <= hidden; j += LANES) {
      lstmBackwardLanes<G>(dGates + gateRow, dc + row, dh + row, gates + gateRow, c + row, cPrev + row, rowBytes, <usize>j << 2, LANES);
    }
    for (; j < hidden; j++) {
      lstmBackwardLanes<G>(dGates + gateRow, dc + row, dh + row, gates + gateRow, c + row, cPrev + row, rowBytes, <usize>j << 2, 1);
    }
  }
}

/** `dGates` and `gates` point at the row's i block; f, g, o follow at 1, 2, 3 × `gateBytes`. */
@inline
function lstmBackwardLanes<G>(
  dGates: usize, dc: usize, dh: usize, gates: usize, c: usize, cPrev: usize, gateBytes: usize, e: usize, lanes: i32,
): void {
  const i = loadLanes(gates + e, lanes);
  const f = loadLanes(gates + gateBytes + e, lanes);
  const g = loadLanes(gates + 2 * gateBytes + e, lanes);
  const o = loadLanes(gates + 3 * gateBytes + e, lanes);
  const dy = loadLanes(dh + e, lanes);
  const tanhC = tanhV(loadLanes(c + e, lanes));
  // ∂L/∂c_t: from later steps plus through h = o⊙tanh(c).
  const dcTotal = f32x4.add(loadLanes(dc + e, lanes), f32x4.mul(f32x4.mul(dy, o), tanhGradV(tanhC)));
  storeLanes(dc + e, f32x4.mul(dcTotal, f), lanes);
  storeLanes(dGates + e, f32x4.mul(f32x4.mul(dcTotal, g), gateGradV<G>(i)), lanes);
  storeLanes(dGates + gateBytes + e, f32x4.mul(f32x4.mul(dcTotal, loadLanes(cPrev + e, lanes)), gateGradV<G>(f)), lanes);
  storeLanes(dGates + 2 * gateBytes + e, f32x4.mul(f32x4.mul(dcTotal, i), tanhGradV(g)), lanes);
  storeLanes(dGates + 3 * gateBytes + e, f32x4.mul(f32x4.mul(dy, tanhC), gateGradV<G>(o)), lanes);
}
