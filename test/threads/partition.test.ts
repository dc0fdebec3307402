import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLUMN_ALIGN, partition, ROW_ALIGN } from '../../src/kernels/threads/partition.js';

describe('partition', () => {
  it('covers every output element exactly once, with aligned starts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 8 }), fc.boolean(), (m, n, parts, rowsOnly) => {
        const slices = partition(m, n, parts, rowsOnly);
        expect(slices.length).toBeLessThanOrEqual(parts);
        const owners = new Int32Array(m * n);
        for (const s of slices) {
          expect(s.row % ROW_ALIGN).toBe(0);
          expect(s.column % COLUMN_ALIGN).toBe(0);
          if (rowsOnly) expect([s.column, s.columns]).toEqual([0, n]);
          for (let i = s.row; i < s.row + s.rows; i++) for (let j = s.column; j < s.column + s.columns; j++) owners[i * n + j]!++;
        }
        // Every element has exactly one owner (none missed, none computed twice).
        expect(owners.every((count) => count === 1)).toBe(true);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('cuts the longer side (each thread packs the whole other operand), rows only for pre-packed B', () => {
    const shape = (slices: ReturnType<typeof partition>) => slices.map((s) => [s.row, s.rows, s.column, s.columns]);
    expect(shape(partition(2048, 512, 2))).toEqual([[0, 1024, 0, 512], [1024, 1024, 0, 512]]);
    expect(shape(partition(64, 2048, 2))).toEqual([[0, 64, 0, 1024], [0, 64, 1024, 1024]]);
    expect(shape(partition(1, 2048, 2))).toEqual([[0, 1, 0, 1024], [0, 1, 1024, 1024]]);
    expect(shape(partition(64, 2048, 2, true))).toEqual([[0, 32, 0, 2048], [32, 32, 0, 2048]]);
    expect(partition(1, 2048, 2, true)).toHaveLength(1);
    expect(partition(8, 8, 2)).toHaveLength(1);
  });
});
