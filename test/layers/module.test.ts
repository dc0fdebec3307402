import { describe, expect, it } from 'vitest';
import type { Kernels } from '../../src/kernels/kernels.js';
import { createJsRuntime, type Runtime } from '../../src/kernels/runtime.js';
import { GRU } from '../../src/layers/gru.js';
import { LSTM } from '../../src/layers/lstm.js';
import { ParameterSet } from '../../src/layers/parameters.js';
import type { RecurrentLayer } from '../../src/layers/recurrent.js';
import { Random } from '../../src/random.js';
import { Tensor, tensor } from '../../src/tensor.js';
import { expectClose } from '../helpers/close.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { LAYER_KINDS, makeLayer, randomValues, type LayerSpec } from './layer-kinds.js';

const close = { abs: 1e-6, rel: 1e-6 };

/** A [T, B, F] tensor of uniform values. */
function randomTensor(random: Random, T: number, B: number, F: number, scale = 1): Tensor {
  return tensor(Float32Array.from(randomValues(random, T * B * F, scale)), [T, B, F]);
}

/** Rows t < length of sequence b of a [T, B, F] tensor, as a [length, 1, F] tensor. */
function sequence(t: Tensor, b: number, length: number): Tensor {
  const [, B, F] = t.shape as [number, number, number];
  const out = new Float32Array(length * F);
  for (let s = 0; s < length; s++) out.set(t.data.subarray((s * B + b) * F, (s * B + b + 1) * F), s * F);
  return new Tensor(out, [length, 1, F]);
}

/** Column b of a [S, B, H] state tensor as [S, 1, H]. */
function stateOf(t: Tensor, b: number): Tensor {
  const [S, B, H] = t.shape as [number, number, number];
  const out = new Float32Array(S * H);
  for (let s = 0; s < S; s++) out.set(t.data.subarray((s * B + b) * H, (s * B + b + 1) * H), s * H);
  return new Tensor(out, [S, 1, H]);
}

describe('padding: a padded batch equals each sequence run alone', () => {
  const specs: LayerSpec[] = [
    { kind: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true },
    { kind: 'gruBefore', inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: true },
    { kind: 'rnnRelu', inputSize: 2, hiddenSize: 3, bidirectional: true },
  ];
  it.each(specs.map((s) => [s.kind, s] as const))('%s, forward and backward (float64 runtime)', (_kind, spec) => {
    const runtime = createJsRuntime({ float64: true });
    const layer = makeLayer(spec, runtime, 4);
    const random = new Random(8);
    const [T, B] = [5, 3];
    const lengths = [5, 2, 3];
    const width = 2 * spec.hiddenSize;
    const isLstm = spec.kind === 'lstm';
    const states = (spec.numLayers ?? 1) * 2;
    const x = randomTensor(random, T, B, spec.inputSize);
    const h0 = randomTensor(random, states, B, spec.hiddenSize, 0.5);
    const c0 = randomTensor(random, states, B, spec.hiddenSize, 0.5);
    const dOutput = randomTensor(random, T, B, width);
    const dhN = randomTensor(random, states, B, spec.hiddenSize);
    const initial = isLstm ? { h0, c0 } : { h0 };

    const batch = layer.forward(x, { ...initial, lengths });
    layer.zeroGrad();
    const batchGrads = layer.backward({ output: dOutput, hN: dhN });
    const gradSums: Record<string, Float64Array> = {};
    for (let b = 0; b < B; b++) {
      const alone = layer.forward(sequence(x, b, lengths[b]!), isLstm ? { h0: stateOf(h0, b), c0: stateOf(c0, b) } : { h0: stateOf(h0, b) });
      expectClose(sequence(batch.output, b, lengths[b]!).data, alone.output.data, close, `output of sequence ${b}`);
      expectClose(stateOf(batch.hN, b).data, alone.hN.data, close, `hN of sequence ${b}`);
      // Outputs at padded steps are zeros.
      expect(Array.from(sequence(batch.output, b, T).data.subarray(lengths[b]! * width))).toEqual(new Array((T - lengths[b]!) * width).fill(0));
      layer.zeroGrad();
      const grads = layer.backward({ output: sequence(dOutput, b, lengths[b]!), hN: stateOf(dhN, b) });
      expectClose(sequence(batchGrads.x, b, lengths[b]!).data, grads.x.data, close, `dx of sequence ${b}`);
      expect(Array.from(sequence(batchGrads.x, b, T).data.subarray(lengths[b]! * spec.inputSize)).every((v) => v === 0)).toBe(true);
      expectClose(stateOf(batchGrads.h0, b).data, grads.h0.data, close, `dh0 of sequence ${b}`);
      for (const [name, g] of Object.entries(grads.params)) {
        const sum = (gradSums[name] ??= new Float64Array(g.size));
        g.data.forEach((v, i) => (sum[i]! += v));
      }
    }
    for (const [name, sum] of Object.entries(gradSums)) expectClose(batchGrads.params[name]!.data, sum, close, `${name} gradient`);
    layer.dispose();
  });

  it('a mask equals the same lengths, and a general mask skips steps anywhere', () => {
    const runtime = createJsRuntime({ float64: true });
    const layer = makeLayer({ kind: 'gruAfter', inputSize: 2, hiddenSize: 3 }, runtime, 2);
    const random = new Random(1);
    const x = randomTensor(random, 4, 2, 2);
    const byLengths = layer.forward(x, { lengths: [4, 2] });
    const byMask = layer.forward(x, { mask: [[1, 1], [1, 1], [1, 0], [1, 0]] });
    expect(byMask.output.toArray()).toEqual(byLengths.output.toArray());
    // Left padding: sequence 1 starts at step 2.
    const left = layer.forward(x, { mask: [[1, 0], [1, 0], [1, 1], [1, 1]] });
    const alone = layer.forward(new Tensor(sequence(x, 1, 4).data.slice(4), [2, 1, 2]));
    expectClose(stateOf(left.hN, 1).data, alone.hN.data, close, 'hN after left padding');
    layer.dispose();
  });
});

describe.each(BACKENDS)('module behaviour on %s', (backend) => {
  it('returns PyTorch-shaped results; hN of each direction is its last output', () => {
    const layer = new LSTM({ inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, runtime: createRuntime(backend), seed: 3 });
    const x = randomTensor(new Random(2), 6, 2, 3);
    const { output, hN, cN } = layer.forward(x);
    expect(output.shape).toEqual([6, 2, 8]);
    expect(hN.shape).toEqual([4, 2, 4]);
    expect(cN.shape).toEqual([4, 2, 4]);
    const out = output.toArray() as number[][][];
    const h = hN.toArray() as number[][][];
    for (let b = 0; b < 2; b++) {
      expect(out[5]![b]!.slice(0, 4)).toEqual(h[2]![b]); // top layer, forward direction: last step
      expect(out[0]![b]!.slice(4)).toEqual(h[3]![b]); // top layer, reverse direction: first step
    }
    const grads = layer.backward({ hN: tensor(new Float32Array(32).fill(1), [4, 2, 4]) });
    expect(grads.x.shape).toEqual([6, 2, 3]);
    expect(grads.h0.shape).toEqual([4, 2, 4]);
    expect(grads.c0.shape).toEqual([4, 2, 4]);
    expect(Object.keys(grads.params)).toEqual(Object.keys(layer.stateDict()));
    layer.dispose();
  });

  it('accumulates parameter gradients across backward calls until zeroGrad', () => {
    const layer = new GRU({ inputSize: 3, hiddenSize: 4, runtime: createRuntime(backend), seed: 3 });
    const x = randomTensor(new Random(2), 4, 2, 3);
    const dOutput = randomTensor(new Random(5), 4, 2, 4);
    layer.forward(x);
    const once = layer.backward({ output: dOutput }).params;
    layer.forward(x);
    const twice = layer.backward({ output: dOutput }).params;
    for (const name of Object.keys(once)) expectClose(twice[name]!.data, once[name]!.data.map((v) => 2 * v), { abs: 1e-6, rel: 1e-5 }, name);
    expect(Array.from(layer.parameters().weight_hh_l0!.grad)).toEqual(Array.from(twice.weight_hh_l0!.data));
    layer.zeroGrad();
    for (const { grad } of Object.values(layer.parameters())) expect(grad.every((v) => v === 0)).toBe(true);
    // No upstream gradient at all gives zero gradients.
    layer.forward(x);
    expect(layer.backward().x.data.every((v) => v === 0)).toBe(true);
    layer.dispose();
  });

  it.each(LAYER_KINDS)('%s stays finite with saturating inputs (|x| ≈ 20) and large weights', (kind) => {
    const layer = makeLayer({ kind, inputSize: 4, hiddenSize: 6, bidirectional: true }, createRuntime(backend), 1);
    const state = layer.stateDict();
    layer.loadStateDict(Object.fromEntries(Object.entries(state).map(([name, t]) => [name, new Tensor(t.data.map((v) => v * 8), t.shape)])));
    const random = new Random(4);
    const x = tensor(Float32Array.from({ length: 8 * 3 * 4 }, () => (random.next() < 0.5 ? -20 : 20) + random.uniform(-1, 1)), [8, 3, 4]);
    const result = layer.forward(x);
    const grads = layer.backward({ output: tensor(new Float32Array(8 * 3 * 12).fill(1), [8, 3, 12]) });
    for (const t of [result.output, result.hN, grads.x, grads.h0, ...Object.values(grads.params)]) {
      expect(t.data.every(Number.isFinite)).toBe(true);
    }
    if (kind !== 'rnnRelu') expect(result.output.data.every((v) => Math.abs(v) <= 1)).toBe(true);
    layer.dispose();
  });

  it('reuses its workspace: no arena growth for repeated or smaller shapes', () => {
    const runtime = createRuntime(backend);
    const layer = new LSTM({ inputSize: 3, hiddenSize: 8, numLayers: 2, bidirectional: true, runtime, seed: 1 });
    const step = (T: number, B: number) => {
      layer.forward(randomTensor(new Random(T * 10 + B), T, B, 3));
      layer.backward({ output: tensor(new Float32Array(T * B * 16).fill(0.5), [T, B, 16]) });
      return runtime.arena.stats();
    };
    const first = step(6, 4);
    expect(step(6, 4)).toEqual(first);
    expect(step(3, 5)).toEqual(first);
    expect(step(12, 4).usedBytes).toBeGreaterThan(first.usedBytes);
    layer.dispose();
  });
});

/** Wraps a runtime's kernels to count calls by name. */
function counting(runtime: Runtime): { runtime: Runtime; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  const kernels: Record<string, (...args: number[]) => unknown> = {};
  for (const [name, fn] of Object.entries(runtime.kernels) as [string, (...args: number[]) => unknown][]) {
    kernels[name] = (...args) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return fn(...args);
    };
  }
  return { runtime: { ...runtime, kernels: kernels as unknown as Kernels }, counts };
}

describe('the hot path', () => {
  const T = 7;
  const cases: [string, (runtime: Runtime) => RecurrentLayer, Record<string, number>, Record<string, number>][] = [
    ['LSTM', (runtime) => new LSTM({ inputSize: 3, hiddenSize: 4, runtime, seed: 1 }),
      { gemmNT: 1, packB: 1, gemmPacked: T, lstmStepForward: T, addRowVector: 1 },
      { gemmNN: 1, packB: 1, gemmPacked: T, gemmTN: 2, lstmStepBackward: T, sumRows: 2 }],
    ['GRU resetAfter', (runtime) => new GRU({ inputSize: 3, hiddenSize: 4, runtime, seed: 1 }),
      { gemmNT: 1, packB: 1, gemmPacked: T, gruStepForward: T },
      { gemmNN: 1, packB: 1, gemmPacked: T, gemmTN: 2, gruStepBackward: T, sumRows: 2 }],
    ['GRU reset-before', (runtime) => new GRU({ inputSize: 3, hiddenSize: 4, resetAfter: false, runtime, seed: 1 }),
      { gemmNT: 1, packB: 2, gemmPacked: 2 * T, gruResetGateForward: T, gruStepForward: T },
      { gemmNN: 1, packB: 2, gemmPacked: 2 * T, gemmTN: 3, gruStepBackward: T, gruResetGateBackward: T, sumRows: 2 }],
  ];
  it.each(cases)('%s: one input GEMM, W_hh packed once per pass, per step one recurrent GEMM and one step kernel, one GEMM per weight gradient', (_name, make, forwardCounts, backwardCounts) => {
    const { runtime, counts } = counting(createJsRuntime());
    const layer = make(runtime);
    const x = randomTensor(new Random(1), T, 2, 3);
    layer.forward(x);
    counts.clear();
    layer.forward(x);
    for (const [name, n] of Object.entries(forwardCounts)) expect(counts.get(name) ?? 0, `forward ${name}`).toBe(n);
    counts.clear();
    layer.backward({ output: randomTensor(new Random(2), T, 2, 4) });
    for (const [name, n] of Object.entries(backwardCounts)) expect(counts.get(name) ?? 0, `backward ${name}`).toBe(n);
    layer.dispose();
  });
});

describe('shared ParameterSet', () => {
  it("places two layers' parameters in one region and keeps their gradients apart", () => {
    const runtime = createJsRuntime();
    const encoderSpecs = LSTM.parameterSpecs({ inputSize: 3, hiddenSize: 4 }).map((s) => ({ ...s, name: `encoder.${s.name}` }));
    const decoderSpecs = GRU.parameterSpecs({ inputSize: 4, hiddenSize: 2 }).map((s) => ({ ...s, name: `decoder.${s.name}` }));
    const set = new ParameterSet(runtime, [...encoderSpecs, ...decoderSpecs]);
    const encoder = new LSTM({ inputSize: 3, hiddenSize: 4, parameterSet: set, parameterPrefix: 'encoder.', seed: 1 });
    const decoder = new GRU({ inputSize: 4, hiddenSize: 2, parameterSet: set, parameterPrefix: 'decoder.', seed: 2 });
    expect(encoder.runtime).toBe(runtime);
    expect(Object.keys(decoder.stateDict())).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']);
    // Same values as a layer with its own parameters and the same seed.
    const alone = new LSTM({ inputSize: 3, hiddenSize: 4, runtime, seed: 1 });
    expect(encoder.stateDict()).toEqual(alone.stateDict());
    const first = set.entry('encoder.weight_ih_l0');
    const last = set.entry('decoder.bias_hh_l0');
    expect(first.value).toBe(set.values.offset);
    expect(last.value + last.size * 4).toBeLessThanOrEqual(set.values.offset + set.length * 4);

    const h = encoder.forward(randomTensor(new Random(3), 5, 2, 3)).output;
    decoder.forward(h);
    encoder.backward({ output: tensor(new Float32Array(40).fill(1), [5, 2, 4]) });
    decoder.backward({ output: tensor(new Float32Array(20).fill(1), [5, 2, 2]) });
    const nonZero = (layer: RecurrentLayer) => Object.values(layer.parameters()).some((p) => p.grad.some((v) => v !== 0));
    expect(nonZero(encoder) && nonZero(decoder)).toBe(true);
    decoder.zeroGrad();
    expect(nonZero(decoder)).toBe(false);
    expect(nonZero(encoder)).toBe(true);
    set.zeroGrad();
    expect(nonZero(encoder)).toBe(false);
    // Disposing a layer over a shared set leaves the set alone.
    encoder.dispose();
    expect(decoder.stateDict().weight_ih_l0!.shape).toEqual([6, 4]);
    decoder.dispose();
    alone.dispose();
    set.dispose();
  });
});
