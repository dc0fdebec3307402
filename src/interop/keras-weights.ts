import type { RecurrentClassName } from '../model/layer-specs.js';

/*
 * Weight layouts of Keras (and tfjs, which is Keras' layout) ↔ the PyTorch-layout parameters of
 * wasm-rnn, for one recurrent layer/direction, a Dense layer or an Embedding.
 *
 * Keras, per layer/direction: kernel [I, G·H] = W_ihᵀ, recurrent_kernel [H, G·H] = W_hhᵀ, bias
 * [G·H] (GRU reset_after: [2, 3H] = [input bias; recurrent bias]), gate blocks along the last
 * axis: LSTM i,f,c,o (PyTorch's i,f,g,o), GRU z,r,h (PyTorch's r,z,n with the first two blocks
 * swapped). PyTorch: weight_ih [G·H, I], weight_hh [G·H, H], bias_ih [G·H], bias_hh [G·H].
 * Where Keras has one bias (SimpleRNN, LSTM, reset-before GRU) only b_ih + b_hh matters, so the
 * whole bias goes to bias_ih and bias_hh is zero; going back, the two are summed (in float32, as
 * the forward pass sums them).
 */

/** One named weight array (Keras' names: kernel, recurrent_kernel, bias, embeddings). */
export interface KerasArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

/**
 * The weights of one Keras layer, in Keras' own order: e.g. LSTM kernel, recurrent_kernel, bias;
 * Bidirectional the forward layer's arrays, then the backward layer's.
 */
export interface KerasLayerWeights {
  layerClass: string;
  layerName: string;
  arrays: KerasArray[];
}

/** Keras block i holds PyTorch block GATE_ORDER[i] (a permutation that is its own inverse). */
const GATE_ORDER: Record<RecurrentClassName, readonly number[]> = { SimpleRNN: [0], LSTM: [0, 1, 2, 3], GRU: [1, 0, 2] };

/** What fixes the layout of one recurrent layer/direction. */
export interface RecurrentLayout {
  className: RecurrentClassName;
  inputSize: number;
  units: number;
  useBias: boolean;
  /** GRU only: Keras' bias is [2, 3H] when true. */
  resetAfter: boolean;
}

/** Names and shapes of the Keras arrays of one recurrent layer/direction, in Keras' order. */
export function kerasRecurrentShapes(layout: RecurrentLayout): { name: string; shape: number[] }[] {
  const GH = GATE_ORDER[layout.className].length * layout.units;
  const shapes = [
    { name: 'kernel', shape: [layout.inputSize, GH] },
    { name: 'recurrent_kernel', shape: [layout.units, GH] },
  ];
  if (layout.useBias) shapes.push({ name: 'bias', shape: twoBiases(layout) ? [2, GH] : [GH] });
  return shapes;
}

function twoBiases(layout: RecurrentLayout): boolean {
  return layout.className === 'GRU' && layout.resetAfter;
}

/** [rows, cols] row-major → [cols, rows]. */
function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/** Moves gate blocks (H wide) of every row of [rows, G·H] or the columns' blocks of a [G·H, cols] matrix. */
function reorderRowsOfBlocks(values: Float32Array, H: number, order: readonly number[], blockStride: number): Float32Array {
  const out = new Float32Array(values.length);
  const block = H * blockStride;
  const groupWidth = order.length * block;
  for (let start = 0; start < values.length; start += groupWidth) {
    order.forEach((from, to) => out.set(values.subarray(start + from * block, start + (from + 1) * block), start + to * block));
  }
  return out;
}

/**
 * Keras arrays of one layer/direction (checked for shape by the caller) → our entries, named
 * `weight_ih_l0${suffix}` etc.
 */
export function recurrentFromKeras(layout: RecurrentLayout, arrays: readonly KerasArray[], suffix: string): Record<string, Float32Array> {
  const order = GATE_ORDER[layout.className];
  const { inputSize: I, units: H } = layout;
  const GH = order.length * H;
  // Keras [I, G·H] → reorder the blocks of each row, then transpose to [G·H, I].
  const weight = (a: KerasArray, rows: number) => transpose(reorderRowsOfBlocks(a.data, H, order, 1), rows, GH);
  const out: Record<string, Float32Array> = {
    [`weight_ih_l0${suffix}`]: weight(arrays[0]!, I),
    [`weight_hh_l0${suffix}`]: weight(arrays[1]!, H),
  };
  if (layout.useBias) {
    const bias = reorderRowsOfBlocks(arrays[2]!.data, H, order, 1);
    out[`bias_ih_l0${suffix}`] = twoBiases(layout) ? bias.slice(0, GH) : bias;
    out[`bias_hh_l0${suffix}`] = twoBiases(layout) ? bias.slice(GH) : new Float32Array(GH);
  }
  return out;
}

/** Our entries of one layer/direction → Keras arrays (kernel, recurrent_kernel[, bias]). */
export function recurrentToKeras(layout: RecurrentLayout, value: (name: string) => Float32Array, suffix: string): KerasArray[] {
  const order = GATE_ORDER[layout.className];
  const { inputSize: I, units: H } = layout;
  const GH = order.length * H;
  const shapes = kerasRecurrentShapes(layout);
  // [G·H, cols] → reorder its row blocks (H rows of `cols` each), then transpose to [cols, G·H].
  const kernel = (name: string, cols: number) => transpose(reorderRowsOfBlocks(value(name), H, order, cols), GH, cols);
  const out: KerasArray[] = [
    { ...shapes[0]!, data: kernel(`weight_ih_l0${suffix}`, I) },
    { ...shapes[1]!, data: kernel(`weight_hh_l0${suffix}`, H) },
  ];
  if (layout.useBias) {
    const bIh = value(`bias_ih_l0${suffix}`);
    const bHh = value(`bias_hh_l0${suffix}`);
    const keras = new Float32Array(twoBiases(layout) ? 2 * GH : GH);
    if (twoBiases(layout)) {
      keras.set(bIh);
      keras.set(bHh, GH);
    } else {
      for (let i = 0; i < GH; i++) keras[i] = bIh[i]! + bHh[i]!;
    }
    out.push({ ...shapes[2]!, data: reorderRowsOfBlocks(keras, H, order, 1) });
  }
  return out;
}

/** Dense: Keras kernel [I, U] (+ bias [U]) ↔ our weight [U, I] (+ bias). */
export function kerasDenseShapes(inputSize: number, units: number, useBias: boolean): { name: string; shape: number[] }[] {
  const shapes = [{ name: 'kernel', shape: [inputSize, units] }];
  if (useBias) shapes.push({ name: 'bias', shape: [units] });
  return shapes;
}

export function denseFromKeras(inputSize: number, units: number, arrays: readonly KerasArray[]): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = { weight: transpose(arrays[0]!.data, inputSize, units) };
  if (arrays.length > 1) out.bias = arrays[1]!.data;
  return out;
}

export function denseToKeras(inputSize: number, units: number, useBias: boolean, value: (name: string) => Float32Array): KerasArray[] {
  const [kernel, bias] = kerasDenseShapes(inputSize, units, useBias);
  const out: KerasArray[] = [{ ...kernel!, data: transpose(value('weight'), units, inputSize) }];
  if (bias !== undefined) out.push({ ...bias, data: Float32Array.from(value('bias')) });
  return out;
}
