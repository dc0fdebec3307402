import { describe, expect, it } from 'vitest';
import { modelToOnnx } from '../../src/interop/onnx-export.js';
import { layers, type LayerSpec } from '../../src/model/layer-specs.js';
import { expectClose, type Tolerance } from '../helpers/close.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { onnxPredict, onnxSession, ourPredict, randomInput, randomModel } from './onnx-models.js';

/*
 * Export: our models → ONNX bytes → onnxruntime-web predicts what our predict does, for two batch
 * sizes and two sequence lengths in one session (batch and time are symbolic), on both backends.
 */

const TOLERANCE: Tolerance = { abs: 1e-6, rel: 1e-5 };

interface Case {
  label: string;
  specs: LayerSpec[];
  /** Features per step, or the vocabulary of an embedding model. */
  features?: number;
  vocab?: number;
  /** Vector input [batch, features] instead of sequences. */
  vectors?: boolean;
  /** ONNX operator types the graph must contain. */
  ops: string[];
}

const seq = (units: number, more: object = {}) => ({ units, returnSequences: true, ...more });
const first = { inputShape: [null, 3] as [null, number] };

const CASES: Case[] = [
  { label: 'SimpleRNN tanh, per step', specs: [layers.simpleRNN({ ...seq(5), ...first })], features: 3, ops: ['RNN'] },
  { label: 'SimpleRNN relu without bias, last step → Dense', specs: [layers.simpleRNN({ units: 4, activation: 'relu', useBias: false, ...first }), layers.dense({ units: 2 })], features: 3, ops: ['RNN', 'MatMul'] },
  { label: 'LSTM sigmoid per step → Dense per step', specs: [layers.lstm({ ...seq(6), ...first }), layers.dense({ units: 3, activation: 'tanh' })], features: 3, ops: ['LSTM', 'MatMul', 'Add', 'Tanh'] },
  { label: 'LSTM hardSigmoid (tfjs) → Dense softmax', specs: [layers.lstm({ units: 5, recurrentActivation: 'hardSigmoid', ...first }), layers.dense({ units: 4, activation: 'softmax' })], features: 3, ops: ['LSTM', 'Softmax'] },
  { label: 'LSTM hardSigmoidKeras3 without bias, per step', specs: [layers.lstm({ ...seq(4), recurrentActivation: 'hardSigmoidKeras3', useBias: false, ...first })], features: 3, ops: ['LSTM'] },
  { label: 'GRU resetAfter true → Dense sigmoid', specs: [layers.gru({ units: 5, ...first }), layers.dense({ units: 2, activation: 'sigmoid' })], features: 3, ops: ['GRU', 'Sigmoid'] },
  { label: 'GRU resetAfter false, hardSigmoid, per step', specs: [layers.gru({ ...seq(5), resetAfter: false, recurrentActivation: 'hardSigmoid', ...first })], features: 3, ops: ['GRU'] },
  { label: 'GRU hardSigmoidKeras3 without bias', specs: [layers.gru({ units: 4, recurrentActivation: 'hardSigmoidKeras3', useBias: false, ...first })], features: 3, ops: ['GRU'] },
  { label: 'Bidirectional LSTM concat, per step', specs: [layers.bidirectional({ layer: layers.lstm(seq(4)), ...first })], features: 3, ops: ['LSTM', 'Transpose', 'Reshape'] },
  { label: 'Bidirectional GRU concat, last step', specs: [layers.bidirectional({ layer: layers.gru({ units: 4 }), ...first })], features: 3, ops: ['GRU'] },
  { label: 'Bidirectional GRU sum, per step', specs: [layers.bidirectional({ layer: layers.gru(seq(4)), mergeMode: 'sum', ...first })], features: 3, ops: ['GRU', 'Gather'] },
  { label: 'Bidirectional SimpleRNN mul, per step', specs: [layers.bidirectional({ layer: layers.simpleRNN(seq(4)), mergeMode: 'mul', ...first })], features: 3, ops: ['RNN', 'Mul'] },
  { label: 'Bidirectional LSTM ave hardSigmoid, last step', specs: [layers.bidirectional({ layer: layers.lstm({ units: 4, recurrentActivation: 'hardSigmoid' }), mergeMode: 'ave', ...first })], features: 3, ops: ['LSTM'] },
  { label: 'goBackwards LSTM per step → goBackwards GRU last step', specs: [layers.lstm({ ...seq(4), goBackwards: true, ...first }), layers.gru({ units: 3, goBackwards: true })], features: 3, ops: ['Slice', 'LSTM', 'GRU'] },
  {
    label: 'stacked: Dense relu per step → LSTM → Dropout → GRU → SimpleRNN → Dense relu → Dense linear',
    specs: [
      layers.dense({ units: 6, activation: 'relu', ...first }), layers.lstm(seq(5)), layers.dropout({ rate: 0.3 }), layers.gru(seq(4, { resetAfter: false })),
      layers.simpleRNN({ units: 4 }), layers.dense({ units: 3, activation: 'relu' }), layers.dense({ units: 2 }),
    ],
    features: 3, ops: ['LSTM', 'GRU', 'RNN', 'Relu'],
  },
  {
    label: 'Embedding → LSTM per step → Dense softmax per step',
    specs: [layers.embedding({ inputDim: 11, outputDim: 4 }), layers.lstm(seq(5)), layers.dense({ units: 11, activation: 'softmax' })],
    vocab: 11, ops: ['Gather', 'LSTM', 'Softmax'],
  },
  { label: 'Embedding → bidirectional GRU concat, last step', specs: [layers.embedding({ inputDim: 7, outputDim: 3 }), layers.bidirectional({ layer: layers.gru({ units: 3 }) })], vocab: 7, ops: ['Gather', 'GRU'] },
  {
    label: 'Embedding maskZero (ids 0 anywhere) → LSTM zeroOutputForMask per step → Dense softmax per step',
    specs: [layers.embedding({ inputDim: 4, outputDim: 3, maskZero: true }), layers.lstm(seq(5, { zeroOutputForMask: true })), layers.dense({ units: 4, activation: 'softmax' })],
    vocab: 4, ops: ['TopK', 'GatherElements', 'ScatterElements', 'LSTM'],
  },
  {
    label: 'Embedding maskZero → bidirectional GRU concat per step → GRU reset-before, last step',
    specs: [layers.embedding({ inputDim: 4, outputDim: 3, maskZero: true }), layers.bidirectional({ layer: layers.gru(seq(3)) }), layers.gru({ units: 3, resetAfter: false })],
    vocab: 4, ops: ['GRU'],
  },
  {
    label: 'Embedding maskZero → bidirectional LSTM ave, last step → Dense',
    specs: [layers.embedding({ inputDim: 4, outputDim: 3, maskZero: true }), layers.bidirectional({ layer: layers.lstm({ units: 3 }), mergeMode: 'ave' }), layers.dense({ units: 2 })],
    vocab: 4, ops: ['LSTM'],
  },
  {
    label: 'Embedding maskZero → SimpleRNN relu zeroOutputForMask per step → Dense per step',
    specs: [layers.embedding({ inputDim: 4, outputDim: 3, maskZero: true }), layers.simpleRNN(seq(4, { activation: 'relu', zeroOutputForMask: true })), layers.dense({ units: 2, activation: 'sigmoid' })],
    vocab: 4, ops: ['RNN'],
  },
  {
    // No recurrent layer reads the mask: the Dense computes on row 0 of the table at ids 0, as in Keras.
    label: 'Embedding maskZero → Dense per step (the mask steers nothing)',
    specs: [layers.embedding({ inputDim: 4, outputDim: 3, maskZero: true }), layers.dense({ units: 2, activation: 'tanh' })],
    vocab: 4, ops: ['Gather', 'MatMul', 'Tanh'],
  },
  { label: 'vectors: Dense tanh → Dense softmax', specs: [layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), layers.dense({ units: 3, activation: 'softmax' })], features: 4, vectors: true, ops: ['MatMul', 'Softmax'] },
];

/** Two batch sizes and two lengths in one session. */
const SIZES = [
  { B: 2, T: 5 },
  { B: 3, T: 9 },
];

function opTypesIn(bytes: Uint8Array): (op: string) => boolean {
  // Operator types are stored as plain strings in the NodeProtos.
  const text = new TextDecoder('latin1').decode(bytes);
  return (op) => text.includes(op);
}

describe.each(BACKENDS)('ONNX export on %s', (backend) => {
  const runtime = createRuntime(backend);

  it.each(CASES)('$label: onnxruntime-web gives predict’s outputs', async (c) => {
    const model = randomModel(c.specs, runtime, 7);
    try {
      const bytes = await model.toOnnx();
      const has = opTypesIn(bytes);
      for (const op of c.ops) expect(has(op), `graph contains ${op}`).toBe(true);
      expect(has('Scan') || has('Loop'), 'no unrolled or looped recurrences').toBe(false);
      const session = await onnxSession(bytes);
      try {
        const ids = c.vocab !== undefined;
        const inputShape = session.inputMetadata[0] as { shape: readonly (number | string)[] };
        expect(inputShape.shape).toEqual(c.vectors ? ['batch', c.features] : ids ? ['batch', 'time'] : ['batch', 'time', c.features]);
        let worst = 0;
        for (const [k, { B, T }] of SIZES.entries()) {
          const shape = c.vectors ? [B, c.features!] : ids ? [B, T] : [B, T, c.features!];
          const input = randomInput(100 + k, shape, c.vocab);
          const ours = ourPredict(model, input, shape);
          const theirs = await onnxPredict(session, input, shape, ids);
          expect(theirs.dims).toEqual(ours.dims);
          expectClose(theirs.data, ours.data, TOLERANCE, `${c.label}, B=${B} T=${T}`);
          for (let i = 0; i < ours.data.length; i++) worst = Math.max(worst, Math.abs(theirs.data[i]! - ours.data[i]!));
        }
        console.log(`onnx ${backend} ${c.label}: max |Δ| ${worst.toExponential(1)}`);
      } finally {
        await session.release();
      }
    } finally {
      model.dispose();
    }
  });
});

describe('ONNX export: opsets', () => {
  const runtime = createRuntime('js');
  it.each([14, 17, 21])('opset %i runs in onnxruntime-web with the same outputs', async (opset) => {
    const model = randomModel([layers.bidirectional({ layer: layers.gru(seq(4, { resetAfter: false })), mergeMode: 'ave', ...first }), layers.lstm({ units: 3 }), layers.dense({ units: 2, activation: 'softmax' })], runtime, 3);
    try {
      const bytes = await modelToOnnx(model, { opset });
      const session = await onnxSession(bytes);
      const shape = [2, 6, 3];
      const input = randomInput(5, shape);
      expectClose((await onnxPredict(session, input, shape, false)).data, ourPredict(model, input, shape).data, TOLERANCE);
      await session.release();
    } finally {
      model.dispose();
    }
  });
});

describe('ONNX export: maskZero padding patterns', () => {
  it.each(BACKENDS)('%s: left padding, right padding, holes', async (backend) => {
    const model = randomModel([
      layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true }), layers.bidirectional({ layer: layers.lstm(seq(3)) }), layers.gru(seq(3, { zeroOutputForMask: true })),
      layers.dense({ units: 2 }),
    ], createRuntime(backend), 5);
    const last = randomModel([layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true }), layers.gru({ units: 3 })], createRuntime(backend), 6);
    const ids = Float32Array.from([
      0, 0, 3, 4, 5, // left padding
      1, 2, 3, 0, 0, // right padding
      1, 0, 2, 0, 3, // holes
    ]);
    const shape = [3, 5];
    try {
      for (const m of [model, last]) {
        const session = await onnxSession(await m.toOnnx());
        const ours = ourPredict(m, ids, shape);
        expectClose((await onnxPredict(session, ids, shape, true)).data, ours.data, TOLERANCE, 'outputs');
        await session.release();
      }
    } finally {
      model.dispose();
      last.dispose();
    }
  });
});

describe('ONNX export: Masking layers', () => {
  // 4 sequences × 5 steps × 2 features; a step is masked when both features equal the mask value.
  const stepsWith = (v: number) => Float32Array.from([
    v, v, v, v, 0.3, -0.2, 0.9, 0.1, -0.5, 0.4, // left padding
    0.2, 0.7, -0.8, 0.5, 0.1, -0.3, v, v, v, v, // right padding
    0.6, v, v, v, -0.1, 0.2, v, v, 0.8, -0.9, // holes; step 0 has one feature equal to v: real
    0.5, -0.5, 0.25, 0.75, -1, 1, 0.1, 0.2, 0.3, 0.4, // no padding
  ]);
  const shape = [4, 5, 2];
  const MODELS: { label: string; maskValue: number; specs: () => LayerSpec[] }[] = [
    { label: 'Masking 0 → LSTM per step → GRU → Dense softmax', maskValue: 0, specs: () => [layers.masking({ inputShape: [null, 2] }), layers.lstm(seq(4)), layers.gru({ units: 3 }), layers.dense({ units: 3, activation: 'softmax' })] },
    // Zero steps stay zero through a Dense without bias, so Masking 0 after it masks them.
    { label: 'Dense without bias per step → Masking 0 → bidirectional LSTM concat', maskValue: 0, specs: () => [layers.dense({ units: 3, useBias: false, inputShape: [null, 2] }), layers.masking({ maskValue: 0 }), layers.bidirectional({ layer: layers.lstm({ units: 3 }) })] },
    { label: 'Masking −1 → GRU reset-before hardSigmoid', maskValue: -1, specs: () => [layers.masking({ maskValue: -1, inputShape: [null, 2] }), layers.gru({ units: 4, resetAfter: false, recurrentActivation: 'hardSigmoid' })] },
    {
      label: 'Masking 0 → LSTM per step → SimpleRNN zeroOutputForMask per step → Dense sigmoid per step', maskValue: 0,
      specs: () => [layers.masking({ inputShape: [null, 2] }), layers.lstm(seq(3)), layers.simpleRNN(seq(3, { zeroOutputForMask: true })), layers.dense({ units: 2, activation: 'sigmoid' })],
    },
    {
      label: 'Masking 0 → bidirectional GRU concat zeroOutputForMask per step → Dense', maskValue: 0,
      specs: () => [layers.masking({ inputShape: [null, 2] }), layers.bidirectional({ layer: layers.gru(seq(3, { zeroOutputForMask: true })) }), layers.dense({ units: 2 })],
    },
    { label: 'Masking −1 → Dense tanh per step', maskValue: -1, specs: () => [layers.masking({ maskValue: -1, inputShape: [null, 2] }), layers.dense({ units: 3, activation: 'tanh' })] },
    { label: 'Masking 0 → bidirectional GRU sum per step → SimpleRNN → Dense', maskValue: 0, specs: () => [layers.masking({ inputShape: [null, 2] }), layers.bidirectional({ layer: layers.gru(seq(3)), mergeMode: 'sum' }), layers.simpleRNN({ units: 3 }), layers.dense({ units: 2 })] },
  ];

  for (const backend of BACKENDS) {
    it.each(MODELS)(`${backend}: $label`, async ({ specs, maskValue }) => {
      const model = randomModel(specs(), createRuntime(backend), 9);
      try {
        const session = await onnxSession(await model.toOnnx());
        const input = stepsWith(maskValue);
        expectClose((await onnxPredict(session, input, shape, false)).data, ourPredict(model, input, shape).data, TOLERANCE);
        await session.release();
      } finally {
        model.dispose();
      }
    });
  }
});
