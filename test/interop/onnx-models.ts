import * as ort from 'onnxruntime-web';
import type { Runtime } from '../../src/kernels/runtime.js';
import type { LayerSpec } from '../../src/model/layer-specs.js';
import { Sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { tensor } from '../../src/tensor.js';

/*
 * Shared by the ONNX tests: models with every weight (biases included) drawn in [−0.6, 0.6], and
 * running an exported model in onnxruntime-web (wasm backend, one thread; it runs in Node).
 */

ort.env.wasm.numThreads = 1;

export function randomModel(specs: LayerSpec[], runtime: Runtime, seed: number): Sequential {
  const model = new Sequential(specs, { seed, runtime });
  const random = new Random(seed);
  const dict = model.stateDict();
  model.loadStateDict(Object.fromEntries(Object.entries(dict).map(([name, t]) => [name, Float32Array.from(t.data, () => random.uniform(-0.6, 0.6))])));
  return model;
}

/** Inputs of B sequences of T steps: features in [−1, 1], or ids in [0, vocab) when `vocab` is set. */
export function randomInput(seed: number, shape: number[], vocab?: number): Float32Array {
  const random = new Random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => (vocab === undefined ? random.uniform(-1, 1) : random.int(vocab)));
}

export async function onnxSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
}

/** Runs the session on `input` (ids as int64 when `ids`) and returns `output`'s values and dims. */
export async function onnxPredict(session: ort.InferenceSession, input: Float32Array, shape: number[], ids: boolean): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const feed = ids ? new ort.Tensor('int64', BigInt64Array.from(input, (v) => BigInt(v)), shape) : new ort.Tensor('float32', input, shape);
  const result = await session.run({ input: feed });
  const output = result.output!;
  return { data: output.data as Float32Array, dims: output.dims };
}

export function ourPredict(model: Sequential, input: Float32Array, shape: number[]): { data: Float32Array; dims: readonly number[] } {
  const y = model.predict(tensor(input, shape));
  return { data: y.data, dims: y.shape };
}
