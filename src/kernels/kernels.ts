/**
 * The kernel ABI: one method per export of `assembly/index.ts`, implemented by the Wasm module
 * (its exports, called directly) and by the pure-TS twin in `src/kernels/js/`.
 *
 * Rules every kernel follows (see assembly/README.md):
 * - Every pointer is a byte offset into the shared f32 heap; every buffer is row-major f32.
 *   Offsets are multiples of 4 (one f32); the arena aligns regions to 16 bytes, but kernels
 *   never require it. Sizes are element counts.
 * - Outputs come first, then inputs and caches, then sizes, then scalars.
 * - `*Backward` kernels and every kernel whose output starts with `d` ACCUMULATE (`+=`) into
 *   their gradient outputs, except where a comment says "written"; callers zero gradient
 *   buffers once per step (one `fill` over the gradient region).
 * - Kernels allocate nothing, handle any size (including 0 and sizes that are not multiples of
 *   4) and return at most one number.
 * - Unless a comment says "may alias", outputs must not overlap inputs.
 */
export interface Kernels {
  // ---- gemm.ts: C = alpha·op(A)·op(B) + beta·C. beta = 0 overwrites C (NaN in C is ignored).
  /** c: [m, n] (ldc); a: [m, k] (lda); b: [k, n] (ldb). */
  gemmNN(c: number, a: number, b: number, m: number, n: number, k: number, lda: number, ldb: number, ldc: number, alpha: number, beta: number): void;
  /** c: [m, n] (ldc); a: [m, k] (lda); b: [n, k] (ldb), used transposed: X·Wᵀ. */
  gemmNT(c: number, a: number, b: number, m: number, n: number, k: number, lda: number, ldb: number, ldc: number, alpha: number, beta: number): void;
  /** c: [m, n] (ldc); a: [k, m] (lda), used transposed; b: [k, n] (ldb): dYᵀ·X. */
  gemmTN(c: number, a: number, b: number, m: number, n: number, k: number, lda: number, ldb: number, ldc: number, alpha: number, beta: number): void;
  /**
   * dst: [⌈n/8⌉, k, 8] written = op(B) [k, n] as panels of 8 columns, k-major, zero columns padding
   * the last panel (`packedPanelLength(k, n)` elements, src/kernels/packing.ts); b: [k, n] (ldb), or [n, k] when transB = 1.
   * A weight used by many products (W_hh in every time step) is packed once for gemmPacked.
   */
  packB(dst: number, b: number, k: number, n: number, ldb: number, transB: number): void;
  /** c: [m, n] (ldc); a: [m, k] (lda); packedB: op(B) [k, n] as packB wrote it. C = alpha·A·op(B) + beta·C. */
  gemmPacked(c: number, a: number, packedB: number, m: number, n: number, k: number, lda: number, ldc: number, alpha: number, beta: number): void;

  // ---- rows.ts: broadcasting, reductions and BLAS-1 helpers
  /** y: [rows, cols] += b: [cols] broadcast over rows. */
  addRowVector(y: number, b: number, rows: number, cols: number): void;
  /** db: [cols] += column sums of x: [rows, cols] (bias gradients). */
  sumRows(db: number, x: number, rows: number, cols: number): void;
  /** x: [n] = value. */
  fill(x: number, value: number, n: number): void;
  /** dst: [n] = src: [n]. dst may equal src; other overlaps are not allowed. */
  copy(dst: number, src: number, n: number): void;
  /** dst: [rows, cols] (ldDst) = src: [rows, cols] (ldSrc): strided 2-D copy (concatenation, splitting). */
  copyRows(dst: number, src: number, rows: number, cols: number, ldDst: number, ldSrc: number): void;
  /** y: [n] += alpha · x: [n]. */
  axpy(y: number, x: number, n: number, alpha: number): void;
  /** x: [n] *= alpha, in place. */
  scale(x: number, n: number, alpha: number): void;
  /** z: [n] = x ⊙ y. z may alias x or y. */
  hadamard(z: number, x: number, y: number, n: number): void;

  // ---- activation.ts: pointwise activations. Forward may alias (y = x); backward accumulates.
  /** y = tanh(x), SIMD approximation (max rel. error documented in cases). */
  tanhForward(y: number, x: number, n: number): void;
  /** dx += dy · (1 − y²), y = tanh(x) from forward. */
  tanhBackward(dx: number, dy: number, y: number, n: number): void;
  /** y = 1 / (1 + e^(−x)). */
  sigmoidForward(y: number, x: number, n: number): void;
  /** dx += dy · y · (1 − y). */
  sigmoidBackward(dx: number, dy: number, y: number, n: number): void;
  /** y = max(x, 0). */
  reluForward(y: number, x: number, n: number): void;
  /** dx += dy where y > 0. */
  reluBackward(dx: number, dy: number, y: number, n: number): void;
  /** y = e^x (overflows to +Infinity above ~88.72, 0 below ~−103.97). */
  expForward(y: number, x: number, n: number): void;
  /** dx += dy · y. */
  expBackward(dx: number, dy: number, y: number, n: number): void;
  /** y: [rows, cols] = softmax of each row of x (max-subtracted). */
  softmaxForward(y: number, x: number, rows: number, cols: number): void;
  /** dx += y ⊙ (dy − Σ_row dy ⊙ y). */
  softmaxBackward(dx: number, dy: number, y: number, rows: number, cols: number): void;

  // ---- loss.ts: losses fused with their output activation; forward returns the SUM over rows.
  /** probs: [rows, cols] written = softmax(logits); targets: [rows] class ids as f32, id < 0 = ignored. Returns Σ −log p[target]. */
  softmaxCrossEntropyForward(probs: number, logits: number, targets: number, rows: number, cols: number): number;
  /** dLogits += scale · (probs − onehot(target)); ignored rows add nothing. */
  softmaxCrossEntropyBackward(dLogits: number, probs: number, targets: number, rows: number, cols: number, scale: number): void;
  /** Like softmaxCrossEntropyForward with targets: [rows, cols] distributions (one-hot or soft). Returns Σ −t·log p. */
  softmaxCrossEntropyDenseForward(probs: number, logits: number, targets: number, rows: number, cols: number): number;
  /** dLogits += scale · (probs · Σ_row t − t). */
  softmaxCrossEntropyDenseBackward(dLogits: number, probs: number, targets: number, rows: number, cols: number, scale: number): void;
  /** Returns Σ (pred − target)². */
  mseForward(pred: number, target: number, n: number): number;
  /** dPred += scale · 2 · (pred − target). */
  mseBackward(dPred: number, pred: number, target: number, n: number, scale: number): void;
  /** Binary cross-entropy on logits z, targets t ∈ [0, 1]: returns Σ max(z,0) − z·t + log(1 + e^(−|z|)). */
  bceWithLogitsForward(logits: number, targets: number, n: number): number;
  /** dLogits += scale · (σ(z) − t). */
  bceWithLogitsBackward(dLogits: number, logits: number, targets: number, n: number, scale: number): void;

  // ---- clip.ts
  /** Returns Σ x² accumulated in f64 (global-norm clipping sums it over buffers). */
  sumOfSquares(x: number, n: number): number;
  /** x = min(max(x, lo), hi), in place; NaN stays NaN. */
  clipByValue(x: number, n: number, lo: number, hi: number): void;
  /** Returns how many of x are NaN or ±Infinity. */
  countNonFinite(x: number, n: number): number;

  // ---- optim.ts: one pass over a whole parameter region; w, g and the moment buffers have n elements.
  /** PyTorch SGD: g' = g + wd·w; v = μ·v + g' (v unused when μ = 0); step = nesterov ? g' + μ·v : v (or g' when μ = 0); w −= lr·step. */
  sgdUpdate(w: number, g: number, v: number, n: number, lr: number, momentum: number, weightDecay: number, nesterov: number): void;
  /** Adam (decoupled = 0: g += wd·w) or AdamW (decoupled = 1: w −= lr·wd·w); m, v moments; t = step number ≥ 1 for bias correction. */
  adamUpdate(w: number, g: number, m: number, v: number, n: number, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, decoupled: number, t: number): void;
  /** RMSprop: g' = g + wd·w; s = ρ·s + (1−ρ)·g'²; w −= lr·g' / (√s + eps). */
  rmspropUpdate(w: number, g: number, s: number, n: number, lr: number, rho: number, eps: number, weightDecay: number): void;
  /** Adagrad: g' = g + wd·w; s += g'²; w −= lr·g' / (√s + eps). */
  adagradUpdate(w: number, g: number, s: number, n: number, lr: number, eps: number, weightDecay: number): void;

  // ---- rnn-step.ts / lstm-step.ts / gru-step.ts: the fused pointwise part of one recurrent step.
  // B = batch, H = hidden. `mask`: [B] f32, 1 = real step, 0 = padding (the row keeps its previous
  // state and gets no gradient), or 0 as a pointer = no mask. `gateAct`: 0 = sigmoid,
  // 1 = hard sigmoid of tfjs / Keras 2 (clip(0.2x + 0.5, 0, 1)), 2 = hard sigmoid of Keras 3
  // (clip(x/6 + 0.5, 0, 1)); gate derivatives are computed from the activations.
  // In backward kernels every output is WRITTEN (=), except where "+=" is said: a step's gradients
  // are fully determined by the step, and the caller then accumulates with GEMMs (beta = 1).
  /** h: [B,H] written = φ(pre) (tanh, or relu when relu = 1); pre: [B,H] = x·W_ihᵀ + b_ih + b_hh + hPrev·W_hhᵀ; hPrev: [B,H] kept on masked rows. h may alias pre. */
  rnnStepForward(h: number, pre: number, hPrev: number, mask: number, batch: number, hidden: number, relu: number): void;
  /** dPre: [B,H] written = dh·φ'(h), 0 on masked rows (may alias dh); dhPrev: [B,H] written = dh on masked rows and 0 elsewhere, only when mask ≠ 0 (untouched otherwise). */
  rnnStepBackward(dPre: number, dhPrev: number, dh: number, h: number, mask: number, batch: number, hidden: number, relu: number): void;
  /** gates: [B,4H] preactivations (i,f,g,o, PyTorch order) in, activations out (in place); c: [B,H] written = f⊙cPrev + i⊙g; h: [B,H] written = o⊙tanh(c). Masked rows: h = hPrev, c = cPrev. */
  lstmStepForward(h: number, c: number, gates: number, cPrev: number, hPrev: number, mask: number, batch: number, hidden: number, gateAct: number): void;
  /** dGates: [B,4H] written = gradient of the preactivations; dc: [B,H] in = ∂L/∂c_t from later steps, out = ∂L/∂c_{t−1} (in place); dh: [B,H] = total ∂L/∂h_t; gates, c, cPrev: forward caches. dhPrev as in rnnStepBackward. Masked rows: dGates = 0, dc unchanged. */
  lstmStepBackward(dGates: number, dc: number, dhPrev: number, dh: number, gates: number, c: number, cPrev: number, mask: number, batch: number, hidden: number, gateAct: number): void;
  /** xProj: [B,3H] = x·W_ihᵀ + b_ih (r,z,n); hProj: [B,3H] = hPrev·W_hhᵀ + b_hh; gates: [B,3H] written = r, z, n; h: [B,H] written = (1−z)⊙n + z⊙hPrev. resetAfter = 1: r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r⊙h_n). resetAfter = 0: gates[:, 0:2H] already hold r, z (gruResetGateForward) and hProj[:, 2H:3H] = (r⊙hPrev)·W_hnᵀ + b_hn; n = tanh(x_n + h_n). Masked rows: h = hPrev. */
  gruStepForward(h: number, gates: number, xProj: number, hProj: number, hPrev: number, mask: number, batch: number, hidden: number, gateAct: number, resetAfter: number): void;
  /** resetAfter = 0 only, before the n-part GEMM: gates[:, 0:2H] written = gate(xProj + hProj) for r, z (hProj[:, 0:2H] = hPrev·W_h{r,z}ᵀ + b_h{r,z}); rh: [B,H] written = r⊙hPrev. */
  gruResetGateForward(gates: number, rh: number, xProj: number, hProj: number, hPrev: number, batch: number, hidden: number, gateAct: number): void;
  /** dXProj, dHProj: [B,3H] written; dhPrev: [B,H] written = dh⊙z (= dh on masked rows, whose d* are 0). resetAfter = 1: dXProj = (dr, dz, dn) preactivation gradients, dHProj = (dr, dz, dn⊙r). resetAfter = 0: only the z and n columns are written (dHProj_n = ∂L/∂hProj_n); gruResetGateBackward writes the r columns. hProj is the forward cache (needed for h_n). */
  gruStepBackward(dXProj: number, dHProj: number, dhPrev: number, dh: number, gates: number, hProj: number, hPrev: number, mask: number, batch: number, hidden: number, gateAct: number, resetAfter: number): void;
  /** resetAfter = 0 only: dRh: [B,H] = dHProj[:, 2H:3H]·W_hn (computed by the caller); dXProj[:, 0:H] and dHProj[:, 0:H] written = dRh⊙hPrev⊙r'; dhPrev += dRh⊙r. */
  gruResetGateBackward(dXProj: number, dHProj: number, dhPrev: number, dRh: number, gates: number, hPrev: number, mask: number, batch: number, hidden: number, gateAct: number): void;
}

export type KernelName = keyof Kernels;
