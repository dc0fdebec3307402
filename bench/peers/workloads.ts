/**
 * The workloads of the peer benchmark (issue 7), their FLOP counts, their data, and the weights
 * every peer that can load them shares (PyTorch layout, taken from wasm-rnn's initialisation).
 */
import { Random } from '../../src/random.js';

export type CellKind = 'LSTM' | 'GRU' | 'SimpleRNN';

export interface Workload {
  /** Selects the workload on the command line: W1, W2-LSTM, W2-GRU, W2-RNN, W3. */
  id: string;
  cell: CellKind;
  inputSize: number;
  hidden: number;
  batch: number;
  steps: number;
  /** Units of the Dense head. */
  outputs: number;
  /** 'sequence': Dense on every step, MSE against [B, T, outputs]; 'last': Dense + softmax on the last step, cross-entropy against class ids. */
  head: 'sequence' | 'last';
  optimizer: 'sgd' | 'adam';
}

export const WORKLOADS: readonly Workload[] = [
  { id: 'W1', cell: 'LSTM', inputSize: 8, hidden: 32, batch: 1, steps: 20, outputs: 8, head: 'sequence', optimizer: 'sgd' },
  { id: 'W2-LSTM', cell: 'LSTM', inputSize: 32, hidden: 128, batch: 32, steps: 64, outputs: 32, head: 'sequence', optimizer: 'adam' },
  { id: 'W2-GRU', cell: 'GRU', inputSize: 32, hidden: 128, batch: 32, steps: 64, outputs: 32, head: 'sequence', optimizer: 'adam' },
  { id: 'W2-RNN', cell: 'SimpleRNN', inputSize: 32, hidden: 128, batch: 32, steps: 64, outputs: 32, head: 'sequence', optimizer: 'adam' },
  { id: 'W3', cell: 'LSTM', inputSize: 128, hidden: 512, batch: 64, steps: 32, outputs: 10, head: 'last', optimizer: 'adam' },
];

/** Gate blocks per cell: LSTM i,f,g,o; GRU r,z,n; SimpleRNN one. */
export const GATES: Record<CellKind, number> = { LSTM: 4, GRU: 3, SimpleRNN: 1 };

export function describeWorkload(w: Workload): string {
  const head = w.head === 'sequence' ? `dense ${w.outputs}/step MSE` : `last step dense ${w.outputs} softmax CE`;
  return `${w.id} ${w.cell} I=${w.inputSize} H=${w.hidden} B=${w.batch} T=${w.steps}, ${head}, ${w.optimizer === 'sgd' ? 'SGD' : 'Adam'}`;
}

/**
 * FLOPs of one forward pass: 2·MACs of the matrix products only (pointwise gate math, losses
 * and optimizer updates are not counted). Recurrent layer: every step multiplies [B, I + H] by
 * [I + H, G·H] (input and recurrent projections); head: [rows, H]·[H, outputs] with rows = T·B
 * (Dense on every step) or B (last step). A training step counts 3× forward: the forward
 * products, then per product one for the input gradient and one for the weight gradient.
 */
export function flops(w: Workload, mode: 'forward' | 'train'): number {
  const recurrentMacs = w.steps * w.batch * GATES[w.cell] * w.hidden * (w.inputSize + w.hidden);
  const headRows = w.head === 'sequence' ? w.steps * w.batch : w.batch;
  const forward = 2 * (recurrentMacs + headRows * w.hidden * w.outputs);
  return mode === 'forward' ? forward : 3 * forward;
}

/** One batch: inputs batch-first [B, T, I]; targets [B, T, outputs] (MSE) or class ids [B] (CE). */
export interface WorkloadData {
  x: Float32Array;
  /** x time-major [T, B, I] (ONNX's default layout). */
  xTimeMajor: Float32Array;
  /** MSE targets [B, T, outputs], or null. */
  targets: Float32Array | null;
  /** Class ids [B], or null. */
  classes: Int32Array | null;
}

export function workloadData(w: Workload, seed = 7): WorkloadData {
  const random = new Random(seed);
  const x = Float32Array.from({ length: w.batch * w.steps * w.inputSize }, () => random.uniform(-1, 1));
  const mse = w.head === 'sequence';
  return {
    x,
    xTimeMajor: swapLeadingAxes(x, w.batch, w.steps, w.inputSize),
    targets: mse ? Float32Array.from({ length: w.batch * w.steps * w.outputs }, () => random.uniform(-1, 1)) : null,
    classes: mse ? null : Int32Array.from({ length: w.batch }, () => Math.floor(random.uniform(0, w.outputs))),
  };
}

/** [a, b, width] → [b, a, width] (batch-first ↔ time-major). */
export function swapLeadingAxes(values: Float32Array, a: number, b: number, width: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) out.set(values.subarray((i * b + j) * width, (i * b + j + 1) * width), (j * a + i) * width);
  }
  return out;
}

/** Weights in PyTorch's layout and gate order (LSTM i,f,g,o; GRU r,z,n), GRU with the reset gate applied before the recurrent product. */
export interface SharedWeights {
  /** [G·H, I] */
  weightIh: Float32Array;
  /** [G·H, H] */
  weightHh: Float32Array;
  /** [G·H] each */
  biasIh: Float32Array;
  biasHh: Float32Array;
  /** Dense [outputs, H] and [outputs]. */
  denseWeight: Float32Array;
  denseBias: Float32Array;
}

/** [rows, cols] → [cols, rows]. */
export function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/** Rows [G·H, width] re-ordered by gate block: block k of the result is block order[k] of the input. */
export function reorderGates(values: Float32Array, hidden: number, width: number, order: readonly number[]): Float32Array {
  const block = hidden * width;
  const out = new Float32Array(values.length);
  order.forEach((from, to) => out.set(values.subarray(from * block, (from + 1) * block), to * block));
  return out;
}

export function addArrays(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((v, i) => v + b[i]!);
}
