/**
 * wasm-rnn through the step `fit` runs (load the batch into the arena; zero the gradients,
 * forward, loss, backward: lossAndGradients; gradient norm and optimizer update: applyGradients)
 * and the forward `predict` runs (load the batch, forward in inference mode), on a given runtime: the Wasm SIMD backend, the
 * pure-TS backend, or a runtime whose kernels are wrapped for profiling.
 */
import type { Runtime } from '../../src/kernels/runtime.js';
import { ArenaDataset, identityOrder } from '../../src/model/batches.js';
import { readDataset } from '../../src/model/dataset.js';
import { layers, type LayerSpec } from '../../src/model/layer-specs.js';
import { sequential, type Sequential } from '../../src/model/sequential.js';
import { Tensor } from '../../src/tensor.js';
import type { Peer, PreparedCase } from './peer.js';
import { swapLeadingAxes, type SharedWeights, type Workload, type WorkloadData } from './workloads.js';

/** Seed of every wasm-rnn model here: the weights the other peers load come from it. */
const SEED = 1;

function recurrentSpec(w: Workload): LayerSpec {
  const args = { units: w.hidden, returnSequences: w.head === 'sequence', inputShape: [w.steps, w.inputSize] };
  if (w.cell === 'LSTM') return layers.lstm(args);
  // The original GRU (reset before the recurrent product): the only one tfjs offers.
  if (w.cell === 'GRU') return layers.gru({ ...args, resetAfter: false });
  return layers.simpleRNN({ ...args, activation: 'tanh' });
}

export function buildModel(w: Workload, runtime: Runtime): Sequential {
  const model = sequential([recurrentSpec(w), layers.dense({ units: w.outputs, activation: w.head === 'last' ? 'softmax' : 'linear' })], { seed: SEED, runtime });
  model.compile({ optimizer: w.optimizer, loss: w.head === 'sequence' ? 'meanSquaredError' : 'sparseCategoricalCrossentropy' });
  return model;
}

/** The model's initial weights, which every peer that can load weights starts from. */
export function sharedWeights(model: Sequential): SharedWeights {
  const dict = model.stateDict();
  const values = (name: string) => dict[name]!.data as Float32Array;
  return {
    weightIh: values('0.weight_ih_l0'), weightHh: values('0.weight_hh_l0'), biasIh: values('0.bias_ih_l0'), biasHh: values('0.bias_hh_l0'),
    denseWeight: values('1.weight'), denseBias: values('1.bias'),
  };
}

/** A wasm-rnn model with the workload's batch in its arena, ready for `forward` and `train`. */
export function prepareWasmRnn(w: Workload, data: WorkloadData, runtime: Runtime): PreparedCase {
  const model = buildModel(w, runtime);
  const x = new Tensor(data.x, [w.batch, w.steps, w.inputSize]);
  const y = data.targets !== null ? new Tensor(data.targets, [w.batch, w.steps, w.outputs]) : new Tensor(Float32Array.from(data.classes!), [w.batch]);
  const loss = w.head === 'sequence' ? 'meanSquaredError' : 'sparseCategoricalCrossentropy';
  const dataset = new ArenaDataset(runtime, readDataset('peers bench', model.plan, x, y, {}, { loss, units: w.outputs }));
  const order = identityOrder(0, w.batch);
  const batch = model.batch;
  let output = 0;
  return {
    forward: () => {
      batch.load(dataset, order, 0, w.batch);
      output = model.forwardBatch(batch.x, batch.T, batch.B, batch.mask, false, false);
    },
    train: () => {
      batch.load(dataset, order, 0, w.batch);
      const loss = model.lossAndGradients(batch, null);
      model.applyGradients(model.gradientNorm());
      return loss;
    },
    lastOutput: () => {
      const rows = w.head === 'sequence' ? w.steps * w.batch : w.batch;
      const values = runtime.arena.storage.data.slice(output >>> 2, (output >>> 2) + rows * w.outputs);
      // forwardBatch's output is time-major [T·B, outputs].
      return w.head === 'sequence' ? swapLeadingAxes(Float32Array.from(values), w.steps, w.batch, w.outputs) : Float32Array.from(values);
    },
    dispose: () => {
      dataset.release();
      model.dispose();
    },
  };
}

export function wasmRnnPeer(name: string, id: string, createRuntime: () => Runtime): Peer {
  return { name, id, prepare: async (w, data) => prepareWasmRnn(w, data, createRuntime()) };
}

/** The shared weights of a workload: a fresh wasm-rnn model's initialisation (seed SEED, pure-TS runtime). */
export function referenceWeights(w: Workload, runtime: Runtime): SharedWeights {
  const model = buildModel(w, runtime);
  const weights = sharedWeights(model);
  model.dispose();
  return weights;
}
