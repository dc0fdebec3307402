// The README's parity-tolerance table, generated from the kernel cases (test/kernels/cases.ts).
//   npx tsx scripts/tolerance-table.ts          prints the table
//   npx tsx scripts/tolerance-table.ts --write  replaces the README text between the markers
// test/kernels/tolerance-table.test.ts fails when the README differs from what this prints.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTolerance } from '../test/helpers/tolerance.js';
import type { KernelCase } from '../test/kernels/case.js';
import { cases } from '../test/kernels/cases.js';

export const README_PATH = fileURLToPath(new URL('../README.md', import.meta.url));
export const START_MARKER = '<!-- tolerance-table:start -->';
export const END_MARKER = '<!-- tolerance-table:end -->';

const CAPTION =
  'Each output element of a Wasm kernel must satisfy |wasm − ts| ≤ abs + rel·|ts| against its TS twin ' +
  '(NaN matches NaN, ±Infinity must match exactly), over random calls in the input domain and fixed special calls. ' +
  'u = 2⁻²⁴ is the f32 unit roundoff, 2⁻¹⁴⁹ the smallest f32 denormal, 2⁻⁵³ the f64 unit roundoff; ' +
  'max|Δ| is the largest change the call makes to its outputs (TS twin in float64); ' +
  'max|x| is the largest finite |value| in buffer x; fixed numbers are shown to 3 significant digits. ' +
  'Generated from `test/kernels/cases/*.ts` by `npm run docs:tolerances`; do not edit by hand.';

/** Kernels whose tolerance depends on the call but states no formula (the table cannot print it). */
export function kernelsMissingNotes(list: readonly KernelCase[] = cases): string[] {
  return list.filter((c) => typeof c.tolerance === 'function' && !c.toleranceNote?.trim()).map((c) => c.kernel);
}

/** The tolerance column: a fixed tolerance's numbers and its reason, or a call-dependent tolerance's formula. */
function toleranceCell(c: KernelCase): string {
  if (typeof c.tolerance === 'function') return c.toleranceNote?.trim() || 'depends on the call (toleranceNote missing)';
  const numbers = formatTolerance(c.tolerance);
  return c.toleranceNote ? `${numbers} (${c.toleranceNote})` : numbers;
}

/** A pipe inside a cell would end it (GFM tables, also inside backticks). */
const cell = (text: string): string => text.replaceAll('|', '\\|');

/** The caption and the table, one row per kernel in `cases` order. */
export function toleranceTable(list: readonly KernelCase[] = cases): string {
  const rows = list.map((c) => `| \`${c.kernel}\` | ${cell(c.domain)} | ${cell(toleranceCell(c))} |`);
  return [CAPTION, '', '| kernel | input domain | tolerance (Wasm vs TS twin) |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The README text between the markers, trimmed (throws when the markers are missing). */
export function readmeTable(readme: string): string {
  const { from, to } = markerRange(readme);
  return readme.slice(from, to).trim();
}

/** The README with the text between the markers replaced by `table`. */
export function withTable(readme: string, table: string): string {
  const { from, to } = markerRange(readme);
  return `${readme.slice(0, from)}\n${table}\n${readme.slice(to)}`;
}

function markerRange(readme: string): { from: number; to: number } {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`README.md needs ${START_MARKER} followed by ${END_MARKER}`);
  return { from: start + START_MARKER.length, to: end };
}

function main(): void {
  const table = toleranceTable();
  const missing = kernelsMissingNotes();
  if (missing.length > 0) console.error(`warning: no toleranceNote for call-dependent tolerances of ${missing.join(', ')}`);
  if (!process.argv.includes('--write')) {
    console.log(table);
    return;
  }
  writeFileSync(README_PATH, withTable(readFileSync(README_PATH, 'utf8'), table));
  console.log(`README.md: tolerance table of ${cases.length} kernels written`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
