import { describe, expect, it } from 'vitest';
import { run } from '../../examples/digits.js';

describe('examples/digits (short run)', () => {
  it('reads 8×8 digits row by row and classifies held-out images with accuracy ≥ 0.85 (chance: 0.1)', async () => {
    const result = await run({ images: 600, units: 32, epochs: 10, quiet: true });
    console.log(`digits: test accuracy ${result.testAccuracy.toFixed(4)} of ${result.testCount}`);
    expect(result.testCount).toBe(120);
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0.85);
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(120);
  });
});
