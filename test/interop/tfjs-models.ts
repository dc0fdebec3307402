import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Random } from '../../src/random.js';

/*
 * tfjs models for the import/export tests, built in-process by tfjs itself, with seeded weights
 * (tfjs' own initialisers are not seeded) and inputs, saved to memory with tf.io.withSaveHandler
 * exactly as `model.save` writes model.json and its weight data.
 */

export interface TfjsCase {
  label: string;
  build: () => tf.LayersModel;
  /** Input of one batch: float features [N, T, F] (or [N, F]) or integer ids [N, T]. */
  input: () => { values: Float32Array; shape: number[]; ids?: boolean };
}

export interface Saved {
  modelJson: { format: string; modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  weights: ArrayBuffer;
}

/** Replaces every weight of `model` by values drawn uniformly from ±scale with a fixed seed. */
export function seedWeights(model: tf.LayersModel, seed: number, scale = 0.5): void {
  const random = new Random(seed);
  model.setWeights(model.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => random.uniform(-scale, scale)), w.shape)));
}

/** What tfjs' `model.save` would write, kept in memory: the model.json object and the weight data. */
export async function saveToMemory(model: tf.LayersModel): Promise<Saved> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const a = artifacts! as tf.io.ModelArtifacts;
  return {
    modelJson: { format: 'layers-model', modelTopology: a.modelTopology as object, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs! }] },
    weights: a.weightData as ArrayBuffer,
  };
}

export function randomFeatures(seed: number, shape: number[]): { values: Float32Array; shape: number[] } {
  const random = new Random(seed);
  return { values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1)), shape };
}

/** Ids in [1, vocab) with right padding (0) of different lengths per row. */
export function paddedIds(seed: number, N: number, T: number, vocab: number): { values: Float32Array; shape: number[]; ids: boolean } {
  const random = new Random(seed);
  const values = new Float32Array(N * T);
  for (let n = 0; n < N; n++) {
    const length = Math.max(1, T - (n % T));
    for (let t = 0; t < length; t++) values[n * T + t] = 1 + random.int(vocab - 1);
  }
  return { values, shape: [N, T], ids: true };
}

/** Features with some steps set entirely to `value` (masked by a Masking layer). */
export function featuresWithMaskedSteps(seed: number, shape: [number, number, number], value: number): { values: Float32Array; shape: number[] } {
  const x = randomFeatures(seed, shape);
  const [N, T, F] = shape;
  for (let n = 0; n < N; n++) {
    for (let t = 0; t < T; t++) if ((n + t) % 3 === 1) x.values.fill(value, (n * T + t) * F, (n * T + t + 1) * F);
  }
  return x;
}

function sequentialOf(layers: tf.layers.Layer[]): () => tf.LayersModel {
  return () => {
    const model = tf.sequential();
    for (const layer of layers) model.add(layer);
    return model;
  };
}

const seq = (T: number | null, F: number) => ({ inputShape: [T, F] as [number | null, number] });

/** One case per supported layer and option (the factories run lazily: tfjs layers are used once). */
export const CASES: TfjsCase[] = [
  { label: 'SimpleRNN tanh', build: () => sequentialOf([tf.layers.simpleRNN({ units: 5, ...seq(6, 3) })])(), input: () => randomFeatures(1, [4, 6, 3]) },
  {
    label: 'SimpleRNN relu, returnSequences, Dense linear',
    build: () => sequentialOf([tf.layers.simpleRNN({ units: 4, activation: 'relu', returnSequences: true, ...seq(null, 3) }), tf.layers.dense({ units: 2 })])(),
    input: () => randomFeatures(2, [3, 5, 3]),
  },
  {
    label: 'LSTM (tfjs default hardSigmoid), Dense softmax',
    build: () => sequentialOf([tf.layers.lstm({ units: 6, ...seq(7, 4) }), tf.layers.dense({ units: 3, activation: 'softmax' })])(),
    input: () => randomFeatures(3, [5, 7, 4]),
  },
  {
    label: 'LSTM sigmoid, useBias false, Dense relu',
    build: () => sequentialOf([tf.layers.lstm({ units: 5, recurrentActivation: 'sigmoid', useBias: false, ...seq(6, 3) }), tf.layers.dense({ units: 4, activation: 'relu' })])(),
    input: () => randomFeatures(4, [3, 6, 3]),
  },
  {
    label: 'GRU (reset_after false, hardSigmoid), Dense tanh',
    build: () => sequentialOf([tf.layers.gru({ units: 5, ...seq(6, 3) }), tf.layers.dense({ units: 2, activation: 'tanh' })])(),
    input: () => randomFeatures(5, [4, 6, 3]),
  },
  {
    label: 'GRU sigmoid, returnSequences, useBias false, Dense sigmoid',
    build: () => sequentialOf([tf.layers.gru({ units: 4, recurrentActivation: 'sigmoid', returnSequences: true, useBias: false, ...seq(5, 3) }), tf.layers.dense({ units: 2, activation: 'sigmoid' })])(),
    input: () => randomFeatures(6, [3, 5, 3]),
  },
  {
    label: 'stacked LSTM → GRU, Dropout between',
    build: () => sequentialOf([
      tf.layers.lstm({ units: 5, returnSequences: true, ...seq(6, 3) }), tf.layers.dropout({ rate: 0.3 }), tf.layers.gru({ units: 4 }), tf.layers.dense({ units: 1 }),
    ])(),
    input: () => randomFeatures(7, [4, 6, 3]),
  },
  ...(['concat', 'sum', 'mul', 'ave'] as const).map((mergeMode, i): TfjsCase => ({
    label: `Bidirectional ${mergeMode} (${['LSTM', 'GRU', 'SimpleRNN', 'LSTM'][i]})`,
    build: () => {
      const inner = [tf.layers.lstm({ units: 4, returnSequences: i % 2 === 0 }), tf.layers.gru({ units: 4 }), tf.layers.simpleRNN({ units: 4, returnSequences: true }), tf.layers.lstm({ units: 4 })][i]!;
      return sequentialOf([tf.layers.bidirectional({ layer: inner as tf.RNN, mergeMode, ...seq(5, 3) }), tf.layers.dense({ units: 2 })])();
    },
    input: () => randomFeatures(10 + i, [3, 5, 3]),
  })),
  {
    label: 'Embedding maskZero (padded ids) → LSTM → Dense',
    build: () => sequentialOf([tf.layers.embedding({ inputDim: 9, outputDim: 4, maskZero: true, inputLength: 6 }), tf.layers.lstm({ units: 5 }), tf.layers.dense({ units: 3, activation: 'softmax' })])(),
    input: () => paddedIds(20, 5, 6, 9),
  },
  {
    label: 'Embedding maskZero → GRU returnSequences → TimeDistributed(Dense)',
    build: () => sequentialOf([
      tf.layers.embedding({ inputDim: 7, outputDim: 3, maskZero: true, inputLength: 5 }), tf.layers.gru({ units: 4, returnSequences: true }),
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2, activation: 'softmax' }) }),
    ])(),
    input: () => paddedIds(21, 4, 5, 7),
  },
  {
    label: 'Masking → LSTM returnSequences → TimeDistributed(Dense)',
    build: () => sequentialOf([
      tf.layers.masking({ maskValue: 0, ...seq(6, 3) }), tf.layers.lstm({ units: 4, returnSequences: true }), tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 2 }) }),
    ])(),
    input: () => featuresWithMaskedSteps(22, [3, 6, 3], 0),
  },
  {
    label: 'Masking (maskValue -1) → Bidirectional GRU',
    build: () => sequentialOf([tf.layers.masking({ maskValue: -1, ...seq(5, 2) }), tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3 }) as tf.RNN })])(),
    input: () => featuresWithMaskedSteps(23, [4, 5, 2], -1),
  },
  {
    label: 'goBackwards LSTM returnSequences, goBackwards GRU, SimpleRNN',
    build: () => sequentialOf([
      tf.layers.lstm({ units: 4, goBackwards: true, returnSequences: true, ...seq(5, 3) }), tf.layers.gru({ units: 3, goBackwards: true, returnSequences: true }),
      tf.layers.simpleRNN({ units: 2, goBackwards: true }),
    ])(),
    input: () => randomFeatures(24, [3, 5, 3]),
  },
  {
    label: 'Dense on vectors',
    build: () => sequentialOf([tf.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), tf.layers.dense({ units: 2, activation: 'softmax' })])(),
    input: () => randomFeatures(25, [5, 3]),
  },
  {
    label: 'Functional chain: input → LSTM → Dense',
    build: () => {
      const input = tf.input({ shape: [6, 3] });
      const hidden = tf.layers.lstm({ units: 4, returnSequences: true }).apply(input) as tf.SymbolicTensor;
      const output = tf.layers.dense({ units: 2, activation: 'sigmoid' }).apply(tf.layers.gru({ units: 3 }).apply(hidden)) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: output });
    },
    input: () => randomFeatures(26, [3, 6, 3]),
  },
];

/** tfjs' prediction for a case input. */
export function tfjsPredict(model: tf.LayersModel, input: { values: Float32Array; shape: number[] }): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(input.values, input.shape)) as tf.Tensor).dataSync() as Float32Array);
}

/** A fresh temporary folder for the enclosing describe block (removed after it); call the result for its path. */
export function temporaryFolder(prefix: string): () => string {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}
