import { ArenaDataset, identityOrder } from '../../src/model/batches.js';
import { readDataset, type MaskOptions } from '../../src/model/dataset.js';
import type { Sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';

/** Sequences of `features`-vectors with normal values: [N][T][features]. */
export function randomSequences(random: Random, N: number, T: number | number[], features: number): number[][][] {
  return Array.from({ length: N }, (_, n) => {
    const steps = Array.isArray(T) ? T[n]! : T;
    return Array.from({ length: steps }, () => Array.from({ length: features }, () => random.normal()));
  });
}

export interface BatchGradients {
  loss: number;
  grads: Record<string, Float64Array>;
}

/**
 * Loss and parameter gradients of the whole data as ONE batch in training mode, through the
 * model's own path (readDataset → arena → forward, loss, backward). `dropoutSeed` fixes the
 * dropout masks so repeated evaluations see the same ones.
 */
export function batchGradients(model: Sequential, x: unknown, y: unknown, options: MaskOptions = {}, dropoutSeed = 1): BatchGradients {
  const compiled = model.requireCompiled('test');
  const data = new ArenaDataset(model.runtime, readDataset('test', model.plan, x, y, options, { loss: compiled.loss, units: model.plan.output.features }));
  try {
    model.batch.load(data, identityOrder(0, data.count), 0, data.count);
    model.context.random = new Random(dropoutSeed);
    const loss = model.lossAndGradients(model.batch, null);
    const grads: Record<string, Float64Array> = {};
    for (const name of model.parameterSet.names()) grads[name] = Float64Array.from(model.parameterSet.grad(name));
    return { loss, grads };
  } finally {
    data.release();
  }
}

/** Loss of the batch currently loaded (training mode, fixed dropout masks), for finite differences. */
export function loadedBatchLoss(model: Sequential, dropoutSeed = 1): number {
  model.context.random = new Random(dropoutSeed);
  return model.lossOnBatch(model.batch, true, null);
}

/** A data set for the many-to-one "is the sum positive" task: x [N, T, 1], y [N] class ids. */
export function sumSignTask(seed: number, N: number, T: number): { x: number[][][]; y: number[] } {
  const x = randomSequences(new Random(seed), N, T, 1);
  return { x, y: x.map((s) => (s.reduce((a, step) => a + step[0]!, 0) > 0 ? 1 : 0)) };
}
