import { expect } from 'vitest';
import { createJsRuntime } from '../../src/kernels/runtime.js';
import { ArenaDataset, identityOrder } from '../../src/model/batches.js';
import { readDataset, type MaskOptions } from '../../src/model/dataset.js';
import type { LayerSpec } from '../../src/model/layer-specs.js';
import { sequential, type Sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import type { LossName } from '../../src/train/losses.js';
import { checkGradients } from '../helpers/gradcheck.js';
import { loadedBatchLoss } from './helpers.js';

/** A compiled model on the float64 TS runtime, for finite differences. */
export function model64(specs: LayerSpec[], loss: LossName | 'mse'): Sequential {
  const model = sequential(specs, { seed: 3, runtime: createJsRuntime({ float64: true }) });
  model.compile({ optimizer: 'sgd', loss });
  return model;
}

/**
 * Every parameter's gradient through the model's own path (the whole data as one batch) against
 * central differences; expects the largest relative error below 1e-6 and returns it.
 */
export function worstGradientError(model: Sequential, x: unknown, y: unknown, options: MaskOptions = {}): number {
  const compiled = model.requireCompiled('test');
  const data = new ArenaDataset(model.runtime, readDataset('test', model.plan, x, y, options, { loss: compiled.loss, units: model.plan.output.features }));
  try {
    model.batch.load(data, identityOrder(0, data.count), 0, data.count);
    model.context.random = new Random(1);
    model.lossAndGradients(model.batch, null);
    const set = model.parameterSet;
    const targets = set.names().map((name) => ({ name, values: set.value(name), analytic: Float64Array.from(set.grad(name)) }));
    const reports = checkGradients(() => loadedBatchLoss(model), targets);
    const worst = reports.reduce((a, b) => (b.maxRelError > a.maxRelError ? b : a));
    expect(worst.maxRelError, `${worst.name}: ${JSON.stringify(worst.worst)}`).toBeLessThan(1e-6);
    return worst.maxRelError;
  } finally {
    data.release();
  }
}
