/**
 * TensorFlow.js 4.22 (tfjs-layers: `model.predict`, `model.trainOnBatch`) on its 'cpu' or
 * 'wasm' backend, switched with tf.setBackend in this process. The layers get the shared
 * weights; LSTM and GRU use recurrentActivation 'sigmoid' (tfjs defaults to hard sigmoid) and
 * the GRU resets before the recurrent product (tfjs has no resetAfter).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fusedBias } from './onnx-graphs.js';
import type { Peer, PreparedCase } from './peer.js';
import { reorderGates, transpose, type SharedWeights, type Workload, type WorkloadData } from './workloads.js';

/** Keras gate orders as PyTorch gate blocks: LSTM i,f,c,o = i,f,g,o; GRU z,r,h ← r,z,n. */
const KERAS_GATE_ORDER = { LSTM: [0, 1, 2, 3], GRU: [1, 0, 2], SimpleRNN: [0] } as const;

function recurrentLayer(w: Workload): tf.layers.Layer {
  // Zero initializers: setWeights replaces them, and tfjs' default orthogonal initializer takes seconds on W3's [512, 2048].
  const args = {
    units: w.hidden, returnSequences: w.head === 'sequence', inputShape: [w.steps, w.inputSize],
    kernelInitializer: 'zeros' as const, recurrentInitializer: 'zeros' as const,
  };
  if (w.cell === 'LSTM') return tf.layers.lstm({ ...args, recurrentActivation: 'sigmoid' });
  if (w.cell === 'GRU') return tf.layers.gru({ ...args, recurrentActivation: 'sigmoid' });
  return tf.layers.simpleRNN({ ...args, activation: 'tanh' });
}

/** Keras layouts: kernel [I, G·H], recurrent kernel [H, G·H], one bias [G·H]; Dense kernel [H, outputs]. */
function kerasWeights(w: Workload, weights: SharedWeights): tf.Tensor[] {
  const order = KERAS_GATE_ORDER[w.cell];
  const G = order.length;
  const H = w.hidden;
  return [
    tf.tensor2d(transpose(reorderGates(weights.weightIh, H, w.inputSize, order), G * H, w.inputSize), [w.inputSize, G * H]),
    tf.tensor2d(transpose(reorderGates(weights.weightHh, H, H, order), G * H, H), [H, G * H]),
    tf.tensor1d(reorderGates(fusedBias(weights), H, 1, order)),
    tf.tensor2d(transpose(weights.denseWeight, w.outputs, H), [H, w.outputs]),
    tf.tensor1d(weights.denseBias),
  ];
}

function prepareTfjs(w: Workload, data: WorkloadData, weights: SharedWeights): PreparedCase {
  const model = tf.sequential({ layers: [recurrentLayer(w), tf.layers.dense({ units: w.outputs, activation: w.head === 'last' ? 'softmax' : 'linear' })] });
  const initial = kerasWeights(w, weights);
  model.setWeights(initial);
  tf.dispose(initial);
  model.compile({
    optimizer: w.optimizer === 'sgd' ? tf.train.sgd(0.01) : tf.train.adam(0.001),
    loss: w.head === 'sequence' ? 'meanSquaredError' : 'sparseCategoricalCrossentropy',
  });
  const x = tf.tensor3d(data.x, [w.batch, w.steps, w.inputSize]);
  const y = data.targets !== null ? tf.tensor3d(data.targets, [w.batch, w.steps, w.outputs]) : tf.tensor2d(Float32Array.from(data.classes!), [w.batch, 1]);
  let output: Float32Array = new Float32Array(0);
  return {
    forward: () => {
      const result = model.predict(x) as tf.Tensor;
      // dataSync waits for the backend and copies the output out, as a user reading results would.
      output = result.dataSync() as Float32Array;
      result.dispose();
    },
    train: () => model.trainOnBatch(x, y),
    lastOutput: () => output,
    dispose: () => {
      tf.dispose([x, y]);
      model.dispose();
    },
  };
}

export function tfjsPeer(backend: 'cpu' | 'wasm'): Peer {
  return {
    name: `tfjs-${backend}`,
    id: `tfjs-${backend}`,
    prepare: async (w, data, weights) => {
      if (!(await tf.setBackend(backend))) return `tf.setBackend('${backend}') failed`;
      await tf.ready();
      return prepareTfjs(w, data, weights);
    },
  };
}
