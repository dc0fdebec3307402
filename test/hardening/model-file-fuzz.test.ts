import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../../src/io/model-file-error.js';
import { modelFromJSON } from '../../src/io/save-load.js';
import { createWasmRuntime } from '../../src/kernels/runtime.js';
import { layers } from '../../src/model/layer-specs.js';
import { sequential } from '../../src/model/sequential.js';
import { hostileFiles, type HostileFile } from './model-file-mutations.js';

/*
 * Thousands of damaged and hostile model documents: each one loads or is
 * refused with a ModelFileError, never another exception; each load is quick; no prototype is
 * polluted; refused loads leave the arena as it was. FUZZ_RUNS (default 10,000) and FUZZ_SEED
 * set the run; `npm run test:long` runs more.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
/** A hang detector: loads of this ~2 KB document take under 50 ms alone, up to ~150 ms beside other test files on 2 cores. */
const MAX_LOAD_MS = 500;

async function tinyModelText(): Promise<string> {
  const model = sequential([layers.gru({ units: 2, inputShape: [null, 1] }), layers.dense({ units: 1 })], { seed: 1 });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  await model.fit([[[1], [2]]], [[1]], { verbose: 0, seed: 1 });
  const text = JSON.stringify(model.toJSON({ includeOptimizer: true }));
  model.dispose();
  return text;
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype];
const ownKeys = () => PROTOTYPES.map((p) => Reflect.ownKeys(p).map(String).sort().join(','));

describe('model file fuzz', () => {
  it(`${RUNS} hostile files: load or ModelFileError, fast, no pollution, no arena growth`, async () => {
    const text = await tinyModelText();
    const runtime = createWasmRuntime();
    const baseline = runtime.arena.stats();
    const keysBefore = ownKeys();
    const counts: Record<string, { loaded: number; refused: number }> = {};
    let maxMs = 0;
    let slowest = '';
    const started = performance.now();

    fc.assert(
      fc.property(hostileFiles(text), (file: HostileFile) => {
        const t0 = performance.now();
        let loaded = false;
        try {
          const model = modelFromJSON(file.input, { runtime });
          // Not predicted on: a still-valid file may fix timeSteps to any size up to 2^24.
          expect(model.kind).toBe('sequential');
          model.dispose();
          loaded = true;
        } catch (error) {
          if (!(error instanceof ModelFileError)) throw new Error(`${file.kind}: ${String(error)}`, { cause: error });
          if (file.kind === 'duplicate key') expect(error.message).toMatch(/is not valid JSON: duplicate key "[^"]*" at character \d+$/);
        }
        const ms = performance.now() - t0;
        if (ms > maxMs) [maxMs, slowest] = [ms, file.kind];
        const tally = (counts[file.kind] ??= { loaded: 0, refused: 0 });
        tally[loaded ? 'loaded' : 'refused']++;
        expect(ms, `${file.kind} took ${ms} ms`).toBeLessThan(MAX_LOAD_MS);
        expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
        expect(ownKeys()).toEqual(keysBefore);
        const stats = runtime.arena.stats();
        expect([stats.usedBytes, stats.liveRegions]).toEqual([baseline.usedBytes, baseline.liveRegions]);
      }),
      { numRuns: RUNS, seed: SEED },
    );

    const seconds = (performance.now() - started) / 1000;
    console.log(`model-file fuzz: ${RUNS} files in ${seconds.toFixed(1)} s, slowest load ${maxMs.toFixed(1)} ms (${slowest})`, counts);
    // Every kind of damage was drawn, and most of it was refused; JSON.parse would load every
    // exact duplicate (the last one wins), the strict reader refuses them all.
    expect(Object.keys(counts).length).toBeGreaterThanOrEqual(10);
    expect(counts['duplicate key']!.refused).toBeGreaterThan(0);
    expect(counts['duplicate key']!.loaded).toBe(0);
  });
});
