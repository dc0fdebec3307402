/**
 * Finite-difference gradient checks (llm.c's `fakeloss = (out * dout).sum()`): the caller
 * defines a scalar loss L = Σ out ⊙ dOut with random dOut, computes analytic gradients by
 * backward, and `checkGradients` compares each with central differences
 * (L(v + ε) − L(v − ε)) / 2ε, perturbing the values in place (a float64 heap view).
 */

/** Something indexable and writable: a Float64Array view of the float64 heap. */
export interface Writable {
  readonly length: number;
  [index: number]: number;
}

export interface GradientTarget {
  name: string;
  /** Values perturbed in place; restored afterwards. */
  values: Writable;
  /** The analytic ∂L/∂values, same length. */
  analytic: ArrayLike<number>;
}

export interface GradientReport {
  name: string;
  /** max over elements of |analytic − numeric| / max(|analytic|, |numeric|, floor). */
  maxRelError: number;
  /** Where the worst element is, with both values. */
  worst: { index: number; analytic: number; numeric: number };
  elements: number;
}

export interface GradcheckOptions {
  /** Step of the central difference. Default 1e-5 (truncation ~ε², rounding ~1e-16·|L|/ε). */
  eps?: number;
  /** Denominator floor, so gradients near 0 are compared absolutely. Default 1e-2. */
  floor?: number;
}

export function checkGradients(loss: () => number, targets: readonly GradientTarget[], options: GradcheckOptions = {}): GradientReport[] {
  const eps = options.eps ?? 1e-5;
  const floor = options.floor ?? 1e-2;
  return targets.map(({ name, values, analytic }) => {
    if (analytic.length !== values.length) throw new Error(`${name}: ${analytic.length} analytic gradients for ${values.length} values`);
    const report: GradientReport = { name, maxRelError: 0, worst: { index: -1, analytic: 0, numeric: 0 }, elements: values.length };
    for (let i = 0; i < values.length; i++) {
      const saved = values[i]!;
      values[i] = saved + eps;
      const plus = loss();
      values[i] = saved - eps;
      const minus = loss();
      values[i] = saved;
      const numeric = (plus - minus) / (2 * eps);
      const a = analytic[i]!;
      const error = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), floor);
      if (!(error <= report.maxRelError)) {
        report.maxRelError = error;
        report.worst = { index: i, analytic: a, numeric };
      }
    }
    return report;
  });
}

/** Σ a ⊙ b in float64. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
