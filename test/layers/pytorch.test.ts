import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createJsRuntime, type Runtime } from '../../src/kernels/runtime.js';
import type { RecurrentLayer } from '../../src/layers/recurrent.js';
import { tensor } from '../../src/tensor.js';
import { expectClose, type Tolerance } from '../helpers/close.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { makeLayer, type LayerKind } from './layer-kinds.js';

/*
 * Agreement with PyTorch itself: outputs and autograd gradients of nn.RNN / nn.LSTM / nn.GRU
 * (float64), made by test/layers/fixtures/make-pytorch-reference.py, loaded here with
 * loadStateDict. The public API runs on every backend (float32 inputs and outputs); the core runs
 * on the float64 TS runtime, where the agreement must be exact up to rounding.
 */

interface FixtureCase {
  name: string;
  module: 'RNN' | 'LSTM' | 'GRU';
  nonlinearity?: 'tanh' | 'relu';
  num_layers: number;
  bidirectional: boolean;
  lengths?: number[];
  T: number;
  B: number;
  inputSize: number;
  hiddenSize: number;
  stateDict: Record<string, { shape: number[]; values: number[] }>;
  x: number[];
  h0: number[];
  c0?: number[];
  dOutput: number[];
  dhN: number[];
  dcN?: number[];
  output: number[];
  hN: number[];
  cN?: number[];
  grad: { x: number[]; h0: number[]; c0?: number[]; params: Record<string, number[]> };
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/pytorch-reference.json', import.meta.url), 'utf8')) as { cases: FixtureCase[] };

function kindOf(c: FixtureCase): LayerKind {
  if (c.module === 'LSTM') return 'lstm';
  if (c.module === 'GRU') return 'gruAfter';
  return c.nonlinearity === 'relu' ? 'rnnRelu' : 'rnnTanh';
}

function build(c: FixtureCase, runtime: Runtime): RecurrentLayer {
  const layer = makeLayer({ kind: kindOf(c), inputSize: c.inputSize, hiddenSize: c.hiddenSize, numLayers: c.num_layers, bidirectional: c.bidirectional }, runtime);
  layer.loadStateDict(Object.fromEntries(Object.entries(c.stateDict).map(([name, { values }]) => [name, Float64Array.from(values)])));
  return layer;
}

const stateShape = (c: FixtureCase) => [c.num_layers * (c.bidirectional ? 2 : 1), c.B, c.hiddenSize];

describe.each(BACKENDS)('PyTorch agreement through the module API on %s', (backend) => {
  const tolerance: Tolerance = { abs: 1e-6, rel: 1e-5 };
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const layer = build(c, createRuntime(backend));
    const isLstm = c.module === 'LSTM';
    const width = (c.bidirectional ? 2 : 1) * c.hiddenSize;
    const result = layer.forward(tensor(Float64Array.from(c.x), [c.T, c.B, c.inputSize]), {
      h0: tensor(Float64Array.from(c.h0), stateShape(c)),
      ...(isLstm ? { c0: tensor(Float64Array.from(c.c0!), stateShape(c)) } : {}),
      ...(c.lengths ? { lengths: c.lengths } : {}),
    });
    expectClose(result.output.data, c.output, tolerance, 'output');
    expectClose(result.hN.data, c.hN, tolerance, 'hN');
    if (isLstm) expectClose(result.cN!.data, c.cN!, tolerance, 'cN');
    const grads = layer.backward({
      output: tensor(Float64Array.from(c.dOutput), [c.T, c.B, width]),
      hN: tensor(Float64Array.from(c.dhN), stateShape(c)),
      ...(isLstm ? { cN: tensor(Float64Array.from(c.dcN!), stateShape(c)) } : {}),
    });
    // Gradients sum over T steps and both directions: allow a little more.
    const gradTolerance: Tolerance = { abs: 5e-6, rel: 5e-5 };
    expectClose(grads.x.data, c.grad.x, gradTolerance, 'dx');
    expectClose(grads.h0.data, c.grad.h0, gradTolerance, 'dh0');
    if (isLstm) expectClose(grads.c0!.data, c.grad.c0!, gradTolerance, 'dc0');
    expect(Object.keys(grads.params).sort()).toEqual(Object.keys(c.grad.params).sort());
    for (const [name, expected] of Object.entries(c.grad.params)) expectClose(grads.params[name]!.data, expected, gradTolerance, name);
    layer.dispose();
  });
});

describe('PyTorch agreement of the core in float64', () => {
  const tolerance: Tolerance = { abs: 1e-12, rel: 1e-10 };
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const runtime = createJsRuntime({ float64: true });
    const layer = build(c, runtime);
    const core = layer.core;
    const isLstm = c.module === 'LSTM';
    const width = (c.bidirectional ? 2 : 1) * c.hiddenSize;
    const rows = c.T * c.B;
    const mask = c.lengths ? Array.from({ length: rows }, (_, i) => (Math.floor(i / c.B) < c.lengths![i % c.B]! ? 1 : 0)) : null;
    // PyTorch's outputs at padded steps are constant zeros: their gradients do not flow.
    const dOutput = c.dOutput.map((v, i) => (mask === null || mask[Math.floor(i / width)] === 1 ? v : 0));
    const put = (values: number[]) => {
      const handle = runtime.arena.alloc(values.length);
      handle.view().set(values);
      return handle.offset;
    };
    const [x, h0, c0, m, dOut, dhN, dcN] = [c.x, c.h0, c.c0 ?? [], mask ?? [], dOutput, c.dhN, c.dcN ?? []].map((v) => (v.length === 0 ? 0 : put(v)));
    const stateSize = c.h0.length;
    const [dx, dh0, dc0] = [c.x.length, stateSize, isLstm ? stateSize : 0].map((n) => (n === 0 ? 0 : runtime.arena.alloc(n).offset));
    core.forward(x!, c.T, c.B, h0!, c0!, m!);
    core.backward(dOut!, dhN!, dcN!, dx!, dh0!, dc0!);
    const read = (offset: number, n: number) => Array.from(runtime.arena.storage.data.subarray(offset >>> 2, (offset >>> 2) + n));
    const output = read(core.output, rows * width);
    expectClose(output.map((v, i) => (mask === null || mask[Math.floor(i / width)] === 1 ? v : 0)), c.output, tolerance, 'output');
    expectClose(read(core.hN, stateSize), c.hN, tolerance, 'hN');
    if (isLstm) expectClose(read(core.cN, stateSize), c.cN!, tolerance, 'cN');
    expectClose(read(dx!, c.x.length), c.grad.x, tolerance, 'dx');
    expectClose(read(dh0!, stateSize), c.grad.h0, tolerance, 'dh0');
    if (isLstm) expectClose(read(dc0!, stateSize), c.grad.c0!, tolerance, 'dc0');
    const params = layer.parameters();
    for (const [name, expected] of Object.entries(c.grad.params)) expectClose(params[name]!.grad, expected, tolerance, name);
  });
});
