import { ValueError, oneOf } from '../errors.js';
import { Tensor } from '../tensor.js';
import { indexIn } from './options.js';

/** A cell that was empty or not a number, as `parseCsv` found it. */
export interface MissingCell {
  /** 1-based data row (the first row after the header is row 1). */
  readonly row: number;
  /** 1-based line of the text on which the row starts. */
  readonly line: number;
  readonly column: string;
  /** The cell's text as written (after removing quotes). */
  readonly text: string;
}

/** What `parseCsv` reports besides the numbers. */
export interface CsvReport {
  /** Every missing cell of the selected columns, in row order. */
  readonly missingCells: readonly MissingCell[];
  /** Data rows removed by `missing: 'drop'` (1-based row numbers). */
  readonly droppedRows: readonly number[];
}

/** Numeric columns parsed from CSV text, in float64, looked up by name or position. */
export class CsvTable {
  /** Column names in order (the header's, or '0', '1', … without a header). */
  readonly names: readonly string[];
  /** The columns by name. */
  readonly columns: Readonly<Record<string, Float64Array>>;
  readonly rowCount: number;
  readonly missingCells: readonly MissingCell[];
  readonly droppedRows: readonly number[];
  private readonly byName: ReadonlyMap<string, Float64Array>;

  constructor(names: readonly string[], columns: readonly Float64Array[], report: CsvReport) {
    if (names.length !== columns.length || names.length === 0) {
      throw new ValueError(`CsvTable: needs one column per name and at least one, got ${names.length} names and ${columns.length} columns`);
    }
    const rowCount = columns[0]!.length;
    columns.forEach((column, i) => {
      if (column.length !== rowCount) throw new ValueError(`CsvTable: column '${names[i]}' has ${column.length} rows, expected ${rowCount}`);
    });
    this.names = Object.freeze([...names]);
    this.byName = new Map(names.map((name, i) => [name, columns[i]!]));
    this.columns = Object.freeze(Object.fromEntries(this.byName));
    this.rowCount = rowCount;
    this.missingCells = Object.freeze([...report.missingCells]);
    this.droppedRows = Object.freeze([...report.droppedRows]);
  }

  /** One column by name, or by 0-based position. Unknown names list the available ones. */
  column(name: string | number): Float64Array {
    if (typeof name === 'number') return this.byName.get(this.names[indexIn('CsvTable.column', 'position', name, this.names.length)]!)!;
    return this.byName.get(oneOf('CsvTable.column', 'name', name, this.names))!;
  }

  /** The chosen columns (all by default) as a float32 Tensor [rowCount, columns]. */
  toTensor(names: readonly (string | number)[] = this.names): Tensor {
    const chosen = names.map((name) => this.column(name));
    const data = new Float32Array(this.rowCount * chosen.length);
    chosen.forEach((column, c) => {
      for (let r = 0; r < this.rowCount; r++) data[r * chosen.length + c] = column[r]!;
    });
    return new Tensor(data, [this.rowCount, chosen.length]);
  }
}
