import type { HeapArray } from '../../memory/storage.js';
import { gateActivation, isMaskedRow, tanhGradFromOutput } from './gates.js';

/**
 * lstmStepForward / lstmStepBackward: the fused pointwise part of one LSTM step, gates in PyTorch
 * order i, f, g, o: c = f⊙cPrev + i⊙g, h = o⊙tanh(c). Contract: src/kernels/kernels.ts.
 * In a [B,4H] gates row, gate q of unit j sits at q·H + j.
 */

/** gates: [B,4H] preactivations in, activations out; c, h: [B,H] written (cPrev, hPrev on masked rows); mask: [B] or 0. */
export function lstmStepForward(
  heap: HeapArray, h: number, c: number, gates: number, cPrev: number, hPrev: number, mask: number, batch: number, hidden: number, gateAct: number,
): void {
  const gate = gateActivation(gateAct);
  const hAt = h >>> 2;
  const cAt = c >>> 2;
  const cPrevAt = cPrev >>> 2;
  const hPrevAt = hPrev >>> 2;
  for (let b = 0; b < batch; b++) {
    const masked = isMaskedRow(heap, mask, b);
    for (let j = 0; j < hidden; j++) {
      const k = b * hidden + j;
      const iAt = (gates >>> 2) + 4 * b * hidden + j;
      const fAt = iAt + hidden;
      const gAt = iAt + 2 * hidden;
      const oAt = iAt + 3 * hidden;
      const i = gate.apply(heap[iAt]);
      const f = gate.apply(heap[fAt]);
      const g = Math.tanh(heap[gAt]);
      const o = gate.apply(heap[oAt]);
      heap[iAt] = i;
      heap[fAt] = f;
      heap[gAt] = g;
      heap[oAt] = o;
      const cNew = f * heap[cPrevAt + k] + i * g;
      heap[cAt + k] = masked ? heap[cPrevAt + k] : cNew;
      heap[hAt + k] = masked ? heap[hPrevAt + k] : o * Math.tanh(cNew);
    }
  }
}

/**
 * dGates: [B,4H] written (0 on masked rows); dc: [B,H] in = ∂L/∂c_t from later steps, out = ∂L/∂c_{t−1}
 * (unchanged on masked rows); dhPrev: [B,H] written only with a mask (dh on masked rows, 0 elsewhere);
 * dh: [B,H] total ∂L/∂h_t; gates (activations), c, cPrev: forward caches.
 */
export function lstmStepBackward(
  heap: HeapArray, dGates: number, dc: number, dhPrev: number, dh: number, gates: number, c: number, cPrev: number,
  mask: number, batch: number, hidden: number, gateAct: number,
): void {
  const gate = gateActivation(gateAct);
  const dcAt = dc >>> 2;
  const dhPrevAt = dhPrev >>> 2;
  const dhAt = dh >>> 2;
  const cAt = c >>> 2;
  const cPrevAt = cPrev >>> 2;
  for (let b = 0; b < batch; b++) {
    const masked = isMaskedRow(heap, mask, b);
    for (let j = 0; j < hidden; j++) {
      const k = b * hidden + j;
      const offset = 4 * b * hidden + j;
      const iAt = (gates >>> 2) + offset;
      const dIAt = (dGates >>> 2) + offset;
      const dy = heap[dhAt + k];
      if (mask !== 0) heap[dhPrevAt + k] = masked ? dy : 0;
      if (masked) {
        for (let q = 0; q < 4; q++) heap[dIAt + q * hidden] = 0;
        continue;
      }
      const i = heap[iAt];
      const f = heap[iAt + hidden];
      const g = heap[iAt + 2 * hidden];
      const o = heap[iAt + 3 * hidden];
      const tanhC = Math.tanh(heap[cAt + k]);
      // ∂L/∂c_t: from later steps plus through h = o⊙tanh(c).
      const dcTotal = heap[dcAt + k] + dy * o * tanhGradFromOutput(tanhC);
      heap[dcAt + k] = dcTotal * f;
      heap[dIAt] = dcTotal * g * gate.gradFromOutput(i);
      heap[dIAt + hidden] = dcTotal * heap[cPrevAt + k] * gate.gradFromOutput(f);
      heap[dIAt + 2 * hidden] = dcTotal * i * tanhGradFromOutput(g);
      heap[dIAt + 3 * hidden] = dy * tanhC * gate.gradFromOutput(o);
    }
  }
}
