import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OptionError, ValueError } from '../../src/errors.js';
import { ModelFileError } from '../../src/io/model-file-error.js';
import type { Runtime } from '../../src/kernels/runtime.js';
import { layers } from '../../src/model/layer-specs.js';
import { sequential, type Sequential } from '../../src/model/sequential.js';
import type { FitOptions } from '../../src/model/fit-options.js';
import { Random } from '../../src/random.js';
import { optimizers } from '../../src/train/optimizers.js';
import { schedules } from '../../src/train/schedules.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { randomSequences } from '../model/helpers.js';

/*
 * Checkpoints: a fit stopped after 3 epochs (or killed in the middle of epoch 4) and resumed from
 * its checkpoint by a NEW model reaches epoch 6 with exactly the losses, weights and optimizer
 * state of an uninterrupted 6-epoch fit. The run exercises everything a checkpoint must carry:
 * shuffling and dropout random states, Adam's moments and step count, a step schedule, a
 * validation split, and early stopping that restores its best weights.
 */

const folder = mkdtempSync(join(tmpdir(), 'wasm-rnn-checkpoint-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(folder, `run-${files++}.json`);

const x = randomSequences(new Random(5), 20, 5, 3);
const y = x.map((s) => [s.reduce((sum, step) => sum + step[0]! * step[1]!, 0)]);

function model(runtime: Runtime, seed = 8): Sequential {
  const m = sequential([layers.lstm({ units: 6, inputShape: [5, 3], dropout: 0.25 }), layers.dense({ units: 1 })], { seed, runtime });
  m.compile({ optimizer: optimizers.adam({ learningRate: 0.01, schedule: schedules.step({ stepSize: 2, gamma: 0.5 }) }), loss: 'meanSquaredError' });
  return m;
}

const FIT: FitOptions = { batchSize: 4, seed: 7, verbose: 0, validationSplit: 0.2, earlyStopping: { patience: 10, restoreBest: true } };

interface Outcome {
  history: Record<string, number[]>;
  epochs: number[];
  weights: Record<string, number[]>;
  optimizer: { iterations: number; epoch: number; moments: number[][] };
}

function outcome(m: Sequential, history: { epoch: number[]; history: Record<string, number[]> }): Outcome {
  const state = m.optimizer!.getState();
  return {
    history: history.history,
    epochs: history.epoch,
    weights: Object.fromEntries(Object.entries(m.stateDict()).map(([name, t]) => [name, Array.from(t.data)])),
    optimizer: { iterations: state.iterations, epoch: state.epoch, moments: state.moments.map((m) => Array.from(m)) },
  };
}

describe.each(BACKENDS)('fit checkpoints on %s', (backend) => {
  const runtime = createRuntime(backend);
  let uninterrupted: Outcome;

  it('an uninterrupted 6-epoch run, checkpointing every 2 epochs, trains as one without checkpoints', async () => {
    const plain = model(runtime);
    const expected = outcome(plain, await plain.fit(x, y, { ...FIT, epochs: 6 }));
    plain.dispose();
    const checkpointed = model(runtime);
    const path = freshPath();
    uninterrupted = outcome(checkpointed, await checkpointed.fit(x, y, { ...FIT, epochs: 6, checkpoint: { path, every: 2 } }));
    checkpointed.dispose();
    expect(uninterrupted).toEqual(expected);
    expect(uninterrupted.epochs).toEqual([0, 1, 2, 3, 4, 5]);
    expect(JSON.parse(readFileSync(path, 'utf8')).epoch).toBe(6);
  });

  it('3 epochs, dispose, a new model resumed from the checkpoint to 6: the same losses and weights, bit for bit', async () => {
    const path = freshPath();
    const first = model(runtime);
    const part = await first.fit(x, y, { ...FIT, epochs: 3, checkpoint: { path, every: 1 } });
    expect(part.epoch).toEqual([0, 1, 2]);
    first.dispose();

    // Another seed: every weight must come from the checkpoint.
    const second = model(runtime, 99);
    const resumed = outcome(second, await second.fit(x, y, { ...FIT, epochs: 6, checkpoint: { path, every: 1, resume: true } }));
    second.dispose();
    expect(resumed).toEqual(uninterrupted);
  });

  it('a fit killed in the middle of epoch 4 resumes from its last checkpoint (epoch 2) to the same result', async () => {
    const path = freshPath();
    const first = model(runtime);
    const crash = { onBatchEnd: (batch: number) => { if (first.optimizer!.getState().epoch === 3 && batch === 2) throw new Error('power cut'); } };
    await expect(first.fit(x, y, { ...FIT, epochs: 6, checkpoint: { path, every: 2 }, callbacks: crash })).rejects.toThrow('power cut');
    first.dispose();
    expect(JSON.parse(readFileSync(path, 'utf8')).epoch).toBe(2);

    const second = model(runtime, 5);
    const resumed = outcome(second, await second.fit(x, y, { ...FIT, epochs: 6, checkpoint: { path, every: 2, resume: true } }));
    second.dispose();
    expect(resumed).toEqual(uninterrupted);
  });

  it('resume: true without a file starts from scratch and writes one', async () => {
    const path = freshPath();
    const m = model(runtime);
    const result = outcome(m, await m.fit(x, y, { ...FIT, epochs: 6, checkpoint: { path, every: 3, resume: true } }));
    m.dispose();
    expect(result).toEqual(uninterrupted);
    expect(existsSync(path)).toBe(true);
  });

  it('a fit stopped early resumes as stopped: no further training, the best weights restored', async () => {
    // minDelta 1e9: epoch 0 improves on Infinity, epoch 1 cannot, patience 0 stops there.
    const stopping: FitOptions = { ...FIT, epochs: 6, earlyStopping: { patience: 0, minDelta: 1e9, restoreBest: true } };
    const plain = model(runtime);
    const expected = outcome(plain, await plain.fit(x, y, stopping));
    plain.dispose();
    expect(expected.epochs).toEqual([0, 1]);
    const path = freshPath();
    const first = model(runtime);
    await first.fit(x, y, { ...stopping, checkpoint: { path, every: 5 } });
    first.dispose();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ epoch: 2, stopped: true });
    const second = model(runtime, 6);
    const resumed = outcome(second, await second.fit(x, y, { ...stopping, checkpoint: { path, every: 5, resume: true } }));
    second.dispose();
    expect(resumed).toEqual(expected);
  });

  it('resuming a finished checkpoint trains no further and returns its history and weights', async () => {
    const path = freshPath();
    const first = model(runtime);
    await first.fit(x, y, { ...FIT, epochs: 6, checkpoint: { path } });
    first.dispose();
    const second = model(runtime, 3);
    const again = outcome(second, await second.fit(x, y, { ...FIT, epochs: 6, checkpoint: { path, resume: true } }));
    second.dispose();
    expect(again).toEqual(uninterrupted);
  });
});

describe('checkpoint files are validated like model files', () => {
  const runtime = createRuntime('wasm');
  const options = (path: string): FitOptions => ({ ...FIT, epochs: 2, checkpoint: { path, resume: true } });
  let good = '';

  async function refused(text: string, edit: (m: Sequential) => Sequential = (m) => m, fit: (path: string) => FitOptions = options): Promise<unknown> {
    const path = freshPath();
    writeFileSync(path, text);
    const m = edit(model(runtime, 4));
    const before = Array.from(m.parameterSet.values.view());
    try {
      await m.fit(x, y, fit(path));
      return undefined;
    } catch (error) {
      // A refused checkpoint leaves the model as it was.
      expect(Array.from(m.parameterSet.values.view())).toEqual(before);
      expect(m.optimizer!.getState().iterations).toBe(0);
      return error;
    } finally {
      m.dispose();
    }
  }

  it('writes a checkpoint to damage', async () => {
    const path = freshPath();
    const m = model(runtime);
    await m.fit(x, y, { ...FIT, epochs: 1, checkpoint: { path } });
    m.dispose();
    good = readFileSync(path, 'utf8');
  });

  it.each([
    ['truncated', (t: string) => t.slice(0, t.length >> 1), /fit: checkpoint .*: the checkpoint is not valid JSON: unterminated string at character \d+/],
    ['a duplicate key', (t: string) => t.replace('"stopped":false', '"stopped":false,"stopped":true'), /duplicate key "stopped"/],
    ['a __proto__ key', (t: string) => t.replace('"stopped":false', '"__proto__":{"polluted":1},"stopped":false'), /'__proto__' key/],
    ['another format', (t: string) => t.replace('wasm-rnn-checkpoint', 'wasm-rnn-model'), /not a wasm-rnn checkpoint: format is "wasm-rnn-model"/],
    ['a future version', (t: string) => t.replace('"formatVersion":1', '"formatVersion":9'), /format version 9, written by a newer wasm-rnn/],
    ['weights of the wrong size', (t: string) => t.replace(/"weights":"[^"]*"/, '"weights":"AAAAAA=="'), /weights must hold \d+ bytes .* got 4 bytes/],
    // Eight base64 characters are six bytes: 00 00 C0 7F is float32 NaN (little-endian).
    ['NaN weights', (t: string) => t.replace(/"weights":"[^"]{8}/, '"weights":"AADAfwAA'), /weights element 0 is NaN; checkpoint values must be finite/],
    ['an order that is not a permutation', (t: string) => t.replace(/"order":\[\d+,\d+,/, '"order":[0,0,'), /order must be a permutation of 0 … 15/],
    ['a zero random state', (t: string) => t.replace(/"shuffle":\[[^\]]*\]/, '"shuffle":[0,0,0,0,"NaN"]'), /random\.shuffle is not a random-number state: the 4 state words must not all be 0/],
    ['an unknown key', (t: string) => t.replace('"stopped":false', '"stopped":false,"extra":1'), /the checkpoint has an unknown key 'extra'/],
  ])('refuses %s with a ModelFileError', async (_name, damage, message) => {
    const error = await refused(damage(good));
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toMatch(message);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('names the layer when the architecture differs', async () => {
    const path = freshPath();
    writeFileSync(path, good);
    const other = sequential([layers.gru({ units: 6, inputShape: [5, 3], dropout: 0.25 }), layers.dense({ units: 1 })], { seed: 1, runtime });
    other.compile({ optimizer: optimizers.adam({ learningRate: 0.01, schedule: schedules.step({ stepSize: 2, gamma: 0.5 }) }), loss: 'meanSquaredError' });
    const error = await other.fit(x, y, options(path)).catch((e: unknown) => e);
    other.dispose();
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toMatch(/another architecture \(LSTM\(6\) → Dense\(1\)\) than this model \(GRU\(6\) → Dense\(1\)\): layer 0 is \{"className":"LSTM"/);
  });

  it('names the compile settings when they differ', async () => {
    const path = freshPath();
    writeFileSync(path, good);
    const other = model(runtime);
    other.compile({ optimizer: 'rmsprop', loss: 'meanSquaredError' });
    const error = await other.fit(x, y, options(path)).catch((e: unknown) => e);
    other.dispose();
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toMatch(/written with compile settings \{.*"name":"adam".*\}, but the model is compiled with \{.*"name":"rmsprop"/);
  });

  it('refuses a fit with another batch size (OptionError) or other data (ValueError)', async () => {
    const batch = await refused(good, undefined, (path) => ({ ...options(path), batchSize: 5 }));
    expect(batch).toBeInstanceOf(OptionError);
    expect((batch as Error).message).toMatch(/written by a fit with batchSize 4, this fit has batchSize 5; resume with the same settings/);
    const path = freshPath();
    writeFileSync(path, good);
    const m = model(runtime);
    const data = await m.fit(x.slice(0, 10), y.slice(0, 10), options(path)).catch((e: unknown) => e);
    m.dispose();
    expect(data).toBeInstanceOf(ValueError);
    expect((data as Error).message).toMatch(/written by a fit on 16 training samples, this fit has 8/);
  });

  it.each([
    [{ path: '' }, /checkpoint: path must be a non-empty string or a file URL, got ""/],
    [{ path: 'a.json', every: 0 }, /checkpoint: every must be a positive integer, got 0/],
    [{ path: 'a.json', resume: 'yes' }, /checkpoint: resume must be true or false, got "yes"/],
    [{ path: 'a.json', evry: 2 }, /checkpoint: unknown option 'evry' \(did you mean 'every'\?\)/],
    ['a.json', /checkpoint must be an object such as \{ path/],
  ])('checks the option %j', async (checkpoint, message) => {
    const m = model(runtime);
    const error = await m.fit(x, y, { ...FIT, checkpoint: checkpoint as never }).catch((e: unknown) => e);
    m.dispose();
    expect((error as Error).message).toMatch(message);
    expect((error as Error).name).toMatch(/OptionError|ValueError/);
  });
});
