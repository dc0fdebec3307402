// loadTfjsModel in the built bundle, in headless Chromium: tfjs builds and saves models here in
// Node (model.json + weight shards, as `model.save` writes them), the static server serves them,
// and a page loads each by URL (absolute, and relative to the page) and predicts what the same
// loader predicts in Node and what tfjs predicts. Needs `npm run build` first (`npm test` does it).
import * as tf from '@tensorflow/tfjs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTfjsModel } from '../../src/interop/tfjs-load.js';
import { tensor } from '../../src/tensor.js';
import { expectClose } from '../helpers/close.js';
import { CASES, saveToMemory, seedWeights, tfjsPredict, type Saved } from '../interop/tfjs-models.js';
import { launchChromium, recordErrors } from './chromium.js';
import { startStaticServer, type StaticServer } from './static-server.js';

/** Cases that together cover every recurrent class, Bidirectional, Masking and an Embedding with padded ids. */
const LABELS = [
  'LSTM (tfjs default hardSigmoid), Dense softmax',
  'Masking (maskValue -1) → Bidirectional GRU',
  'Embedding maskZero (padded ids) → LSTM → Dense',
  'goBackwards LSTM returnSequences, goBackwards GRU, SimpleRNN',
];

/**
 * Chromium has relaxed SIMD, so its kernels fuse multiply-adds that Node 20's plain SIMD rounds
 * twice (src/kernels/detect.ts): measured max |Δ| 1.5e-8 between the page and Node. tfjs' cpu
 * backend sums in yet another order.
 */
const SAME_LOADER = { abs: 1e-6, rel: 0 };
const TFJS_TOLERANCE = { abs: 1e-6, rel: 1e-5 };

interface Served {
  label: string;
  input: { values: number[]; shape: number[] };
  node: Float32Array;
  tfjs: Float32Array;
}

/** The saved model as model.json + two weight shards (split mid-weight: shards are plain byte ranges). */
function shardsOf(saved: Saved): { modelJson: string; paths: string[]; shards: Uint8Array[] } {
  const bytes = new Uint8Array(saved.weights);
  const cut = Math.floor(bytes.byteLength / 2) + 1;
  const paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
  const modelJson = JSON.stringify({ ...saved.modelJson, weightsManifest: [{ paths, weights: saved.modelJson.weightsManifest[0]!.weights }] });
  return { modelJson, paths, shards: [bytes.slice(0, cut), bytes.slice(cut)] };
}

describe('loadTfjsModel in headless Chromium', () => {
  let server: StaticServer;
  let browser: Browser;
  const served: Served[] = [];
  let firstTopology: object = {};

  beforeAll(async () => {
    await tf.setBackend('cpu');
    [server, browser] = await Promise.all([startStaticServer(), launchChromium()]);
    for (const [i, label] of LABELS.entries()) {
      const index = CASES.findIndex((c) => c.label === label);
      expect(index, label).toBeGreaterThanOrEqual(0);
      const c = CASES[index]!;
      const reference = c.build();
      seedWeights(reference, 500 + index);
      const input = c.input();
      const saved = await saveToMemory(reference);
      if (i === 0) firstTopology = saved.modelJson.modelTopology;
      const { modelJson, paths, shards } = shardsOf(saved);
      server.put(`/tfjs/${i}/model.json`, modelJson);
      shards.forEach((shard, s) => server.put(`/tfjs/${i}/${paths[s]}`, shard));
      const model = await loadTfjsModel({ modelJson, weights: shards });
      served.push({ label, input: { values: Array.from(input.values), shape: input.shape }, node: model.predict(tensor(input.values, input.shape)).data, tfjs: tfjsPredict(reference, input) });
      model.dispose();
      reference.dispose();
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads model.json and its shards by URL and predicts what Node and tfjs predict', async () => {
    const page = await browser.newPage();
    const errors = recordErrors(page);
    await page.goto(`${server.origin}/`);
    const outputs = (await page.evaluate(`(async () => {
      const lib = await import('/dist/index.js');
      const out = [];
      for (const [i, input] of ${JSON.stringify(served.map((s) => s.input))}.entries()) {
        // The first by an absolute URL string, the others by a URL object and a page-relative path.
        const source = i === 0 ? location.origin + '/tfjs/0/model.json' : i === 1 ? new URL('/tfjs/1/model.json', location.href) : 'tfjs/' + i + '/model.json';
        const model = await lib.loadTfjsModel(source);
        out.push(Array.from(model.predict(new lib.Tensor(Float32Array.from(input.values), input.shape)).data));
        model.dispose();
      }
      return out;
    })()`)) as number[][];
    served.forEach((s, i) => {
      expectClose(outputs[i]!, s.node, SAME_LOADER, `${s.label}: Chromium vs Node`);
      expectClose(outputs[i]!, s.tfjs, TFJS_TOLERANCE, `${s.label}: Chromium vs tfjs`);
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a missing shard gives a ModelFileError naming the URL and the HTTP status', async () => {
    server.put('/tfjs/broken/model.json', JSON.stringify({ format: 'layers-model', modelTopology: firstTopology, weightsManifest: [{ paths: ['absent.bin'], weights: [] }] }));
    const page = await browser.newPage();
    await page.goto(`${server.origin}/`);
    const failure = (await page.evaluate("import('/dist/index.js').then((lib) => lib.loadTfjsModel('/tfjs/broken/model.json').then(() => null, (error) => [error.name, error.message]))")) as [string, string] | null;
    expect(failure?.[0]).toBe('ModelFileError');
    expect(failure?.[1]).toMatch(/loadTfjsModel: fetching http:\/\/127\.0\.0\.1:\d+\/tfjs\/broken\/absent\.bin gave HTTP 404/);
    await page.close();
  });
});
