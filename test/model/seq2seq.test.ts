import { describe, expect, it } from 'vitest';
import { OptionError, ShapeError, ValueError } from '../../src/errors.js';
import { createJsRuntime } from '../../src/kernels/runtime.js';
import { ArenaDataset, identityOrder } from '../../src/model/batches.js';
import { seq2seq, type Seq2Seq } from '../../src/model/seq2seq.js';
import type { Seq2SeqCell } from '../../src/model/seq2seq-config.js';
import { readPairs } from '../../src/model/seq2seq-data.js';
import { recurrentLayer } from '../../src/model/seq2seq-core.js';
import { TeacherForcing } from '../../src/model/seq2seq-run.js';
import { Random } from '../../src/random.js';
import { optimizers } from '../../src/train/optimizers.js';
import { checkGradients } from '../helpers/gradcheck.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { randomSequences } from './helpers.js';

/*
 * Encoder–decoder mechanics: exact gradients through the encoder's final states into the decoder
 * (float64 central differences), greedy decoding against a step-by-step reference, fit/evaluate
 * and the option checks. Learning is in test/learn/seq2seq.test.ts.
 */

const V = 7;
const START = 1;
const END = 2;

function idsModel(cell: Seq2SeqCell, runtime = createJsRuntime(), seed = 1): Seq2Seq {
  return seq2seq({
    encoder: { cell, units: 4, embedding: { inputDim: 6, outputDim: 3 } },
    decoder: { vocabSize: V, embedding: { outputDim: 3 } },
    startToken: START, endToken: END, maxLength: 6, seed, runtime,
  });
}

describe('encoder–decoder gradients in float64', () => {
  const cases: [string, () => Seq2Seq, unknown[]][] = [
    ['LSTM, id sources', () => idsModel('lstm', createJsRuntime({ float64: true })), [[1, 4, 5], [2], [3, 3, 1, 5]]],
    ['GRU, id sources', () => idsModel('gru', createJsRuntime({ float64: true })), [[1, 4, 5], [2], [3, 3, 1, 5]]],
    ['SimpleRNN, vector sources', () => seq2seq({
      encoder: { cell: 'simpleRNN', units: 3, inputFeatures: 2 }, decoder: { vocabSize: V, embedding: { outputDim: 2 } },
      startToken: START, endToken: END, maxLength: 4, seed: 2, runtime: createJsRuntime({ float64: true }),
    }), randomSequences(new Random(3), 3, [2, 4, 1], 2)],
  ];
  for (const [label, make, sources] of cases) {
    it(`${label}: every parameter of both models, ragged sources and targets of other lengths (one empty)`, () => {
      const model = make();
      model.compile({ optimizer: 'sgd' });
      const targets = [[3, 4, 5, 6, 0], [], [6, 3]];
      const { source, target } = readPairs('test', model.config, model.encoder.plan, model.decoder.plan, sources, targets);
      const data = { source: new ArenaDataset(model.runtime, source), target: new ArenaDataset(model.runtime, target) };
      const forcing = new TeacherForcing(model.encoder, model.decoder);
      const order = identityOrder(0, 3);
      model.encoder.batch.load(data.source, order, 0, 3);
      model.decoder.batch.load(data.target, order, 0, 3);
      forcing.loss(true, null);
      const parts = [['encoder', model.encoder], ['decoder', model.decoder]] as const;
      const targetsToCheck = parts.flatMap(([part, m]) => m.parameterSet.names().map((name) => ({
        name: `${part}.${name}`, values: m.parameterSet.value(name), analytic: Float64Array.from(m.parameterSet.grad(name)),
      })));
      const reports = checkGradients(() => forcing.loss(false, null), targetsToCheck);
      const worst = reports.reduce((a, b) => (b.maxRelError > a.maxRelError ? b : a));
      expect(worst.maxRelError, `${worst.name}: ${JSON.stringify(worst.worst)}`).toBeLessThan(1e-6);
      // The encoder really receives gradient through the decoder's initial state.
      expect(reports.filter((r) => r.name.startsWith('encoder.')).some((r) => targetsToCheck.find((t) => t.name === r.name)!.analytic.some((g) => g !== 0))).toBe(true);
    });
  }
});

describe.each(BACKENDS)('encoder–decoder on %s', (backend) => {
  const runtime = createRuntime(backend);

  it('translate is greedy decoding from the encoder\'s final states, batched and ragged', () => {
    for (const cell of ['lstm', 'gru'] as const) {
      const model = idsModel(cell, runtime, 4);
      const sources = [[1, 4, 5], [2], [3, 3, 1, 5, 5]];
      const got = model.translate(sources, { batchSize: 2 });
      const decoderLayer = recurrentLayer(model.decoder);
      const encoderCore = recurrentLayer(model.encoder).core;
      const expected = sources.map((source) => {
        model.encoder.predict([source]);
        const out: number[] = [];
        const inputs = [START];
        for (let step = 0; step < 6; step++) {
          decoderLayer.h0 = encoderCore.hN;
          decoderLayer.c0 = encoderCore.cN;
          const probabilities = model.decoder.predict([inputs]).data.slice(-V);
          decoderLayer.h0 = decoderLayer.c0 = 0;
          const best = probabilities.indexOf(Math.max(...probabilities));
          if (best === END) break;
          out.push(best);
          inputs.push(best);
        }
        return out;
      });
      expect(got).toEqual(expected);
      expect(model.predict(sources)).toEqual(expected);
      expect(model.translate(sources, { maxLength: 2 })).toEqual(expected.map((o) => o.slice(0, 2)));
    }
  });

  it('fit lowers the teacher-forced loss; evaluate, validation and history use Keras names', async () => {
    const model = idsModel('lstm', runtime, 5);
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), metrics: ['accuracy'], clipNorm: 1 });
    const random = new Random(6);
    const sources = Array.from({ length: 40 }, () => Array.from({ length: 1 + random.int(4) }, () => 3 + random.int(3)));
    const targets = sources.map((s) => s.map((id) => id + 1));
    const before = model.evaluate(sources, targets);
    const history = await model.fit(sources, targets, { epochs: 5, batchSize: 8, validationSplit: 0.25, seed: 7 });
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    const after = model.evaluate(sources, targets);
    expect(after.loss).toBeLessThan(before.loss! * 0.7);
    expect(model.epochsTrained).toBe(5);
    expect(model.lastLogs!.loss).toBe(history.history.loss!.at(-1));
  });

  it('an optimizer object trains the decoder; the encoder gets its own copy', async () => {
    const model = idsModel('gru', runtime, 8);
    const adam = optimizers.adam({ learningRate: 0.01 });
    model.compile({ optimizer: adam });
    await model.fit([[3, 4]], [[5]], { epochs: 2 });
    expect(adam.iterations).toBe(2);
    expect(model.encoder.optimizer).not.toBe(adam);
    expect(model.encoder.optimizer!.iterations).toBe(2);
    expect(model.encoder.optimizer!.toJSON()).toEqual(adam.toJSON());
  });

  it('stateDict names both parts and round-trips', () => {
    const a = idsModel('lstm', runtime, 9);
    const b = idsModel('lstm', runtime, 10);
    const names = Object.keys(a.stateDict());
    expect(names[0]).toBe('encoder.0.weight');
    expect(names).toContain('decoder.1.weight_hh_l0');
    b.loadStateDict(a.stateDict());
    expect(b.translate([[1, 2, 3]])).toEqual(a.translate([[1, 2, 3]]));
    expect(() => b.loadStateDict({ 'middle.0.weight': [] } as never)).toThrow(/'encoder.' or 'decoder.'/);
  });

  it('refuses inconsistent options and data with the reason', async () => {
    const base = { decoder: { vocabSize: V, embedding: { outputDim: 3 } }, startToken: START, endToken: END, maxLength: 4, runtime };
    expect(() => seq2seq({ ...base, encoder: { units: 4 } })).toThrow(/exactly one of embedding.*or inputFeatures/);
    expect(() => seq2seq({ ...base, encoder: { units: 4, inputFeatures: 2 }, decoder: { ...base.decoder, units: 5 } })).toThrow(/decoder.units \(5\) must equal encoder.units \(4\)/);
    expect(() => seq2seq({ ...base, encoder: { units: 4, inputFeatures: 2 }, decoder: { ...base.decoder, cell: 'gru' } as never })).toThrow(/same cell/);
    expect(() => seq2seq({ ...base, encoder: { units: 4, inputFeatures: 2 }, endToken: V })).toThrow(/endToken must be a token id/);
    expect(() => seq2seq({ ...base, encoder: { units: 4, inputFeatures: 2, cells: 'gru' } as never })).toThrow(/did you mean 'cell'/);
    const model = idsModel('lstm', runtime);
    expect(() => model.compile({ optimizer: 'adam', loss: 'meanSquaredError' as never })).toThrow(OptionError);
    await expect(model.fit([[1]], [[3]])).rejects.toThrow(/not compiled/);
    model.compile({ optimizer: 'adam' });
    await expect(model.fit([[1], [2]], [[3]])).rejects.toThrow(ShapeError);
    await expect(model.fit([[1]], [[V]])).rejects.toThrow(/targets\[0\]\[0\] must be a token id/);
    await expect(model.fit([[6]], [[3]])).rejects.toThrow(/sources\[0\]\[0\] is 6/);
    await expect(model.fit([[1]], [[3]], { tbptt: { k1: 2 } } as never)).rejects.toThrow(OptionError);
    await expect(model.fit([[1]], [[3]], { checkpoint: { path: 'never-written.json', every: 1 } } as never)).rejects.toThrow(OptionError);
    await expect(model.fit([[1]], [[3]], { checkpoint: { path: 'never-written.json', every: 1 } } as never)).rejects.toThrow(/seq2seq\.fit: checkpoint is not supported by an encoder–decoder .*onEpochEnd/);
    expect(() => model.translate([[1]], { maxLength: 0 })).toThrow(ValueError);
  });
});
