/**
 * One training step of a compiled Sequential model, as `fit` runs it (load the batch, zero the
 * gradients, forward, loss, backward, gradient norm, optimizer step), for the layers bench.
 */
import type { Runtime } from '../src/kernels/runtime.js';
import { ArenaDataset, identityOrder } from '../src/model/batches.js';
import { readDataset } from '../src/model/dataset.js';
import { layers } from '../src/model/layer-specs.js';
import { sequential } from '../src/model/sequential.js';
import { TrainingRun } from '../src/model/training-run.js';
import { Random } from '../src/random.js';

/** A recurrent layer returning every step, then a Dense head on every step; MSE. */
export interface TrainWorkload {
  name: string;
  cell: 'lstm' | 'gru' | 'simpleRNN';
  I: number;
  H: number;
  B: number;
  T: number;
  out: number;
  optimizer: 'sgd' | 'adam';
}

export const W1: TrainWorkload = { name: 'W1', cell: 'lstm', I: 8, H: 32, B: 1, T: 20, out: 8, optimizer: 'sgd' };
export const W2: TrainWorkload = { name: 'W2', cell: 'lstm', I: 32, H: 128, B: 32, T: 64, out: 32, optimizer: 'adam' };

/** Builds the model and one batch of data in `runtime`; the returned function runs one training step. */
export function trainStep(runtime: Runtime, w: TrainWorkload): () => number {
  const model = sequential(
    [layers[w.cell]({ units: w.H, returnSequences: true, inputShape: [w.T, w.I] }), layers.dense({ units: w.out })],
    { seed: 1, runtime },
  );
  model.compile({ optimizer: w.optimizer, loss: 'meanSquaredError' });
  const random = new Random(2);
  const sequences = (features: number) =>
    Array.from({ length: w.B }, () => Array.from({ length: w.T }, () => Array.from({ length: features }, () => random.uniform(-1, 1))));
  const arrays = readDataset('train-step bench', model.plan, sequences(w.I), sequences(w.out), {}, { loss: 'meanSquaredError', units: w.out });
  const data = new ArenaDataset(runtime, arrays);
  const run = new TrainingRun(model, {
    data, trainCount: w.B, validation: null, batchSize: w.B, tbptt: null, shuffle: false, earlyStopping: null, checkpoint: null,
  });
  const metrics = run.createMetrics();
  const order = identityOrder(0, w.B);
  return () => {
    run.loadBatch(order, 0, w.B);
    const loss = run.trainStep(0, metrics)!;
    run.applyGradients(run.gradientNorm());
    return loss;
  };
}
