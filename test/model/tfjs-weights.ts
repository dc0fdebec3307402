import * as tf from '@tensorflow/tfjs';
import type { Sequential } from '../../src/model/sequential.js';
import type { PlannedLayer } from '../../src/model/stack.js';
import { GATES } from '../../src/model/stack.js';

/*
 * A model's weights in tfjs-layers' layout, layer by layer (docs/LAYERS.md): Keras kernel
 * [I, G·H] = W_ihᵀ, recurrent kernel [H, G·H] = W_hhᵀ, one bias = b_ih + b_hh (only valid for
 * forms where both biases add: SimpleRNN, LSTM, GRU with resetAfter false); LSTM gate order
 * i,f,c,o = PyTorch's i,f,g,o; GRU z,r,h = PyTorch's r,z,n with the first two blocks swapped.
 * Dense kernel [in, units] = weightᵀ.
 */

/** [rows, cols] row-major → [cols, rows]. */
function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!;
  return out;
}

/** Reorders the gate blocks of the last axis (new block i = old block order[i]). */
function reorderGates(values: Float32Array, H: number, order: readonly number[]): Float32Array {
  const width = order.length * H;
  const out = new Float32Array(values.length);
  for (let row = 0; row < values.length / width; row++) {
    order.forEach((from, to) => out.set(values.subarray(row * width + from * H, row * width + (from + 1) * H), row * width + to * H));
  }
  return out;
}

/** tfjs weights of planned layer `layer` of `model`, in the order tfjs' setWeights takes them. */
export function tfjsWeights(model: Sequential, layer: PlannedLayer): tf.Tensor[] {
  const dict = model.stateDict();
  const value = (name: string) => dict[layer.prefix + name]!.data;
  const spec = layer.spec;
  const I = layer.input.features;
  if (spec.className === 'Dense') {
    const units = spec.config.units;
    const out: tf.Tensor[] = [tf.tensor2d(transpose(value('weight'), units, I), [I, units])];
    if (spec.config.useBias) out.push(tf.tensor1d(value('bias')));
    return out;
  }
  if (spec.className === 'Embedding') return [tf.tensor2d(value('weight'), [spec.config.inputDim, spec.config.outputDim])];
  if (spec.className === 'Dropout' || spec.className === 'Masking') return [];
  const recurrent = spec.className === 'Bidirectional' ? spec.config.layer : spec;
  const G = GATES[recurrent.className];
  const H = recurrent.config.units;
  const order = G === 3 ? [1, 0, 2] : Array.from({ length: G }, (_, i) => i);
  const suffixes = spec.className === 'Bidirectional' ? ['_l0', '_l0_reverse'] : ['_l0'];
  return suffixes.flatMap((suffix) => {
    const out: tf.Tensor[] = [
      tf.tensor2d(reorderGates(transpose(value(`weight_ih${suffix}`), G * H, I), H, order), [I, G * H]),
      tf.tensor2d(reorderGates(transpose(value(`weight_hh${suffix}`), G * H, H), H, order), [H, G * H]),
    ];
    if (recurrent.config.useBias) {
      const hh = value(`bias_hh${suffix}`);
      out.push(tf.tensor1d(reorderGates(value(`bias_ih${suffix}`).map((v, i) => v + hh[i]!), H, order)));
    }
    return out;
  });
}
