import type { HeapArray } from '../../memory/storage.js';
import { isMaskedRow, tanhGradFromOutput } from './gates.js';

/**
 * rnnStepForward / rnnStepBackward: the fused pointwise part of one SimpleRNN step,
 * h = φ(pre) with φ = tanh, or relu when `relu` = 1. Contract: src/kernels/kernels.ts.
 */

/** h: [B,H] written = φ(pre); pre: [B,H]; hPrev: [B,H] copied to h on masked rows; mask: [B] or 0. h may alias pre. */
export function rnnStepForward(heap: HeapArray, h: number, pre: number, hPrev: number, mask: number, batch: number, hidden: number, relu: number): void {
  const hAt = h >>> 2;
  const preAt = pre >>> 2;
  const hPrevAt = hPrev >>> 2;
  for (let b = 0; b < batch; b++) {
    const masked = isMaskedRow(heap, mask, b);
    for (let j = 0; j < hidden; j++) {
      const k = b * hidden + j;
      const x = heap[preAt + k];
      heap[hAt + k] = masked ? heap[hPrevAt + k] : relu !== 0 ? Math.max(x, 0) : Math.tanh(x);
    }
  }
}

/** dPre: [B,H] written = dh·φ'(h), 0 on masked rows (may alias dh); dhPrev: [B,H] written only with a mask: dh on masked rows, 0 elsewhere. */
export function rnnStepBackward(
  heap: HeapArray, dPre: number, dhPrev: number, dh: number, h: number, mask: number, batch: number, hidden: number, relu: number,
): void {
  const dPreAt = dPre >>> 2;
  const dhPrevAt = dhPrev >>> 2;
  const dhAt = dh >>> 2;
  const hAt = h >>> 2;
  for (let b = 0; b < batch; b++) {
    const masked = isMaskedRow(heap, mask, b);
    for (let j = 0; j < hidden; j++) {
      const k = b * hidden + j;
      const dy = heap[dhAt + k]; // read before dPre is written: they may alias
      const y = heap[hAt + k];
      if (mask !== 0) heap[dhPrevAt + k] = masked ? dy : 0;
      heap[dPreAt + k] = masked ? 0 : relu !== 0 ? (y > 0 ? dy : 0) : dy * tanhGradFromOutput(y);
    }
  }
}
