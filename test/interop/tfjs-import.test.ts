import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTfjsModel } from '../../src/interop/tfjs-load.js';
import { tensor } from '../../src/tensor.js';
import { expectClose, type Tolerance } from '../helpers/close.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { CASES, saveToMemory, seedWeights, tfjsPredict } from './tfjs-models.js';

/*
 * tfjs builds and saves each model itself (model.json + weight data, as `model.save` writes
 * them); loadTfjsModel reads them and must predict what tfjs predicts, on both backends.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** tfjs cpu and our kernels differ in f32 summation order and tanh/sigmoid approximations (as test/layers/tfjs.test.ts). */
const TOLERANCE: Tolerance = { abs: 1e-6, rel: 1e-5 };

describe.each(BACKENDS)('loadTfjsModel on %s', (backend) => {
  const runtime = createRuntime(backend);
  it.each(CASES.map((c, i) => [c.label, i] as const))('%s: predicts as tfjs', async (_label, index) => {
    const c = CASES[index]!;
    const reference = c.build();
    seedWeights(reference, 100 + index);
    const input = c.input();
    const expected = tfjsPredict(reference, input);
    const saved = await saveToMemory(reference);
    const model = await loadTfjsModel(saved, { runtime });
    try {
      const actual = model.predict(tensor(input.values, input.shape));
      expect(actual.size).toBe(expected.length);
      expectClose(actual.data, expected, TOLERANCE, c.label);
    } finally {
      model.dispose();
      reference.dispose();
    }
  });
});
