import type { Kernels } from '../kernels/kernels.js';
import { rowBlock, type Cell, type Direction } from './cell.js';

/*
 * The one time loop of every recurrent layer, for one layer in one direction.
 *
 * Hidden (and cell) states live in T+1 slots of [B, H], time-aligned so that the outputs, the
 * "previous states" that dW_hh needs and the pre-activations are each ONE contiguous block:
 *
 *   forward direction:  slot 0 = initial state, slot t+1 = h_t    (step t reads slot t)
 *   reverse direction:  slot T = initial state, slot t   = h_t    (step t reads slot t+1)
 *
 * so outputs are slots [1..T] (forward) or [0..T−1] (reverse), the previous states of all steps
 * are slots [0..T−1] or [1..T], and the final state is slot T or slot 0.
 *
 * Masks: `mask` is [T, B] f32 (1 = real step, 0 = padding) or 0 for none. A padded row keeps its
 * state (the step kernels copy hPrev/cPrev), so its output slot holds the carried state and its
 * gradient passes through unchanged; the pre-activation gradients of padded rows are 0, so padded
 * steps add nothing to weight or input gradients.
 */

/** Slot holding the state step t reads. */
function previousSlot(d: Direction, t: number): number {
  return d.reverse ? t + 1 : t;
}

/** Slot holding the state step t writes. */
function currentSlot(d: Direction, t: number): number {
  return d.reverse ? t : t + 1;
}

function slot(buffer: number, d: Direction, index: number): number {
  return rowBlock(buffer, index, d.B, d.H);
}

/** Time step processed at position s of the direction's order. */
function timeAt(d: Direction, s: number): number {
  return d.reverse ? d.T - 1 - s : s;
}

/** The direction's outputs h_0..h_{T−1}, time-aligned: [T·B, H]. */
export function outputStates(d: Direction): number {
  return slot(d.fwd.h, d, currentSlot(d, 0));
}

/** The states each step read, h_{t−1} (forward) or h_{t+1} (reverse), time-aligned: [T·B, H]. */
function previousStates(d: Direction): number {
  return slot(d.fwd.h, d, previousSlot(d, 0));
}

/** The state after the direction's last step: [B, H] in the h (or c) slots. */
export function finalState(d: Direction, buffer: number): number {
  return slot(buffer, d, currentSlot(d, timeAt(d, d.T - 1)));
}

/**
 * Forward over all T steps. x: [T·B, I] time-major; h0, c0: [B, H] or 0 for zeros;
 * mask: [T, B] or 0. Fills d.fwd (outputs, final states and the caches backward needs).
 */
export function forwardDirection(k: Kernels, cell: Cell, d: Direction, x: number, mask: number, h0: number, c0: number): void {
  const rows = d.T * d.B;
  const stateSize = d.B * d.H;
  // The input projection of every step: one GEMM over all T·B rows.
  k.gemmNT(d.fwd.xProj, x, d.p.wIh, rows, d.GH, d.I, d.I, d.I, d.GH, 1, 0);
  cell.project(k, d);
  const first = timeAt(d, 0);
  setState(k, slot(d.fwd.h, d, previousSlot(d, first)), h0, stateSize);
  if (cell.cellState) setState(k, slot(d.fwd.c, d, previousSlot(d, first)), c0, stateSize);
  for (let s = 0; s < d.T; s++) {
    const t = timeAt(d, s);
    const prev = previousSlot(d, t);
    const cur = currentSlot(d, t);
    cell.stepForward(
      k, d, t,
      slot(d.fwd.h, d, prev), slot(d.fwd.h, d, cur),
      cell.cellState ? slot(d.fwd.c, d, prev) : 0, cell.cellState ? slot(d.fwd.c, d, cur) : 0,
      mask === 0 ? 0 : rowBlock(mask, t, 1, d.B),
    );
  }
}

/**
 * Backward over all T steps in the reverse of the forward order, then the weight gradients as
 * one GEMM each over all rows (accumulated into the parameter gradients). The caller has filled
 * d.bwd.dOut with ∂L/∂output (this loop adds the carried dh into it). dhN, dcN: [B, H] or 0;
 * dh0, dc0: [B, H] written, or 0 when not wanted. x and mask as in forward.
 */
export function backwardDirection(
  k: Kernels, cell: Cell, d: Direction, x: number, mask: number,
  dhN: number, dcN: number, dh0: number, dc0: number,
): void {
  const rows = d.T * d.B;
  const stateSize = d.B * d.H;
  setState(k, d.bwd.dh, dhN, stateSize);
  if (cell.cellState) setState(k, d.bwd.dc, dcN, stateSize);
  cell.prepareBackward(k, d);
  for (let s = d.T - 1; s >= 0; s--) {
    const t = timeAt(d, s);
    const prev = previousSlot(d, t);
    const cur = currentSlot(d, t);
    const dh = rowBlock(d.bwd.dOut, t, d.B, d.H);
    k.axpy(dh, d.bwd.dh, stateSize, 1);
    cell.stepBackward(
      k, d, t, dh,
      slot(d.fwd.h, d, prev), slot(d.fwd.h, d, cur),
      cell.cellState ? slot(d.fwd.c, d, prev) : 0, cell.cellState ? slot(d.fwd.c, d, cur) : 0,
      mask === 0 ? 0 : rowBlock(mask, t, 1, d.B),
    );
  }
  if (dh0 !== 0) k.copy(dh0, d.bwd.dh, stateSize);
  if (dc0 !== 0 && cell.cellState) k.copy(dc0, d.bwd.dc, stateSize);
  // Weight gradients: one GEMM each over all T·B rows.
  k.gemmTN(d.p.dWIh, d.bwd.dXProj, x, d.GH, d.I, rows, d.GH, d.I, d.I, 1, 1);
  if (d.bias) k.sumRows(d.p.dBIh, d.bwd.dXProj, rows, d.GH);
  cell.recurrentGradients(k, d, previousStates(d));
}

/** dx: [T·B, I] = (beta = 1: +=) dXProj · W_ih, one GEMM over all rows. */
export function inputGradient(k: Kernels, d: Direction, dx: number, beta: 0 | 1): void {
  k.gemmNN(dx, d.bwd.dXProj, d.p.wIh, d.T * d.B, d.I, d.GH, d.GH, d.I, d.I, 1, beta);
}

function setState(k: Kernels, target: number, source: number, n: number): void {
  if (source === 0) k.fill(target, 0, n);
  else k.copy(target, source, n);
}
