import { ValueError } from '../errors.js';

/**
 * A small SVG line chart: axes with round-number ticks (or powers of ten on a log axis), a title,
 * axis labels, a legend, and one polyline per series. Enough for the project report's and the examples'
 * pictures without a chart dependency; the SVG opens in any browser.
 */

export interface ChartSeries {
  name: string;
  /** x of each point; default 0, 1, 2, … */
  x?: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Any SVG colour; default: the next colour of the palette. */
  color?: string;
  dashed?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel?: string;
  yLabel?: string;
  /** Logarithmic y axis; points with y ≤ 0 are left out. */
  logY?: boolean;
  /** Pixels; default 720 × 360. */
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const MARGIN = { left: 64, right: 16, bottom: 48 };
/** Estimated width of a legend character: the legend is laid out without measuring text. */
const CHAR_WIDTH = 6.5;
const LEGEND_ROW = 16;

interface Axis {
  lo: number;
  hi: number;
  ticks: { value: number; label: string }[];
}

/** The SVG document of a line chart of `series`. A point whose y is not finite breaks its line. */
export function lineChartSvg(series: readonly ChartSeries[], options: LineChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 360;
  const logY = options.logY ?? false;
  const points = series.map((s) => pointsOf(s, logY));
  const xs = points.flat().map((p) => p.x);
  const ys = points.flat().map((p) => p.y);
  if (xs.length === 0) throw new ValueError(`lineChartSvg(${options.title}): no point to draw`);
  const xAxis = linearAxis(Math.min(...xs), Math.max(...xs), 8);
  const yAxis = logY ? logAxis(Math.min(...ys), Math.max(...ys)) : linearAxis(Math.min(...ys), Math.max(...ys), 6);
  const legend = legendLayout(series, MARGIN.left, width - MARGIN.right);
  const plot = { left: MARGIN.left, right: width - MARGIN.right, top: 36 + legend.rows * LEGEND_ROW, bottom: height - MARGIN.bottom };
  const px = (x: number) => plot.left + ((x - xAxis.lo) / (xAxis.hi - xAxis.lo)) * (plot.right - plot.left);
  const py = (y: number) => plot.bottom - ((y - yAxis.lo) / (yAxis.hi - yAxis.lo)) * (plot.bottom - plot.top);
  const n = (v: number) => v.toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="15" font-weight="bold">${escapeXml(options.title)}</text>`,
  ];
  for (const tick of yAxis.ticks) {
    const y = n(py(tick.value));
    parts.push(`<line x1="${plot.left}" y1="${y}" x2="${plot.right}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${plot.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeXml(tick.label)}</text>`);
  }
  for (const tick of xAxis.ticks) {
    const x = n(px(tick.value));
    parts.push(`<line x1="${x}" y1="${plot.top}" x2="${x}" y2="${plot.bottom}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${x}" y="${plot.bottom + 16}" text-anchor="middle">${escapeXml(tick.label)}</text>`);
  }
  parts.push(`<rect x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none" stroke="#888"/>`);
  if (options.xLabel !== undefined) parts.push(`<text x="${(plot.left + plot.right) / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  if (options.yLabel !== undefined) {
    parts.push(`<text transform="translate(14 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`);
  }
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const path = points[i]!.map((p) => `${p.breakBefore ? 'M' : 'L'}${n(px(p.x))},${n(py(p.y))}`).join(' ');
    const dash = s.dashed === true ? ' stroke-dasharray="6 4"' : '';
    parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="1.8"${dash}/>`);
    const { x, y } = legend.positions[i]!;
    parts.push(`<line x1="${x}" y1="${y}" x2="${x + 24}" y2="${y}" stroke="${color}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${x + 30}" y="${y}" dominant-baseline="middle">${escapeXml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/** Legend entries left to right under the title, wrapping onto new rows at the right edge. */
function legendLayout(series: readonly ChartSeries[], left: number, right: number): { positions: { x: number; y: number }[]; rows: number } {
  let x = left;
  let row = 0;
  const positions = series.map((s) => {
    const entryWidth = 30 + s.name.length * CHAR_WIDTH + 20;
    if (x > left && x + entryWidth > right) {
      x = left;
      row++;
    }
    const position = { x, y: 38 + row * LEGEND_ROW };
    x += entryWidth;
    return position;
  });
  return { positions, rows: row + 1 };
}

interface Point {
  x: number;
  /** log10(y) on a log axis. */
  y: number;
  /** Starts a new line segment (after a gap). */
  breakBefore: boolean;
}

function pointsOf(series: ChartSeries, logY: boolean): Point[] {
  const out: Point[] = [];
  let gap = true;
  for (let i = 0; i < series.y.length; i++) {
    const x = series.x === undefined ? i : series.x[i]!;
    const raw = series.y[i]!;
    const y = logY ? (raw > 0 ? Math.log10(raw) : Number.NaN) : raw;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      gap = true;
      continue;
    }
    out.push({ x, y, breakBefore: gap });
    gap = false;
  }
  return out;
}

/** Round-number ticks (1, 2 or 5 × 10^k apart) covering [min, max]. */
function linearAxis(min: number, max: number, count: number): Axis {
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return linearAxis(min - pad, max + pad, count);
  }
  const rough = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const ticks = [];
  for (let k = 0; lo + k * step <= hi + step * 1e-9; k++) {
    const value = lo + k * step;
    ticks.push({ value, label: value.toFixed(decimals) });
  }
  return { lo, hi, ticks };
}

/** Ticks at the powers of ten covering [min, max], in log10 units. */
function logAxis(min: number, max: number): Axis {
  const lo = Math.floor(min);
  const hi = Math.max(Math.ceil(max), lo + 1);
  const every = Math.ceil((hi - lo) / 8);
  const ticks = [];
  for (let k = lo; k <= hi; k += every) ticks.push({ value: k, label: k >= 0 && k <= 3 ? String(10 ** k) : `1e${k}` });
  return { lo, hi, ticks };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
