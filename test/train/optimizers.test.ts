import { describe, expect, it } from 'vitest';
import { optimizerFromJSON, optimizers, type Optimizer } from '../../src/train/optimizers.js';
import { schedules } from '../../src/train/schedules.js';
import { expectClose } from '../helpers/close.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { Random } from '../../src/random.js';

/** Plain float64 versions of the update rules (PyTorch's formulas, Keras's defaults). */
type Reference = (w: number[], g: number[], state: number[][], t: number, lr: number) => void;

const references: Record<string, { make: () => Optimizer; ref: Reference; moments: number }> = {
  'sgd with momentum, nesterov and weight decay': {
    make: () => optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
    moments: 1,
    ref: (w, g, [v], _t, lr) => {
      w.forEach((_, i) => {
        const gi = g[i]! + 0.01 * w[i]!;
        v![i] = 0.9 * v![i]! + gi;
        w[i]! -= lr * (gi + 0.9 * v![i]!);
      });
    },
  },
  'plain sgd': {
    make: () => optimizers.sgd(),
    moments: 0,
    ref: (w, g, _s, _t, lr) => w.forEach((_, i) => (w[i]! -= lr * g[i]!)),
  },
  adam: {
    make: () => optimizers.adam({ learningRate: 0.01 }),
    moments: 2,
    ref: (w, g, [m, v], t, lr) => {
      w.forEach((_, i) => {
        m![i] = 0.9 * m![i]! + 0.1 * g[i]!;
        v![i] = 0.999 * v![i]! + 0.001 * g[i]! ** 2;
        w[i]! -= (lr * (m![i]! / (1 - 0.9 ** t))) / (Math.sqrt(v![i]! / (1 - 0.999 ** t)) + 1e-7);
      });
    },
  },
  adamw: {
    make: () => optimizers.adamw({ learningRate: 0.01, weightDecay: 0.1 }),
    moments: 2,
    ref: (w, g, [m, v], t, lr) => {
      w.forEach((_, i) => {
        w[i]! -= lr * 0.1 * w[i]!;
        m![i] = 0.9 * m![i]! + 0.1 * g[i]!;
        v![i] = 0.999 * v![i]! + 0.001 * g[i]! ** 2;
        w[i]! -= (lr * (m![i]! / (1 - 0.9 ** t))) / (Math.sqrt(v![i]! / (1 - 0.999 ** t)) + 1e-7);
      });
    },
  },
  rmsprop: {
    make: () => optimizers.rmsprop({ learningRate: 0.01 }),
    moments: 1,
    ref: (w, g, [s], _t, lr) => {
      w.forEach((_, i) => {
        s![i] = 0.9 * s![i]! + 0.1 * g[i]! ** 2;
        w[i]! -= (lr * g[i]!) / (Math.sqrt(s![i]!) + 1e-7);
      });
    },
  },
  adagrad: {
    make: () => optimizers.adagrad({ learningRate: 0.1 }),
    moments: 1,
    ref: (w, g, [s], _t, lr) => {
      w.forEach((_, i) => {
        s![i] = s![i]! + g[i]! ** 2;
        w[i]! -= (lr * g[i]!) / (Math.sqrt(s![i]!) + 1e-7);
      });
    },
  },
};

describe.each(BACKENDS)('optimizers on the %s backend', (backendName) => {
  for (const [label, { make, ref, moments }] of Object.entries(references)) {
    it(`${label} follows its update rule over 5 steps`, () => {
      const runtime = createRuntime(backendName);
      const n = 37;
      const values = runtime.arena.alloc(n);
      const grads = runtime.arena.alloc(n);
      const random = new Random(5);
      const w = Array.from({ length: n }, () => Math.fround(random.uniform(-1, 1)));
      values.view().set(w);
      const state = Array.from({ length: moments }, () => new Array(n).fill(label === 'adagrad' ? 0.1 : 0));
      const optimizer = make();
      optimizer.bind(runtime, n);
      for (let t = 1; t <= 5; t++) {
        const g = Array.from({ length: n }, () => Math.fround(random.uniform(-1, 1)));
        grads.view().set(g);
        optimizer.step({ values: values.offset, grads: grads.offset, length: n });
        ref(w, g, state, t, optimizer.currentRate());
      }
      expectClose(values.view(), w, { abs: 1e-6, rel: 1e-5 }, label);
      expect(optimizer.iterations).toBe(5);
      expect(optimizer.getState().moments.length).toBe(moments);
    });
  }

  it('restores its state so that later steps match an uninterrupted run', () => {
    const runtime = createRuntime(backendName);
    const n = 10;
    const run = (interrupt: boolean) => {
      const values = runtime.arena.alloc(n);
      const grads = runtime.arena.alloc(n);
      values.view().fill(0.5);
      let optimizer = optimizers.adam();
      optimizer.bind(runtime, n);
      for (let t = 0; t < 6; t++) {
        if (interrupt && t === 3) {
          const saved = optimizer.getState();
          optimizer.dispose();
          optimizer = optimizerFromJSON(optimizer.toJSON());
          optimizer.bind(runtime, n);
          optimizer.setState(saved);
        }
        grads.view().fill((t % 3) - 1);
        optimizer.step({ values: values.offset, grads: grads.offset, length: n });
      }
      return Array.from(values.view());
    };
    expect(run(true)).toEqual(run(false));
  });
});

describe('optimizer options and schedules', () => {
  it('applies step, exponential and cosine schedules per epoch', () => {
    const step = optimizers.sgd({ learningRate: 1, schedule: schedules.step({ stepSize: 2, gamma: 0.5 }) });
    const rates = [0, 1, 2, 3, 4].map((e) => ((step.epoch = e), step.currentRate()));
    expect(rates).toEqual([1, 1, 0.5, 0.5, 0.25]);
    const exp = schedules.exponential({ gamma: 0.9 });
    expect(exp.rate(2, 2)).toBeCloseTo(2 * 0.81, 12);
    const cos = schedules.cosine({ epochs: 10, minRate: 0.1 });
    expect(cos.rate(1, 0)).toBe(1);
    expect(cos.rate(1, 5)).toBeCloseTo(0.55, 12);
    expect(cos.rate(1, 10)).toBeCloseTo(0.1, 12);
    expect(cos.rate(1, 20)).toBeCloseTo(0.1, 12);
  });

  it('round-trips through JSON with its schedule', () => {
    const original = optimizers.rmsprop({ learningRate: 0.05, rho: 0.8, schedule: schedules.step({ stepSize: 3 }) });
    const copy = optimizerFromJSON(JSON.parse(JSON.stringify(original.toJSON())));
    expect(copy.toJSON()).toEqual(original.toJSON());
  });

  it('names bad options', () => {
    expect(() => optimizers.adam({ learningrate: 0.1 } as never)).toThrow(/unknown option 'learningrate' \(did you mean 'learningRate'\?\)/);
    expect(() => optimizers.sgd({ learningRate: -1 })).toThrow(/learningRate must be a finite number > 0, got -1/);
    expect(() => optimizers.adam({ beta1: 1 })).toThrow(/beta1 must be a number in \[0, 1\), got 1/);
    expect(() => optimizers.sgd({ nesterov: true })).toThrow(/nesterov needs momentum > 0/);
    expect(() => optimizers.sgd({ momentum: '0.9' as never })).toThrow(/momentum must be a finite number ≥ 0, got "0.9"/);
    expect(() => optimizerFromJSON({ name: 'adamax' })).toThrow(/name must be one of sgd, adam, adamw, rmsprop, adagrad, got "adamax"/);
    expect(() => schedules.step({ stepSize: 0 })).toThrow(/stepSize must be a positive integer, got 0/);
    expect(() => optimizers.adam().step({ values: 0, grads: 0, length: 1 })).toThrow(/not bound to a model/);
  });
});
