import type { HeapArray } from '../../memory/storage.js';
import { gateActivation, isMaskedRow, tanhGradFromOutput } from './gates.js';

/**
 * gruStepForward / gruStepBackward (+ gruResetGateForward / gruResetGateBackward for reset-before):
 * the fused pointwise part of one GRU step, gates in PyTorch order r, z, n with the two-bias
 * candidate; h = (1−z)⊙n + z⊙hPrev. Contract: src/kernels/kernels.ts.
 * resetAfter = 1: n = tanh(x_n + r⊙h_n). resetAfter = 0: h_n = (r⊙hPrev)·W_hnᵀ + b_hn comes from the
 * caller's GEMM between gruResetGateForward and gruStepForward, so n = tanh(x_n + h_n).
 */

/**
 * Index of unit j's r entry in row b of a [B,3H] buffer (gates, xProj, hProj and their gradients);
 * its z entry is `hidden` later and its n entry `2·hidden` later. A number, not a tuple, so the
 * inner loops allocate nothing per element.
 */
function rIndex(b: number, j: number, hidden: number): number {
  return 3 * b * hidden + j;
}

/** h: [B,H] written (hPrev on masked rows); gates: [B,3H] written (resetAfter = 0: r, z in, n written); xProj, hProj: [B,3H]; mask: [B] or 0. */
export function gruStepForward(
  heap: HeapArray, h: number, gates: number, xProj: number, hProj: number, hPrev: number, mask: number,
  batch: number, hidden: number, gateAct: number, resetAfter: number,
): void {
  const gate = gateActivation(gateAct);
  const hAt = h >>> 2;
  const gatesAt = gates >>> 2;
  const xAt = xProj >>> 2;
  const hpAt = hProj >>> 2;
  const hPrevAt = hPrev >>> 2;
  for (let b = 0; b < batch; b++) {
    const masked = isMaskedRow(heap, mask, b);
    for (let j = 0; j < hidden; j++) {
      const k = b * hidden + j;
      const ri = rIndex(b, j, hidden);
      const zi = ri + hidden;
      const ni = zi + hidden;
      let z: number;
      let n: number;
      if (resetAfter !== 0) {
        const r = gate.apply(heap[xAt + ri] + heap[hpAt + ri]);
        z = gate.apply(heap[xAt + zi] + heap[hpAt + zi]);
        heap[gatesAt + ri] = r;
        heap[gatesAt + zi] = z;
        n = Math.tanh(heap[xAt + ni] + r * heap[hpAt + ni]);
      } else {
        z = heap[gatesAt + zi];
        n = Math.tanh(heap[xAt + ni] + heap[hpAt + ni]);
      }
      heap[gatesAt + ni] = n;
      const hp = heap[hPrevAt + k];
      heap[hAt + k] = masked ? hp : (1 - z) * n + z * hp;
    }
  }
}

/** Reset-before, ahead of the n-block GEMM: gates' r and z blocks written = gate(xProj + hProj); rh: [B,H] written = r⊙hPrev. */
export function gruResetGateForward(
  heap: HeapArray, gates: number, rh: number, xProj: number, hProj: number, hPrev: number, batch: number, hidden: number, gateAct: number,
): void {
  const gate = gateActivation(gateAct);
  const gatesAt = gates >>> 2;
  const rhAt = rh >>> 2;
  const xAt = xProj >>> 2;
  const hpAt = hProj >>> 2;
  const hPrevAt = hPrev >>> 2;
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < hidden; j++) {
      const k = b * hidden + j;
      const ri = rIndex(b, j, hidden);
      const zi = ri + hidden;
      const r = gate.apply(heap[xAt + ri] + heap[hpAt + ri]);
      heap[gatesAt + ri] = r;
      heap[gatesAt + zi] = gate.apply(heap[xAt + zi] + heap[hpAt + zi]);
      heap[rhAt + k] = r * heap[hPrevAt + k];
    }
  }
}

/**
 * dXProj, dHProj: [B,3H] written, 0 on masked rows (resetAfter = 0: z and n blocks only);
 * dhPrev: [B,H] written = dh⊙z (dh on masked rows); gates, hProj: forward caches.
 */
export function gruStepBackward(
  heap: HeapArray, dXProj: number, dHProj: number, dhPrev: number, dh: number, gates: number, hProj: number, hPrev: number,
  mask: number, batch: number, hidden: number, gateAct: number, resetAfter: number,
): void {
  const gate = gateActivation(gateAct);
  const dxAt = dXProj >>> 2;
  const dhpAt = dHProj >>> 2;
  const dhPrevAt = dhPrev >>> 2;
  const dhAt = dh >>> 2;
  const gatesAt = gates >>> 2;
  const hpAt = hProj >>> 2;
  const hPrevAt = hPrev >>> 2;
  for (let b = 0; b < batch; b++) {
    const masked = isMaskedRow(heap, mask, b);
    for (let j = 0; j < hidden; j++) {
      const k = b * hidden + j;
      const ri = rIndex(b, j, hidden);
      const zi = ri + hidden;
      const ni = zi + hidden;
      const dy = heap[dhAt + k];
      if (masked) {
        heap[dhPrevAt + k] = dy;
        for (const q of resetAfter !== 0 ? [ri, zi, ni] : [zi, ni]) heap[dxAt + q] = heap[dhpAt + q] = 0;
        continue;
      }
      const z = heap[gatesAt + zi];
      const n = heap[gatesAt + ni];
      const dnPre = dy * (1 - z) * tanhGradFromOutput(n);
      const dzPre = dy * (heap[hPrevAt + k] - n) * gate.gradFromOutput(z);
      heap[dxAt + zi] = heap[dhpAt + zi] = dzPre;
      heap[dxAt + ni] = dnPre;
      if (resetAfter !== 0) {
        // n = tanh(x_n + r⊙h_n): h_n reaches the preactivation through r, and r through h_n.
        const r = heap[gatesAt + ri];
        heap[dxAt + ri] = heap[dhpAt + ri] = dnPre * heap[hpAt + ni] * gate.gradFromOutput(r);
        heap[dhpAt + ni] = dnPre * r;
      } else {
        heap[dhpAt + ni] = dnPre;
      }
      heap[dhPrevAt + k] = dy * z;
    }
  }
}

/** Reset-before, after the caller's GEMM dRh = dHProj[:, n block]·W_hn: r blocks of dXProj, dHProj written (0 on masked rows); dhPrev += dRh⊙r. */
export function gruResetGateBackward(
  heap: HeapArray, dXProj: number, dHProj: number, dhPrev: number, dRh: number, gates: number, hPrev: number,
  mask: number, batch: number, hidden: number, gateAct: number,
): void {
  const gate = gateActivation(gateAct);
  const dxAt = dXProj >>> 2;
  const dhpAt = dHProj >>> 2;
  const dhPrevAt = dhPrev >>> 2;
  const dRhAt = dRh >>> 2;
  const gatesAt = gates >>> 2;
  const hPrevAt = hPrev >>> 2;
  for (let b = 0; b < batch; b++) {
    const masked = isMaskedRow(heap, mask, b);
    for (let j = 0; j < hidden; j++) {
      const k = b * hidden + j;
      const ri = rIndex(b, j, hidden);
      if (masked) {
        heap[dxAt + ri] = heap[dhpAt + ri] = 0;
        continue;
      }
      const r = heap[gatesAt + ri];
      const dr = heap[dRhAt + k];
      heap[dxAt + ri] = heap[dhpAt + ri] = dr * heap[hPrevAt + k] * gate.gradFromOutput(r);
      heap[dhPrevAt + k] += dr * r;
    }
  }
}
