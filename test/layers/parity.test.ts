import { describe, it } from 'vitest';
import { createJsRuntime, createWasmRuntime } from '../../src/kernels/runtime.js';
import type { RecurrentLayer } from '../../src/layers/recurrent.js';
import { Random } from '../../src/random.js';
import { Tensor } from '../../src/tensor.js';
import { expectClose, type Tolerance } from '../helpers/close.js';
import { describeSpec, LAYER_KINDS, makeLayer, randomValues, type LayerSpec } from './layer-kinds.js';

/*
 * Wasm vs TS on the same weights (same seed) and inputs: forward results and every gradient
 * backward returns. Sizes are odd so the SIMD kernels run their scalar tails; padding included.
 * This is the only layer test that compares backends directly; the others compare each backend
 * with a reference.
 */

const OUTPUTS: Tolerance = { abs: 1e-6, rel: 1e-5 };
/** Gradients sum over steps, directions and the batch. */
const GRADIENTS: Tolerance = { abs: 5e-6, rel: 5e-5 };

const SPECS: LayerSpec[] = LAYER_KINDS.flatMap((kind): LayerSpec[] => [
  { kind, inputSize: 7, hiddenSize: 9, numLayers: 2, bidirectional: true },
  { kind, inputSize: 5, hiddenSize: 33, gateActivation: kind.startsWith('gru') || kind === 'lstm' ? 'hardSigmoid' : undefined },
]);

describe('Wasm and TS backends agree', () => {
  it.each(SPECS.map((s) => [describeSpec(s), s] as const))('%s', (_label, spec) => {
    const [T, B] = [6, 5];
    const D = spec.bidirectional ? 2 : 1;
    const states = (spec.numLayers ?? 1) * D;
    const random = new Random(12);
    const tensorOf = (shape: number[], scale = 1) => new Tensor(Float32Array.from(randomValues(random, shape.reduce((a, b) => a * b, 1), scale)), shape);
    const x = tensorOf([T, B, spec.inputSize], 2);
    const h0 = tensorOf([states, B, spec.hiddenSize], 0.5);
    const c0 = tensorOf([states, B, spec.hiddenSize], 0.5);
    const dOutput = tensorOf([T, B, D * spec.hiddenSize]);
    const dhN = tensorOf([states, B, spec.hiddenSize]);
    const dcN = tensorOf([states, B, spec.hiddenSize]);
    const isLstm = spec.kind === 'lstm';
    const run = (layer: RecurrentLayer) => {
      const result = layer.forward(x, { h0, ...(isLstm ? { c0 } : {}), lengths: [6, 1, 4, 6, 3] });
      const grads = layer.backward({ output: dOutput, hN: dhN, ...(isLstm ? { cN: dcN } : {}) });
      layer.dispose();
      return { result, grads };
    };
    const wasm = run(makeLayer(spec, createWasmRuntime(), 31));
    const js = run(makeLayer(spec, createJsRuntime(), 31));
    expectClose(wasm.result.output.data, js.result.output.data, OUTPUTS, 'output');
    expectClose(wasm.result.hN.data, js.result.hN.data, OUTPUTS, 'hN');
    if (isLstm) expectClose(wasm.result.cN!.data, js.result.cN!.data, OUTPUTS, 'cN');
    expectClose(wasm.grads.x.data, js.grads.x.data, GRADIENTS, 'dx');
    expectClose(wasm.grads.h0.data, js.grads.h0.data, GRADIENTS, 'dh0');
    if (isLstm) expectClose(wasm.grads.c0!.data, js.grads.c0!.data, GRADIENTS, 'dc0');
    for (const [name, grad] of Object.entries(js.grads.params)) expectClose(wasm.grads.params[name]!.data, grad.data, GRADIENTS, name);
  });
});
