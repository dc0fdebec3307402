import type { Kernels } from '../kernels/kernels.js';
import { packedPanelLength } from '../kernels/packing.js';

/**
 * What distinguishes SimpleRNN, LSTM and GRU: the number of gates G, the extra buffers a cell
 * needs and the kernels of one step. Everything else (the input projection GEMM, the time loop
 * in either direction, masks, state carry, the weight-gradient GEMMs over all steps) is
 * `recurrent-loop.ts`, written once.
 *
 * Offsets are bytes into the arena; sequences are time-major [T][B][·], row-major f32.
 */
export interface Cell {
  /** Gate blocks stacked in W_ih / W_hh / biases (PyTorch order): 1, 4 (i,f,g,o) or 3 (r,z,n). */
  readonly gates: number;
  /** True for LSTM, which carries c besides h. */
  readonly cellState: boolean;
  /** Sizes (elements) of the cell-specific forward buffers for `rows` = T·B rows. */
  forwardSizes(rows: number, batch: number, hidden: number, bias: boolean): CellForwardSizes;
  /** Sizes (elements) of the cell-specific backward buffers. */
  backwardSizes(rows: number, batch: number, hidden: number): CellBackwardSizes;
  /**
   * Runs once after xProj = X·W_ihᵀ over all rows: adds the biases, prepares recurrent buffers and
   * packs W_hh (d.fwd.wHhPacked) for the per-step products.
   */
  project(k: Kernels, d: Direction): void;
  /** Runs once before the backward loop: packs W_hh (d.bwd.wHhPacked) for the per-step products. */
  prepareBackward(k: Kernels, d: Direction): void;
  /** One step at time t: the recurrent GEMM(s) and the fused step kernel. Writes h (and c). */
  stepForward(k: Kernels, d: Direction, t: number, hPrev: number, h: number, cPrev: number, c: number, mask: number): void;
  /**
   * One step backward at time t, `dh` = total ∂L/∂h_t: writes the step's rows of dXProj (and
   * dHProj) and d.bwd.dh = ∂L/∂h_{t−1}; updates d.bwd.dc in place (LSTM).
   */
  stepBackward(k: Kernels, d: Direction, t: number, dh: number, hPrev: number, h: number, cPrev: number, c: number, mask: number): void;
  /** After the loop: dW_hh and db_hh, one GEMM (GRU reset-before: two) over all rows. */
  recurrentGradients(k: Kernels, d: Direction, hPrevs: number): void;
}

export interface CellForwardSizes {
  /** GRU: r, z, n activations [rows, 3H]. */
  gates: number;
  /** GRU: hPrev·W_hhᵀ + b_hh [rows, 3H]. */
  hProj: number;
  /** GRU reset-before: r ⊙ hPrev [rows, H]. */
  rh: number;
  /** SimpleRNN/LSTM: b_ih + b_hh [G·H]. */
  biasSum: number;
  /** W_hh packed for gemmPacked as the B of hPrev·W_hhᵀ (GRU reset-before: two slices). */
  wHhPacked: number;
}

export interface CellBackwardSizes {
  /** GRU: gradient of hProj [rows, 3H] (SimpleRNN/LSTM use dXProj for both projections). */
  dHProj: number;
  /** LSTM: ∂L/∂c carried backward [B, H]. */
  dc: number;
  /** GRU reset-before: ∂L/∂(r ⊙ hPrev) of one step [B, H]. */
  dRh: number;
  /** W_hh packed for gemmPacked as the B of dPre·W_hh (GRU reset-before: two slices). */
  wHhPacked: number;
}

/** Byte offsets of one direction's parameters and gradients; biases are 0 when absent. */
export interface DirectionParameters {
  wIh: number;
  wHh: number;
  bIh: number;
  bHh: number;
  dWIh: number;
  dWHh: number;
  dBIh: number;
  dBHh: number;
}

/** One direction's forward buffers for the current (T, B); cell-specific ones are 0 when unused. */
export interface ForwardBuffers extends CellForwardSizes {
  /** X·W_ihᵀ (+ biases) [rows, G·H]; SimpleRNN/LSTM turn it into pre-activations, then activations. */
  xProj: number;
  /** Hidden states [T+1, B, H], including the initial state (see recurrent-loop.ts for slots). */
  h: number;
  /** LSTM cell states [T+1, B, H]. */
  c: number;
}

/** One direction's backward buffers. */
export interface BackwardBuffers extends CellBackwardSizes {
  /** Gradient of xProj [rows, G·H]: the pre-activation gradients dW_ih, db_ih and dX come from. */
  dXProj: number;
  /** ∂L/∂output of this direction [rows, H]; each step adds the carried dh into its rows. */
  dOut: number;
  /** ∂L/∂h carried from step to step [B, H]. */
  dh: number;
}

/** One layer in one direction for the current (T, B): sizes, parameters, buffers. */
export interface Direction {
  readonly T: number;
  readonly B: number;
  /** Input features of this layer. */
  readonly I: number;
  readonly H: number;
  /** G·H. */
  readonly GH: number;
  readonly reverse: boolean;
  readonly bias: boolean;
  readonly p: DirectionParameters;
  readonly fwd: ForwardBuffers;
  bwd: BackwardBuffers;
}

/** Byte offset of row block t (B rows of `width` f32) in a time-major buffer. */
export function rowBlock(buffer: number, t: number, batch: number, width: number): number {
  return buffer + t * batch * width * 4;
}

/** SimpleRNN/LSTM: both biases are added once to the input projection of all rows. */
export function addSummedBiases(k: Kernels, d: Direction): void {
  if (!d.bias) return;
  k.copy(d.fwd.biasSum, d.p.bIh, d.GH);
  k.axpy(d.fwd.biasSum, d.p.bHh, d.GH, 1);
  k.addRowVector(d.fwd.xProj, d.fwd.biasSum, d.T * d.B, d.GH);
}

/*
 * The per-step recurrent products read W_hh as packB panels (src/kernels/packing.ts), packed once
 * per pass into the direction's workspace: re-packing the whole matrix inside every step's GEMM
 * cost about as much as the product itself.
 */

/** Elements of W_hh packed whole as the B of hPrev·W_hhᵀ: [H, G·H]. */
export function packedWeightLengthForward(gates: number, hidden: number): number {
  return packedPanelLength(hidden, gates * hidden);
}

/** Elements of W_hh packed whole as the B of dPre·W_hh: [G·H, H] (panels pad H, not G·H). */
export function packedWeightLengthBackward(gates: number, hidden: number): number {
  return packedPanelLength(gates * hidden, hidden);
}

/** Forward: d.fwd.wHhPacked = W_hhᵀ [H, G·H] in panels. */
export function packRecurrentWeightForward(k: Kernels, d: Direction): void {
  k.packB(d.fwd.wHhPacked, d.p.wHh, d.H, d.GH, d.H, 1);
}

/** Backward: d.bwd.wHhPacked = W_hh [G·H, H] in panels. */
export function packRecurrentWeightBackward(k: Kernels, d: Direction): void {
  k.packB(d.bwd.wHhPacked, d.p.wHh, d.GH, d.H, d.H, 0);
}

/** pre[B, G·H] += hPrev·W_hhᵀ with the packed W_hh of the forward pass. */
export function addRecurrentProduct(k: Kernels, d: Direction, pre: number, hPrev: number): void {
  k.gemmPacked(pre, hPrev, d.fwd.wHhPacked, d.B, d.GH, d.H, d.H, d.GH, 1, 1);
}

/** dh[B, H] = (beta = 1: +=) dPre·W_hh with the packed W_hh of the backward pass. */
export function recurrentInputGradient(k: Kernels, d: Direction, dh: number, dPre: number, beta: 0 | 1): void {
  k.gemmPacked(dh, dPre, d.bwd.wHhPacked, d.B, d.H, d.GH, d.GH, d.H, 1, beta);
}

/** SimpleRNN/LSTM: W_hh and b_hh see the same pre-activation gradients as W_ih and b_ih. */
export function sharedProjectionGradients(k: Kernels, d: Direction, hPrevs: number): void {
  const rows = d.T * d.B;
  k.gemmTN(d.p.dWHh, d.bwd.dXProj, hPrevs, d.GH, d.H, rows, d.GH, d.H, d.H, 1, 1);
  if (d.bias) k.sumRows(d.p.dBHh, d.bwd.dXProj, rows, d.GH);
}

/** Gate activation of LSTM and GRU, as the step kernels' `gateAct` code. */
export type GateActivation = 'sigmoid' | 'hardSigmoid' | 'hardSigmoidKeras3';
export const GATE_ACTIVATIONS: readonly GateActivation[] = ['sigmoid', 'hardSigmoid', 'hardSigmoidKeras3'];

export function gateActivationCode(activation: GateActivation): number {
  return GATE_ACTIVATIONS.indexOf(activation);
}
