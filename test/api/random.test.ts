import { describe, expect, it } from 'vitest';
import { Random } from '../../src/random.js';

describe('Random', () => {
  it('repeats for a seed and differs across seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('draws uniforms in range with the right mean, and normals with mean 0 and variance 1', () => {
    const r = new Random(7);
    let sum = 0;
    let sumNormal = 0;
    let sumSquares = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = r.uniform(-2, 2);
      expect(u).toBeGreaterThanOrEqual(-2);
      expect(u).toBeLessThan(2);
      sum += u;
      const z = r.normal();
      sumNormal += z;
      sumSquares += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(sumNormal / n)).toBeLessThan(0.02);
    expect(Math.abs(sumSquares / n - 1)).toBeLessThan(0.02);
  });

  it('restores its exact state', () => {
    const r = new Random(3);
    r.normal();
    const state = r.getState();
    const expected = [r.next(), r.normal(), r.int(10)];
    const again = new Random(99);
    again.setState(state);
    expect([again.next(), again.normal(), again.int(10)]).toEqual(expected);
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    new Random(1).shuffle(items);
    expect([...items].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(items).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
