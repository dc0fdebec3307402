import { describe, expect, it } from 'vitest';
import { Arena } from '../../src/memory/arena.js';
import { ArrayStorage, WasmStorage } from '../../src/memory/storage.js';

const storages = {
  wasm: () => new WasmStorage(new WebAssembly.Memory({ initial: 1 })),
  js: () => new ArrayStorage(65536),
  'js float64': () => new ArrayStorage(65536, true),
};

describe.each(Object.entries(storages))('Arena over %s storage', (_name, makeStorage) => {
  it('hands out zeroed, 16-byte aligned, non-overlapping regions above its base', () => {
    const arena = new Arena(makeStorage(), 100);
    const a = arena.alloc(5);
    const b = arena.alloc(3);
    expect(a.offset % 16).toBe(0);
    expect(a.offset).toBeGreaterThanOrEqual(100);
    expect(b.offset).toBeGreaterThanOrEqual(a.offset + 5 * 4);
    expect(Array.from(a.view())).toEqual([0, 0, 0, 0, 0]);
    a.view().fill(7);
    expect(Array.from(b.view())).toEqual([0, 0, 0]);
  });

  it('keeps handles valid and contents intact when the heap grows in the middle of use', () => {
    const storage = makeStorage();
    const arena = new Arena(storage, 16);
    const early = arena.alloc(1000);
    early.view().forEach((_, i, view) => (view[i] = i));
    const before = early.view();
    const generation = storage.generation;
    const big = arena.alloc(200_000); // far beyond the initial 64 KiB
    expect(storage.generation).toBeGreaterThan(generation);
    expect(storage.byteLength).toBeGreaterThanOrEqual(big.offset + 200_000 * 4);
    const after = early.view();
    expect(after === before).toBe(false); // a stale view (detached for Wasm memory) is never handed out
    expect(after[999]).toBe(999);
    expect(after[0]).toBe(0);
    big.view()[199_999] = 5;
    expect(big.view()[199_999]).toBe(5);
  });

  it('reuses released regions and coalesces neighbours', () => {
    const arena = new Arena(makeStorage(), 16);
    const a = arena.alloc(100);
    const b = arena.alloc(100);
    const c = arena.alloc(100);
    arena.release(a);
    arena.release(b);
    const merged = arena.alloc(200);
    expect(merged.offset).toBe(a.offset);
    expect(arena.stats().liveRegions).toBe(2);
    arena.release(c);
    arena.release(merged);
    expect(arena.stats()).toMatchObject({ usedBytes: 0, liveRegions: 0 });
  });

  it('re-zeroes a reused region and refuses a released handle', () => {
    const arena = new Arena(makeStorage(), 16);
    const a = arena.alloc(8);
    a.view().fill(3);
    arena.release(a);
    expect(() => a.view()).toThrow(/freed/);
    expect(() => arena.release(a)).toThrow(/already released/);
    const again = arena.alloc(8);
    expect(Array.from(again.view())).toEqual(new Array(8).fill(0));
  });

  it('rejects a bad length', () => {
    const arena = new Arena(makeStorage(), 16);
    expect(() => arena.alloc(-1)).toThrow(/non-negative integer, got -1/);
    expect(() => arena.alloc(1.5)).toThrow(/non-negative integer/);
  });
});
