import { afterAll, describe, expect, it } from 'vitest';
import { createWasmRuntime, type Runtime } from '../../src/kernels/runtime.js';
import { createThreadedRuntime, type ThreadedRuntime } from '../../src/kernels/threads/threaded-runtime.js';
import { preferredWasmBuild } from '../../src/kernels/wasm/instantiate.js';
import { layers } from '../../src/model/layer-specs.js';
import { sequential } from '../../src/model/sequential.js';
import { sumSignTask } from '../model/helpers.js';

/*
 * A whole fit (forward, backward, weight gradients, Adam) on 2 threads equals the same fit on one
 * thread bit for bit: every loss and every weight. minFlops 0 makes every GEMM of this small model
 * go through the workers.
 */

const task = sumSignTask(21, 96, 6);
const build = preferredWasmBuild();
const teams: ThreadedRuntime[] = [];

async function run(runtime: Runtime) {
  const model = sequential([
    layers.lstm({ units: 24, returnSequences: true, inputShape: [null, 1] }),
    layers.gru({ units: 20 }),
    layers.dense({ units: 2, activation: 'softmax' }),
  ], { runtime, seed: 8 });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  const history = await model.fit(task.x, task.y, { epochs: 3, batchSize: 32, seed: 9, validationSplit: 0.25 });
  return { history: history.history, weights: Float32Array.from(model.parameterSet.values.view()) };
}

afterAll(async () => {
  await Promise.all(teams.map((t) => t.setThreads(1)));
});

describe('threaded fit', () => {
  it('gives bitwise the same losses and weights as one thread', async () => {
    const team = await createThreadedRuntime(2, build, 0);
    teams.push(team);
    const one = await run(createWasmRuntime(build));
    const two = await run(team);
    expect(two.history.loss).toEqual(one.history.loss);
    expect(two.history.val_loss).toEqual(one.history.val_loss);
    expect(two.weights).toEqual(one.weights);
  }, 60_000);
});
