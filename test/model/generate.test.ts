import { describe, expect, it, vi } from 'vitest';
import { CharTokenizer } from '../../src/data/char-tokenizer.js';
import { OptionError, ShapeError, StateError, ValueError } from '../../src/errors.js';
import { pick } from '../../src/model/generate.js';
import { layers } from '../../src/model/layer-specs.js';
import { sequential, type Sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { tensor } from '../../src/tensor.js';
import { expectClose } from '../helpers/close.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';

/*
 * One-to-many generation. References re-run predict over the whole growing sequence each step
 * (the slow way); generate must agree while running the seed once and then one step per value.
 */

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

describe.each(BACKENDS)('generate on %s', (backend) => {
  const runtime = createRuntime(backend);
  const V = 7;

  function tokenModel(activation: 'softmax' | 'linear' = 'softmax', seed = 1): Sequential {
    return sequential([
      layers.embedding({ inputDim: V, outputDim: 4 }),
      layers.gru({ units: 8, returnSequences: true }),
      layers.lstm({ units: 6 }),
      layers.dense({ units: V, activation }),
    ], { runtime, seed });
  }

  it('greedy decoding (temperature 0) equals argmax of predict over the growing sequence', () => {
    for (const activation of ['softmax', 'linear'] as const) {
      const model = tokenModel(activation, 2);
      const { ids, text } = model.generate({ seed: [1, 4, 2], steps: 8, temperature: 0 });
      expect(text).toBeUndefined();
      const sequence = [1, 4, 2];
      const expected: number[] = [];
      for (let i = 0; i < 8; i++) {
        const next = argmax(model.predict([sequence]).data);
        expected.push(next);
        sequence.push(next);
      }
      expect(ids).toEqual(expected);
    }
  });

  it('runs the seed once, then one step per generated token', () => {
    const model = tokenModel();
    const forward = vi.spyOn(model, 'forwardBatch');
    model.generate({ seed: [1, 2, 3, 4], steps: 5, rng: 1 });
    expect(forward.mock.calls.map((call) => call[1])).toEqual([4, 1, 1, 1, 1]);
  });

  it('sampling is repeatable with rng; topK 1 is greedy; endToken stops (and is left out)', () => {
    const model = tokenModel('softmax', 3);
    const a = model.generate({ seed: [1], steps: 30, rng: 7, temperature: 1.5 });
    expect(model.generate({ seed: [1], steps: 30, rng: 7, temperature: 1.5 })).toEqual(a);
    expect(model.generate({ seed: [1], steps: 30, rng: 8, temperature: 1.5 }).ids).not.toEqual(a.ids);
    expect(new Set(a.ids).size).toBeGreaterThan(1);
    const greedy = model.generate({ seed: [1], steps: 12, temperature: 0 });
    expect(model.generate({ seed: [1], steps: 12, topK: 1, rng: 3 })).toEqual(greedy);
    const stop = a.ids[5]!;
    const cut = model.generate({ seed: [1], steps: 30, rng: 7, temperature: 1.5, endToken: stop });
    expect(cut.ids).toEqual(a.ids.slice(0, a.ids.indexOf(stop)));
  });

  it('with a tokenizer: the seed may be text and the result carries text', () => {
    const tokenizer = CharTokenizer.fit('abcde');
    expect(tokenizer.vocabSize).toBe(V);
    const model = tokenModel('softmax', 4);
    model.tokenizer = tokenizer;
    const out = model.generate({ seed: 'abc', steps: 6, temperature: 0 });
    expect(out.text).toBe(tokenizer.decode(out.ids));
    expect(model.generate({ seed: tokenizer.encode('abc'), steps: 6, temperature: 0 }).ids).toEqual(out.ids);
  });

  it('a forecaster fed its own output equals predict over the growing sequence', () => {
    const model = sequential([layers.lstm({ units: 5, inputShape: [null, 2] }), layers.dense({ units: 2 })], { runtime, seed: 5 });
    const seed = [[0.1, 0.2], [0.3, -0.1], [0.0, 0.5]];
    const out = model.generate({ seed, steps: 6 });
    expect(out.shape).toEqual([6, 2]);
    const sequence = seed.map((s) => [...s]);
    const expected: number[] = [];
    for (let i = 0; i < 6; i++) {
      const y = Array.from(model.predict([sequence]).data);
      expected.push(...y);
      sequence.push(y);
    }
    expectClose(out.data, expected, { abs: 2e-6, rel: 1e-5 }, 'forecast');
  });

  it('feedback builds the next input when outputs and inputs differ', () => {
    const model = sequential([layers.gru({ units: 4, inputShape: [null, 2] }), layers.dense({ units: 1 })], { runtime, seed: 6 });
    const steps: number[] = [];
    const out = model.generate({
      seed: tensor([[0.5, 0], [0.2, 1]]), steps: 4,
      feedback: (y, step) => {
        steps.push(step);
        return [y[0]!, (step + 2) % 2];
      },
    });
    expect(out.shape).toEqual([4, 1]);
    expect(steps).toEqual([0, 1, 2]);
    expect(() => model.generate({ seed: [[0.5, 0]], steps: 2 })).toThrow(/outputs 1 values per step but reads 2 features.*feedback/);
    expect(() => model.generate({ seed: [[0.5, 0]], steps: 2, feedback: () => [1] })).toThrow(ShapeError);
    expect(() => model.generate({ seed: [[0.5, 0]], steps: 2, feedback: () => [1, Number.NaN] })).toThrow(ValueError);
  });

  it('refuses bad options with the reason', () => {
    const model = tokenModel();
    expect(() => model.generate({ seed: 'abc', steps: 3 })).toThrow(StateError);
    expect(() => model.generate({ seed: [], steps: 3 })).toThrow(/at least one token/);
    expect(() => model.generate({ seed: [7], steps: 3 })).toThrow(/seed\[0\].*\[0, 7\)/);
    expect(() => model.generate({ seed: [1], steps: 0 })).toThrow(ValueError);
    expect(() => model.generate({ seed: [1], steps: 2, temperature: -1 })).toThrow(OptionError);
    expect(() => model.generate({ seed: [1], steps: 2, topk: 3 } as never)).toThrow(/did you mean 'topK'/);
    const sigmoid = sequential([layers.embedding({ inputDim: 3, outputDim: 2 }), layers.lstm({ units: 2 }), layers.dense({ units: 3, activation: 'sigmoid' })], { runtime, seed: 1 });
    expect(() => sigmoid.generate({ seed: [1], steps: 2 })).toThrow(/'softmax'/);
  });
});

describe('pick', () => {
  it('samples softmax(scores / temperature) among the topK highest scores', () => {
    const scores = Float64Array.from([Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)]);
    const random = new Random(11);
    const draws = 40000;
    const count = (temperature: number, topK: number) => {
      const counts = [0, 0, 0, 0];
      for (let i = 0; i < draws; i++) counts[pick(scores, temperature, topK, random)]!++;
      return counts.map((c) => c / draws);
    };
    // Binomial standard error ≤ 0.0025 at 40,000 draws; 0.01 is four of them.
    expectClose(count(1, 4), [0.5, 0.3, 0.15, 0.05], { abs: 0.01, rel: 0 }, 'temperature 1');
    expectClose(count(1, 2), [0.625, 0.375, 0, 0], { abs: 0.01, rel: 0 }, 'topK 2');
    const sharp = [0.5 ** 2, 0.3 ** 2, 0.15 ** 2, 0.05 ** 2];
    const total = sharp.reduce((a, b) => a + b);
    expectClose(count(0.5, 4), sharp.map((p) => p / total), { abs: 0.01, rel: 0 }, 'temperature 0.5');
    expect(pick(scores, 0, 4, random)).toBe(0);
  });
});
