import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError, Sequential, Tensor, ValueError, loadKerasModel, loadModel } from '../../src/index.js';
import { expectClose } from '../helpers/close.js';
import { fixture, fixturePath, inputOf, kerasFixtureSuite, reference } from './keras-file-suite.js';

/* loadKerasModel on the Wasm backend (keras-file-models-js.test.ts: the same on the TS backend). */

kerasFixtureSuite('wasm');

describe('a loaded model is an ordinary model', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wasm-rnn-keras-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fits, evaluates, saves and loads back with the same predictions', async () => {
    const ref = reference('lstm');
    const model = await loadKerasModel(fixturePath('lstm.keras').pathname);
    const x = inputOf(ref);
    const y = new Tensor(Float32Array.from({ length: ref.output.data.length }, (_, i) => (i % 2 === 0 ? 1 : 0)), ref.output.shape);
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam' });
    const before = model.evaluate(x, y).loss!;
    const history = await model.fit(x, y, { epochs: 5, batchSize: 3, verbose: 0 });
    expect(history.history.loss).toHaveLength(5);
    const after = model.evaluate(x, y).loss!;
    expect(after).toBeLessThan(before);
    const trained = model.predict(x).data;
    const path = join(dir, 'lstm-model');
    await model.save(path);
    const reloaded = await loadModel(path);
    expect(reloaded).toBeInstanceOf(Sequential);
    expectClose((reloaded as Sequential).predict(x).data, trained, { abs: 0, rel: 0 }, 'reloaded');
    model.dispose();
    reloaded.dispose();
  });

  it('refuses the tfjs export where zero_output_for_mask zeros reach the output (tfjs carries the state there)', async () => {
    const model = await loadKerasModel(fixture('zero_output.keras'));
    try {
      await expect(model.toTfjs()).rejects.toThrow(/layer 1 '\w+' \(LSTM\) has zeroOutputForMask: true .*rebuild the layer with zeroOutputForMask: false/);
    } finally {
      model.dispose();
    }
  });

  it('takes an ArrayBuffer, a Buffer, a path string or a file URL', async () => {
    const bytes = fixture('tiny.keras');
    const sources = [bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), readFileSync(fixturePath('tiny.h5')), fixturePath('tiny.keras').pathname, fixturePath('tiny.h5')];
    for (const source of sources) (await loadKerasModel(source as never)).dispose();
  });
});

describe('refusals', () => {
  const refusal = async (source: unknown) => loadKerasModel(source as never).then(() => undefined, (e: unknown) => e as Error);

  it('weights whose shapes or counts do not match the config', async () => {
    const shape = await refusal(fixture('tiny_wrong_shape.keras'));
    expect(shape).toBeInstanceOf(ModelFileError);
    expect(shape!.message).toMatch(/'simple_rnn_\d+' \(SimpleRNN\): weight 0 \("kernel"\) should be kernel \[3, 2\].*got shape \[2, 3\]/);
    const missing = await refusal(fixture('tiny_missing_var.keras'));
    expect(missing!.message).toMatch(/\(Dense\) needs 2 weight arrays \(kernel \[2, 1\], bias \[1\]\), got 1/);
    const extra = await refusal(fixture('tiny_extra_var.keras'));
    expect(extra!.message).toMatch(/\(Dense\) needs 2 weight arrays .*got 3/);
  });

  it('a source that is not bytes or a path; a missing file', async () => {
    const wrong = await refusal(42);
    expect(wrong).toBeInstanceOf(ValueError);
    expect(wrong!.message).toMatch(/source must be the file's bytes \(Uint8Array or ArrayBuffer\) or, in Node, a file path; got 42/);
    const missing = await refusal('/nonexistent/model.keras');
    expect(missing).toBeInstanceOf(ValueError);
    expect(missing!.message).toMatch(/loadKerasModel\(\/nonexistent\/model\.keras\): cannot read the file/);
  });
});
