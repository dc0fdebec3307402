import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv.js';
import { OptionError, ValueError } from '../../src/errors.js';

const list = (values: ArrayLike<number>): number[] => Array.from(values);

describe('parseCsv: reading', () => {
  it('returns float64 columns by name and by position, in header order', () => {
    const table = parseCsv('year,value\n2000,1.5\n2001,-2e1\n');
    expect(table.names).toEqual(['year', 'value']);
    expect(table.rowCount).toBe(2);
    expect(table.column('year')).toBeInstanceOf(Float64Array);
    expect(list(table.column('year'))).toEqual([2000, 2001]);
    expect(list(table.column(1))).toEqual([1.5, -20]);
    expect(list(table.columns['value']!)).toEqual([1.5, -20]);
    expect(table.missingCells).toEqual([]);
    expect(table.droppedRows).toEqual([]);
  });

  it('keeps float64 precision (no float32 rounding) and returns a [rows, columns] Tensor on request', () => {
    const table = parseCsv('a,b\n0.1,1\n16777217,2');
    expect(list(table.column('a'))).toEqual([0.1, 16777217]);
    const t = table.toTensor(['b', 'a']);
    expect(t.shape).toEqual([2, 2]);
    expect(Array.from(t.data)).toEqual([1, Math.fround(0.1), 2, 16777216]);
    expect(table.toTensor().shape).toEqual([2, 2]);
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks', () => {
    const table = parseCsv('"x, y","say ""hi"""\n"1",2\n" 3 ","4"');
    expect(table.names).toEqual(['x, y', 'say "hi"']);
    expect(list(table.column('x, y'))).toEqual([1, 3]);
    expect(list(table.column('say "hi"'))).toEqual([2, 4]);
    const notes = parseCsv('id,note,v\n1,"line one\nline two, with comma",5\n2,plain,6', { columns: ['v', 'id'] });
    expect(notes.names).toEqual(['v', 'id']);
    expect(list(notes.column('v'))).toEqual([5, 6]);
  });

  it('handles CRLF, a byte-order mark, blank lines and a missing final newline', () => {
    const table = parseCsv('\ufeffa,b\r\n1,2\r\n\r\n3,4\n\n');
    expect(table.names).toEqual(['a', 'b']);
    expect(list(table.column('a'))).toEqual([1, 3]);
    expect(list(parseCsv('a\n1\n2').column('a'))).toEqual([1, 2]);
  });

  it('names columns by position without a header, and takes another delimiter', () => {
    const table = parseCsv('1;2\n3;4', { header: false, delimiter: ';' });
    expect(table.names).toEqual(['0', '1']);
    expect(list(table.column('1'))).toEqual([2, 4]);
    expect(list(parseCsv('a\tb\n5\t6', { delimiter: '\t' }).column('b'))).toEqual([6]);
  });

  it('reads plain decimal numbers only, trimming spaces', () => {
    const table = parseCsv('v\n 7 \n-.5\n+2.\n1e3\n1E-2', { header: true });
    expect(list(table.column('v'))).toEqual([7, -0.5, 2, 1000, 0.01]);
  });

  it('selects columns by name or position; the others may hold text', () => {
    const table = parseCsv('date,temp,rain\n2001-01-01,3,0.5\n2001-01-02,4,0', { columns: [2, 'temp'] });
    expect(table.names).toEqual(['rain', 'temp']);
    expect(list(table.column('rain'))).toEqual([0.5, 0]);
    expect(() => table.column('date')).toThrow(/name must be one of 'rain', 'temp', got "date"/);
  });
});

describe('parseCsv: missing values', () => {
  const gappy = 'a,b\n1,\n2,n/a\n3,6\n4,NaN\n5,Infinity\n6,0x10\n7,8\n8,';

  it('throws by default, listing the first five cells with row, line and column, and the options to change it', () => {
    const error = captureError(() => parseCsv(gappy));
    expect(error).toBeInstanceOf(ValueError);
    expect(error.message).toContain('parseCsv: 6 cells are empty or not a number');
    expect(error.message).toContain(`row 1 (line 2) column 'b' is empty; row 2 (line 3) column 'b' is "n/a"; row 4 (line 5) column 'b' is "NaN"`);
    expect(error.message).toContain(`row 6 (line 7) column 'b' is "0x10"; and 1 more`);
    expect(error.message).toContain("missing: 'drop'");
    expect(error.message).toContain("missing: 'interpolate'");
    expect(() => parseCsv('a\n1\n')).not.toThrow();
    expect(captureError(() => parseCsv('a,b\n1,x\n2,3')).message).toContain('1 cell is empty or not a number');
  });

  it('counts rows after multi-line quoted fields by the line they start on', () => {
    const error = captureError(() => parseCsv('id,note,v\n1,"a\nb",5\n2,c,', { columns: ['v'] }));
    expect(error.message).toContain("row 2 (line 4) column 'v' is empty");
  });

  it("'interpolate' fills gaps linearly and copies the nearest value at the ends", () => {
    const table = parseCsv('v,w\n,1\n2,\n,\n,4\n8,5\n,6', { missing: 'interpolate' });
    expect(list(table.column('v'))).toEqual([2, 2, 4, 6, 8, 8]);
    expect(list(table.column('w'))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(table.rowCount).toBe(6);
    expect(table.missingCells.map((c) => [c.row, c.column])).toEqual([
      [1, 'v'], [2, 'w'], [3, 'v'], [3, 'w'], [4, 'v'], [6, 'v'],
    ]);
    expect(table.droppedRows).toEqual([]);
  });

  it("'drop' removes every row with a missing cell and reports them", () => {
    const table = parseCsv(gappy, { missing: 'drop' });
    expect(list(table.column('a'))).toEqual([3, 7]);
    expect(list(table.column('b'))).toEqual([6, 8]);
    expect(table.droppedRows).toEqual([1, 2, 4, 5, 6, 8]);
    expect(table.missingCells[0]).toEqual({ row: 1, line: 2, column: 'b', text: '' });
  });

  it('only looks at the selected columns', () => {
    expect(list(parseCsv('a,b\n1,\n2,x', { columns: ['a'] }).column('a'))).toEqual([1, 2]);
  });

  it('says when a column holds no numbers at all, whatever the policy', () => {
    for (const missing of ['error', 'drop', 'interpolate'] as const) {
      expect(() => parseCsv('date,v\n2001-01-01,1\n2001-01-02,2', { missing })).toThrow(
        `parseCsv: column 'date' has no numbers (row 1 (line 2) holds "2001-01-01"); choose numeric columns with the columns option, e.g. columns: ['v']`,
      );
    }
  });

  it("'drop' refuses to drop every row", () => {
    expect(() => parseCsv('a,b\n1,\n,2', { missing: 'drop' })).toThrow(/missing: 'drop' removes all 2 rows/);
  });
});

describe('parseCsv: errors name the problem', () => {
  it('malformed text', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(`parseCsv: row 2 (line 3) has 1 fields, expected 2 like the first row ('a', 'b')`);
    expect(() => parseCsv('a,b\n1,"2\n3,4')).toThrow(`parseCsv: line 2: a quoted field is never closed (missing '"')`);
    expect(() => parseCsv('a,b\n1,"2"x\n')).toThrow(/line 2: unexpected "x" after a closing quote/);
    expect(() => parseCsv('a,b,a\n1,2,3')).toThrow(/column name 'a' appears twice in the header/);
    expect(() => parseCsv('')).toThrow('parseCsv: the text is empty: no header and no rows');
    expect(() => parseCsv('\n\n')).toThrow(ValueError);
    expect(() => parseCsv('a,b\n')).toThrow(`parseCsv: the text has a header ('a', 'b') but no data rows`);
    expect(() => parseCsv(42 as never)).toThrow('parseCsv: text must be a string, got 42');
  });

  it('bad options', () => {
    expect(() => parseCsv('a\n1', { delimeter: ';' } as never)).toThrow(/unknown option 'delimeter' \(did you mean 'delimiter'\?\)/);
    expect(() => parseCsv('a\n1', { delimiter: ';;' })).toThrow(/delimiter must be one character other than '"' and line breaks, got ";;"/);
    expect(() => parseCsv('a\n1', { delimiter: '"' })).toThrow(OptionError);
    expect(() => parseCsv('a\n1', { missing: 'interpolte' as never })).toThrow(
      `parseCsv: missing must be one of 'error', 'interpolate', 'drop', got "interpolte" (did you mean 'interpolate'?)`,
    );
    expect(() => parseCsv('a\n1', { header: 'yes' as never })).toThrow('parseCsv: header must be true or false, got "yes"');
    expect(() => parseCsv('a\n1', 'header' as never)).toThrow(/options must be an object/);
  });

  it('unknown or repeated columns list the available ones, with a did-you-mean', () => {
    const text = 'YEAR,SUNACTIVITY\n1700,5';
    expect(() => parseCsv(text, { columns: ['YAER'] })).toThrow(
      `parseCsv: columns[0] must be one of 'YEAR', 'SUNACTIVITY', got "YAER" (did you mean 'YEAR'?)`,
    );
    expect(() => parseCsv(text, { columns: [2] })).toThrow('parseCsv: columns[0] must be an integer in [0, 2), got 2');
    expect(() => parseCsv(text, { columns: ['YEAR', 0] })).toThrow(/columns lists column 'YEAR' twice/);
    expect(() => parseCsv(text, { columns: [] })).toThrow(/columns must be a non-empty array/);
    const table = parseCsv(text);
    expect(() => table.column('sunactivity')).toThrow(/got "sunactivity" \(did you mean 'SUNACTIVITY'\?\)/);
    expect(() => table.column(5)).toThrow('CsvTable.column: position must be an integer in [0, 2), got 5');
    expect(() => table.column('nothing like it')).toThrow(OptionError);
  });
});

function captureError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
