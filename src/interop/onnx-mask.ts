import type { OnnxGraph } from './onnx-graph.js';
import { DATA_TYPE } from './onnx-proto.js';

/*
 * Masked steps in ONNX. Our recurrent layers keep a sequence's state at a masked step, wherever it
 * is (left padding, holes); ONNX's RNN/LSTM/GRU only take `sequence_lens`, which ends each
 * sequence early. Both agree once every sequence's real steps are moved to its front, in order:
 * the states after each real step are the same, and so are the last outputs (Y_h is the state
 * after the last real step; the reverse direction starts there). So the graph sorts each
 * sequence's steps (real ones first, each group in time order), runs the layers with
 * sequence_lens = the count of real steps, and scatters per-step outputs back to their places,
 * zero at masked steps, as a recurrent layer with zeroOutputForMask (or a Masking layer) outputs
 * them. Everything here is time-major: masks [T, B], values [T, B, F].
 */

export interface OnnxMask {
  /** int32 [B]: real steps per sequence (the operators' sequence_lens). */
  lengths: string;
  /** int64 [T, B]: the original step of each sorted step. */
  order: string;
  /** float32 [T, B, 1]: 1 at real steps, 0 at masked ones, in the original order. */
  realSteps: string;
}

/** Above any step index: a real step's sort key is BIG − t, a masked one's −t (exact in float32 while T < 2²⁴). */
const BIG = 2 ** 24;

/** Repeats int64 indices [T, B] along a last axis to `like`'s shape [T, B, F]. */
function indicesLike(g: OnnxGraph, indices: string, like: string): string {
  return g.op1('Expand', [g.op1('Unsqueeze', [indices, g.int64s('axes', [2])]), g.op1('Shape', [like])]);
}

/** float32 [T, B]: 1 where the id is not 0 (an embedding's maskZero). */
export function realIds(g: OnnxGraph, ids: string): string {
  return g.op1('Cast', [g.op1('Not', [g.op1('Equal', [ids, g.int64Scalar('padding_id', 0)])])], { to: DATA_TYPE.FLOAT });
}

/** float32 [T, B]: 1 where some feature differs from maskValue (Keras' Masking). */
export function realValues(g: OnnxGraph, x: string, maskValue: number): string {
  const differs = g.op1('Cast', [g.op1('Not', [g.op1('Equal', [x, g.weight('mask_value', [], Float32Array.of(maskValue))])])], { to: DATA_TYPE.FLOAT });
  const count = g.op1('ReduceSum', [differs, g.int64s('axes', [2])], { keepdims: 0 });
  return g.op1('Cast', [g.op1('Greater', [count, g.weight('zero', [], Float32Array.of(0))])], { to: DATA_TYPE.FLOAT });
}

/** Sorts the steps of x [T, B, F] by the mask `real` [T, B]: real steps first, each group in time order. */
export function sortSteps(g: OnnxGraph, real: string, x: string): { mask: OnnxMask; x: string } {
  const shape = g.op1('Shape', [real]);
  const T = g.op1('Gather', [shape, g.int64Scalar('time_axis', 0)], { axis: 0 });
  const steps = g.op1('Cast', [g.op1('Range', [g.int64Scalar('zero', 0), T, g.int64Scalar('one', 1)])], { to: DATA_TYPE.FLOAT });
  // key [T, B] = real · BIG − t: sorting it in descending order puts real steps first, each group in time order.
  const key = g.op1('Sub', [g.op1('Mul', [real, g.weight('big', [], Float32Array.of(BIG))]), g.op1('Unsqueeze', [steps, g.int64s('axes', [1])])]);
  const K = g.op1('Slice', [shape, g.int64s('starts', [0]), g.int64s('ends', [1])]);
  const order = g.op('TopK', [key, K], { axis: 0, largest: 1, sorted: 1 }, 2)[1]!;
  const lengths = g.op1('Cast', [g.op1('ReduceSum', [real, g.int64s('axes', [0])], { keepdims: 0 })], { to: DATA_TYPE.INT32 });
  const realSteps = g.op1('Unsqueeze', [real, g.int64s('axes', [2])]);
  return { mask: { lengths, order, realSteps }, x: g.op1('GatherElements', [x, indicesLike(g, order, x)], { axis: 0 }) };
}

/** Per-step outputs y [T, B, U] in sorted order → the original order, zero at masked steps. */
export function unsortSteps(g: OnnxGraph, mask: OnnxMask, y: string): string {
  const zeros = g.op1('ConstantOfShape', [g.op1('Shape', [y])]);
  const restored = g.op1('ScatterElements', [zeros, indicesLike(g, mask.order, y), y], { axis: 0 });
  return g.op1('Mul', [restored, mask.realSteps]);
}
