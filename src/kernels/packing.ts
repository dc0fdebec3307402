/** Columns of one panel written by the `packB` kernel. */
export const PACKED_PANEL_COLUMNS = 8;

/** Elements of `packB`'s output for op(B) [k, n]: ⌈n/8⌉ panels of k × 8 (zero-padded). */
export function packedPanelLength(k: number, n: number): number {
  return Math.ceil(n / PACKED_PANEL_COLUMNS) * PACKED_PANEL_COLUMNS * k;
}
