import { describe, expect, it } from 'vitest';
import { hasWasmRelaxedSimd } from '../../src/kernels/detect.js';
import { createWasmRuntime } from '../../src/kernels/runtime.js';
import { instantiateKernels as instantiateForward } from '../../src/kernels/wasm/instantiate-forward.js';
import type { WasmBuild } from '../../src/kernels/wasm/instantiate.js';
import { modelFromJSON as inferenceModelFromJSON } from '../../src/io/inference-load.js';
import { layers } from '../../src/model/layer-specs.js';
import { seq2seq } from '../../src/model/seq2seq.js';
import type { Seq2SeqCore } from '../../src/model/seq2seq-core.js';
import type { SequentialCore } from '../../src/model/sequential-core.js';
import { sequential } from '../../src/model/sequential.js';

/*
 * The inference bundle runs the forward-only kernel module (assembly/inference.ts) in place of the
 * full one (rollup.config.mjs swaps wasm/instantiate.ts for wasm/instantiate-forward.ts). A model
 * trained and saved on the full module, loaded by the inference entry on the forward module of the
 * same build, predicts, steps, generates and translates bit for bit the same; every forward path
 * of the layers and model cores runs on it (a training kernel there throws a StateError).
 * Node 20 runs the relaxed build too with `--pool=forks --execArgv=--experimental-wasm-relaxed-simd`.
 */

const BUILDS: WasmBuild[] = hasWasmRelaxedSimd() ? ['baseline', 'relaxed'] : ['baseline'];
const TOKENS = [[1, 2, 3, 4, 5], [0, 0, 6, 7, 8], [8, 7, 6, 5, 4]];
const SERIES = [[[0.5, -0.25], [0.125, 1], [-1, 0.75]], [[0.25, 0.5], [-0.5, 0.25], [1, -1]]];
const data = (tensor: { data: ArrayLike<number> }) => Array.from(tensor.data);

describe.each(BUILDS)('the forward-only kernel module, %s build', (build) => {
  const fullRuntime = createWasmRuntime(build);
  const forwardRuntime = createWasmRuntime(build, instantiateForward);
  const load = (model: { toJSON(): unknown }) => inferenceModelFromJSON(JSON.stringify(model), { runtime: forwardRuntime });

  it('token models (masking, both GRU variants, hard gates, bidirectional merges, dropout, goBackwards, softmax): predict and generate', async () => {
    const tagger = sequential([
      layers.embedding({ inputDim: 9, outputDim: 4, maskZero: true }),
      layers.bidirectional({ layer: layers.lstm({ units: 5, returnSequences: true, recurrentActivation: 'hardSigmoid' }), mergeMode: 'ave' }),
      layers.bidirectional({ layer: layers.gru({ units: 4, returnSequences: true, resetAfter: false }), mergeMode: 'mul' }),
      layers.dropout({ rate: 0.2 }),
      layers.simpleRNN({ units: 4, returnSequences: true, goBackwards: true }),
      layers.timeDistributed({ layer: layers.dense({ units: 9, activation: 'softmax' }) }),
    ], { runtime: fullRuntime, seed: 3 });
    tagger.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await tagger.fit(TOKENS, TOKENS, { epochs: 2, batchSize: 2, seed: 1, verbose: 0 });
    const loadedTagger = load(tagger) as SequentialCore;
    expect(data(loadedTagger.predict(TOKENS))).toEqual(data(tagger.predict(TOKENS)));

    const language = sequential([
      layers.embedding({ inputDim: 9, outputDim: 4 }),
      layers.lstm({ units: 6, returnSequences: true }),
      layers.gru({ units: 5, recurrentActivation: 'hardSigmoidKeras3' }),
      layers.dense({ units: 9, activation: 'softmax' }),
    ], { runtime: fullRuntime, seed: 4 });
    const loadedLanguage = load(language) as SequentialCore;
    expect(data(loadedLanguage.predict(TOKENS))).toEqual(data(language.predict(TOKENS)));
    for (const options of [{ seed: [1, 2], steps: 6, temperature: 0 }, { seed: [3], steps: 8, rng: 7 }]) {
      expect(loadedLanguage.generate(options)).toEqual(language.generate(options));
    }
    for (const model of [tagger, loadedTagger, language, loadedLanguage]) model.dispose();
  });

  it('a series model (SimpleRNN tanh and relu, GRU, linear dense): predict, stateful step and forecast', () => {
    const series = sequential([
      layers.simpleRNN({ units: 5, inputShape: [null, 2], returnSequences: true }),
      layers.simpleRNN({ units: 4, activation: 'relu', returnSequences: true }),
      layers.gru({ units: 3 }),
      layers.dense({ units: 2 }),
    ], { runtime: fullRuntime, seed: 5 });
    const loaded = load(series) as SequentialCore;
    expect(data(loaded.predict(SERIES))).toEqual(data(series.predict(SERIES)));
    for (const x of SERIES[0]!) expect(data(loaded.step([x]))).toEqual(data(series.step([x])));
    const forecast = { seed: SERIES[1]!, steps: 4 };
    expect(data(loaded.generate(forecast))).toEqual(data(series.generate(forecast)));
    series.dispose();
    loaded.dispose();
  });

  it('a seq2seq model: translate', () => {
    const reverser = seq2seq({
      encoder: { cell: 'gru', units: 6, embedding: { inputDim: 8, outputDim: 3 } }, decoder: { vocabSize: 8, embedding: { outputDim: 3 } },
      startToken: 1, endToken: 2, maxLength: 6, seed: 6, runtime: fullRuntime,
    });
    const loaded = load(reverser) as Seq2SeqCore;
    const sources = [[3, 4, 5], [7, 6, 5, 4]];
    expect(loaded.translate(sources)).toEqual(reverser.translate(sources));
    reverser.dispose();
    loaded.dispose();
  });

  it('refuses training kernels with a StateError that names them', () => {
    expect(() => forwardRuntime.kernels.adamUpdate(0, 0, 0, 0, 0, 0.1, 0.9, 0.999, 1e-7, 0, 0, 1)).toThrow(/kernel 'adamUpdate' is training-only/);
    expect(() => forwardRuntime.kernels.gemmTN(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0)).toThrow(/kernel 'gemmTN' is training-only/);
  });
});
