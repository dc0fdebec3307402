import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Tensor, init, loadKerasModel } from '../../src/index.js';
import type { BackendName } from '../../src/kernels/runtime.js';
import { expectClose, type Tolerance } from '../helpers/close.js';

/*
 * Keras' own models (test/fixtures/keras/, made and predicted by Keras 3.15 through
 * scripts/fixtures/make_keras_fixtures.py), loaded with loadKerasModel from both file formats,
 * must predict Keras' outputs. loadKerasModel builds on the global backend, which is chosen once
 * per process, so each backend runs this suite from its own test file.
 */

export const MODELS = ['simple_rnn', 'lstm', 'gru', 'bidirectional', 'embedding_mask', 'masking', 'functional', 'tiny', 'zero_output', 'masked_bidirectional'] as const;
const FORMATS = ['keras', 'h5'] as const;

/** Keras computes in float32 too; outputs are O(1). Measured max |Δ| 1.2e-7 (wasm), 6e-8 (js): docs/INTEROP.md. */
const KERAS_TOLERANCE: Tolerance = { abs: 1e-6, rel: 0 };

export const fixturePath = (file: string) => new URL(`../fixtures/keras/${file}`, import.meta.url);
export const fixture = (file: string) => new Uint8Array(readFileSync(fixturePath(file)));

export interface Reference {
  input: { shape: number[]; data: number[] };
  output: { shape: number[]; data: number[] };
}
export const reference = (model: string): Reference => JSON.parse(readFileSync(fixturePath(`${model}.json`), 'utf8')) as Reference;
export const inputOf = (ref: Reference) => new Tensor(Float32Array.from(ref.input.data), ref.input.shape);

export function kerasFixtureSuite(backend: BackendName): void {
  describe(`Keras fixtures on ${backend}`, () => {
    beforeAll(async () => {
      await init({ backend });
    });

    describe.each(MODELS.flatMap((m) => FORMATS.map((f) => [m, f] as const)))('%s.%s', (model, format) => {
      it('predicts what Keras predicted', async () => {
        const loaded = await loadKerasModel(fixture(`${model}.${format}`));
        try {
          const ref = reference(model);
          const y = loaded.predict(inputOf(ref));
          expect(y.shape).toEqual(ref.output.shape);
          expectClose(y.data, ref.output.data, KERAS_TOLERANCE, `${model}.${format} on ${backend}`);
        } finally {
          loaded.dispose();
        }
      });
    });

    it('float64 and float16 weights load (converted to float32)', async () => {
      const ref = reference('tiny');
      for (const file of ['tiny_float64.keras', 'tiny_deflated.keras']) {
        const model = await loadKerasModel(fixture(file));
        expectClose(model.predict(inputOf(ref)).data, ref.output.data, KERAS_TOLERANCE, file);
        model.dispose();
      }
      const half = await loadKerasModel(fixture('tiny_float16.keras'));
      expectClose(half.predict(inputOf(ref)).data, ref.output.data, { abs: 5e-3, rel: 0 }, 'tiny_float16.keras (weights rounded to half precision)');
      half.dispose();
    });
  });
}
