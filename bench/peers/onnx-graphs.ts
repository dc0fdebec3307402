/**
 * ONNX graphs of the workloads, built from the shared weights: one LSTM / GRU / RNN node over
 * X [T, B, I] (time-major), then the Dense head as MatMul + Add on every step ([T, B, outputs])
 * or on the last hidden state followed by Softmax ([B, outputs]).
 */
import type { OnnxGraph, OnnxNode } from './onnx-proto.js';
import { GATES, addArrays, reorderGates, transpose, type SharedWeights, type Workload } from './workloads.js';

/** ONNX gate orders as PyTorch gate blocks: LSTM i,o,f,c ← i,f,g,o; GRU z,r,h ← r,z,n. */
const ONNX_GATE_ORDER = { LSTM: [0, 3, 1, 2], GRU: [1, 0, 2], SimpleRNN: [0] } as const;

export function onnxGraph(w: Workload, weights: SharedWeights): OnnxGraph {
  const { hidden: H, inputSize: I, outputs: O, steps: T, batch: B } = w;
  const G = GATES[w.cell];
  const order = ONNX_GATE_ORDER[w.cell];
  const cell: OnnxNode = {
    op: w.cell === 'SimpleRNN' ? 'RNN' : w.cell,
    // Inputs: X, W, R, B (sequence_lens and initial states omitted: full length, zero states).
    inputs: ['x', 'W', 'R', 'B'],
    outputs: ['Y', 'Y_h'],
    // GRU: the reset gate multiplies hPrev before the recurrent product (tfjs' GRU, resetAfter false).
    ints: { hidden_size: H, ...(w.cell === 'GRU' ? { linear_before_reset: 0 } : {}) },
  };
  const head: OnnxNode[] = w.head === 'sequence'
    ? [
      { op: 'Squeeze', inputs: ['Y', 'axis1'], outputs: ['Y3'] },
      { op: 'MatMul', inputs: ['Y3', 'Wd'], outputs: ['Z'] },
      { op: 'Add', inputs: ['Z', 'bd'], outputs: ['out'] },
    ]
    : [
      { op: 'Squeeze', inputs: ['Y_h', 'axis0'], outputs: ['h'] },
      { op: 'MatMul', inputs: ['h', 'Wd'], outputs: ['Z'] },
      { op: 'Add', inputs: ['Z', 'bd'], outputs: ['logits'] },
      { op: 'Softmax', inputs: ['logits'], outputs: ['out'], ints: { axis: -1 } },
    ];
  return {
    nodes: [cell, ...head],
    initializers: [
      { name: 'W', dims: [1, G * H, I], values: reorderGates(weights.weightIh, H, I, order) },
      { name: 'R', dims: [1, G * H, H], values: reorderGates(weights.weightHh, H, H, order) },
      { name: 'B', dims: [1, 2 * G * H], values: concat(reorderGates(weights.biasIh, H, 1, order), reorderGates(weights.biasHh, H, 1, order)) },
      { name: 'Wd', dims: [H, O], values: transpose(weights.denseWeight, O, H) },
      { name: 'bd', dims: [O], values: weights.denseBias },
      // Squeeze's axes: the num_directions axis of Y [T, 1, B, H] or of Y_h [1, B, H].
      w.head === 'sequence' ? { name: 'axis1', dims: [1], values: { int64: [1] } } : { name: 'axis0', dims: [1], values: { int64: [0] } },
    ],
    inputs: [{ name: 'x', dims: [T, B, I] }],
    outputs: [{ name: 'out', dims: w.head === 'sequence' ? [T, B, O] : [B, O] }],
  };
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The bias tfjs and Keras keep as one vector (b_ih + b_hh), in PyTorch gate order. */
export function fusedBias(weights: SharedWeights): Float32Array {
  return addArrays(weights.biasIh, weights.biasHh);
}
