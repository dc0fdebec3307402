/**
 * How a GEMM's output C [m, n] is cut between threads. Each output element belongs to exactly one
 * slice, and each slice runs the unchanged single-thread kernel, so every element sees the same
 * summation order over k as with one thread: results are bitwise identical.
 *
 * Row slices start on multiples of ROW_ALIGN and column slices on multiples of COLUMN_ALIGN (the
 * micro-kernel's 4×8 register tile), so a slice's tiles line up with the tiles of the whole call.
 */
export interface Slice {
  readonly row: number;
  readonly rows: number;
  readonly column: number;
  readonly columns: number;
}

export const ROW_ALIGN = 4;
export const COLUMN_ALIGN = 8;
/** A slice smaller than this many rows (or columns) costs more in hand-off than it saves. */
const MIN_SLICE = 16;

/**
 * Cuts C [m, n] into at most `parts` slices along its longer side. Each thread packs the whole
 * operand it does not cut (all of B for a block of rows, all of A for a block of columns), so
 * cutting the longer side keeps that duplicated packing the smaller one: rows for the T·B-row
 * input projections, columns for a per-step product [B, H]·[H, G·H] and for B = 1 inference.
 * `rowsOnly` is for products whose B operand is pre-packed into column panels (nothing to pack).
 * A side too short for `parts` slices is not cut; if neither is, the product stays whole.
 */
export function partition(m: number, n: number, parts: number, rowsOnly = false): Slice[] {
  const rowsFit = parts > 1 && m >= parts * MIN_SLICE;
  const columnsFit = parts > 1 && !rowsOnly && n >= parts * MIN_SLICE;
  if (columnsFit && (n > m || !rowsFit)) {
    return cut(n, parts, COLUMN_ALIGN).map(([column, columns]) => ({ row: 0, rows: m, column, columns }));
  }
  if (rowsFit) return cut(m, parts, ROW_ALIGN).map(([row, rows]) => ({ row, rows, column: 0, columns: n }));
  return [{ row: 0, rows: m, column: 0, columns: n }];
}

/** [start, length] pairs covering 0..total in near-equal pieces whose starts are multiples of `align`. */
function cut(total: number, parts: number, align: number): [number, number][] {
  const step = Math.ceil(total / parts / align) * align;
  const pieces: [number, number][] = [];
  for (let start = 0; start < total; start += step) pieces.push([start, Math.min(step, total - start)]);
  return pieces;
}
