import { describe, expect, it } from 'vitest';
import { layers } from '../../src/model/layer-specs.js';
import { sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { randomSequences } from '../model/helpers.js';
import { collector } from './collector.js';

/*
 * No leaks in training: 10,000 steps of fit (1,000 epochs of 10 batches, with shuffling, dropout
 * and validation) on a small LSTM leave the arena exactly as after a warm-up fit, the heap (Wasm
 * memory or ArrayBuffer) no larger, and the JS heap after a full GC within a fixed bound.
 * TRAINING_STEPS (a multiple of 10) sets the count; `npm run test:long` runs more.
 */

const STEPS = Number(process.env.TRAINING_STEPS ?? 10_000);
const BATCHES_PER_EPOCH = 10;
/**
 * JS heap growth allowed over the run after a full GC. What fit keeps is its history (one number
 * per epoch and log, ~16 KB here), dropped before measuring; a leak of 200 bytes per step breaks it.
 */
const HEAP_BOUND_BYTES = 2 * 1024 * 1024;

describe.each(BACKENDS)('training steps on %s', (backend) => {
  it(`${STEPS} steps keep the arena, the heap and the JS heap flat`, async () => {
    const gc = collector();
    const runtime = createRuntime(backend);
    const target = (s: number[][]) => [s[5]![0]! - s[0]![2]!];
    const x = randomSequences(new Random(4), 4 * BATCHES_PER_EPOCH, 6, 3);
    const validation = randomSequences(new Random(5), 8, 6, 3);
    const model = sequential([layers.lstm({ units: 8, inputShape: [6, 3], dropout: 0.1 }), layers.dense({ units: 1 })], { seed: 1, runtime });
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError', metrics: ['mae'] });
    const fit = (epochs: number) =>
      model.fit(x, x.map(target), { epochs, batchSize: 4, validationData: [validation, validation.map(target)], seed: epochs, verbose: 0 }).then((h) => h.epoch.length);

    await fit(2);
    const baseline = runtime.arena.stats();
    const heapBytes = runtime.arena.storage.byteLength;
    gc();
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    expect(await fit(STEPS / BATCHES_PER_EPOCH)).toBe(STEPS / BATCHES_PER_EPOCH);
    const seconds = (performance.now() - started) / 1000;
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    const stats = runtime.arena.stats();
    console.log(
      `training leaks (${backend}): ${STEPS} steps in ${seconds.toFixed(1)} s (${((seconds * 1e6) / STEPS).toFixed(0)} µs/step); ` +
        `arena ${stats.usedBytes} B / ${stats.liveRegions} regions (after warm-up ${baseline.usedBytes} B / ${baseline.liveRegions}); ` +
        `heap ${runtime.arena.storage.byteLength} B (after warm-up ${heapBytes} B); JS heap growth ${(growth / 1024).toFixed(0)} KiB`,
    );
    expect(model.optimizer!.getState().iterations).toBe(STEPS + 2 * BATCHES_PER_EPOCH);
    expect(stats).toEqual(baseline);
    expect(runtime.arena.storage.byteLength).toBe(heapBytes);
    expect(growth).toBeLessThan(HEAP_BOUND_BYTES);
    model.dispose();
  });
});
