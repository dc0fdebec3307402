import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/errors.js';
import { createJsRuntime, type Runtime } from '../../src/kernels/runtime.js';
import { ACTIVATION_NAMES, type ActivationName } from '../../src/layers/activations.js';
import { DenseCore, denseParameterSpecs } from '../../src/layers/dense.js';
import { DropoutCore } from '../../src/layers/dropout.js';
import { EmbeddingCore, embeddingParameterSpecs } from '../../src/layers/embedding.js';
import { ParameterSet } from '../../src/layers/parameters.js';
import { Random } from '../../src/random.js';
import { expectClose } from '../helpers/close.js';
import { checkGradients, dot } from '../helpers/gradcheck.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';

/*
 * Dense, Embedding and Dropout cores: float64 central-difference checks of every gradient with
 * L = Σ output ⊙ dOutput (random dOutput), the accumulate/write contract, and Wasm vs TS parity.
 */

function buffer(runtime: Runtime, values: ArrayLike<number>): number {
  const handle = runtime.arena.alloc(values.length);
  runtime.arena.storage.data.set(values as ArrayLike<number>, handle.offset >>> 2);
  return handle.offset;
}

function view(runtime: Runtime, offset: number, n: number) {
  return runtime.arena.storage.data.subarray(offset >>> 2, (offset >>> 2) + n);
}

function randoms(random: Random, n: number, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => scale * random.normal());
}

interface DenseRun {
  output: number[];
  dx: number[];
  dWeight: number[];
  dBias: number[];
}

/** One Dense forward + backward from seeded values; returns outputs and gradients. */
function runDense(runtime: Runtime, activation: ActivationName, rows: number, I: number, U: number, applyActivation = true): DenseRun & { check: () => number } {
  const random = new Random(rows * 100 + I * 10 + U);
  const shape = { inputSize: I, units: U, activation, bias: true };
  const set = new ParameterSet(runtime, denseParameterSpecs(shape));
  set.value('weight').set(randoms(random, U * I, 0.7));
  set.value('bias').set(randoms(random, U, 0.3));
  const x = buffer(runtime, randoms(random, rows * I));
  const dOut = buffer(runtime, randoms(random, rows * U));
  const dx = buffer(runtime, randoms(random, rows * I)); // garbage: backward must overwrite it
  const core = new DenseCore(runtime, shape, set);
  core.forward(x, rows, applyActivation);
  const output = Array.from(view(runtime, core.output, rows * U));
  core.backward(dOut, dx);
  const loss = () => {
    core.forward(x, rows, applyActivation);
    return dot(view(runtime, core.output, rows * U), view(runtime, dOut, rows * U));
  };
  const result = { output, dx: Array.from(view(runtime, dx, rows * I)), dWeight: Array.from(set.grad('weight')), dBias: Array.from(set.grad('bias')) };
  return {
    ...result,
    check: () => {
      const reports = checkGradients(loss, [
        { name: 'x', values: view(runtime, x, rows * I), analytic: result.dx },
        { name: 'weight', values: set.value('weight'), analytic: result.dWeight },
        { name: 'bias', values: set.value('bias'), analytic: result.dBias },
      ]);
      return Math.max(...reports.map((r) => r.maxRelError));
    },
  };
}

describe('float64 gradient checks', () => {
  it.each(ACTIVATION_NAMES.map((a) => [a]))('Dense with activation %s', (activation) => {
    const runtime = createJsRuntime({ float64: true });
    expect(runDense(runtime, activation, 5, 3, 4).check()).toBeLessThan(1e-7);
  });

  it('Dense with the activation left to the loss (logits)', () => {
    const runtime = createJsRuntime({ float64: true });
    const run = runDense(runtime, 'softmax', 3, 4, 5, false);
    expect(run.check()).toBeLessThan(1e-7);
  });

  it('Embedding, with repeated ids accumulating into one row', () => {
    const runtime = createJsRuntime({ float64: true });
    const random = new Random(4);
    const shape = { inputDim: 6, outputDim: 3 };
    const set = new ParameterSet(runtime, embeddingParameterSpecs(shape));
    set.value('weight').set(randoms(random, 18));
    const ids = [2, 0, 5, 2, 2, 1, 5];
    const idBuffer = buffer(runtime, ids);
    const dOut = buffer(runtime, randoms(random, ids.length * 3));
    const core = new EmbeddingCore(runtime, shape, set);
    core.forward(idBuffer, ids.length);
    expect(Array.from(view(runtime, core.output, 3))).toEqual(Array.from(set.value('weight').subarray(6, 9)));
    core.backward(dOut);
    const analytic = Float64Array.from(set.grad('weight'));
    const [report] = checkGradients(() => {
      core.forward(idBuffer, ids.length);
      return dot(view(runtime, core.output, ids.length * 3), view(runtime, dOut, ids.length * 3));
    }, [{ name: 'weight', values: set.value('weight'), analytic }]);
    expect(report!.maxRelError).toBeLessThan(1e-8);
    expect(Array.from(analytic.subarray(9, 12))).toEqual([0, 0, 0]); // id 3 never appears
  });

  it('Dropout (the same mask for each evaluation)', () => {
    const runtime = createJsRuntime({ float64: true });
    const random = new Random(8);
    const rows = 6;
    const width = 5;
    const x = buffer(runtime, randoms(random, rows * width));
    const dOut = buffer(runtime, randoms(random, rows * width));
    const dx = buffer(runtime, new Float64Array(rows * width));
    const core = new DropoutCore(runtime, 0.4);
    const forward = () => core.forward(x, rows, width, true, new Random(99));
    forward();
    core.backward(dOut, dx);
    const analytic = Float64Array.from(view(runtime, dx, rows * width));
    const [report] = checkGradients(() => {
      forward();
      return dot(view(runtime, core.output, rows * width), view(runtime, dOut, rows * width));
    }, [{ name: 'x', values: view(runtime, x, rows * width), analytic }]);
    expect(report!.maxRelError).toBeLessThan(1e-8);
  });
});

describe.each(BACKENDS)('core contracts on %s', (backend) => {
  it('Dense: parameter gradients accumulate, dx is written', () => {
    const runtime = createRuntime(backend);
    const random = new Random(1);
    const shape = { inputSize: 3, units: 2, activation: 'tanh' as const, bias: true };
    const set = new ParameterSet(runtime, denseParameterSpecs(shape));
    set.value('weight').set(randoms(random, 6));
    const x = buffer(runtime, randoms(random, 12));
    const dOut = buffer(runtime, randoms(random, 8));
    const dx = buffer(runtime, new Float32Array(12).fill(7));
    const core = new DenseCore(runtime, shape, set);
    core.forward(x, 4);
    core.backward(dOut, dx);
    const once = { w: Array.from(set.grad('weight')), b: Array.from(set.grad('bias')), dx: Array.from(view(runtime, dx, 12)) };
    core.backward(dOut, dx);
    expectClose(set.grad('weight'), once.w.map((v) => 2 * v), { abs: 1e-6, rel: 1e-6 }, 'dWeight');
    expectClose(set.grad('bias'), once.b.map((v) => 2 * v), { abs: 1e-6, rel: 1e-6 }, 'dBias');
    expect(Array.from(view(runtime, dx, 12))).toEqual(once.dx);
  });

  it('Embedding rejects ids outside the table instead of reading other memory', () => {
    const runtime = createRuntime(backend);
    const set = new ParameterSet(runtime, embeddingParameterSpecs({ inputDim: 4, outputDim: 2 }));
    const core = new EmbeddingCore(runtime, { inputDim: 4, outputDim: 2 }, set);
    expect(() => core.forward(buffer(runtime, [1, 4]), 2)).toThrow(ValueError);
    expect(() => core.forward(buffer(runtime, [1, 4]), 2)).toThrow(/id at row 1 must be an integer in \[0, 4\), got 4/);
    expect(() => core.forward(buffer(runtime, [0.5]), 1)).toThrow(ValueError);
  });

  it('Dropout keeps 1 − rate of the elements scaled by 1 / (1 − rate), and is the identity in inference', () => {
    const runtime = createRuntime(backend);
    const n = 20_000;
    const x = buffer(runtime, new Float32Array(n).fill(1));
    const core = new DropoutCore(runtime, 0.25);
    core.forward(x, n / 10, 10, true, new Random(3));
    const out = Array.from(view(runtime, core.output, n));
    const kept = out.filter((v) => v !== 0);
    expect(new Set(kept.map((v) => v.toFixed(6)))).toEqual(new Set([(1 / 0.75).toFixed(6)]));
    // Binomial(20000, 0.75): sd ≈ 61, so ±400 fails only if the mask is wrong.
    expect(Math.abs(kept.length - 0.75 * n)).toBeLessThan(400);
    core.forward(x, n / 10, 10, false, new Random(3));
    expect(core.output).toBe(x);
  });

  it('Dropout with steps shares one mask across the time blocks', () => {
    const runtime = createRuntime(backend);
    const T = 4;
    const block = 12;
    const x = buffer(runtime, new Float32Array(T * block).fill(1));
    const core = new DropoutCore(runtime, 0.5);
    core.forward(x, T * 3, 4, true, new Random(5), T);
    const out = Array.from(view(runtime, core.output, T * block));
    for (let t = 1; t < T; t++) expect(out.slice(t * block, (t + 1) * block)).toEqual(out.slice(0, block));
    expect(out.slice(0, block)).toContain(0);
  });
});

describe('Wasm and TS cores agree', () => {
  it.each(ACTIVATION_NAMES.map((a) => [a]))('Dense %s on 9 rows of 7 → 5', (activation) => {
    const [wasm, js] = BACKENDS.map((b) => runDense(createRuntime(b), activation, 9, 7, 5));
    // SIMD tanh/sigmoid/exp approximations (~1e-7 relative) and GEMM summation order.
    const tol = { abs: 2e-6, rel: 2e-5 };
    expectClose(wasm!.output, js!.output, tol, 'output');
    expectClose(wasm!.dx, js!.dx, tol, 'dx');
    expectClose(wasm!.dWeight, js!.dWeight, tol, 'dWeight');
    expectClose(wasm!.dBias, js!.dBias, tol, 'dBias');
  });

  it('Embedding and Dropout give identical results', () => {
    const results = BACKENDS.map((backend) => {
      const runtime = createRuntime(backend);
      const set = new ParameterSet(runtime, embeddingParameterSpecs({ inputDim: 5, outputDim: 6 }));
      set.value('weight').set(randoms(new Random(2), 30));
      const embedding = new EmbeddingCore(runtime, { inputDim: 5, outputDim: 6 }, set);
      embedding.forward(buffer(runtime, [4, 0, 4, 3]), 4);
      const dropout = new DropoutCore(runtime, 0.3);
      dropout.forward(embedding.output, 4, 6, true, new Random(7));
      const dx = buffer(runtime, new Float32Array(24));
      dropout.backward(buffer(runtime, randoms(new Random(3), 24)), dx);
      embedding.backward(dx);
      return { out: Array.from(view(runtime, dropout.output, 24)), grad: Array.from(set.grad('weight')) };
    });
    expect(results[0]).toEqual(results[1]);
  });
});
