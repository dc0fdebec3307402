/**
 * Charts for the terminal: unicode block sparklines (▁▂▃▄▅▆▇█). Several series drawn on one shared
 * scale, one row each, compare at a glance: `actual ▁▃▆█▅▂` over `forecast ▁▂▆▇▅▃`.
 */

const BLOCKS = '▁▂▃▄▅▆▇█';

export interface SparklineRow {
  label: string;
  values: ArrayLike<number>;
}

export interface SparklineOptions {
  /** Characters per row; longer series are averaged into this many buckets. Default 64. */
  width?: number;
  /** Scale by log10 (values ≤ 0 are drawn as blanks), for quantities spanning decades. */
  log?: boolean;
}

/** One line per row, all on one scale, each followed by the row's range: `label ▁▂█ 0.1…9.3`. */
export function sparklines(rows: readonly SparklineRow[], options: SparklineOptions = {}): string[] {
  const width = options.width ?? 64;
  const log = options.log ?? false;
  const scaled = rows.map((row) => bucketMeans(Array.from(row.values, (v) => (log ? (v > 0 ? Math.log10(v) : Number.NaN) : v)), width));
  const finite = scaled.flat().filter(Number.isFinite);
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const labelWidth = Math.max(...rows.map((row) => row.label.length));
  return rows.map((row, i) => {
    const own = Array.from(row.values).filter(Number.isFinite);
    const range = own.length === 0 ? '' : ` ${formatValue(Math.min(...own))}…${formatValue(Math.max(...own))}`;
    return `${row.label.padEnd(labelWidth)} ${blocks(scaled[i]!, lo, hi)}${range}`;
  });
}

function blocks(values: readonly number[], lo: number, hi: number): string {
  return values
    .map((v) => {
      if (!Number.isFinite(v)) return ' ';
      const level = hi > lo ? Math.round(((v - lo) / (hi - lo)) * (BLOCKS.length - 1)) : 0;
      return BLOCKS[level]!;
    })
    .join('');
}

/** At most `width` values: the means of equal runs of the input (NaN where a run has none). */
function bucketMeans(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  return Array.from({ length: width }, (_, b) => {
    const run = values.slice(Math.floor((b * values.length) / width), Math.floor(((b + 1) * values.length) / width)).filter(Number.isFinite);
    return run.length === 0 ? Number.NaN : run.reduce((a, v) => a + v, 0) / run.length;
  });
}

function formatValue(v: number): string {
  const size = Math.abs(v);
  return size !== 0 && (size < 1e-2 || size >= 1e5) ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}
