import { describe, expect, it } from 'vitest';
import { layers } from '../../src/model/layer-specs.js';
import { sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { randomSequences } from '../model/helpers.js';
import { collector } from './collector.js';

/*
 * No leaks: 1,000 create → compile → train one step → predict → dispose cycles leave the arena
 * exactly as after the first cycle, the Wasm memory no larger, and the JS heap (after a full GC)
 * within a fixed bound.
 */

const CYCLES = 1_000;
/** JS heap growth allowed over 1,000 cycles after a full GC (a leak of one model per cycle is far more). */
const HEAP_BOUND_BYTES = 4 * 1024 * 1024;

describe.each(BACKENDS)('create/train/dispose cycles on %s', (backend) => {
  it(`${CYCLES} cycles return the arena to its baseline and keep the heap bounded`, async () => {
    const gc = collector();
    const runtime = createRuntime(backend);
    const x = randomSequences(new Random(3), 8, 5, 3);
    const y = x.map((s) => [s[0]![0]!]);
    const cycle = async (seed: number) => {
      const model = sequential([layers.lstm({ units: 8, inputShape: [5, 3] }), layers.dense({ units: 1 })], { seed, runtime });
      model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
      await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, seed });
      model.predict(x);
      model.dispose();
    };

    await cycle(0);
    const baseline = runtime.arena.stats();
    const memoryAfterFirst = runtime.arena.storage.byteLength;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    for (let i = 1; i <= CYCLES; i++) await cycle(i);
    const ms = performance.now() - started;
    gc();
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    const stats = runtime.arena.stats();
    console.log(
      `leaks (${backend}): ${CYCLES} cycles in ${(ms / 1000).toFixed(1)} s; arena used ${stats.usedBytes} B / ${stats.liveRegions} regions ` +
        `(baseline ${baseline.usedBytes} B / ${baseline.liveRegions}); memory ${runtime.arena.storage.byteLength} B (after first cycle ${memoryAfterFirst} B); ` +
        `heap growth ${(heapGrowth / 1024).toFixed(0)} KiB`,
    );
    expect(stats.usedBytes).toBe(baseline.usedBytes);
    expect(stats.liveRegions).toBe(baseline.liveRegions);
    expect(runtime.arena.storage.byteLength).toBe(memoryAfterFirst);
    expect(heapGrowth).toBeLessThan(HEAP_BOUND_BYTES);
  });
});
