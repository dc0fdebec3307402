import { afterEach, describe, expect, it, vi } from 'vitest';
import { OptionError, StateError, ValueError, WasmRnnError } from '../../src/errors.js';
import { layers } from '../../src/model/layer-specs.js';
import { sequential, type Sequential } from '../../src/model/sequential.js';
import { tensor } from '../../src/tensor.js';
import { DivergenceError } from '../../src/train/divergence.js';
import { optimizers } from '../../src/train/optimizers.js';
import { stepDecay } from '../../src/train/schedules.js';
import { expectClose } from '../helpers/close.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { sumSignTask } from '../model/helpers.js';

/* Every fit option, the history format, callbacks, early stopping, progress and divergence. */

describe.each(BACKENDS)('on %s', (backend) => {
  const runtime = createRuntime(backend);
  const task = sumSignTask(1, 40, 5);

  function model(options: { seed?: number; optimizer?: Parameters<Sequential['compile']>[0]['optimizer']; metrics?: string[] } = {}): Sequential {
    const m = sequential([layers.simpleRNN({ units: 6, inputShape: [null, 1] }), layers.dense({ units: 2, activation: 'softmax' })], { runtime, seed: options.seed ?? 1 });
    m.compile({ optimizer: options.optimizer ?? optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: options.metrics ?? ['accuracy'] });
    return m;
  }

  afterEach(() => vi.restoreAllMocks());

  describe('fit', () => {
    it('returns a Keras history: epoch indices, per-epoch logs under Keras names, params', async () => {
      const history = await model().fit(task.x, task.y, { epochs: 3, batchSize: 16, validationSplit: 0.25, seed: 1 });
      expect(history.epoch).toEqual([0, 1, 2]);
      expect(Object.keys(history.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
      for (const values of Object.values(history.history)) {
        expect(values).toHaveLength(3);
        for (const v of values) expect(Number.isFinite(v)).toBe(true);
      }
      expect(history.params).toEqual({ epochs: 3, batchSize: 16, samples: 30, steps: 2 });
    });

    it('runs ceil(N / batchSize) batches per epoch, the last one partial', async () => {
      const sizes: number[] = [];
      await model().fit(task.x, task.y, { epochs: 2, batchSize: 16, callbacks: { onBatchEnd: (_b, logs) => void sizes.push(logs.size) } });
      expect(sizes).toEqual([16, 16, 8, 16, 16, 8]);
    });

    it('validationSplit holds out the last fraction, as Keras (val_loss = evaluate on the tail)', async () => {
      const m = model();
      const history = await m.fit(task.x, task.y, { epochs: 1, batchSize: 8, validationSplit: 0.2, seed: 3 });
      const tail = m.evaluate(task.x.slice(32), task.y.slice(32));
      expectClose([history.history.val_loss![0]!, history.history.val_accuracy![0]!], [tail.loss!, tail.accuracy!], { abs: 1e-7, rel: 1e-6 }, 'validation');
    });

    it('validationData as [x, y] or { x, y, sampleLengths }', async () => {
      const m = model();
      const a = await m.fit(task.x, task.y, { epochs: 1, validationData: [task.x.slice(0, 10), task.y.slice(0, 10)] });
      expect(a.history.val_loss).toHaveLength(1);
      const padded = tensor(task.x.slice(0, 4).map((s, i) => (i < 2 ? s : [...s.slice(0, 3), [9], [9]])));
      const b = await m.fit(task.x, task.y, { epochs: 1, validationData: { x: padded, y: task.y.slice(0, 4), sampleLengths: [5, 5, 3, 3] } });
      expect(b.history.val_accuracy).toHaveLength(1);
      await expect(m.fit(task.x, task.y, { validationData: { x: task.x, y: task.y, sampleLength: [] } as never })).rejects.toThrow(/did you mean 'sampleLengths'/);
      await expect(m.fit(task.x, task.y, { validationSplit: 0.2, validationData: [task.x, task.y] })).rejects.toThrow(/either validationSplit or validationData/);
    });

    it('shuffles with the seed: same seed, same run; another seed or shuffle: false, another order', async () => {
      const losses = async (options: object) => (await model().fit(task.x, task.y, { epochs: 2, batchSize: 8, ...options })).history.loss;
      const a = await losses({ seed: 5 });
      expect(await losses({ seed: 5 })).toEqual(a);
      expect(await losses({ seed: 6 })).not.toEqual(a);
      const unshuffled = await losses({ shuffle: false, seed: 5 });
      expect(unshuffled).not.toEqual(a);
      expect(await losses({ shuffle: false, seed: 7 })).toEqual(unshuffled);
    });

    it('calls every hook in order and awaits async callbacks', async () => {
      const calls: string[] = [];
      let slowDone = false;
      await model().fit(task.x, task.y, {
        epochs: 2, batchSize: 20,
        callbacks: [{
          onTrainBegin: () => void calls.push('trainBegin'),
          onEpochBegin: (e) => void calls.push(`epochBegin ${e}`),
          onBatchBegin: (b, logs) => void calls.push(`batchBegin ${b} ${logs.size}`),
          onBatchEnd: (b, logs) => void calls.push(`batchEnd ${b} ${Number.isFinite(logs.loss) && logs.gradNorm > 0}`),
          onEpochEnd: async (e, logs) => {
            calls.push(`epochEnd ${e} ${Object.keys(logs).join(',')}`);
            await new Promise((resolve) => setTimeout(resolve, 5));
            slowDone = true;
          },
          onTrainEnd: (logs) => void calls.push(`trainEnd ${logs.loss !== undefined}`),
        }, {
          onEpochBegin: (e) => void calls.push(`second epochBegin ${e} after slow: ${e === 0 || slowDone}`),
        }],
      });
      expect(calls).toEqual([
        'trainBegin',
        'epochBegin 0', 'second epochBegin 0 after slow: true', 'batchBegin 0 20', 'batchEnd 0 true', 'batchBegin 1 20', 'batchEnd 1 true', 'epochEnd 0 loss,accuracy',
        'epochBegin 1', 'second epochBegin 1 after slow: true', 'batchBegin 0 20', 'batchEnd 0 true', 'batchBegin 1 20', 'batchEnd 1 true', 'epochEnd 1 loss,accuracy',
        'trainEnd true',
      ]);
    });

    it('checks callbacks, and stops when a callback sets stopTraining', async () => {
      const m = model();
      await expect(m.fit(task.x, task.y, { callbacks: { onEpochEnds: () => {} } as never })).rejects.toThrow(/unknown option 'onEpochEnds' \(did you mean 'onEpochEnd'\?\)/);
      await expect(m.fit(task.x, task.y, { callbacks: { onEpochEnd: 3 } as never })).rejects.toThrow(/onEpochEnd must be a function/);
      const history = await m.fit(task.x, task.y, { epochs: 5, callbacks: { onEpochEnd: (e) => void (e === 1 && (m.stopTraining = true)) } });
      expect(history.epoch).toEqual([0, 1]);
    });

    it('initialEpoch starts the epoch count and the learning-rate schedule there', async () => {
      const m = model({ optimizer: optimizers.sgd({ learningRate: 0.1, schedule: stepDecay({ stepSize: 1, gamma: 0.5 }) }) });
      const rates: number[] = [];
      const history = await m.fit(task.x, task.y, { epochs: 4, initialEpoch: 2, callbacks: { onEpochBegin: () => void rates.push(m.optimizer!.currentRate()) } });
      expect(history.epoch).toEqual([2, 3]);
      expect(rates).toEqual([0.025, 0.0125]);
    });

    it('checks its options with did-you-mean and ranges', async () => {
      const m = model();
      await expect(m.fit(task.x, task.y, { epoch: 3 } as never)).rejects.toThrow(/unknown option 'epoch' \(did you mean 'epochs'\?\)/);
      await expect(m.fit(task.x, task.y, { batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer, got 0/);
      await expect(m.fit(task.x, task.y, { validationSplit: 1 })).rejects.toThrow(/validationSplit must be a number in \[0, 1\)/);
      await expect(m.fit(task.x.slice(0, 1), task.y.slice(0, 1), { validationSplit: 0.5 })).rejects.toThrow(/validationSplit 0.5 of 1 samples leaves 0 for training and 1 for validation; both need at least one/);
      await expect(m.fit(task.x, task.y, { verbose: 2 as never })).rejects.toThrow(/verbose must be 0 or 1/);
      await expect(m.fit(task.x, task.y, { initialEpoch: 3, epochs: 2 })).rejects.toThrow(/initialEpoch must be an integer in \[0, epochs\)/);
    });

    it('refuses a second fit while one is running and frees its data afterwards', async () => {
      const m = model();
      const regions = runtime.arena.stats().liveRegions;
      const running = m.fit(task.x, task.y, { epochs: 1 });
      await expect(m.fit(task.x, task.y)).rejects.toThrow(StateError);
      await running;
      const afterFirst = runtime.arena.stats().liveRegions;
      await m.fit(task.x, task.y, { epochs: 1, validationData: [task.x, task.y] });
      expect(runtime.arena.stats().liveRegions).toBe(afterFirst);
      expect(afterFirst - regions).toBeLessThanOrEqual(12); // the model's reusable workspaces, not the data
    });

    it('yields to the event loop while training', async () => {
      const m = model();
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      const start = performance.now();
      // Train for 400 ms (stopped by a callback), one batch per epoch.
      await m.fit(task.x, task.y, { epochs: 1_000_000, batchSize: 40, callbacks: { onEpochEnd: () => void (m.stopTraining = performance.now() - start > 400) } });
      const elapsed = performance.now() - start;
      clearInterval(timer);
      // fit yields every 50 ms of training; a loaded machine may stretch that, but a fit that never
      // yields lets no tick through.
      expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 100));
    });
  });

  describe('fit: earlyStopping', () => {
    it('stops after `patience` epochs without improvement', async () => {
      // A learning rate too small to move f32 weights: the loss never improves after epoch 0.
      const m = model({ optimizer: optimizers.sgd({ learningRate: 1e-30 }) });
      const history = await m.fit(task.x, task.y, { epochs: 10, shuffle: false, earlyStopping: { patience: 2, monitor: 'loss' } });
      expect(history.epoch).toEqual([0, 1, 2]);
    });

    it('minDelta: improvements smaller than it do not count', async () => {
      const m = model({ optimizer: optimizers.sgd({ learningRate: 1e-3 }) });
      const history = await m.fit(task.x, task.y, { epochs: 10, seed: 1, earlyStopping: { minDelta: 0.5, patience: 1 } });
      expect(history.epoch).toEqual([0, 1]);
    });

    it('restoreBest puts back the weights of the best epoch', async () => {
      const m = model({ optimizer: optimizers.sgd({ learningRate: 3 }) });
      const weights: Float32Array[] = [];
      const history = await m.fit(task.x, task.y, {
        epochs: 6, seed: 2, validationSplit: 0.25,
        earlyStopping: { patience: 6, restoreBest: true },
        callbacks: { onEpochEnd: () => void weights.push(Float32Array.from(m.parameterSet.values.view())) },
      });
      const val = history.history.val_loss!;
      const best = val.indexOf(Math.min(...val));
      expect(best).toBeLessThan(val.length - 1); // the check means something only if the best is not the last
      expect(Float32Array.from(m.parameterSet.values.view())).toEqual(weights[best]);
    });

    it('monitors accuracy upwards and checks its options', async () => {
      const m = model();
      await expect(m.fit(task.x, task.y, { earlyStopping: { monitor: 'val_loss' } })).rejects.toThrow(/monitor 'val_loss' is not logged by this fit; logged: 'loss', 'accuracy'/);
      await expect(m.fit(task.x, task.y, { earlyStopping: { patiense: 2 } as never })).rejects.toThrow(/did you mean 'patience'/);
      const history = await m.fit(task.x, task.y, { epochs: 30, seed: 4, earlyStopping: { monitor: 'accuracy', patience: 0 } });
      const acc = history.history.accuracy!;
      expect(acc[acc.length - 1]!).toBeLessThanOrEqual(Math.max(...acc.slice(0, -1)));
      // mode: 'max' on a falling loss: epoch 1 is already "worse".
      const falling = await model().fit(task.x, task.y, { epochs: 5, seed: 4, earlyStopping: { monitor: 'loss', mode: 'max' } });
      expect(falling.history.loss![1]!).toBeLessThan(falling.history.loss![0]!);
      expect(falling.epoch).toEqual([0, 1]);
    });
  });

  describe('fit: progress output', () => {
    it('verbose: 1 prints epochs, loss and speed; verbose 0 (the default off a terminal) prints nothing', async () => {
      const writes: string[] = [];
      vi.spyOn(process.stdout, 'write').mockImplementation((text) => (writes.push(String(text)), true));
      await model().fit(task.x, task.y, { epochs: 2, batchSize: 16, verbose: 1 });
      await model().fit(task.x, task.y, { epochs: 1 });
      vi.restoreAllMocks();
      const text = writes.join('');
      expect(text).toMatch(/Epoch 1\/2\n/);
      expect(text).toMatch(/3\/3 \[=+\] - [\d.]+m?s - loss: \d\.\d{4} - accuracy: \d\.\d{4} - \d+ seq\/s\n/);
      expect(text).toMatch(/Epoch 2\/2\n/);
      expect(text.match(/Epoch/g)).toHaveLength(2);
    });
  });

  describe('fit: divergence', () => {
    it('stops on a non-finite loss with a DivergenceError naming epoch and batch, keeping the last good weights', async () => {
      const m = sequential([layers.simpleRNN({ units: 8, activation: 'relu', inputShape: [null, 1] }), layers.dense({ units: 1 })], { runtime, seed: 1 });
      m.compile({ optimizer: optimizers.sgd({ learningRate: 1e12 }), loss: 'mse' });
      const y = task.x.map((s) => [s.reduce((a, v) => a + v[0]!, 0) * 1e3]);
      const afterBatch: Float32Array[] = [Float32Array.from(m.parameterSet.values.view())];
      let error: unknown;
      try {
        await m.fit(task.x, y, { epochs: 5, batchSize: 4, callbacks: { onBatchEnd: () => void afterBatch.push(Float32Array.from(m.parameterSet.values.view())) } });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DivergenceError);
      expect(error).toBeInstanceOf(WasmRnnError);
      const { epoch, batch, message } = error as DivergenceError;
      expect(message).toMatch(new RegExp(`at epoch ${epoch}, batch ${batch} \\(0-based\\)`));
      expect(message).toMatch(/loss became (NaN|Infinity)|gradient norm became/);
      const applied = afterBatch.length - 1;
      expect(applied).toBeGreaterThan(0);
      // The weights are those before the last applied update: the last ones that gave a finite loss.
      const weights = Float32Array.from(m.parameterSet.values.view());
      expect(weights).toEqual(afterBatch[applied - 1]);
      expect(weights.every(Number.isFinite)).toBe(true);
    });
  });

  describe('fit: bad data', () => {
    it('names the argument, the expectation and the value', async () => {
      const m = model();
      await expect(m.fit(task.x, task.y.slice(1))).rejects.toThrow(/x has 40 samples but y has 39/);
      await expect(m.fit(task.x.map((s) => s.map((v) => [v[0]!, 1])), task.y)).rejects.toThrow(/x\[0\]\[0\] must be a number or an array of 1 numbers/);
      await expect(m.fit(tensor([[[1, 2]]]), [0])).rejects.toThrow(/x must have shape \[samples, timeSteps, 1\] or \[samples, timeSteps\].*got \[1, 1, 2\]/);
      const nan = task.x.map((s) => s.map((v) => [...v]));
      nan[3]![2]![0] = Number.NaN;
      await expect(m.fit(nan, task.y)).rejects.toThrow(ValueError);
      await expect(m.fit(nan, task.y)).rejects.toThrow(/x\[3\]\[2\]\[0\] must be a finite number, got NaN/);
      await expect(m.fit(task.x, task.y.map((v, i) => (i === 7 ? 2 : v)))).rejects.toThrow(/needs class ids, integers in \[0, 2\).*but y\[7\]\[0\] is 2/);
      await expect(m.fit(task.x, task.y.map((v, i) => (i === 1 ? Number.POSITIVE_INFINITY : v)))).rejects.toThrow(/y\[1\] must be a finite number/);
      await expect(m.fit(task.x, 'labels')).rejects.toThrow(/y must be a Tensor or nested number arrays/);
      await expect(m.fit(task.x, task.y, { sampleLengths: [1, 2] })).rejects.toThrow(/sampleLengths must be an array of 40 lengths/);
    });

    it('option errors are OptionErrors', async () => {
      await expect(model().fit(task.x, task.y, { shuffle: 'yes' } as never)).rejects.toThrow(OptionError);
    });
  });
});
