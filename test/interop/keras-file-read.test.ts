import { readFileSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../../src/io/model-file-error.js';
import { readKerasFile } from '../../src/interop/keras-file-read.js';
import { archiveGroupNames, snakeCase } from '../../src/interop/keras-file-weights.js';
import type { KerasLayerWeights } from '../../src/interop/keras-weights.js';

/*
 * Reading Keras files (test/fixtures/keras/, written by Keras 3.15 through
 * scripts/fixtures/make_keras_fixtures.py) into a topology and per-layer weight arrays, apart from
 * building a model from them; and refusing corrupt or hostile files with a ModelFileError.
 */

const MODELS = ['simple_rnn', 'lstm', 'gru', 'bidirectional', 'embedding_mask', 'masking', 'functional', 'tiny'] as const;
const fixture = (file: string) => new Uint8Array(readFileSync(new URL(`../fixtures/keras/${file}`, import.meta.url)));

/** Weight-holding layer classes of each fixture, in model order (see the fixture script). */
const WEIGHTED_CLASSES: Record<(typeof MODELS)[number], string[]> = {
  simple_rnn: ['SimpleRNN', 'SimpleRNN', 'Dense'],
  lstm: ['LSTM', 'LSTM', 'Dense'],
  gru: ['GRU', 'GRU', 'GRU', 'TimeDistributed'],
  bidirectional: ['Bidirectional', 'Bidirectional', 'Bidirectional', 'Bidirectional', 'Dense'],
  embedding_mask: ['Embedding', 'LSTM', 'GRU', 'Dense'],
  masking: ['SimpleRNN', 'GRU', 'TimeDistributed'],
  functional: ['LSTM', 'Dense', 'GRU', 'Dense'],
  tiny: ['SimpleRNN', 'Dense'],
};

function summary(weights: KerasLayerWeights[]): string[] {
  return weights.map((w) => `${w.layerClass} ${w.layerName}: ${w.arrays.map((a) => `${a.name}[${a.shape.join(',')}]`).join(' ')}`);
}

async function refusal(bytes: Uint8Array): Promise<ModelFileError> {
  const error = await readKerasFile('test', bytes).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ModelFileError);
  return error as ModelFileError;
}

/** A .keras archive with the given entries replaced (undefined removes one). */
function rezip(file: string, changes: Record<string, Uint8Array | undefined>, level: 0 | 6 = 0): Uint8Array {
  const entries: Record<string, Uint8Array> = { ...unzipSync(fixture(file)) };
  for (const [name, data] of Object.entries(changes)) {
    if (data === undefined) delete entries[name];
    else entries[name] = data;
  }
  return zipSync(entries, { level });
}

describe('archive group names', () => {
  it('snake-cases class names as Keras does', () => {
    expect(['SimpleRNN', 'LSTM', 'GRU', 'TimeDistributed', 'InputLayer', 'Bidirectional', 'Dense'].map(snakeCase))
      .toEqual(['simple_rnn', 'lstm', 'gru', 'time_distributed', 'input_layer', 'bidirectional', 'dense']);
  });

  it('counts each class in model order, whatever the layer names', () => {
    const layers = ['InputLayer', 'LSTM', 'Dense', 'LSTM', 'Dropout', 'Dense', 'LSTM'].map((className, i) => ({ className, name: `x${i}`, config: {}, buildInputShape: undefined }));
    expect(archiveGroupNames(layers)).toEqual(['input_layer', 'lstm', 'dense', 'lstm_1', 'dropout', 'dense_1', 'lstm_2']);
  });
});

describe.each(MODELS.map((m) => [m]))('fixture %s', (model) => {
  it('reads the .keras archive: Keras 3 flavor, one entry per weighted layer in model order', async () => {
    const contents = await readKerasFile('test', fixture(`${model}.keras`));
    expect(contents.format).toBe('keras');
    expect(contents.flavor).toBe('keras3');
    expect(contents.kerasVersion).toMatch(/^3\./);
    expect(contents.weights.map((w) => w.layerClass)).toEqual(WEIGHTED_CLASSES[model]);
    for (const layer of contents.weights) {
      for (const array of layer.arrays) expect(array.data.length).toBe(array.shape.reduce((a, b) => a * b, 1));
    }
  });

  it('reads the legacy .h5 file to the same topology and the same weights', async () => {
    const archive = await readKerasFile('test', fixture(`${model}.keras`));
    const legacy = await readKerasFile('test', fixture(`${model}.h5`));
    expect(legacy.format).toBe('h5');
    expect(legacy.flavor).toBe('keras3');
    expect(summary(legacy.weights)).toEqual(summary(archive.weights));
    legacy.weights.forEach((layer, i) => layer.arrays.forEach((array, k) => expect(array.data).toEqual(archive.weights[i]!.arrays[k]!.data)));
  });
});

describe('weight layouts', () => {
  it('Bidirectional lists the forward layer\'s arrays, then the backward layer\'s', async () => {
    const { weights } = await readKerasFile('test', fixture('bidirectional.keras'));
    expect(summary(weights)[0]).toMatch(/^Bidirectional \S+: kernel\[3,12\] recurrent_kernel\[3,12\] bias\[12\] kernel\[3,12\] recurrent_kernel\[3,12\] bias\[12\]$/);
    // The reset-after GRU keeps Keras' [2, 3H] bias.
    expect(summary(weights)[1]).toMatch(/kernel\[6,6\] recurrent_kernel\[2,6\] bias\[2,6\]/);
  });

  it('use_bias false gives kernel and recurrent_kernel only', async () => {
    const { weights } = await readKerasFile('test', fixture('simple_rnn.keras'));
    expect(weights[1]!.arrays.map((a) => a.name)).toEqual(['kernel', 'recurrent_kernel']);
  });

  it('the layer names come from the config, in model order', async () => {
    const { weights, topology } = await readKerasFile('test', fixture('functional.keras'));
    const layers = ((topology as { config: { layers: { class_name: string; config: { name: string } }[] } }).config.layers);
    const weighted = layers.filter((l) => !['InputLayer', 'Dropout'].includes(l.class_name)).map((l) => l.config.name);
    expect(weights.map((w) => w.layerName)).toEqual(weighted);
  });
});

describe('flavor', () => {
  const metadata = (text: string) => new TextEncoder().encode(text);

  it('follows keras_version in metadata.json: 2.x is Keras 2 (its hard_sigmoid is 0.2x + 0.5)', async () => {
    expect((await readKerasFile('test', rezip('lstm.keras', { 'metadata.json': metadata('{"keras_version": "2.15.0"}') }))).flavor).toBe('keras2');
    expect((await readKerasFile('test', rezip('lstm.keras', { 'metadata.json': metadata('{"keras_version": "3.0.0"}') }))).flavor).toBe('keras3');
  });

  it('an archive without metadata.json counts as Keras 3', async () => {
    const contents = await readKerasFile('test', rezip('lstm.keras', { 'metadata.json': undefined }));
    expect([contents.flavor, contents.kerasVersion]).toEqual(['keras3', undefined]);
  });
});

describe('dtypes', () => {
  it('float64 weights are rounded to float32: the same values as the float32 file', async () => {
    const reference = await readKerasFile('test', fixture('tiny.keras'));
    const wide = await readKerasFile('test', fixture('tiny_float64.keras'));
    wide.weights.forEach((layer, i) => layer.arrays.forEach((array, k) => expect(array.data).toEqual(reference.weights[i]!.arrays[k]!.data)));
  });

  it('float16 weights load exactly (every half is a float32), within half precision of the originals', async () => {
    const reference = await readKerasFile('test', fixture('tiny.keras'));
    const half = await readKerasFile('test', fixture('tiny_float16.keras'));
    half.weights.forEach((layer, i) => layer.arrays.forEach((array, k) => {
      const original = reference.weights[i]!.arrays[k]!.data;
      array.data.forEach((v, j) => expect(Math.abs(v - original[j]!)).toBeLessThanOrEqual(2 ** -11 * Math.abs(original[j]!) + 1e-7));
    }));
  });

  it('integer weights are refused, naming the dataset and its dtype', async () => {
    const error = await refusal(fixture('tiny_int32.keras'));
    expect(error.message).toMatch(/layers\/simple_rnn\/cell\/vars\/0 has dtype "<i4"; weights load from float32, float64 or float16/);
  });
});

describe('hostile and corrupt files', () => {
  it('bytes that are neither zip nor HDF5', async () => {
    expect((await refusal(new TextEncoder().encode('{"class_name": "Sequential"}'))).message).toMatch(/not a Keras model file: expected a \.keras archive .* or a legacy \.h5 file/);
    expect((await refusal(new Uint8Array(0))).message).toMatch(/got 0 bytes/);
  });

  it('a truncated archive, at every tenth of its length', async () => {
    const bytes = fixture('tiny.keras');
    for (let i = 1; i < 10; i++) {
      const error = await refusal(bytes.subarray(0, Math.floor((bytes.length * i) / 10)));
      expect(error.message).toMatch(/zip|truncated/);
    }
  });

  it('a truncated deflated archive', async () => {
    const bytes = fixture('tiny_deflated.keras');
    expect((await readKerasFile('test', bytes)).weights).toHaveLength(2);
    await refusal(bytes.subarray(0, bytes.length - 30));
  });

  it('an archive without config.json or model.weights.h5', async () => {
    expect((await refusal(rezip('tiny.keras', { 'config.json': undefined }))).message).toMatch(/has no config\.json/);
    expect((await refusal(rezip('tiny.keras', { 'model.weights.h5': undefined }))).message).toMatch(/has no model\.weights\.h5/);
  });

  it('config.json that is not JSON, or has duplicate keys', async () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect((await refusal(rezip('tiny.keras', { 'config.json': text('{"class_name": ') }))).message).toMatch(/config\.json is not valid JSON/);
    expect((await refusal(rezip('tiny.keras', { 'config.json': text('{"a": 1, "a": 2}') }))).message).toMatch(/config\.json.*duplicate/i);
    expect((await refusal(rezip('tiny.keras', { 'config.json': new Uint8Array([0x7b, 0xff, 0x7d]) }))).message).toMatch(/config\.json is not UTF-8/);
  });

  it('model.weights.h5 that is not HDF5, truncated, or has bytes overwritten', async () => {
    const h5 = unzipSync(fixture('tiny.keras'))['model.weights.h5']!;
    expect((await refusal(rezip('tiny.keras', { 'model.weights.h5': new Uint8Array(64) }))).message).toMatch(/model\.weights\.h5 is not an HDF5 file/);
    for (const keep of [8, 100, 1000, h5.length >> 1]) await refusal(rezip('tiny.keras', { 'model.weights.h5': h5.slice(0, keep) }));
    // Overwriting the file's structure (object headers, B-trees, heaps) with 0xff: an error, never a hang.
    for (let start = 8; start < h5.length; start += 397) {
      const damaged = h5.slice();
      damaged.fill(0xff, start, start + 24);
      const result = await readKerasFile('test', rezip('tiny.keras', { 'model.weights.h5': damaged })).then(() => 'read', (e: unknown) => e);
      if (result !== 'read') expect(result).toBeInstanceOf(ModelFileError);
    }
  });

  /** The archive with the unpacked size of each central-directory entry ("PK\x01\x02", size at +24) rewritten. */
  function forgeSizes(bytes: Uint8Array, size: (declared: number, name: string) => number): Uint8Array {
    const forged = bytes.slice();
    const view = new DataView(forged.buffer);
    for (let at = 0; at + 46 <= forged.length; at++) {
      if (view.getUint32(at, true) !== 0x02014b50) continue;
      const name = new TextDecoder().decode(forged.subarray(at + 46, at + 46 + view.getUint16(at + 28, true)));
      view.setUint32(at + 24, size(view.getUint32(at + 24, true), name), true);
    }
    return forged;
  }

  it('a zip entry declaring more unpacked bytes than the cap or than deflate can produce (zip bomb)', async () => {
    const bytes = rezip('tiny.keras', {}, 6);
    const weights = (claim: number) => forgeSizes(bytes, (declared, name) => (name === 'model.weights.h5' ? claim : declared));
    expect((await refusal(weights(0xfffffffe))).message).toMatch(/model\.weights\.h5 declares 4294967294 bytes unpacked, over the cap of 1073741824 bytes/);
    expect((await refusal(weights(50_000_000))).message).toMatch(/model\.weights\.h5 declares 50000000 bytes unpacked from \d+ packed bytes, more than deflate can produce/);
  });

  it('an entry whose unpacked size differs from what the archive declares', async () => {
    const forged = forgeSizes(rezip('tiny.keras', {}, 0), (declared) => declared - 1);
    expect((await refusal(forged)).message).toMatch(/unpacks to \d+ bytes, but the archive declares \d+/);
  });

  it('non-finite weights, naming the dataset and element', async () => {
    const h5 = unzipSync(fixture('tiny.keras'))['model.weights.h5']!.slice();
    const { weights } = await readKerasFile('test', fixture('tiny.keras'));
    const bias = new Uint8Array(weights[1]!.arrays[1]!.data.buffer.slice(0)); // the Dense bias, one float32
    const at = h5.findIndex((_, i) => bias.every((byte, k) => h5[i + k] === byte));
    expect(at).toBeGreaterThan(0);
    new DataView(h5.buffer).setFloat32(at, Number.NaN, true);
    expect((await refusal(rezip('tiny.keras', { 'model.weights.h5': h5 }))).message).toMatch(/layers\/dense\/vars\/1 element 0 is NaN; weights must be finite/);
  });

  it('weights for layers the config does not have', async () => {
    const config = JSON.parse(new TextDecoder().decode(unzipSync(fixture('tiny.keras'))['config.json']!));
    config.config.layers.pop(); // drop the Dense layer; its group layers/dense stays
    const error = await refusal(rezip('tiny.keras', { 'config.json': new TextEncoder().encode(JSON.stringify(config)) }));
    expect(error.message).toMatch(/holds groups for layers the config does not have: layers\/dense/);
  });

  it('a legacy .h5 file without model_config (weights only)', async () => {
    expect((await refusal(unzipSync(fixture('tiny.keras'))['model.weights.h5']!)).message).toMatch(/no model_config attribute: it holds weights only/);
  });

  it('an archive group that belongs to another layer than the config says', async () => {
    const config = JSON.parse(new TextDecoder().decode(unzipSync(fixture('tiny.keras'))['config.json']!));
    config.config.layers.splice(1, 0, { ...config.config.layers[2], config: { ...config.config.layers[2].config, name: 'extra_dense' } });
    const error = await refusal(rezip('tiny.keras', { 'config.json': new TextEncoder().encode(JSON.stringify(config)) }));
    expect(error.message).toMatch(/group layers\/dense holds the weights of layer '\w+', but the config's layer \d of class Dense is 'extra_dense'/);
  });
});
