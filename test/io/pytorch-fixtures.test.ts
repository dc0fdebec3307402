import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSafetensors, parseSafetensors, saveSafetensors } from '../../src/io/safetensors.js';
import type { Runtime } from '../../src/kernels/runtime.js';
import { GRU } from '../../src/layers/gru.js';
import { LSTM } from '../../src/layers/lstm.js';
import type { RecurrentLayer, RecurrentOptions } from '../../src/layers/recurrent.js';
import { SimpleRNN, type Nonlinearity } from '../../src/layers/simple-rnn.js';
import type { Tensor } from '../../src/tensor.js';
import { expectClose, type Tolerance } from '../helpers/close.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';

/*
 * Agreement with PyTorch through its own file format: each case's state_dict was saved by
 * safetensors.torch.save_file in test/fixtures/pytorch/make_fixtures.py (torch 2.13, float32), and
 * the reference file holds x, h0 (c0), the upstream gradients and PyTorch's outputs and autograd
 * gradients (computed in float64 from the same float32 weights, stored as float32).
 */

const CASES = ['rnn_tanh', 'rnn_relu', 'lstm', 'gru'] as const;

/*
 * Float32 results vs the exact ones. Measured max |Δ| on both backends: outputs and states
 * ≤ 1.8e-7, x/h0/c0 gradients ≤ 3.6e-7, parameter gradients (sums over T·B rows, |grad| up to
 * ~10) ≤ 9.6e-7.
 */
const OUTPUT_TOLERANCE: Tolerance = { abs: 1e-6, rel: 1e-6 };
const GRADIENT_TOLERANCE: Tolerance = { abs: 2e-6, rel: 2e-6 };

const fixtureBytes = (file: string) => readFileSync(new URL(`../fixtures/pytorch/${file}`, import.meta.url));

interface Fixture {
  name: string;
  stateBytes: Uint8Array;
  state: Record<string, Tensor>;
  reference: Record<string, Tensor>;
  config: Record<string, string>;
}

function loadFixture(name: string): Fixture {
  const stateBytes = fixtureBytes(`${name}.state.safetensors`);
  const { tensors: reference, metadata: config } = parseSafetensors(fixtureBytes(`${name}.reference.safetensors`));
  return { name, stateBytes, state: loadSafetensors(stateBytes), reference, config };
}

/** The wasm-rnn layer for the PyTorch module described in the reference file's metadata. */
function buildLayer(config: Record<string, string>, runtime: Runtime, seed = 1): RecurrentLayer {
  const options: RecurrentOptions = {
    inputSize: Number(config.input_size),
    hiddenSize: Number(config.hidden_size),
    numLayers: Number(config.num_layers),
    bias: config.bias === 'True',
    bidirectional: config.bidirectional === 'True',
    batchFirst: config.batch_first === 'True',
    runtime,
    seed,
  };
  if (config.module === 'LSTM') return new LSTM(options);
  if (config.module === 'GRU') return new GRU(options);
  return new SimpleRNN({ ...options, nonlinearity: config.nonlinearity as Nonlinearity });
}

const tensorOf = (record: Record<string, Tensor>, name: string): Tensor => {
  const t = record[name];
  if (t === undefined) throw new Error(`fixture has no tensor '${name}'`);
  return t;
};

const fixtures = CASES.map(loadFixture);

describe.each(BACKENDS)('PyTorch safetensors fixtures on %s', (backend) => {
  describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const { state, reference: ref, config } = fixture;
    const isLstm = config.module === 'LSTM';

    it('forward and backward agree with PyTorch after loadStateDict(loadSafetensors(file))', () => {
      const layer = buildLayer(config, createRuntime(backend));
      layer.loadStateDict(state);
      const result = layer.forward(tensorOf(ref, 'x'), {
        h0: tensorOf(ref, 'h0'),
        ...(isLstm ? { c0: tensorOf(ref, 'c0') } : {}),
      });
      expect(result.output.shape).toEqual(tensorOf(ref, 'output').shape);
      expectClose(result.output.data, tensorOf(ref, 'output').data, OUTPUT_TOLERANCE, 'output');
      expectClose(result.hN.data, tensorOf(ref, 'h_n').data, OUTPUT_TOLERANCE, 'h_n');
      if (isLstm) expectClose(result.cN!.data, tensorOf(ref, 'c_n').data, OUTPUT_TOLERANCE, 'c_n');

      const grads = layer.backward({
        output: tensorOf(ref, 'grad_output'),
        hN: tensorOf(ref, 'grad_h_n'),
        ...(isLstm ? { cN: tensorOf(ref, 'grad_c_n') } : {}),
      });
      expectClose(grads.x.data, tensorOf(ref, 'grad.x').data, GRADIENT_TOLERANCE, 'x.grad');
      expectClose(grads.h0.data, tensorOf(ref, 'grad.h0').data, GRADIENT_TOLERANCE, 'h0.grad');
      if (isLstm) expectClose(grads.c0!.data, tensorOf(ref, 'grad.c0').data, GRADIENT_TOLERANCE, 'c0.grad');
      expect(Object.keys(grads.params).sort()).toEqual(Object.keys(state).sort());
      for (const [name, grad] of Object.entries(grads.params)) {
        expectClose(grad.data, tensorOf(ref, `grad.${name}`).data, GRADIENT_TOLERANCE, `${name}.grad`);
      }
      layer.dispose();
    });

    it('saveSafetensors(stateDict()) reproduces the file PyTorch wrote, byte for byte', () => {
      const layer = buildLayer(config, createRuntime(backend));
      layer.loadStateDict(state);
      expect(Buffer.from(saveSafetensors(layer.stateDict())).equals(fixture.stateBytes)).toBe(true);
      layer.dispose();
    });

    it('a saved state dict loads into a fresh layer that computes the same outputs', () => {
      const runtime = createRuntime(backend);
      const source = buildLayer(config, runtime, 11);
      const target = buildLayer(config, runtime, 12);
      target.loadStateDict(loadSafetensors(saveSafetensors(source.stateDict())));
      const inputs = { h0: tensorOf(ref, 'h0'), ...(isLstm ? { c0: tensorOf(ref, 'c0') } : {}) };
      const expected = source.forward(tensorOf(ref, 'x'), inputs);
      const actual = target.forward(tensorOf(ref, 'x'), inputs);
      expect(Array.from(actual.output.data)).toEqual(Array.from(expected.output.data));
      expect(Array.from(actual.hN.data)).toEqual(Array.from(expected.hN.data));
      source.dispose();
      target.dispose();
    });
  });
});
