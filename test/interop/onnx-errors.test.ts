import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OptionError, StateError, ValueError } from '../../src/errors.js';
import { layers } from '../../src/model/layer-specs.js';
import { expectClose } from '../helpers/close.js';
import { createRuntime } from '../helpers/runtimes.js';
import { onnxPredict, onnxSession, ourPredict, randomInput, randomModel } from './onnx-models.js';

/* What the ONNX export refuses, with errors naming the layer or option; save(path, { format: 'onnx' }). */

const runtime = createRuntime('js');
const lstm = () => randomModel([layers.lstm({ units: 3, inputShape: [null, 2] }), layers.dense({ units: 1 })], runtime, 1);

describe('ONNX export: refused models and options', () => {
  it('Masking before per-step outputs of the carried state names the layers and what is supported', async () => {
    const model = randomModel([layers.masking({ maskValue: 0, inputShape: [null, 2] }), layers.gru({ units: 3, returnSequences: true })], runtime, 1);
    await expect(model.toOnnx()).rejects.toThrow(ValueError);
    await expect(model.toOnnx()).rejects.toThrow(/layer 1 'gru' \(GRU\) outputs the carried state at the steps masked by layer 0 'masking' \(Masking\).*supported with a mask: models that output one vector per sequence, or whose last recurrent layer has zeroOutputForMask: true/);
    model.dispose();
  });

  it('a maskZero embedding before per-step outputs of the carried state is refused (predict returns the carried state at ids 0)', async () => {
    const specs = (zeroOutputForMask: boolean) => [layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true }), layers.lstm({ units: 3, returnSequences: true, zeroOutputForMask }), layers.dense({ units: 2 })];
    const carried = randomModel(specs(false), runtime, 1);
    await expect(carried.toOnnx()).rejects.toThrow(/layer 1 'lstm' \(LSTM\) outputs the carried state at the steps masked by layer 0 'embedding' \(Embedding\)/);
    carried.dispose();
    const zeroed = randomModel(specs(true), runtime, 1);
    await expect(zeroed.toOnnx()).resolves.toBeInstanceOf(Uint8Array);
    zeroed.dispose();
  });

  it('goBackwards after a mask is refused (and allowed without the mask)', async () => {
    const specs = (maskZero: boolean) => [layers.embedding({ inputDim: 5, outputDim: 2, maskZero }), layers.lstm({ units: 3, goBackwards: true })];
    const masked = randomModel(specs(true), runtime, 1);
    await expect(masked.toOnnx()).rejects.toThrow(/layer 1 'lstm' \(LSTM\) has goBackwards: true after the mask of layer 0 'embedding' \(Embedding\)/);
    masked.dispose();
    const plain = randomModel(specs(false), runtime, 1);
    await expect(plain.toOnnx()).resolves.toBeInstanceOf(Uint8Array);
    plain.dispose();
    const masking = randomModel([layers.masking({ inputShape: [null, 2] }), layers.gru({ units: 3, goBackwards: true })], runtime, 1);
    await expect(masking.toOnnx()).rejects.toThrow(/layer 1 'gru' \(GRU\) has goBackwards: true after the mask of layer 0 'masking' \(Masking\)/);
    masking.dispose();
  });

  it('a second mask is refused', async () => {
    const model = randomModel([layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true }), layers.masking({ maskValue: 0 }), layers.lstm({ units: 3 })], runtime, 1);
    await expect(model.toOnnx()).rejects.toThrow(/layer 1 'masking' \(Masking\) masks steps again after layer 0 'embedding' \(Embedding\); the ONNX export supports one mask/);
    model.dispose();
  });

  it('opset outside 14–21, not an integer, unknown options, options not an object', async () => {
    const model = lstm();
    await expect(model.toOnnx({ opset: 13 })).rejects.toThrow(/toOnnx: opset must be an integer from 14 to 21, got 13/);
    await expect(model.toOnnx({ opset: 22 })).rejects.toThrow(OptionError);
    await expect(model.toOnnx({ opset: 17.5 })).rejects.toThrow(/got 17\.5/);
    await expect(model.toOnnx({ opset: '17' as never })).rejects.toThrow(/opset must be an integer/);
    await expect(model.toOnnx({ opsett: 17 } as never)).rejects.toThrow(/opsett.*did you mean 'opset'/);
    await expect(model.toOnnx(null as never)).rejects.toThrow(/options must be an object/);
    model.dispose();
  });

  it('a disposed model', async () => {
    const model = lstm();
    model.dispose();
    await expect(model.toOnnx()).rejects.toThrow(StateError);
  });
});

describe("save(path, { format: 'onnx' })", () => {
  let dir = '';
  afterAll(async () => {
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('writes the toOnnx bytes atomically, honours opset, refuses JSON-only options', async () => {
    dir = await mkdtemp(join(tmpdir(), 'wasm-rnn-onnx-'));
    const model = lstm();
    const path = join(dir, 'model.onnx');
    const result = await model.save(path, { format: 'onnx', opset: 15 });
    const bytes = new Uint8Array(await readFile(path));
    expect(result).toEqual({ path, bytes: bytes.byteLength });
    expect(bytes).toEqual(await model.toOnnx({ opset: 15 }));
    expect(await readdir(dir)).toEqual(['model.onnx']);
    const session = await onnxSession(bytes);
    const input = randomInput(2, [2, 4, 2]);
    expectClose((await onnxPredict(session, input, [2, 4, 2], false)).data, ourPredict(model, input, [2, 4, 2]).data, { abs: 1e-6, rel: 1e-5 });
    await session.release();
    await expect(model.save(path, { format: 'onnx', includeOptimizer: true })).rejects.toThrow(/includeOptimizer/);
    await expect(model.save(path, { format: 'onnnx' as never })).rejects.toThrow(/format must be 'json', 'tfjs' or 'onnx'/);
    model.dispose();
  });
});
