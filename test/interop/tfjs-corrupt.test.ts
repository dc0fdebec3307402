import * as tf from '@tensorflow/tfjs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValueError } from '../../src/errors.js';
import { loadTfjsModel } from '../../src/interop/tfjs-load.js';
import { ModelFileError } from '../../src/io/model-file-error.js';
import { saveToMemory, seedWeights, temporaryFolder, type Saved } from './tfjs-models.js';

/* Corrupt, truncated or hostile tfjs model.json / weights: a named ModelFileError, never a crash. */

let saved: Saved;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = tf.sequential({ layers: [tf.layers.lstm({ units: 3, inputShape: [4, 2], name: 'lstm' }), tf.layers.dense({ units: 2, name: 'dense' })] });
  seedWeights(model, 1);
  saved = await saveToMemory(model);
  model.dispose();
});

/** A deep copy of the saved model.json with `edit` applied. */
function edited(edit: (json: any) => void): any {
  const json = JSON.parse(JSON.stringify(saved.modelJson));
  edit(json);
  return json;
}

const specs = (json: any) => json.weightsManifest[0].weights;

describe('loadTfjsModel refuses corrupt input', () => {
  it('loads the intact model', async () => {
    const model = await loadTfjsModel(saved);
    expect(model.layers.map((l) => l.name)).toEqual(['lstm', 'dense']);
    model.dispose();
  });

  it.each([
    ['text that is not JSON', () => ({ modelJson: '{"modelTopology": ', weights: saved.weights }), /model.json is not valid JSON/],
    ['duplicate keys', () => ({ modelJson: '{"format": "layers-model", "format": "graph-model"}', weights: saved.weights }), /duplicate/],
    ['a __proto__ key', () => ({ modelJson: JSON.stringify(saved.modelJson).replace('{', '{"__proto__": {"polluted": 1},'), weights: saved.weights }), /'__proto__' key, which is refused/],
    ['a graph model', () => ({ modelJson: edited((j) => (j.format = 'graph-model')), weights: saved.weights }), /format "graph-model"; only tfjs layers models/],
    ['no modelTopology', () => ({ modelJson: edited((j) => delete j.modelTopology), weights: saved.weights }), /model.json modelTopology must be an object, got undefined/],
    ['no weightsManifest', () => ({ modelJson: edited((j) => delete j.weightsManifest), weights: saved.weights }), /model.json weightsManifest must be an array, got undefined/],
    ['an int32 weight', () => ({ modelJson: edited((j) => (specs(j)[1].dtype = 'int32')), weights: saved.weights }), /weightsManifest\[0\].weights\[1\] \('lstm\/recurrent_kernel'\) has dtype "int32"; only float32 weights are supported/],
    ['a quantized weight', () => ({ modelJson: edited((j) => (specs(j)[0].quantization = { dtype: 'uint8', scale: 1, min: 0 })), weights: saved.weights }), /\('lstm\/kernel'\) is quantized/],
    ['a negative dimension', () => ({ modelJson: edited((j) => (specs(j)[0].shape = [-2, 12])), weights: saved.weights }), /shape must hold integers ≥ 0, got \[-2, 12\]/],
    ['a huge shape', () => ({ modelJson: edited((j) => (specs(j)[0].shape = [2 ** 20, 2 ** 20])), weights: saved.weights }), /holds more than 268435456 values/],
    ['truncated weight data', () => ({ modelJson: saved.modelJson, weights: saved.weights.slice(0, saved.weights.byteLength - 4) }), /the weight shards hold 316 bytes, but weightsManifest describes 320 \(5 float32 weights\)/],
    ['trailing weight data', () => ({ modelJson: saved.modelJson, weights: new ArrayBuffer(saved.weights.byteLength + 8) }), /hold 328 bytes, but weightsManifest describes 320/],
    ['more shard buffers than paths', () => ({ modelJson: saved.modelJson, weights: [saved.weights, new ArrayBuffer(0)] }), /weights holds 2 shard buffers, but the manifest lists 1 \(weights.bin\)/],
    ['a weight of no layer', () => ({ modelJson: edited((j) => (specs(j)[4].name = 'gru/bias')), weights: saved.weights }), /weight 'gru\/bias' does not belong to any layer of modelTopology \(layers: 'lstm', 'dense'\)/],
    ['a weight that is no kernel or bias', () => ({ modelJson: edited((j) => (specs(j)[4].name = 'dense/gamma')), weights: saved.weights }), /weight 'dense\/gamma' is not a kernel, recurrent_kernel, bias or embeddings array/],
    ['a repeated weight name', () => ({ modelJson: edited((j) => (specs(j)[1].name = 'lstm/kernel')), weights: saved.weights }), /the weight name 'lstm\/kernel' appears twice/],
    ['shapes that fit the bytes but not the layer', () => ({ modelJson: edited((j) => { specs(j)[0].shape = [12, 2]; }), weights: saved.weights }), /loadTfjsModel: layer 0 'lstm' \(LSTM\): weight 0 \("lstm\/kernel"\) should be kernel \[2, 12\] of float32, got shape \[12, 2\]/],
    ['a missing weight', () => ({ modelJson: edited((j) => specs(j).splice(4, 1)), weights: saved.weights.slice(0, 312) }), /layer 1 'dense' \(Dense\) needs 2 weight arrays \(kernel \[3, 2\], bias \[2\]\), got 1/],
    ['NaN weights', () => ({ modelJson: saved.modelJson, weights: new Float32Array(saved.weights.byteLength / 4).fill(Number.NaN).buffer }), /weight 0 \(lstm\/kernel\) holds NaN at element 0; weights must be finite/],
    ['an unsupported layer', () => ({ modelJson: edited((j) => (j.modelTopology.config.layers[1].class_name = 'Conv1D')), weights: saved.weights }), /layer 1 'dense' \(Conv1D\) is not supported; supported layers: InputLayer, SimpleRNN/],
  ] as const)('%s', async (_label, source, message) => {
    const error = await loadTfjsModel(source() as never).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as Error).message).toMatch(/^loadTfjsModel: /);
    expect((error as Error).message).toMatch(message);
  });

  it('reads a tensorflowjs-converter document (model_config, keras_version 2.x, lstm/lstm_cell/… names)', async () => {
    const converted = edited((j) => {
      j.modelTopology = { keras_version: '2.15.0', backend: 'tensorflow', model_config: j.modelTopology };
      for (const spec of specs(j)) spec.name = spec.name.replace(/^lstm\//, 'lstm/lstm_cell/');
    });
    const model = await loadTfjsModel({ modelJson: JSON.stringify(converted), weights: saved.weights });
    const reference = await loadTfjsModel(saved);
    try {
      expect(model.stateDict()).toEqual(reference.stateDict());
      // Keras 2's flavor: an explicit hard_sigmoid is clip(0.2x + 0.5), as in tfjs.
      expect(model.layers[0]!.spec.config).toMatchObject({ recurrentActivation: 'hardSigmoid' });
    } finally {
      for (const m of [model, reference]) m.dispose();
    }
  });

  it('a source of the wrong kind is a ValueError', async () => {
    await expect(loadTfjsModel(42 as never)).rejects.toThrow(ValueError);
    await expect(loadTfjsModel({ modelJson: saved.modelJson } as never)).rejects.toThrow(/source must be \{ modelJson, weights \}/);
    await expect(loadTfjsModel({ modelJson: saved.modelJson, weights: 'bytes' } as never)).rejects.toThrow(/weights must be an ArrayBuffer or a typed array, got "bytes"/);
  });
});

describe('loadTfjsModel from files (Node)', () => {
  const tempDir = temporaryFolder('wasm-rnn-tfjs-corrupt-');

  async function writeModel(name: string, json: unknown, shards: Record<string, ArrayBuffer>): Promise<string> {
    const folder = join(tempDir(), name);
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder);
    for (const [file, bytes] of Object.entries(shards)) await writeFile(join(folder, file), new Uint8Array(bytes));
    await writeFile(join(folder, 'model.json'), JSON.stringify(json));
    return join(folder, 'model.json');
  }

  it('reads shards beside model.json, in manifest order', async () => {
    const split = edited((j) => (j.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin']));
    const path = await writeModel('two-shards', split, { 'group1-shard1of2.bin': saved.weights.slice(0, 100), 'group1-shard2of2.bin': saved.weights.slice(100) });
    const fromFiles = await loadTfjsModel(path);
    const fromFileUrl = await loadTfjsModel(pathToFileURL(path));
    expect(fromFileUrl.stateDict()).toEqual(fromFiles.stateDict());
    fromFileUrl.dispose();
    const fromMemory = await loadTfjsModel({ modelJson: split, weights: [saved.weights.slice(0, 100), saved.weights.slice(100)] });
    expect(fromFiles.stateDict()).toEqual(fromMemory.stateDict());
    for (const m of [fromFiles, fromMemory]) m.dispose();
  });

  it.each([
    ['a missing shard', {}, /cannot read .*weights.bin/],
    ['a truncated shard', { 'weights.bin': new ArrayBuffer(100) }, /the weight shards hold 100 bytes, but weightsManifest describes 320/],
  ] as const)('%s', async (label, shards, message) => {
    const path = await writeModel(label.replaceAll(' ', '-'), saved.modelJson, shards);
    await expect(loadTfjsModel(path)).rejects.toThrow(ModelFileError);
    await expect(loadTfjsModel(path)).rejects.toThrow(message);
  });

  it.each(['../weights.bin', '/etc/passwd', 'file:///etc/passwd'])('a shard path outside the folder (%s)', async (shard) => {
    const path = await writeModel('escape', edited((j) => (j.weightsManifest[0].paths = [shard])), {});
    await expect(loadTfjsModel(path)).rejects.toThrow(/must be a file name relative to model.json \(no absolute paths or '..'\)/);
  });

  it('a missing model.json', async () => {
    await expect(loadTfjsModel(join(tempDir(), 'nowhere', 'model.json'))).rejects.toThrow(/loadTfjsModel: cannot read .*model.json/);
  });
});

describe('loadTfjsModel from a URL (fetch)', () => {
  let server: import('node:http').Server;
  let base = '';
  beforeAll(async () => {
    const { createServer } = await import('node:http');
    const files: Record<string, Uint8Array> = {
      '/m/model.json': new TextEncoder().encode(JSON.stringify(saved.modelJson)),
      '/m/weights.bin': new Uint8Array(saved.weights),
    };
    server = createServer((request, response) => {
      const body = files[request.url ?? ''];
      response.writeHead(body === undefined ? 404 : 200).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches model.json and its shards beside it', async () => {
    const fromUrl = await loadTfjsModel(new URL(`${base}/m/model.json`));
    const fromString = await loadTfjsModel(`${base}/m/model.json`);
    const fromMemory = await loadTfjsModel(saved);
    expect(fromUrl.stateDict()).toEqual(fromMemory.stateDict());
    expect(fromString.stateDict()).toEqual(fromMemory.stateDict());
    for (const m of [fromUrl, fromString, fromMemory]) m.dispose();
  });

  it('an HTTP error names the URL and status', async () => {
    await expect(loadTfjsModel(`${base}/missing/model.json`)).rejects.toThrow(new RegExp(`loadTfjsModel: fetching ${base}/missing/model.json gave HTTP 404`));
  });
});
