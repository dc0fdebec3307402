import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CharTokenizer } from '../../src/data/char-tokenizer.js';
import { MinMaxScaler } from '../../src/data/min-max-scaler.js';
import { encodeFloat32 } from '../../src/io/base64.js';
import { modelFromJSON as inferenceModelFromJSON } from '../../src/io/inference-load.js';
import { ModelFileError } from '../../src/io/model-file-error.js';
import type { ModelJSON } from '../../src/io/model-json.js';
import { loadModel, modelFromJSON } from '../../src/io/save-load.js';
import { saveModel } from '../../src/io/save-model.js';
import { layers } from '../../src/model/layer-specs.js';
import { seq2seq, type Seq2Seq } from '../../src/model/seq2seq.js';
import { sequential, type Sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { optimizers } from '../../src/train/optimizers.js';
import { schedules } from '../../src/train/schedules.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { randomSequences } from '../model/helpers.js';

/*
 * Save and load: a loaded model predicts bit for bit like the saved one on the same backend, a
 * saved optimizer resumes training exactly, files are written atomically, and every kind of bad
 * document is refused with a ModelFileError before any arena memory is taken.
 */

const TEXT = 'hello world, hello wasm';

describe.each(BACKENDS)('save and load on %s', (backend) => {
  const runtime = createRuntime(backend);
  let folder = '';

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'wasm-rnn-save-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  function charModel(seed = 1): Sequential {
    const tokenizer = CharTokenizer.fit(TEXT);
    const model = sequential([
      layers.embedding({ inputDim: tokenizer.vocabSize, outputDim: 5 }),
      layers.lstm({ units: 8, returnSequences: true, dropout: 0.1 }),
      layers.gru({ units: 6, returnSequences: true }),
      layers.dense({ units: tokenizer.vocabSize, activation: 'softmax' }),
    ], { runtime, seed, name: 'chars' });
    model.tokenizer = tokenizer;
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.01, schedule: schedules.exponential({ gamma: 0.9 }) }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], clipNorm: 2 });
    return model;
  }

  function charData(): { x: number[][]; y: number[][] } {
    const ids = CharTokenizer.fit(TEXT).encode(TEXT);
    const x = Array.from({ length: 12 }, (_, i) => ids.slice(i, i + 8));
    return { x, y: Array.from({ length: 12 }, (_, i) => ids.slice(i + 1, i + 9)) };
  }

  function reverser(seed = 2): Seq2Seq {
    const model = seq2seq({
      encoder: { cell: 'lstm', units: 6, embedding: { inputDim: 8, outputDim: 3 } }, decoder: { vocabSize: 8, embedding: { outputDim: 3 } },
      startToken: 1, endToken: 2, maxLength: 5, seed, runtime,
    });
    model.compile({ optimizer: 'rmsprop', metrics: ['accuracy'] });
    return model;
  }

  it('a loaded model predicts and generates bit for bit like the saved one, with its tokenizer, scaler, compile and training metadata', async () => {
    const model = charModel();
    model.scaler = new MinMaxScaler().fit([[1, 2], [3, 5]]);
    const { x, y } = charData();
    await model.fit(x, y, { epochs: 2, batchSize: 4, seed: 3 });
    const json = JSON.parse(JSON.stringify(model)) as ModelJSON;
    expect(json.format).toBe('wasm-rnn-model');
    expect(json.formatVersion).toBe(1);
    expect(json.compile).toEqual({ optimizer: model.optimizer!.toJSON(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], clipNorm: 2 });
    expect(json.optimizerState).toBeNull();
    const loaded = modelFromJSON(json, { runtime }) as Sequential;
    expect(loaded.kind).toBe('sequential');
    expect(loaded.name).toBe('chars');
    expect(Array.from(loaded.predict(x).data)).toEqual(Array.from(model.predict(x).data));
    expect(loaded.generate({ seed: 'hel', steps: 10, rng: 5 })).toEqual(model.generate({ seed: 'hel', steps: 10, rng: 5 }));
    expect(loaded.tokenizer!.toJSON()).toEqual(model.tokenizer!.toJSON());
    expect(loaded.scaler!.toJSON()).toEqual(model.scaler.toJSON());
    expect(loaded.epochsTrained).toBe(2);
    expect(loaded.lastLogs).toEqual(model.lastLogs);
    expect(loaded.optimizer!.toJSON()).toEqual(model.optimizer!.toJSON());
    expect(loaded.evaluate(x, y)).toEqual(model.evaluate(x, y));
    expect(loaded.summary({ print: false })).toBe(model.summary({ print: false }));
  });

  it('the inference entry loads the same model without its tokenizer and scaler (no data tools there)', () => {
    const model = charModel(3);
    model.scaler = new MinMaxScaler().fit([1, 2, 3]);
    const loaded = inferenceModelFromJSON(JSON.stringify(model), { runtime }) as Sequential;
    expect(loaded.tokenizer).toBeNull();
    expect(loaded.scaler).toBeNull();
    expect(loaded.generate({ seed: [3, 4], steps: 5, rng: 1 })).toEqual({ ids: model.generate({ seed: [3, 4], steps: 5, rng: 1 }).ids });
    expect(() => inferenceModelFromJSON({ ...model.toJSON(), weights: null }, { runtime })).toThrow(ModelFileError);
  });

  it('includeOptimizer resumes training exactly where it stopped', async () => {
    const { x, y } = charData();
    const model = charModel(4);
    await model.fit(x, y, { epochs: 2, batchSize: 4, seed: 5 });
    const saved = model.toJSON({ includeOptimizer: true });
    const resumed = modelFromJSON(saved, { runtime }) as Sequential;
    expect(resumed.optimizer!.iterations).toBe(model.optimizer!.iterations);
    const fresh = modelFromJSON(model.toJSON(), { runtime }) as Sequential;
    expect(fresh.optimizer!.iterations).toBe(0);
    const more = { epochs: 3, initialEpoch: 2, batchSize: 4, seed: 6 };
    await model.fit(x, y, more);
    await resumed.fit(x, y, more);
    await fresh.fit(x, y, more);
    const expected = model.stateDict();
    for (const [name, value] of Object.entries(resumed.stateDict())) expect(Array.from(value.data), name).toEqual(Array.from(expected[name]!.data));
    expect(Array.from(fresh.stateDict()['3.weight']!.data)).not.toEqual(Array.from(expected['3.weight']!.data));
  });

  it('an encoder–decoder saves and loads, optimizer state included', async () => {
    const model = reverser();
    await model.fit([[3, 4, 5], [6, 7]], [[5, 4, 3], [7, 6]], { epochs: 2, batchSize: 2 });
    const loaded = modelFromJSON(JSON.stringify(model.toJSON({ includeOptimizer: true })), { runtime }) as Seq2Seq;
    expect(loaded.kind).toBe('seq2seq');
    expect(loaded.config).toEqual(model.config);
    expect(loaded.translate([[3, 4, 5], [7]])).toEqual(model.translate([[3, 4, 5], [7]]));
    expect(loaded.encoder.optimizer!.getState().moments).toEqual(model.encoder.optimizer!.getState().moments);
    expect(loaded.decoder.optimizer!.iterations).toBe(2);
    const vectors = seq2seq({ encoder: { cell: 'gru', units: 3, inputFeatures: 2 }, decoder: { vocabSize: 5, embedding: { outputDim: 2 } }, startToken: 0, endToken: 1, maxLength: 3, seed: 1, runtime });
    const sources = randomSequences(new Random(1), 2, [3, 1], 2);
    expect((modelFromJSON(vectors.toJSON(), { runtime }) as Seq2Seq).translate(sources)).toEqual(vectors.translate(sources));
  });

  it('save writes a file that loadModel reads back (path, file URL or JSON text)', async () => {
    const model = reverser(3);
    const path = join(folder, 'reverser.json');
    const result = await model.save(path, { includeOptimizer: true });
    expect(result.path).toBe(path);
    const text = await readFile(path, 'utf8');
    expect(result.bytes).toBe(Buffer.byteLength(text));
    for (const source of [path, pathToFileURL(path), text]) {
      const loaded = (await loadModel(source, { runtime })) as Seq2Seq;
      expect(loaded.translate([[3, 4]])).toEqual(model.translate([[3, 4]]));
    }
    await expect(loadModel(join(folder, 'missing.json'), { runtime })).rejects.toThrow(/cannot read the file/);
  });

  it('a failed save leaves an existing file as it was and no temporary file behind', async () => {
    const path = join(folder, 'kept.json');
    const first = charModel(7);
    await first.save(path);
    const before = await readFile(path, 'utf8');
    const second = charModel(8);
    let temporary = '';
    const failing = saveModel(second, path, {}, {
      beforeRename: (tmp) => {
        temporary = tmp;
        throw new Error('disk full (simulated)');
      },
    });
    await expect(failing).rejects.toThrow(/cannot write the file.*left as it was.*disk full/);
    expect(temporary.startsWith(`${path}.`)).toBe(true);
    expect(await readFile(path, 'utf8')).toBe(before);
    expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await expect(second.save(join(folder, 'no-such-folder', 'model.json'))).rejects.toThrow(/cannot write the file/);
    await second.save(path);
    expect(await readFile(path, 'utf8')).not.toBe(before);
  });

  describe('refuses bad documents with ModelFileError, before taking arena memory', () => {
    let good: ModelJSON;
    beforeAll(() => {
      good = JSON.parse(JSON.stringify(charModel(9).toJSON({ includeOptimizer: true }))) as ModelJSON;
    });

    /** A deep copy of the good document with one change. */
    function edited(change: (doc: Record<string, any>) => void): Record<string, unknown> {
      const doc = JSON.parse(JSON.stringify(good));
      change(doc);
      return doc;
    }

    function expectRefused(source: unknown, message: RegExp): void {
      const used = runtime.arena.stats().usedBytes;
      let error: unknown;
      try {
        modelFromJSON(source as object, { runtime });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ModelFileError);
      expect((error as Error).message).toMatch(message);
      expect(runtime.arena.stats().usedBytes).toBe(used);
    }

    const cases: [string, () => unknown, RegExp][] = [
      ['not JSON', () => '{"format": ', /not valid JSON/],
      ['another format', () => edited((d) => (d.format = 'keras')), /not a wasm-rnn model: format is "keras"/],
      ['a future version', () => edited((d) => (d.formatVersion = 2)), /format version 2, written by a newer wasm-rnn; this version reads up to 1/],
      ['a missing key', () => edited((d) => delete d.weights), /missing 'weights'/],
      ['an unknown key', () => edited((d) => (d.extra = 1)), /unknown key 'extra'/],
      ['a __proto__ key in JSON text', () => JSON.stringify(good).replace('"kind"', '"__proto__": {"polluted": 1}, "kind"'), /'__proto__' key/],
      ['a __proto__ key in an object', () => edited((d) => (d.architecture = JSON.parse('{"__proto__": {"polluted": 1}}'))), /'__proto__' key/],
      ['an unknown layer', () => edited((d) => (d.architecture.layers[1].className = 'Transformer')), /architecture: layers\[1\]/],
      ['a tensor of another shape', () => edited((d) => (d.weights.tensors[0].shape = [3, 5])), /tensor '0.weight' has shape \[3, 5\], but the architecture gives it \[\d+, 5\]/],
      ['data shorter than its shape', () => edited((d) => (d.weights.tensors[2].data = d.weights.tensors[2].data.slice(8))), /tensor '1.weight_hh_l0' declares shape \[32, 8\] \(1024 bytes of float32\), but its data holds 1018 bytes/],
      ['non-base64 data', () => edited((d) => (d.weights.tensors[2].data = `!${d.weights.tensors[2].data.slice(1)}`)), /'1.weight_hh_l0': data is not base64: character 0/],
      ['a NaN weight', () => edited((d) => (d.weights.tensors[3].data = encodeFloat32([Number.NaN, ...new Array(31).fill(0)]))), /tensor '1.bias_ih_l0' element 0 is NaN/],
      ['an infinite weight', () => edited((d) => (d.weights.tensors[3].data = encodeFloat32([0, Number.POSITIVE_INFINITY, ...new Array(30).fill(0)]))), /element 1 is Infinity/],
      ['an unexpected tensor', () => edited((d) => d.weights.tensors.push({ name: '9.weight', shape: [1], data: encodeFloat32([0]) })), /tensor '9.weight' is not a parameter/],
      ['a missing tensor', () => edited((d) => d.weights.tensors.pop()), /weights are missing '3.bias'/],
      ['another dtype', () => edited((d) => (d.weights.dtype = 'float16')), /weights.dtype must be 'float32'/],
      ['an unknown optimizer', () => edited((d) => (d.compile.optimizer.name = 'lion')), /compile: optimizer: name must be one of/],
      ['a bad tokenizer', () => edited((d) => (d.tokenizer.tokens[0] = 'x')), /tokenizer: .*tokens\[0\] must be the reserved '<pad>'/],
      ['moments of the wrong length', () => edited((d) => (d.optimizerState.model.moments[0] = encodeFloat32([1, 2, 3, 4]))), /optimizerState.model.moments\[0\] must hold \d+ bytes/],
      ['too few moment buffers', () => edited((d) => d.optimizerState.model.moments.pop()), /must hold 2 buffer\(s\) for adam/],
      ['optimizer state without compile', () => edited((d) => (d.compile = null)), /optimizerState is given, but compile is null/],
      ['a non-finite number in an object', () => ({ ...good, formatVersion: Number.NaN }), /NaN, which JSON cannot hold/],
    ];
    for (const [label, make, message] of cases) it(label, () => expectRefused(make(), message));

    it('the untouched document loads (the cases above differ from it in one place each)', () => {
      expect(modelFromJSON(good, { runtime }).kind).toBe('sequential');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});

describe('save outside Node', () => {
  it('loadModel and save need a string path or a JSON document', async () => {
    await expect(loadModel(42 as never)).rejects.toThrow(ModelFileError);
    const model = sequential([layers.dense({ units: 1, inputShape: [2] })], { seed: 1, runtime: createRuntime('js') });
    await expect(model.save(42 as never)).rejects.toThrow(/path must be a string or file URL/);
    await writeFile(join(tmpdir(), 'wasm-rnn-not-a-model.json'), 'hello');
    await expect(loadModel(join(tmpdir(), 'wasm-rnn-not-a-model.json'))).rejects.toThrow(/not valid JSON/);
    await rm(join(tmpdir(), 'wasm-rnn-not-a-model.json'));
  });
});
