// Optimizer updates over a whole parameter region in one pass, following the formulas of PyTorch's
// torch.optim (SGD, Adam/AdamW, RMSprop without momentum or centering, Adagrad without lr decay).
// Per-call scalars (bias corrections, decay factors) are computed once in f64, then used as f32.
import { at } from "./simd";

// Weight decay as in PyTorch: g' = g + wd·w only when wd ≠ 0 (a per-call mask), so a weight of
// ±Infinity with wd = 0 does not turn the gradient into NaN (0·Infinity).
@inline function decayedV(g: v128, w: v128, wd: v128, decayOn: v128): v128 {
  return v128.bitselect(f32x4.add(g, f32x4.mul(wd, w)), g, decayOn);
}

@inline function decayedS(g: f32, w: f32, wd: f32): f32 {
  return wd != 0 ? g + wd * w : g;
}

@inline function maskOf(on: bool): v128 {
  return i32x4.splat(on ? -1 : 0);
}

export function sgdUpdate(
  w: usize, // [n] f32 parameters, updated in place
  g: usize, // [n] f32 gradients
  v: usize, // [n] f32 momentum buffer, updated; never touched when momentum = 0 (may be 0)
  n: i32,
  lr: f32,
  momentum: f32,
  weightDecay: f32,
  nesterov: i32, // 1 = Nesterov momentum
): void {
  const lrv = f32x4.splat(lr);
  const wdv = f32x4.splat(weightDecay);
  const decayOn = maskOf(weightDecay != 0);
  let i = 0;
  if (momentum == 0) {
    for (; i + 4 <= n; i += 4) {
      const wv = v128.load(at(w, i));
      const gd = decayedV(v128.load(at(g, i)), wv, wdv, decayOn);
      v128.store(at(w, i), f32x4.sub(wv, f32x4.mul(lrv, gd)));
    }
    for (; i < n; i++) {
      const wi = load<f32>(at(w, i));
      store<f32>(at(w, i), wi - lr * decayedS(load<f32>(at(g, i)), wi, weightDecay));
    }
    return;
  }
  const mu = f32x4.splat(momentum);
  const useNesterov = maskOf(nesterov != 0);
  for (; i + 4 <= n; i += 4) {
    const wv = v128.load(at(w, i));
    const gd = decayedV(v128.load(at(g, i)), wv, wdv, decayOn);
    const vv = f32x4.add(f32x4.mul(mu, v128.load(at(v, i))), gd);
    v128.store(at(v, i), vv);
    const step = v128.bitselect(f32x4.add(gd, f32x4.mul(mu, vv)), vv, useNesterov);
    v128.store(at(w, i), f32x4.sub(wv, f32x4.mul(lrv, step)));
  }
  for (; i < n; i++) {
    const wi = load<f32>(at(w, i));
    const gd = decayedS(load<f32>(at(g, i)), wi, weightDecay);
    const vi = momentum * load<f32>(at(v, i)) + gd;
    store<f32>(at(v, i), vi);
    const step = nesterov != 0 ? gd + momentum * vi : vi;
    store<f32>(at(w, i), wi - lr * step);
  }
}

export function adamUpdate(
  w: usize, // [n] f32 parameters, updated in place
  g: usize, // [n] f32 gradients
  m: usize, // [n] f32 first moment, updated
  v: usize, // [n] f32 second moment, updated
  n: i32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  weightDecay: f32,
  decoupled: i32, // 0 = Adam (g += wd·w), 1 = AdamW (w −= lr·wd·w before the step)
  t: i32, // step number ≥ 1, for the bias corrections
): void {
  const biasCorrection1 = 1 - Math.pow(<f64>beta1, <f64>t);
  const biasCorrection2 = 1 - Math.pow(<f64>beta2, <f64>t);
  // PyTorch: w −= (lr / bc1) · m / (√v / √bc2 + eps).
  const stepSize: f32 = <f32>(<f64>lr / biasCorrection1);
  const invSqrtBc2: f32 = <f32>(1 / Math.sqrt(biasCorrection2));
  const gradDecay: f32 = decoupled != 0 ? 0 : weightDecay;
  const decayOn = maskOf(gradDecay != 0);
  const paramDecay: f32 = decoupled != 0 ? <f32>(1 - <f64>lr * <f64>weightDecay) : 1;
  const oneMinusB1: f32 = 1 - beta1;
  const oneMinusB2: f32 = 1 - beta2;

  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const c1 = f32x4.splat(oneMinusB1);
  const c2 = f32x4.splat(oneMinusB2);
  const gdv = f32x4.splat(gradDecay);
  const pdv = f32x4.splat(paramDecay);
  const ss = f32x4.splat(stepSize);
  const ib = f32x4.splat(invSqrtBc2);
  const ev = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const wv = v128.load(at(w, i));
    const gv = decayedV(v128.load(at(g, i)), wv, gdv, decayOn);
    const mv = f32x4.add(f32x4.mul(b1, v128.load(at(m, i))), f32x4.mul(c1, gv));
    const vv = f32x4.add(f32x4.mul(b2, v128.load(at(v, i))), f32x4.mul(c2, f32x4.mul(gv, gv)));
    v128.store(at(m, i), mv);
    v128.store(at(v, i), vv);
    const denom = f32x4.add(f32x4.mul(f32x4.sqrt(vv), ib), ev);
    v128.store(at(w, i), f32x4.sub(f32x4.mul(wv, pdv), f32x4.mul(ss, f32x4.div(mv, denom))));
  }
  for (; i < n; i++) {
    const wi = load<f32>(at(w, i));
    const gi = decayedS(load<f32>(at(g, i)), wi, gradDecay);
    const mi = beta1 * load<f32>(at(m, i)) + oneMinusB1 * gi;
    const vi = beta2 * load<f32>(at(v, i)) + oneMinusB2 * (gi * gi);
    store<f32>(at(m, i), mi);
    store<f32>(at(v, i), vi);
    store<f32>(at(w, i), wi * paramDecay - stepSize * (mi / (Mathf.sqrt(vi) * invSqrtBc2 + eps)));
  }
}

export function rmspropUpdate(
  w: usize, // [n] f32 parameters, updated in place
  g: usize, // [n] f32 gradients
  s: usize, // [n] f32 running mean of squared gradients, updated
  n: i32,
  lr: f32,
  rho: f32,
  eps: f32,
  weightDecay: f32,
): void {
  const oneMinusRho: f32 = 1 - rho;
  const lrv = f32x4.splat(lr);
  const rv = f32x4.splat(rho);
  const cv = f32x4.splat(oneMinusRho);
  const ev = f32x4.splat(eps);
  const wdv = f32x4.splat(weightDecay);
  const decayOn = maskOf(weightDecay != 0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const wv = v128.load(at(w, i));
    const gv = decayedV(v128.load(at(g, i)), wv, wdv, decayOn);
    const sv = f32x4.add(f32x4.mul(rv, v128.load(at(s, i))), f32x4.mul(cv, f32x4.mul(gv, gv)));
    v128.store(at(s, i), sv);
    v128.store(at(w, i), f32x4.sub(wv, f32x4.mul(lrv, f32x4.div(gv, f32x4.add(f32x4.sqrt(sv), ev)))));
  }
  for (; i < n; i++) {
    const wi = load<f32>(at(w, i));
    const gi = decayedS(load<f32>(at(g, i)), wi, weightDecay);
    const si = rho * load<f32>(at(s, i)) + oneMinusRho * (gi * gi);
    store<f32>(at(s, i), si);
    store<f32>(at(w, i), wi - lr * (gi / (Mathf.sqrt(si) + eps)));
  }
}

export function adagradUpdate(
  w: usize, // [n] f32 parameters, updated in place
  g: usize, // [n] f32 gradients
  s: usize, // [n] f32 sum of squared gradients, updated
  n: i32,
  lr: f32,
  eps: f32,
  weightDecay: f32,
): void {
  const lrv = f32x4.splat(lr);
  const ev = f32x4.splat(eps);
  const wdv = f32x4.splat(weightDecay);
  const decayOn = maskOf(weightDecay != 0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const wv = v128.load(at(w, i));
    const gv = decayedV(v128.load(at(g, i)), wv, wdv, decayOn);
    const sv = f32x4.add(v128.load(at(s, i)), f32x4.mul(gv, gv));
    v128.store(at(s, i), sv);
    v128.store(at(w, i), f32x4.sub(wv, f32x4.mul(lrv, f32x4.div(gv, f32x4.add(f32x4.sqrt(sv), ev)))));
  }
  for (; i < n; i++) {
    const wi = load<f32>(at(w, i));
    const gi = decayedS(load<f32>(at(g, i)), wi, weightDecay);
    const si = load<f32>(at(s, i)) + gi * gi;
    store<f32>(at(s, i), si);
    store<f32>(at(w, i), wi - lr * (gi / (Mathf.sqrt(si) + eps)));
  }
}
