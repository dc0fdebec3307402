import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ValueError } from '../../src/errors.js';
import { modelToTfjs, type TfjsModelArtifacts } from '../../src/interop/tfjs-export.js';
import { loadTfjsModel } from '../../src/interop/tfjs-load.js';
import { saveTfjs } from '../../src/interop/tfjs-save.js';
import { layers, type LayerSpec } from '../../src/model/layer-specs.js';
import { Sequential } from '../../src/model/sequential.js';
import { tensor } from '../../src/tensor.js';
import { expectClose, type Tolerance } from '../helpers/close.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { CASES, featuresWithMaskedSteps, paddedIds, randomFeatures, saveToMemory, seedWeights, temporaryFolder, tfjsPredict } from './tfjs-models.js';

/*
 * Export: our models → tfjs layers format → tf.loadLayersModel(tf.io.fromMemory(…)) predicts what
 * our model predicts; tfjs-made models survive import → export → tfjs; save(dir, tfjs) writes
 * files that load back.
 */

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TOLERANCE: Tolerance = { abs: 1e-6, rel: 1e-5 };

async function tfjsModelOf(artifacts: TfjsModelArtifacts): Promise<tf.LayersModel> {
  const { modelTopology, weightsManifest } = artifacts.modelJson;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs: weightsManifest[0]!.weights, weightData: artifacts.weights }));
}

interface OwnCase {
  label: string;
  specs: LayerSpec[];
  input: { values: Float32Array; shape: number[]; ids?: boolean };
}

const OWN: OwnCase[] = [
  { label: 'SimpleRNN relu → Dense', specs: [layers.simpleRNN({ units: 5, activation: 'relu', inputShape: [null, 3] }), layers.dense({ units: 2 })], input: randomFeatures(1, [3, 6, 3]) },
  {
    label: 'LSTM hardSigmoid returnSequences → GRU resetAfter false → Dense softmax',
    specs: [
      layers.lstm({ units: 5, recurrentActivation: 'hardSigmoid', returnSequences: true, inputShape: [6, 3] }), layers.dropout({ rate: 0.2 }),
      layers.gru({ units: 4, resetAfter: false }), layers.dense({ units: 3, activation: 'softmax' }),
    ],
    input: randomFeatures(2, [4, 6, 3]),
  },
  {
    label: 'LSTM and GRU without bias, goBackwards',
    specs: [layers.lstm({ units: 4, useBias: false, goBackwards: true, returnSequences: true, inputShape: [5, 3] }), layers.gru({ units: 3, useBias: false, resetAfter: false })],
    input: randomFeatures(3, [3, 5, 3]),
  },
  ...(['concat', 'sum', 'mul', 'ave'] as const).map((mergeMode, i): OwnCase => ({
    label: `Bidirectional ${mergeMode}`,
    specs: [
      layers.bidirectional({ layer: [layers.lstm({ units: 4, returnSequences: true }), layers.gru({ units: 4, resetAfter: false }), layers.simpleRNN({ units: 3 }), layers.lstm({ units: 3 })][i]!, mergeMode, inputShape: [5, 3] }),
      layers.dense({ units: 2, activation: 'tanh' }),
    ],
    input: randomFeatures(10 + i, [3, 5, 3]),
  })),
  {
    label: 'Embedding maskZero → LSTM → Dense sigmoid',
    specs: [layers.embedding({ inputDim: 8, outputDim: 4, maskZero: true }), layers.lstm({ units: 5 }), layers.dense({ units: 1, activation: 'sigmoid' })],
    input: paddedIds(20, 4, 6, 8),
  },
  {
    label: 'Masking → GRU returnSequences → timeDistributed(Dense relu)',
    specs: [layers.masking({ maskValue: 0, inputShape: [6, 2] }), layers.gru({ units: 3, resetAfter: false, returnSequences: true }), layers.timeDistributed({ layer: layers.dense({ units: 2, activation: 'relu' }) })],
    input: featuresWithMaskedSteps(21, [3, 6, 2], 0),
  },
  { label: 'Dense on vectors', specs: [layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), layers.dense({ units: 2 })], input: randomFeatures(22, [5, 3]) },
  // zeroOutputForMask where tfjs computes the same: no step is masked, or a later recurrent layer skips the masked steps.
  {
    label: 'zeroOutputForMask without a mask source → Dense',
    specs: [layers.lstm({ units: 3, returnSequences: true, zeroOutputForMask: true, inputShape: [5, 2] }), layers.dense({ units: 2 })],
    input: randomFeatures(23, [3, 5, 2]),
  },
  {
    label: 'Masking → Bidirectional zeroOutputForMask (as Keras 3 imports it) → GRU returnSequences',
    specs: [
      layers.masking({ maskValue: 0, inputShape: [6, 2] }),
      layers.bidirectional({ layer: layers.lstm({ units: 3, returnSequences: true, zeroOutputForMask: true }) }),
      layers.gru({ units: 2, resetAfter: false, returnSequences: true }), layers.dense({ units: 2 }),
    ],
    input: featuresWithMaskedSteps(24, [3, 6, 2], 0),
  },
];

/** Our non-zero biases: initialisation leaves most at 0, so set every parameter from a seed. */
function randomiseWeights(model: Sequential, seed: number): void {
  const dict = model.stateDict();
  let s = seed;
  for (const name of Object.keys(dict)) dict[name]!.data.forEach((_, i, a) => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; a[i] = (s / 2 ** 32 - 0.5); });
  model.loadStateDict(dict);
}

describe.each(BACKENDS)('toTfjs on %s', (backend) => {
  const runtime = createRuntime(backend);

  it.each(OWN.map((c, i) => [c.label, i] as const))('%s: tfjs predicts what the model predicts', async (_label, index) => {
    const c = OWN[index]!;
    const model = new Sequential(c.specs, { seed: 1, runtime });
    randomiseWeights(model, 7 + index);
    const reference = await tfjsModelOf(modelToTfjs(model));
    try {
      const expected = tfjsPredict(reference, c.input);
      const ours = model.predict(tensor(c.input.values, c.input.shape));
      expectClose(ours.data, expected, TOLERANCE, c.label);
    } finally {
      reference.dispose();
      model.dispose();
    }
  });

  it.each(CASES.map((c, i) => [c.label, i] as const))('tfjs model %s survives import → export → tfjs', async (_label, index) => {
    const c = CASES[index]!;
    const original = c.build();
    seedWeights(original, 300 + index);
    const model = await loadTfjsModel(await saveToMemory(original), { runtime });
    const again = await tfjsModelOf(modelToTfjs(model));
    try {
      const input = c.input();
      expectClose(tfjsPredict(again, input), tfjsPredict(original, input), TOLERANCE, c.label);
    } finally {
      for (const m of [original, again]) m.dispose();
      model.dispose();
    }
  });
});

describe('toTfjs refuses what tfjs cannot compute', () => {
  it.each([
    ['a reset-after GRU', [layers.gru({ units: 3, inputShape: [null, 2] })], /resetAfter: true, which tfjs cannot express/],
    ['hardSigmoidKeras3', [layers.lstm({ units: 3, recurrentActivation: 'hardSigmoidKeras3', inputShape: [null, 2] })], /'hardSigmoidKeras3'.*tfjs cannot compute/],
    [
      'zeroOutputForMask where masked steps reach the output',
      [layers.masking({ inputShape: [null, 2] }), layers.bidirectional({ layer: layers.gru({ units: 3, resetAfter: false, returnSequences: true, zeroOutputForMask: true }) }), layers.dense({ units: 1 })],
      /layer 1 'bidirectional' \(Bidirectional\) has zeroOutputForMask: true .*tfjs outputs the carried state there.*zeroOutputForMask: false to export/,
    ],
    ['zeroOutputForMask after an Embedding with maskZero', [layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true }), layers.simpleRNN({ units: 2, returnSequences: true, zeroOutputForMask: true })], /layer 1 'simple_rnn' .*zeroOutputForMask: true/],
    ['hardSigmoidKeras3 inside a bidirectional', [layers.bidirectional({ layer: layers.gru({ units: 3, resetAfter: false, recurrentActivation: 'hardSigmoidKeras3' }), inputShape: [null, 2] })], /layer 0 'bidirectional'.*'hardSigmoidKeras3'/],
  ] as const)('%s', (_label, specs, message) => {
    const model = new Sequential(specs as unknown as LayerSpec[], { seed: 1 });
    try {
      expect(() => modelToTfjs(model)).toThrow(ValueError);
      expect(() => modelToTfjs(model)).toThrow(message);
    } finally {
      model.dispose();
    }
  });
});

describe('saveTfjs (Node)', () => {
  const tempDir = temporaryFolder('wasm-rnn-tfjs-');

  it('model.toTfjs() and model.save(dir, { format: \'tfjs\' }) from the package root', async () => {
    const { sequential, layers: rootLayers, loadTfjsModel: rootLoad } = await import('../../src/index.js');
    const model = sequential([rootLayers.gru({ units: 3, resetAfter: false, inputShape: [null, 2] }), rootLayers.dense({ units: 1 })], { seed: 4 });
    randomiseWeights(model, 9);
    const artifacts = await model.toTfjs();
    expect(artifacts).toEqual(modelToTfjs(model));
    const result = await model.save(join(tempDir(), 'from-model'), { format: 'tfjs' });
    const loaded = await rootLoad(result.path);
    const x = randomFeatures(4, [2, 5, 2]);
    try {
      // Not bit for bit: a reset-before GRU's two biases become one (b_ih + b_hh) in tfjs' layout,
      // which changes the order of two f32 additions.
      expectClose(loaded.predict(tensor(x.values, x.shape)).data, model.predict(tensor(x.values, x.shape)).data, { abs: 1e-6, rel: 1e-6 }, 'reloaded');
      await expect(model.save(join(tempDir(), 'x'), { format: 'pickle' as never })).rejects.toThrow(/save: format must be 'json', .*'tfjs'.*, got "pickle"/);
      await expect(model.save(join(tempDir(), 'x'), { format: 'tfjs', includeOptimizer: true })).rejects.toThrow(/'includeOptimizer' applies to format 'json' only/);
      const json = await model.save(join(tempDir(), 'model.wasm-rnn.json'));
      expect(JSON.parse(await readFile(json.path, 'utf8')).format).toBe('wasm-rnn-model');
    } finally {
      for (const m of [model, loaded]) m.dispose();
    }
  });

  it('writes model.json + weights.bin that loadTfjsModel and tfjs read back', async () => {
    const model = new Sequential([layers.embedding({ inputDim: 6, outputDim: 3 }), layers.bidirectional({ layer: layers.lstm({ units: 3 }) }), layers.dense({ units: 2 })], { seed: 2 });
    randomiseWeights(model, 5);
    const folder = join(tempDir(), 'nested', 'model');
    const result = await saveTfjs(model, folder);
    expect(result.path).toBe(join(folder, 'model.json'));
    const json = await readFile(result.path, 'utf8');
    const bin = await readFile(join(folder, 'weights.bin'));
    expect(result.bytes).toBe(Buffer.byteLength(json) + bin.byteLength);
    const input = paddedIds(3, 3, 5, 6);
    const loaded = await loadTfjsModel(result.path);
    const parsed = JSON.parse(json);
    const reference = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs: parsed.weightsManifest[0].weights, weightData: new Uint8Array(bin).buffer }));
    try {
      const ours = model.predict(tensor(input.values, input.shape)).data;
      expect(loaded.predict(tensor(input.values, input.shape)).data).toEqual(ours);
      expectClose(ours, tfjsPredict(reference, input), TOLERANCE, 'tfjs from the saved files');
    } finally {
      for (const m of [model, loaded]) m.dispose();
      reference.dispose();
    }
  });
});
