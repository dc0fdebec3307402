import { describe, expect, it } from 'vitest';
import { MemoryError, ValueError } from '../../src/errors.js';
import { instantiateKernels } from '../../src/kernels/wasm/instantiate.js';
import { createJsRuntime, type Runtime } from '../../src/kernels/runtime.js';
import { Arena } from '../../src/memory/arena.js';
import { ArrayStorage, WasmStorage } from '../../src/memory/storage.js';
import { ArenaDataset } from '../../src/model/batches.js';
import { layers } from '../../src/model/layer-specs.js';
import { sequential, type Sequential } from '../../src/model/sequential.js';
import { Random } from '../../src/random.js';
import { BACKENDS, createRuntime } from '../helpers/runtimes.js';
import { randomSequences } from '../model/helpers.js';

/*
 * Memory the heap cannot have: a request past the 4 GiB limit is refused before anything is
 * allocated, and a growth the engine refuses (a Wasm memory with a small maximum; for the TS
 * heap, an ArrayBuffer allocation failing) becomes a MemoryError. Either way the arena is left as
 * it was and the models already built keep training and predicting as if nothing happened.
 */

const PAGE = 65536;

/** A Wasm runtime whose memory the engine will not grow past `maxPages` pages. */
function cappedWasmRuntime(maxPages: number): Runtime {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: maxPages });
  const exports = instantiateKernels(memory);
  return { name: 'wasm', kernels: exports, arena: new Arena(new WasmStorage(memory), exports.heapBase()) };
}

/** A TS runtime whose ArrayBuffer allocations above `maxBytes` fail as the engine's do (RangeError). */
function cappedJsRuntime(maxBytes: number): Runtime {
  const runtime = createJsRuntime();
  const storage = runtime.arena.storage as ArrayStorage;
  const allocate = (storage as unknown as { allocate(elements: number): Float32Array }).allocate.bind(storage);
  Object.defineProperty(storage, 'allocate', {
    value: (elements: number) => {
      if (elements * 4 > maxBytes) throw new RangeError('Array buffer allocation failed');
      return allocate(elements);
    },
  });
  return runtime;
}

const CAP_BYTES = 128 * PAGE;
const capped = (backend: string) => (backend === 'wasm' ? cappedWasmRuntime(CAP_BYTES / PAGE) : cappedJsRuntime(CAP_BYTES));

const x = randomSequences(new Random(2), 400, 50, 3);
const y = x.map((s) => [s[49]![0]!]);

function small(runtime: Runtime, seed: number): Sequential {
  const m = sequential([layers.gru({ units: 4, inputShape: [50, 3] }), layers.dense({ units: 1 })], { seed, runtime });
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return m;
}

describe.each(BACKENDS)('memory limits on %s', (backend) => {
  it('a region past the 4 GiB heap limit is a MemoryError before any allocation', () => {
    const runtime = createRuntime(backend);
    const before = runtime.arena.stats();
    const bytes = runtime.arena.storage.byteLength;
    const error = (() => {
      try {
        runtime.arena.alloc(2 ** 30);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MemoryError);
    expect((error as Error).message).toMatch(/Arena\.alloc: a region of 4294967296 bytes does not fit: .* past its limit of 4294967296 bytes \(4 GiB\)/);
    expect(runtime.arena.stats()).toEqual(before);
    expect(runtime.arena.storage.byteLength).toBe(bytes);
  });

  it('a growth the engine refuses is a MemoryError, and the models keep training and predicting exactly', async () => {
    const runtime = capped(backend);
    const reference = small(createRuntime(backend), 1);
    const survivor = small(runtime, 1);
    const fit = (m: Sequential) => m.fit(x.slice(0, 16), y.slice(0, 16), { epochs: 1, batchSize: 8, seed: 3, verbose: 0 });
    await fit(reference);
    await fit(survivor);

    // LSTM(64) caches of a batch of 400 × 50 steps take ~20 MB: more than the engine gives.
    const stats = runtime.arena.stats();
    const greedy = sequential([layers.lstm({ units: 64, inputShape: [50, 3] }), layers.dense({ units: 1 })], { seed: 2, runtime });
    greedy.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const error = await greedy.fit(x, y, { batchSize: 400, verbose: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MemoryError);
    expect((error as Error).message).toMatch(/the JavaScript engine refused to grow the heap from \d+ to \d+ bytes .*nothing was allocated/);
    expect(runtime.arena.storage.byteLength).toBeLessThanOrEqual(CAP_BYTES);

    await fit(reference);
    await fit(survivor);
    expect(Array.from(survivor.predict(x.slice(0, 8)).data)).toEqual(Array.from(reference.predict(x.slice(0, 8)).data));
    // The refused model itself trains with a batch that fits.
    await greedy.fit(x.slice(0, 8), y.slice(0, 8), { batchSize: 8, verbose: 0 });
    greedy.dispose();
    // Nothing of the refused fit stays allocated.
    const after = runtime.arena.stats();
    expect([after.usedBytes, after.liveRegions]).toEqual([stats.usedBytes, stats.liveRegions]);
    for (const m of [reference, survivor]) m.dispose();
  });

  it('a data set whose targets do not fit leaves nothing allocated (its inputs and mask are returned)', () => {
    const runtime = capped(backend);
    const before = runtime.arena.stats();
    const count = 4;
    const steps = 8;
    const arrays = {
      count, steps, width: 2, sequence: true, x: new Float32Array(count * steps * 2), mask: new Float32Array(count * steps).fill(1), dataMask: null,
      lengths: null, y: new Float32Array(CAP_BYTES / 4 + 1), targetWidth: 1, sequenceTargets: false,
    };
    expect(() => new ArenaDataset(runtime, arrays)).toThrow(MemoryError);
    const after = runtime.arena.stats();
    expect([after.usedBytes, after.liveRegions]).toEqual([before.usedBytes, before.liveRegions]);
    // The arena still serves a data set that fits.
    const fits = new ArenaDataset(runtime, { ...arrays, y: new Float32Array(count) });
    fits.release();
    expect(runtime.arena.stats().liveRegions).toBe(before.liveRegions);
  });

  it('sizes past the limits are ValueErrors naming the option, the limit and the value, before any allocation', () => {
    const runtime = createRuntime(backend);
    const before = runtime.arena.stats();
    const cases: [() => unknown, RegExp][] = [
      [() => layers.lstm({ units: 4, inputShape: [1e308, 1] }), /layers\.lstm: inputShape\[0\] must be at most 16777216 \(2\^24\), got 1e\+308/],
      [() => layers.lstm({ units: 1e9, inputShape: [3, 1] }), /layers\.lstm: units must be at most 16777216 \(2\^24\), got 1000000000/],
      [() => layers.embedding({ inputDim: 2 ** 40, outputDim: 4 }), /layers\.embedding: inputDim must be at most 16777216 \(2\^24\), got 1099511627776/],
      [() => sequential([layers.dense({ units: 1e6, inputShape: [1e6] })], { runtime }), /layer 0 \(dense\) would hold 1000001000000 parameters \(8000008000000 bytes with their gradients\), over the heap limit of 4294967296 bytes \(4 GiB\)/],
    ];
    for (const [trigger, message] of cases) {
      expect(trigger).toThrow(ValueError);
      expect(trigger).toThrow(message);
    }
    expect(runtime.arena.stats()).toEqual(before);
  });
});
