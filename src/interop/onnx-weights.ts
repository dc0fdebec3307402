import type { RecurrentClassName } from '../model/layer-specs.js';

/*
 * PyTorch-layout recurrent weights (ours) → the W, R, B inputs of ONNX's RNN, LSTM and GRU
 * operators (onnx/docs/Operators.md): W [D, G·H, I], R [D, G·H, H], B [D, 2·G·H] = [Wb, Rb],
 * directions in order forward, reverse. Rows keep their layout ([G·H, ·] row-major in both);
 * only the gate blocks move.
 */

/**
 * ONNX gate block k is our block ONNX_GATE_ORDER[k]: LSTM ours i,f,g,o → ONNX i,o,f,c; GRU ours
 * r,z,n → ONNX z,r,h; RNN has one block.
 */
export const ONNX_GATE_ORDER: Record<RecurrentClassName, readonly number[]> = { SimpleRNN: [0], LSTM: [0, 3, 1, 2], GRU: [1, 0, 2] };

export interface OnnxRecurrentWeights {
  W: Float32Array;
  R: Float32Array;
  /** null without bias (ONNX then uses zeros). */
  B: Float32Array | null;
}

/** Copies the gate blocks of `source` ([G·H, width], row-major) into `target` at `at`, in ONNX order. */
function reorderInto(target: Float32Array, at: number, source: Float32Array, order: readonly number[], blockSize: number): void {
  order.forEach((block, k) => target.set(source.subarray(block * blockSize, (block + 1) * blockSize), at + k * blockSize));
}

/**
 * `value(name)` reads our parameters by their PyTorch names (`weight_ih_l0`, `…_reverse`).
 * `suffixes`: [''] or ['', '_reverse'].
 */
export function onnxRecurrentWeights(
  className: RecurrentClassName, inputSize: number, units: number, useBias: boolean, suffixes: readonly string[], value: (name: string) => Float32Array,
): OnnxRecurrentWeights {
  const order = ONNX_GATE_ORDER[className];
  const rows = order.length * units;
  const D = suffixes.length;
  const W = new Float32Array(D * rows * inputSize);
  const R = new Float32Array(D * rows * units);
  const B = useBias ? new Float32Array(D * 2 * rows) : null;
  suffixes.forEach((suffix, d) => {
    reorderInto(W, d * rows * inputSize, value(`weight_ih_l0${suffix}`), order, units * inputSize);
    reorderInto(R, d * rows * units, value(`weight_hh_l0${suffix}`), order, units * units);
    if (B !== null) {
      reorderInto(B, d * 2 * rows, value(`bias_ih_l0${suffix}`), order, units);
      reorderInto(B, d * 2 * rows + rows, value(`bias_hh_l0${suffix}`), order, units);
    }
  });
  return { W, R, B };
}

/** Our [rows, cols] matrix transposed to [cols, rows] (a Dense weight for MatMul). */
export function transposed(matrix: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = matrix[r * cols + c]!;
  return out;
}
