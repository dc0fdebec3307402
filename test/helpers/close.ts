/** Tolerance of a comparison: |a − e| ≤ abs + rel·|e| element-wise. */
export interface Tolerance {
  abs: number;
  rel: number;
}

export interface Mismatch {
  index: number;
  actual: number;
  expected: number;
}

/** Returns the elements outside the tolerance (NaN matches NaN; ±Infinity must match exactly). */
export function mismatches(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance): Mismatch[] {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ expected length ${expected.length}`);
  const found: Mismatch[] = [];
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= tol.abs + tol.rel * Math.abs(e)) continue;
    found.push({ index: i, actual: a, expected: e });
  }
  return found;
}

/** Throws with the first few mismatches and the largest difference (llm.c style) when outside tolerance. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tolerance, label = 'values'): void {
  const bad = mismatches(actual, expected, tol);
  if (bad.length === 0) return;
  let worst = bad[0]!;
  for (const m of bad) if (!(Math.abs(m.actual - m.expected) <= Math.abs(worst.actual - worst.expected))) worst = m;
  const first = bad.slice(0, 5).map((m) => `  [${m.index}] got ${m.actual}, expected ${m.expected}`).join('\n');
  throw new Error(
    `${label}: ${bad.length} of ${actual.length} outside abs ${tol.abs} + rel ${tol.rel}\n${first}\n` +
      `  worst [${worst.index}]: got ${worst.actual}, expected ${worst.expected}, diff ${Math.abs(worst.actual - worst.expected)}`,
  );
}
