import { OptionError, ValueError, bool, describe, oneOf } from '../errors.js';
import { splitRecords, type CsvRecord } from './csv-records.js';
import { CsvTable, type MissingCell } from './csv-table.js';
import { indexIn, readOptions } from './options.js';

/** What to do with empty or non-numeric cells. */
export type MissingPolicy = 'error' | 'interpolate' | 'drop';

export interface CsvOptions {
  /** The first row holds the column names (default true). Without it columns are named '0', '1', …. */
  header?: boolean;
  /** One character between fields (default ','). */
  delimiter?: string;
  /** Keep only these columns (names or 0-based positions), in this order; the others may hold any text. */
  columns?: readonly (string | number)[];
  /** 'error' (default) throws listing the cells; 'drop' removes their rows; 'interpolate' fills them linearly. */
  missing?: MissingPolicy;
}

const OPTION_NAMES = ['header', 'delimiter', 'columns', 'missing'] as const;
const MISSING_POLICIES: readonly MissingPolicy[] = ['error', 'interpolate', 'drop'];
/** Plain decimal numbers: no hex, no separators, no 'Infinity' or 'NaN' (those count as missing). */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** How many missing cells an error message lists. */
const LISTED = 5;

/**
 * Parses CSV text into numeric columns (float64). Quoted fields may hold delimiters, line breaks and
 * doubled quotes. Cells that are empty or not plain decimal numbers are missing; see `missing`.
 */
export function parseCsv(text: string, options?: CsvOptions): CsvTable {
  return parseCsvAs('parseCsv', text, options);
}

/** `parseCsv` whose errors start with `where` (readCsvFile names the file there). */
export function parseCsvAs(where: string, text: string, options?: CsvOptions): CsvTable {
  const opts = readOptions(where, options, OPTION_NAMES);
  const header = bool(where, 'header', opts.header ?? true);
  const delimiter = readDelimiter(where, opts.delimiter ?? ',');
  const policy = oneOf(where, 'missing', opts.missing ?? 'error', MISSING_POLICIES);
  if (typeof text !== 'string') throw new ValueError(`${where}: text must be a string, got ${describe(text)}`);

  const records = splitRecords(where, text, delimiter);
  if (records.length === 0) throw new ValueError(`${where}: the text is empty: no header and no rows`);
  const names = header ? records[0]!.fields.map((name, i) => name.trim() || String(i)) : records[0]!.fields.map((_, i) => String(i));
  checkUniqueNames(where, names);
  const rows = header ? records.slice(1) : records;
  if (rows.length === 0) throw new ValueError(`${where}: the text has a header (${quoteList(names)}) but no data rows`);
  checkFieldCounts(where, rows, names);

  const selected = selectColumns(where, opts.columns, names);
  const chosenNames = selected.map((c) => names[c]!);
  const cells: MissingCell[] = [];
  const columns = selected.map((c, k) => readColumn(rows, c, chosenNames[k]!, cells));
  cells.sort((a, b) => a.row - b.row);
  checkSomeNumbers(where, chosenNames, columns, cells);
  if (cells.length > 0 && policy === 'error') throw missingError(where, cells);
  if (cells.length > 0 && policy === 'drop') return dropRows(where, chosenNames, columns, cells, rows.length);
  columns.forEach(interpolateGaps);
  return new CsvTable(chosenNames, columns, { missingCells: cells, droppedRows: [] });
}

function readDelimiter(where: string, value: unknown): string {
  if (typeof value !== 'string' || value.length !== 1 || value === '"' || value === '\n' || value === '\r') {
    throw new OptionError(`${where}: delimiter must be one character other than '"' and line breaks, got ${describe(value)}`);
  }
  return value;
}

function checkUniqueNames(where: string, names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new ValueError(`${where}: column name '${name}' appears twice in the header (${quoteList(names)}); names must be unique`);
    seen.add(name);
  }
}

function checkFieldCounts(where: string, rows: readonly CsvRecord[], names: readonly string[]): void {
  rows.forEach((record, r) => {
    if (record.fields.length !== names.length) {
      throw new ValueError(
        `${where}: row ${r + 1} (line ${record.line}) has ${record.fields.length} fields, expected ${names.length} like the first row (${quoteList(names)})`,
      );
    }
  });
}

/** 0-based positions of the chosen columns (all when `columns` is omitted). */
function selectColumns(where: string, columns: unknown, names: readonly string[]): number[] {
  if (columns === undefined) return names.map((_, i) => i);
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new OptionError(`${where}: columns must be a non-empty array of column names or positions, got ${describe(columns)}`);
  }
  const chosen = columns.map((column, k) =>
    typeof column === 'number' ? indexIn(where, `columns[${k}]`, column, names.length) : names.indexOf(oneOf(where, `columns[${k}]`, column, names)),
  );
  chosen.forEach((c, k) => {
    if (chosen.indexOf(c) !== k) throw new OptionError(`${where}: columns lists column '${names[c]}' twice (at ${chosen.indexOf(c)} and ${k})`);
  });
  return chosen;
}

/** The numbers of column `c`; missing cells become NaN and are appended to `cells`. */
function readColumn(rows: readonly CsvRecord[], c: number, name: string, cells: MissingCell[]): Float64Array {
  const column = new Float64Array(rows.length);
  rows.forEach((record, r) => {
    const text = record.fields[c]!;
    const trimmed = text.trim();
    const value = NUMBER.test(trimmed) ? Number(trimmed) : Number.NaN;
    column[r] = value;
    if (!Number.isFinite(value)) {
      column[r] = Number.NaN;
      cells.push({ row: r + 1, line: record.line, column: name, text });
    }
  });
  return column;
}

/** A column without a single number is almost always a text column (dates, labels): say so. */
function checkSomeNumbers(where: string, names: readonly string[], columns: readonly Float64Array[], cells: readonly MissingCell[]): void {
  columns.forEach((column, k) => {
    if (!column.every(Number.isNaN)) return;
    const first = cells.find((cell) => cell.column === names[k])!;
    const others = names.filter((_, j) => j !== k);
    const hint = others.length > 0 ? `; choose numeric columns with the columns option, e.g. columns: [${others.map((n) => `'${n}'`).join(', ')}]` : '';
    throw new ValueError(`${where}: column '${names[k]}' has no numbers (row ${first.row} (line ${first.line}) holds ${describe(first.text)})${hint}`);
  });
}

function missingError(where: string, cells: readonly MissingCell[]): ValueError {
  const listed = cells.slice(0, LISTED).map((cell) => `row ${cell.row} (line ${cell.line}) column '${cell.column}' ${cell.text.trim() === '' ? 'is empty' : `is ${describe(cell.text)}`}`);
  const more = cells.length > LISTED ? `; and ${cells.length - LISTED} more` : '';
  return new ValueError(
    `${where}: ${cells.length} cell${cells.length === 1 ? ' is' : 's are'} empty or not a number: ${listed.join('; ')}${more}. ` +
      `Fix the data, choose other columns with the columns option, or pass missing: 'drop' (remove those rows) or missing: 'interpolate' (fill linearly from the neighbouring rows)`,
  );
}

/**
 * Fills NaN gaps in place: linearly between the nearest numbers above and below; gaps at the start
 * or the end take the nearest number (pandas `interpolate(limit_direction='both')`). The column
 * holds at least one number (checkSomeNumbers).
 */
function interpolateGaps(column: Float64Array): void {
  let previous = -1;
  for (let r = 0; r < column.length; r++) {
    if (Number.isNaN(column[r]!)) continue;
    for (let gap = previous + 1; gap < r; gap++) {
      column[gap] = previous < 0 ? column[r]! : column[previous]! + ((column[r]! - column[previous]!) * (gap - previous)) / (r - previous);
    }
    previous = r;
  }
  column.fill(column[previous]!, previous + 1);
}

function dropRows(where: string, names: readonly string[], columns: readonly Float64Array[], cells: readonly MissingCell[], rowCount: number): CsvTable {
  const dropped = [...new Set(cells.map((cell) => cell.row))];
  if (dropped.length === rowCount) throw new ValueError(`${where}: missing: 'drop' removes all ${rowCount} rows; every row has an empty or non-numeric cell`);
  const keep = new Set(dropped);
  const kept = columns.map((column) => column.filter((_, r) => !keep.has(r + 1)));
  return new CsvTable(names, kept, { missingCells: cells, droppedRows: dropped });
}

function quoteList(names: readonly string[]): string {
  const shown = names.slice(0, 8).map((n) => `'${n}'`).join(', ');
  return names.length > 8 ? `${shown}, … ${names.length} columns` : shown;
}
