// GEMM: C = alpha·op(A)·op(B) + beta·C over row-major f32 blocks with leading dimensions.
//
// Method (Goto/BLIS blocking, XNNPACK tile naming): K is cut into blocks of KC, M into blocks of
// MC and, when there are several row blocks, N into blocks of NC. Each MC×KC block of op(A) is
// packed into 4-row micro-panels ([KC][4], k-major) that stay in L2, op(B) into 8-column
// micro-panels ([KC][8]) that stay in L1, both zero-padded at the edges, and the 4×8 micro-kernel
// `gemm4x8` multiplies one pair of micro-panels with 8 f32x4 accumulators (see `blocked` for when
// B is packed per block or per strip). NN, NT and TN differ only in how the panels are packed.
//
// `packB` + `gemmPacked` split the B packing out: a recurrent layer packs W_hh once per pass into
// panels [⌈n/8⌉][k][8] and every time step multiplies against the packed panels directly (a
// step's B is the whole weight matrix, so re-packing it per step cost as much as the product).
//
// The micro-kernel accumulates with `madd`: f32x4.relaxed_madd (an FMA on x64 with FMA3) in the
// build compiled with relaxed SIMD enabled, mul + add in the baseline SIMD build. On data in L1 the
// FMA build reaches ~48 GFLOP/s where mul + add tops out near 34 on this CPU (bench/README.md).
//
// Why 4×8: 8 accumulators + 2 B vectors + 1 broadcast A + 1 product fit V8's 16 xmm registers on
// x64; 4×16 and 6×8 tiles spill and ran at 26–34 GFLOP/s where this one reaches ~50
// (../shared/NOTES.md). Packing B matters as much: the same tile reading B in place fell to ~22
// on large shapes (cache misses on the strided rows of B).

import { SCRATCH_BYTES, scratchBase } from "./scratch";

/** Rows of the register tile. */
const MR: i32 = 4;
/** Columns of the register tile: two f32x4. */
const NR: i32 = 8;
/** Depth of a packed block: a [KC][8] B micro-panel is 8 KiB and stays in L1 (32 KiB). */
const KC: i32 = 256;
/** Rows of a packed A block: MC × KC f32 = 256 KiB, half of this CPU's 512 KiB L2. */
const MC: i32 = 256;
/** Columns of a packed B block: KC × NC f32 = 1 MiB, packed once per (K block, column block). */
const NC: i32 = 1024;

// Scratch layout: [packed A block: MC·KC f32][packed B block: KC·NC f32][edge tile: MR·NR f32].
const PACKED_A_BYTES: usize = <usize>(MC * KC) << 2;
const PACKED_B_BYTES: usize = <usize>(KC * NC) << 2;
const EDGE_TILE_BYTES: usize = <usize>(MR * NR) << 2;
// The three regions must fit the scratch that scratch.ts reserves (checked at compile time).
if (PACKED_A_BYTES + PACKED_B_BYTES + EDGE_TILE_BYTES > SCRATCH_BYTES) ERROR("GEMM panels do not fit SCRATCH_BYTES");

/** c: [m, n] (ldc); a: [m, k] (lda); b: [k, n] (ldb). C = alpha·A·B + beta·C. */
export function gemmNN(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32, alpha: f32, beta: f32): void {
  gemm(false, false, c, a, b, m, n, k, lda, ldb, ldc, alpha, beta);
}

/** c: [m, n] (ldc); a: [m, k] (lda); b: [n, k] (ldb), used transposed. C = alpha·A·Bᵀ + beta·C (X·Wᵀ). */
export function gemmNT(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32, alpha: f32, beta: f32): void {
  gemm(false, true, c, a, b, m, n, k, lda, ldb, ldc, alpha, beta);
}

/** c: [m, n] (ldc); a: [k, m] (lda), used transposed; b: [k, n] (ldb). C = alpha·Aᵀ·B + beta·C (dYᵀ·X). */
export function gemmTN(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32, alpha: f32, beta: f32): void {
  gemm(true, false, c, a, b, m, n, k, lda, ldb, ldc, alpha, beta);
}

/**
 * Packs op(B) [k, n] for gemmPacked: dst: [⌈n/8⌉, k, 8] f32, panel j holding columns 8j..8j+7
 * k-major, zero columns padding the last panel; b: [k, n] (ldb), or [n, k] when transB = 1.
 */
export function packB(dst: usize, b: usize, k: i32, n: i32, ldb: i32, transB: i32): void {
  if (k <= 0) return;
  if (transB != 0) packBBlock(true, dst, b, ldb, 0, 0, k, n);
  else packBBlock(false, dst, b, ldb, 0, 0, k, n);
}

/** c: [m, n] (ldc); a: [m, k] (lda); packedB: op(B) [k, n] as packB wrote it. C = alpha·A·op(B) + beta·C. */
export function gemmPacked(c: usize, a: usize, packedB: usize, m: i32, n: i32, k: i32, lda: i32, ldc: i32, alpha: f32, beta: f32): void {
  if (m <= 0 || n <= 0) return;
  const ldcBytes = <usize>ldc << 2;
  if (k <= 0) {
    scaleBlock(c, ldcBytes, m, n, beta);
    return;
  }
  if (m < MR) {
    const ldaBytes = <usize>lda << 2;
    for (let i = 0; i < m; i++) gemm1xPacked(c + <usize>i * ldcBytes, a + <usize>i * ldaBytes, packedB, n, k, alpha, beta);
    return;
  }
  blocked(false, false, true, c, a, packedB, m, n, k, lda, 0, ldc, alpha, beta);
}

/**
 * The blocked driver shared by the three variants. `transA`/`transB` are constants at every call
 * site, so each export compiles to its own straight-line packing code.
 * c: [m, n] (ldc); a: [m, k] (lda), or [k, m] when transA; b: [k, n] (ldb), or [n, k] when transB.
 */
@inline
function gemm(transA: bool, transB: bool, c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32, alpha: f32, beta: f32): void {
  if (m <= 0 || n <= 0) return;
  const ldcBytes = <usize>ldc << 2;
  if (k <= 0) {
    scaleBlock(c, ldcBytes, m, n, beta);
    return;
  }
  if (m < MR) {
    // One to three rows (recurrent steps of a small batch): packing B would cost as much as the
    // product and padding A to 4 rows would waste most of the tile, so read both in place.
    const ldaBytes = <usize>lda << 2;
    const ldbBytes = <usize>ldb << 2;
    for (let i = 0; i < m; i++) {
      const cRow = c + <usize>i * ldcBytes;
      if (transB) gemm1xNDots(cRow, a + <usize>i * ldaBytes, b, ldbBytes, n, k, alpha, beta);
      else if (transA) gemm1xN(cRow, a + (<usize>i << 2), ldaBytes, b, ldbBytes, n, k, alpha, beta);
      else gemm1xN(cRow, a + <usize>i * ldaBytes, 4, b, ldbBytes, n, k, alpha, beta);
    }
    return;
  }
  blocked(transA, transB, false, c, a, b, m, n, k, lda, ldb, ldc, alpha, beta);
}

/**
 * The blocked loop nest over 4×8 tiles (m ≥ 4, n ≥ 1, k ≥ 1), K in blocks of KC. Flags are
 * constants at each call site.
 * - `prepacked`: b holds packB's panels [⌈n/8⌉][k][8]; the KC×8 micro-panel of block p0 is read in
 *   place at panel + p0·8. Each MC×KC block of A is packed once and runs against every panel.
 * - m ≤ MC (one row block: the recurrent and Dense shapes): A is packed once per K block and op(B)
 *   is packed in strips just before their tiles read them, still in L1: one panel for transposed B
 *   (contiguous along k), two (one cache line per row) for untransposed B. Packing a whole
 *   512-column block first left it in L2 and ran at 17 GFLOP/s instead of 29 on [32×128]·[128×512].
 * - m > MC: Goto/BLIS order. Each KC×NC block of op(B) is packed once and serves every row block.
 */
@inline
function blocked(
  transA: bool, transB: bool, prepacked: bool,
  c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32, alpha: f32, beta: f32,
): void {
  const ldcBytes = <usize>ldc << 2;
  const packedA = scratchBase();
  const scratchB = packedA + PACKED_A_BYTES;
  const stripColumns = transB ? NR : 2 * NR;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    // Later K blocks add onto what the first one wrote.
    const blockBeta: f32 = p0 == 0 ? beta : 1;
    if (prepacked || m <= MC) {
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = min(MC, m - i0);
        packABlock(transA, packedA, a, lda, i0, p0, mc, kc);
        if (prepacked) {
          const panelBytes = <usize>(k * NR) << 2;
          const bBlock = b + (<usize>(p0 * NR) << 2);
          blockTiles(c, ldcBytes, i0, 0, packedA, bBlock, panelBytes, mc, n, kc, alpha, blockBeta);
        } else {
          for (let j0 = 0; j0 < n; j0 += stripColumns) {
            const nc = min(stripColumns, n - j0);
            packBBlock(transB, scratchB, b, ldb, p0, j0, kc, nc);
            blockTiles(c, ldcBytes, i0, j0, packedA, scratchB, <usize>(kc * NR) << 2, mc, nc, kc, alpha, blockBeta);
          }
        }
      }
    } else {
      for (let jc = 0; jc < n; jc += NC) {
        const nc = min(NC, n - jc);
        packBBlock(transB, scratchB, b, ldb, p0, jc, kc, nc);
        for (let i0 = 0; i0 < m; i0 += MC) {
          const mc = min(MC, m - i0);
          packABlock(transA, packedA, a, lda, i0, p0, mc, kc);
          blockTiles(c, ldcBytes, i0, jc, packedA, scratchB, <usize>(kc * NR) << 2, mc, nc, kc, alpha, blockBeta);
        }
      }
    }
  }
}

/**
 * C[i0..i0+mc, j0..j0+nc] (+)= packed A block × B panels: every 4×8 tile of the block. packedA:
 * [⌈mc/4⌉, kc, 4]; panel j of the B block at bBlock + j·panelBytes, each read for kc steps.
 */
@inline
function blockTiles(
  c: usize, ldcBytes: usize, i0: i32, j0: i32, packedA: usize, bBlock: usize, panelBytes: usize,
  mc: i32, nc: i32, kc: i32, alpha: f32, beta: f32,
): void {
  for (let j = 0; j < nc; j += NR) {
    const nr = min(NR, nc - j);
    const bPanel = bBlock + <usize>(j / NR) * panelBytes;
    const cColumn = c + (<usize>(j0 + j) << 2);
    for (let i = 0; i < mc; i += MR) {
      const cTile = cColumn + <usize>(i0 + i) * ldcBytes;
      const aPanel = packedA + (<usize>(i * kc) << 2);
      gemm4x8(cTile, ldcBytes, aPanel, bPanel, kc, min(MR, mc - i), nr, alpha, beta);
    }
  }
}

/**
 * One row of C against packB's panels: c[j] = alpha·Σ_p a[p]·B[p, j] + beta·c[j], eight columns
 * per panel, even and odd p summed apart (two independent add chains per half-panel).
 * c: [n] f32; a: [k] f32; packedB: [⌈n/8⌉, k, 8].
 */
@inline
function gemm1xPacked(c: usize, a: usize, packedB: usize, n: i32, k: i32, alpha: f32, beta: f32): void {
  const alphas = f32x4.splat(alpha);
  const panelBytes = <usize>(k * NR) << 2;
  for (let j0 = 0; j0 < n; j0 += NR) {
    let pb = packedB + <usize>(j0 / NR) * panelBytes;
    let ap = a;
    let lo0 = f32x4.splat(0), hi0 = f32x4.splat(0), lo1 = f32x4.splat(0), hi1 = f32x4.splat(0);
    let p = 0;
    for (; p + 2 <= k; p += 2) {
      const a0 = v128.load32_splat(ap);
      const a1 = v128.load32_splat(ap, 4);
      lo0 = madd(a0, v128.load(pb), lo0);
      hi0 = madd(a0, v128.load(pb, 16), hi0);
      lo1 = madd(a1, v128.load(pb, 32), lo1);
      hi1 = madd(a1, v128.load(pb, 48), hi1);
      ap += 8;
      pb += <usize>(2 * NR) << 2;
    }
    if (p < k) {
      const a0 = v128.load32_splat(ap);
      lo0 = madd(a0, v128.load(pb), lo0);
      hi0 = madd(a0, v128.load(pb, 16), hi0);
    }
    const lo = f32x4.add(lo0, lo1);
    const hi = f32x4.add(hi0, hi1);
    const out = c + (<usize>j0 << 2);
    const cols = min(NR, n - j0);
    if (cols == NR) {
      storeScaled4(out, lo, alphas, beta);
      storeScaled4(out + 16, hi, alphas, beta);
    } else {
      for (let j = 0; j < cols; j++) {
        const sum = j < 4 ? laneOf(lo, j) : laneOf(hi, j - 4);
        storeScaled(out + (<usize>j << 2), sum, alpha, beta);
      }
    }
  }
}

/** Lane `lane` (0..3, not a constant) of an f32x4. */
@inline
function laneOf(v: v128, lane: i32): f32 {
  if (lane == 0) return f32x4.extract_lane(v, 0);
  if (lane == 1) return f32x4.extract_lane(v, 1);
  if (lane == 2) return f32x4.extract_lane(v, 2);
  return f32x4.extract_lane(v, 3);
}

/** acc + a·b: one FMA in the relaxed-SIMD build, a multiply and an add in the baseline build. */
@inline
function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * One row of C with B read in place: c[j] = alpha·Σ_p a(p)·b[p, j] + beta·c[j], sixteen columns
 * (four independent f32x4 sums) at a time, then four, then one. c: [n] f32; a(p) at
 * a + p·aStepBytes (a row of A, or a column when A is transposed); b: [k, n] (ldbBytes).
 */
@inline
function gemm1xN(c: usize, a: usize, aStepBytes: usize, b: usize, ldbBytes: usize, n: i32, k: i32, alpha: f32, beta: f32): void {
  const alphas = f32x4.splat(alpha);
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    let column = b + (<usize>j << 2);
    let ap = a;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    for (let p = 0; p < k; p++) {
      const av = v128.load32_splat(ap);
      s0 = f32x4.add(s0, f32x4.mul(av, v128.load(column)));
      s1 = f32x4.add(s1, f32x4.mul(av, v128.load(column, 16)));
      s2 = f32x4.add(s2, f32x4.mul(av, v128.load(column, 32)));
      s3 = f32x4.add(s3, f32x4.mul(av, v128.load(column, 48)));
      ap += aStepBytes;
      column += ldbBytes;
    }
    const out = c + (<usize>j << 2);
    storeScaled4(out, s0, alphas, beta);
    storeScaled4(out + 16, s1, alphas, beta);
    storeScaled4(out + 32, s2, alphas, beta);
    storeScaled4(out + 48, s3, alphas, beta);
  }
  for (; j + 4 <= n; j += 4) {
    let column = b + (<usize>j << 2);
    let ap = a;
    let sum = f32x4.splat(0);
    for (let p = 0; p < k; p++) {
      sum = f32x4.add(sum, f32x4.mul(v128.load32_splat(ap), v128.load(column)));
      ap += aStepBytes;
      column += ldbBytes;
    }
    storeScaled4(c + (<usize>j << 2), sum, alphas, beta);
  }
  for (; j < n; j++) {
    let column = b + (<usize>j << 2);
    let ap = a;
    let sum: f32 = 0;
    for (let p = 0; p < k; p++) {
      sum += load<f32>(ap) * load<f32>(column);
      ap += aStepBytes;
      column += ldbBytes;
    }
    storeScaled(c + (<usize>j << 2), sum, alpha, beta);
  }
}

/**
 * One row of C against the rows of B (X·Wᵀ for one x): c[j] = alpha·(a · b[j, :]) + beta·c[j],
 * four dot products at a time over f32x4 chunks of k. c: [n] f32; a: [k] f32; b: [n, k] (ldbBytes).
 */
@inline
function gemm1xNDots(c: usize, a: usize, b: usize, ldbBytes: usize, n: i32, k: i32, alpha: f32, beta: f32): void {
  const alphas = f32x4.splat(alpha);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const b0 = b + <usize>j * ldbBytes;
    const b1 = b0 + ldbBytes;
    const b2 = b1 + ldbBytes;
    const b3 = b2 + ldbBytes;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const offset = <usize>p << 2;
      const av = v128.load(a + offset);
      s0 = f32x4.add(s0, f32x4.mul(av, v128.load(b0 + offset)));
      s1 = f32x4.add(s1, f32x4.mul(av, v128.load(b1 + offset)));
      s2 = f32x4.add(s2, f32x4.mul(av, v128.load(b2 + offset)));
      s3 = f32x4.add(s3, f32x4.mul(av, v128.load(b3 + offset)));
    }
    let t0: f32 = 0, t1: f32 = 0, t2: f32 = 0, t3: f32 = 0;
    for (; p < k; p++) {
      const offset = <usize>p << 2;
      const ap = load<f32>(a + offset);
      t0 += ap * load<f32>(b0 + offset);
      t1 += ap * load<f32>(b1 + offset);
      t2 += ap * load<f32>(b2 + offset);
      t3 += ap * load<f32>(b3 + offset);
    }
    const tails = f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(t0), 1, t1), 2, t2), 3, t3);
    storeScaled4(c + (<usize>j << 2), f32x4.add(horizontalSums(s0, s1, s2, s3), tails), alphas, beta);
  }
  for (; j < n; j++) {
    const row = b + <usize>j * ldbBytes;
    let s = f32x4.splat(0);
    let p = 0;
    for (; p + 4 <= k; p += 4) s = f32x4.add(s, f32x4.mul(v128.load(a + (<usize>p << 2)), v128.load(row + (<usize>p << 2))));
    let sum = f32x4.extract_lane(horizontalSums(s, s, s, s), 0);
    for (; p < k; p++) sum += load<f32>(a + (<usize>p << 2)) * load<f32>(row + (<usize>p << 2));
    storeScaled(c + (<usize>j << 2), sum, alpha, beta);
  }
}

/** Lane q of the result is the sum of the four lanes of input q (a transpose followed by adds). */
@inline
function horizontalSums(s0: v128, s1: v128, s2: v128, s3: v128): v128 {
  const s01 = f32x4.add(f32x4.shuffle(s0, s1, 0, 4, 1, 5), f32x4.shuffle(s0, s1, 2, 6, 3, 7));
  const s23 = f32x4.add(f32x4.shuffle(s2, s3, 0, 4, 1, 5), f32x4.shuffle(s2, s3, 2, 6, 3, 7));
  return f32x4.add(f32x4.shuffle(s01, s23, 0, 1, 4, 5), f32x4.shuffle(s01, s23, 2, 3, 6, 7));
}

/**
 * Packs rows i0..i0+mc of op(A), depth p0..p0+kc, as ⌈mc/4⌉ micro-panels [kc][4] one after the
 * other (zero rows pad the last one). dst: [⌈mc/4⌉, kc, 4] f32; a: [m, k] (lda), or [k, m] when transA.
 */
@inline
function packABlock(transA: bool, dst: usize, a: usize, lda: i32, i0: i32, p0: i32, mc: i32, kc: i32): void {
  const ldaBytes = <usize>lda << 2;
  for (let i = 0; i < mc; i += MR) {
    const panel = dst + (<usize>(i * kc) << 2);
    const rows = min(MR, mc - i);
    if (transA) packFromKMajor(panel, a + (<usize>p0 * ldaBytes) + (<usize>(i0 + i) << 2), ldaBytes, kc, MR, rows);
    else packFromRows(panel, a + (<usize>(i0 + i) * ldaBytes) + (<usize>p0 << 2), ldaBytes, kc, MR, rows);
  }
}

/**
 * Packs columns j0..j0+nc of op(B), depth p0..p0+kc, as ⌈nc/8⌉ micro-panels [kc][8] one after the
 * other (zero columns pad the last one). dst: [⌈nc/8⌉, kc, 8] f32; b: [k, n] (ldb), or [n, k]
 * when transB. Untransposed B is read row by row across the whole block: reading it panel by
 * panel strides through memory at ldb and, with ldb a multiple of 512 floats, keeps hitting the
 * same few L1 sets (gemmNN 512³ ran at 26 GFLOP/s that way against 41 for NT in the FMA build).
 */
@inline
function packBBlock(transB: bool, dst: usize, b: usize, ldb: i32, p0: i32, j0: i32, kc: i32, nc: i32): void {
  const ldbBytes = <usize>ldb << 2;
  const panelBytes = <usize>(kc * NR) << 2;
  if (transB) {
    for (let j = 0; j < nc; j += NR) {
      packFromRows(dst + <usize>(j / NR) * panelBytes, b + <usize>(j0 + j) * ldbBytes + (<usize>p0 << 2), ldbBytes, kc, NR, min(NR, nc - j));
    }
    return;
  }
  const full = nc & ~(NR - 1);
  for (let p = 0; p < kc; p++) {
    const from = b + <usize>(p0 + p) * ldbBytes + (<usize>j0 << 2);
    let out = dst + (<usize>(p * NR) << 2);
    let j = 0;
    for (; j < full; j += NR) {
      v128.store(out, v128.load(from + (<usize>j << 2)));
      v128.store(out, v128.load(from + (<usize>j << 2), 16), 16);
      out += panelBytes;
    }
    if (j < nc) {
      let r = 0;
      for (; j + r < nc; r++) store<f32>(out + (<usize>r << 2), load<f32>(from + (<usize>(j + r) << 2)));
      for (; r < NR; r++) store<f32>(out + (<usize>r << 2), 0);
    }
  }
}

/**
 * dst: [kc, width] = the transpose of src: [count, kc] (row stride ldBytes, k contiguous), rows
 * count..width-1 zero. Full panels go through 4×4 register transposes.
 */
@inline
function packFromRows(dst: usize, src: usize, ldBytes: usize, kc: i32, width: i32, count: i32): void {
  const dstRowBytes = <usize>width << 2;
  if (count < width) {
    for (let p = 0; p < kc; p++) {
      const out = dst + <usize>p * dstRowBytes;
      const from = src + (<usize>p << 2);
      let r = 0;
      for (; r < count; r++) store<f32>(out + (<usize>r << 2), load<f32>(from + <usize>r * ldBytes));
      for (; r < width; r++) store<f32>(out + (<usize>r << 2), 0);
    }
    return;
  }
  for (let g = 0; g < width; g += 4) {
    const row0 = src + <usize>g * ldBytes;
    const row1 = row0 + ldBytes;
    const row2 = row1 + ldBytes;
    const row3 = row2 + ldBytes;
    const out = dst + (<usize>g << 2);
    let p = 0;
    for (; p + 4 <= kc; p += 4) {
      const offset = <usize>p << 2;
      const x0 = v128.load(row0 + offset);
      const x1 = v128.load(row1 + offset);
      const x2 = v128.load(row2 + offset);
      const x3 = v128.load(row3 + offset);
      // 4×4 transpose: lane q of output vector q' collects element q' of row q.
      const lo01 = f32x4.shuffle(x0, x1, 0, 4, 1, 5);
      const lo23 = f32x4.shuffle(x2, x3, 0, 4, 1, 5);
      const hi01 = f32x4.shuffle(x0, x1, 2, 6, 3, 7);
      const hi23 = f32x4.shuffle(x2, x3, 2, 6, 3, 7);
      const at = out + <usize>p * dstRowBytes;
      v128.store(at, f32x4.shuffle(lo01, lo23, 0, 1, 4, 5));
      v128.store(at + dstRowBytes, f32x4.shuffle(lo01, lo23, 2, 3, 6, 7));
      v128.store(at + 2 * dstRowBytes, f32x4.shuffle(hi01, hi23, 0, 1, 4, 5));
      v128.store(at + 3 * dstRowBytes, f32x4.shuffle(hi01, hi23, 2, 3, 6, 7));
    }
    for (; p < kc; p++) {
      const offset = <usize>p << 2;
      const at = out + <usize>p * dstRowBytes;
      store<f32>(at, load<f32>(row0 + offset));
      store<f32>(at, load<f32>(row1 + offset), 4);
      store<f32>(at, load<f32>(row2 + offset), 8);
      store<f32>(at, load<f32>(row3 + offset), 12);
    }
  }
}

/**
 * dst: [kc, width] = src: [kc, count] (row stride ldBytes, contiguous along the width), columns
 * count..width-1 zero.
 */
@inline
function packFromKMajor(dst: usize, src: usize, ldBytes: usize, kc: i32, width: i32, count: i32): void {
  const dstRowBytes = <usize>width << 2;
  for (let p = 0; p < kc; p++) {
    const out = dst + <usize>p * dstRowBytes;
    const from = src + <usize>p * ldBytes;
    if (count == width) {
      for (let g = 0; g < width; g += 4) v128.store(out + (<usize>g << 2), v128.load(from + (<usize>g << 2)));
    } else {
      let r = 0;
      for (; r < count; r++) store<f32>(out + (<usize>r << 2), load<f32>(from + (<usize>r << 2)));
      for (; r < width; r++) store<f32>(out + (<usize>r << 2), 0);
    }
  }
}

/**
 * The 4×8 micro-kernel: C tile = alpha·(A panel · B panel) + beta·C tile, of which only
 * rows × cols (≤ 4 × 8) are written. c: [rows, cols] (ldcBytes); pa: [kc, 4] f32; pb: [kc, 8] f32.
 * Deliberately not @inline: as a small function of its own, TurboFan keeps its 8 accumulators
 * and pointers in registers; inlined into the driver's loop nest it ran about 7% slower.
 */
function gemm4x8(c: usize, ldcBytes: usize, pa: usize, pb: usize, kc: i32, rows: i32, cols: i32, alpha: f32, beta: f32): void {
  let c0lo = f32x4.splat(0), c0hi = f32x4.splat(0);
  let c1lo = f32x4.splat(0), c1hi = f32x4.splat(0);
  let c2lo = f32x4.splat(0), c2hi = f32x4.splat(0);
  let c3lo = f32x4.splat(0), c3hi = f32x4.splat(0);
  // kc ≥ 1. The loop's exit test is chosen per build by measurement (bench/README.md): a pointer
  // compare ran ~10% faster with FMA, a counter ~3% faster with mul + add.
  const pbEnd = pb + (<usize>(kc * NR) << 2);
  let p = 0;
  do {
    const blo = v128.load(pb);
    const bhi = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c0lo = madd(av, blo, c0lo);
    c0hi = madd(av, bhi, c0hi);
    av = v128.load32_splat(pa, 4);
    c1lo = madd(av, blo, c1lo);
    c1hi = madd(av, bhi, c1hi);
    av = v128.load32_splat(pa, 8);
    c2lo = madd(av, blo, c2lo);
    c2hi = madd(av, bhi, c2hi);
    av = v128.load32_splat(pa, 12);
    c3lo = madd(av, blo, c3lo);
    c3hi = madd(av, bhi, c3hi);
    pa += <usize>MR << 2;
    pb += <usize>NR << 2;
  } while (ASC_FEATURE_RELAXED_SIMD ? pb < pbEnd : ++p < kc);
  if (rows == MR && cols == NR) {
    const alphas = f32x4.splat(alpha);
    const c1 = c + ldcBytes;
    const c2 = c1 + ldcBytes;
    const c3 = c2 + ldcBytes;
    storeScaled4(c, c0lo, alphas, beta);
    storeScaled4(c + 16, c0hi, alphas, beta);
    storeScaled4(c1, c1lo, alphas, beta);
    storeScaled4(c1 + 16, c1hi, alphas, beta);
    storeScaled4(c2, c2lo, alphas, beta);
    storeScaled4(c2 + 16, c2hi, alphas, beta);
    storeScaled4(c3, c3lo, alphas, beta);
    storeScaled4(c3 + 16, c3hi, alphas, beta);
    return;
  }
  // Edge tile: park the accumulators in scratch and write back only the valid part.
  const tile = scratchBase() + PACKED_A_BYTES + PACKED_B_BYTES;
  v128.store(tile, c0lo, 0);
  v128.store(tile, c0hi, 16);
  v128.store(tile, c1lo, 32);
  v128.store(tile, c1hi, 48);
  v128.store(tile, c2lo, 64);
  v128.store(tile, c2hi, 80);
  v128.store(tile, c3lo, 96);
  v128.store(tile, c3hi, 112);
  for (let r = 0; r < rows; r++) {
    const cRow = c + <usize>r * ldcBytes;
    const tileRow = tile + (<usize>(r * NR) << 2);
    for (let j = 0; j < cols; j++) storeScaled(cRow + (<usize>j << 2), load<f32>(tileRow + (<usize>j << 2)), alpha, beta);
  }
}

/** c: [4] = alphas·sum + beta·c; beta = 0 never reads c (it may hold NaN). */
@inline
function storeScaled4(c: usize, sum: v128, alphas: v128, beta: f32): void {
  const scaled = f32x4.mul(sum, alphas);
  v128.store(c, beta != 0 ? f32x4.add(scaled, f32x4.mul(v128.load(c), f32x4.splat(beta))) : scaled);
}

/** c = alpha·sum + beta·c; beta = 0 never reads c. */
@inline
function storeScaled(c: usize, sum: f32, alpha: f32, beta: f32): void {
  store<f32>(c, beta != 0 ? alpha * sum + beta * load<f32>(c) : alpha * sum);
}

/** c: [m, n] (ldcBytes) = beta·c, or 0 when beta = 0 (k = 0: the product is empty). */
@inline
function scaleBlock(c: usize, ldcBytes: usize, m: i32, n: i32, beta: f32): void {
  const betas = f32x4.splat(beta);
  for (let i = 0; i < m; i++) {
    const row = c + <usize>i * ldcBytes;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const at = row + (<usize>j << 2);
      v128.store(at, beta != 0 ? f32x4.mul(v128.load(at), betas) : f32x4.splat(0));
    }
    for (; j < n; j++) {
      const at = row + (<usize>j << 2);
      store<f32>(at, beta != 0 ? beta * load<f32>(at) : 0);
    }
  }
}
