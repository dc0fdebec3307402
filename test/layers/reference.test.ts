import { describe, expect, it } from 'vitest';
import { createJsRuntime, type Runtime } from '../../src/kernels/runtime.js';
import { Random } from '../../src/random.js';
import { tensor } from '../../src/tensor.js';
import { expectClose } from '../helpers/close.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { describeSpec, makeLayer, nested3, randomValues, type LayerSpec } from './layer-kinds.js';
import { referenceForward } from './reference.js';

/*
 * Forward agreement with a plain float64 implementation of the PyTorch formulas
 * (test/layers/reference.ts) for every cell, stacked and bidirectional, with padding; on both
 * backends in float32 and on the float64 TS runtime.
 */

const SPECS: LayerSpec[] = [
  { kind: 'rnnTanh', inputSize: 5, hiddenSize: 7, numLayers: 2, bidirectional: true },
  { kind: 'rnnRelu', inputSize: 3, hiddenSize: 9 },
  { kind: 'lstm', inputSize: 5, hiddenSize: 7, numLayers: 2, bidirectional: true },
  { kind: 'lstm', inputSize: 4, hiddenSize: 5, numLayers: 3, bias: false },
  { kind: 'lstm', inputSize: 4, hiddenSize: 6, gateActivation: 'hardSigmoid', bidirectional: true },
  { kind: 'gruAfter', inputSize: 5, hiddenSize: 7, numLayers: 2, bidirectional: true },
  { kind: 'gruAfter', inputSize: 3, hiddenSize: 4, gateActivation: 'hardSigmoidKeras3' },
  { kind: 'gruBefore', inputSize: 5, hiddenSize: 7, numLayers: 2, bidirectional: true },
  { kind: 'gruBefore', inputSize: 3, hiddenSize: 5, gateActivation: 'hardSigmoid', bias: false },
];

const RUNTIMES: [string, () => Runtime, { abs: number; rel: number }][] = [
  ...BACKENDS.map((name) => [name, () => createRuntime(name), { abs: 1e-6, rel: 1e-5 }] as [string, () => Runtime, { abs: number; rel: number }]),
  ['js float64', () => createJsRuntime({ float64: true }), { abs: 1e-6, rel: 1e-6 }],
];

describe.each(RUNTIMES)('forward agrees with the float64 reference on %s', (_name, makeRuntime, tolerance) => {
  it.each(SPECS.map((s) => [describeSpec(s), s] as const))('%s', (_label, spec) => {
    const runtime = makeRuntime();
    const layer = makeLayer(spec, runtime, 3);
    const random = new Random(17);
    const T = 6;
    const B = 4;
    const lengths = [6, 3, 1, 5];
    const D = spec.bidirectional ? 2 : 1;
    const stateSize = (spec.numLayers ?? 1) * D * B * spec.hiddenSize;
    const x = Float32Array.from(randomValues(random, T * B * spec.inputSize, 2));
    const h0 = Float32Array.from(randomValues(random, stateSize, 0.5));
    const c0 = Float32Array.from(randomValues(random, stateSize, 0.5));
    const isLstm = spec.kind === 'lstm';
    const mask = Float64Array.from({ length: T * B }, (_, i) => (Math.floor(i / B) < lengths[i % B]! ? 1 : 0));
    const params = Object.fromEntries(Object.entries(layer.stateDict()).map(([name, t]) => [name, t.data]));
    const expected = referenceForward(spec, params, x, T, B, { h0, c0: isLstm ? c0 : undefined, mask });

    const got = layer.forward(tensor(x, [T, B, spec.inputSize]), {
      h0: tensor(h0, [stateSize / B / spec.hiddenSize, B, spec.hiddenSize]),
      ...(isLstm ? { c0: tensor(c0, [stateSize / B / spec.hiddenSize, B, spec.hiddenSize]) } : {}),
      lengths,
    });
    expectClose(got.output.data, expected.output, tolerance, 'output');
    expectClose(got.hN.data, expected.hN, tolerance, 'hN');
    if (isLstm) expectClose(got.cN!.data, expected.cN, tolerance, 'cN');
    layer.dispose();
  });
});

describe('batchFirst', () => {
  it('gives the transposed results of the time-major layer, forward and backward', () => {
    const runtime = createJsRuntime({ float64: true });
    const spec: LayerSpec = { kind: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true };
    const timeMajor = makeLayer(spec, runtime, 5);
    const batchFirst = makeLayer({ ...spec, batchFirst: true }, runtime, 5);
    const random = new Random(3);
    const [T, B, I, W] = [5, 3, 3, 8];
    const x = randomValues(random, T * B * I);
    const dOut = randomValues(random, T * B * W);
    /** Time-major flat values → nested [B][T][F]. */
    const transpose = (v: ArrayLike<number>, F: number) => {
      const timeMajor = nested3(v, T, B, F);
      return Array.from({ length: B }, (_, b) => timeMajor.map((step) => step[b]!));
    };
    const a = timeMajor.forward(nested3(x, T, B, I), { lengths: [5, 2, 4] });
    const b = batchFirst.forward(transpose(x, I), { lengths: [5, 2, 4] });
    expect(b.output.shape).toEqual([B, T, W]);
    expect(b.output.toArray()).toEqual(tensor(transpose(a.output.data, W)).toArray());
    expect(b.hN.toArray()).toEqual(a.hN.toArray());
    const ga = timeMajor.backward({ output: nested3(dOut, T, B, W) });
    const gb = batchFirst.backward({ output: transpose(dOut, W) });
    expect(gb.x.toArray()).toEqual(tensor(transpose(ga.x.data, I)).toArray());
    for (const name of Object.keys(ga.params)) expect(gb.params[name]!.toArray()).toEqual(ga.params[name]!.toArray());
  });
});
