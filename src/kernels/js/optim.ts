import type { HeapArray } from '../../memory/storage.js';

// Twins of assembly/optim.ts: PyTorch's torch.optim formulas, one element at a time.

/** PyTorch SGD: g' = g + wd·w; v = μ·v + g'; w −= lr·(nesterov ? g' + μ·v : v), or lr·g' when μ = 0 (v untouched). */
export function sgdUpdate(heap: HeapArray, w: number, g: number, v: number, n: number, lr: number, momentum: number, weightDecay: number, nesterov: number): void {
  const W = w >>> 2;
  const G = g >>> 2;
  const V = v >>> 2;
  for (let i = 0; i < n; i++) {
    let grad = heap[G + i]!;
    if (weightDecay !== 0) grad += weightDecay * heap[W + i]!; // PyTorch skips wd = 0 (no 0·Infinity)
    let step = grad;
    if (momentum !== 0) {
      const velocity = momentum * heap[V + i]! + grad;
      heap[V + i] = velocity;
      step = nesterov ? grad + momentum * velocity : velocity;
    }
    heap[W + i] -= lr * step;
  }
}

/** PyTorch Adam (decoupled = 0: g += wd·w) / AdamW (decoupled = 1: w −= lr·wd·w first), bias-corrected with step t ≥ 1. */
export function adamUpdate(
  heap: HeapArray, w: number, g: number, m: number, v: number, n: number,
  lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, decoupled: number, t: number,
): void {
  const W = w >>> 2;
  const G = g >>> 2;
  const M = m >>> 2;
  const V = v >>> 2;
  const biasCorrection1 = 1 - beta1 ** t;
  const biasCorrection2 = 1 - beta2 ** t;
  for (let i = 0; i < n; i++) {
    let param = heap[W + i]!;
    let grad = heap[G + i]!;
    if (decoupled) param *= 1 - lr * weightDecay; // PyTorch's param.mul_(1 − lr·wd)
    else if (weightDecay !== 0) grad += weightDecay * param;
    const m1 = beta1 * heap[M + i]! + (1 - beta1) * grad;
    const v1 = beta2 * heap[V + i]! + (1 - beta2) * grad * grad;
    heap[M + i] = m1;
    heap[V + i] = v1;
    const denom = Math.sqrt(v1) / Math.sqrt(biasCorrection2) + eps;
    heap[W + i] = param - (lr / biasCorrection1) * (m1 / denom);
  }
}

/** PyTorch RMSprop (no momentum, not centered): g' = g + wd·w; s = ρ·s + (1−ρ)·g'²; w −= lr·g' / (√s + eps). */
export function rmspropUpdate(heap: HeapArray, w: number, g: number, s: number, n: number, lr: number, rho: number, eps: number, weightDecay: number): void {
  const W = w >>> 2;
  const G = g >>> 2;
  const S = s >>> 2;
  for (let i = 0; i < n; i++) {
    let grad = heap[G + i]!;
    if (weightDecay !== 0) grad += weightDecay * heap[W + i]!; // PyTorch skips wd = 0 (no 0·Infinity)
    const square = rho * heap[S + i]! + (1 - rho) * grad * grad;
    heap[S + i] = square;
    heap[W + i] -= (lr * grad) / (Math.sqrt(square) + eps);
  }
}

/** PyTorch Adagrad (no lr decay): g' = g + wd·w; s += g'²; w −= lr·g' / (√s + eps). */
export function adagradUpdate(heap: HeapArray, w: number, g: number, s: number, n: number, lr: number, eps: number, weightDecay: number): void {
  const W = w >>> 2;
  const G = g >>> 2;
  const S = s >>> 2;
  for (let i = 0; i < n; i++) {
    let grad = heap[G + i]!;
    if (weightDecay !== 0) grad += weightDecay * heap[W + i]!; // PyTorch skips wd = 0 (no 0·Infinity)
    const sum = heap[S + i]! + grad * grad;
    heap[S + i] = sum;
    heap[W + i] -= (lr * grad) / (Math.sqrt(sum) + eps);
  }
}
