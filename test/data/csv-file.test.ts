import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsvFile } from '../../src/data/csv-file.js';
import { ValueError } from '../../src/errors.js';

const dataFile = (name: string): URL => new URL(`../../data/${name}`, import.meta.url);

describe('readCsvFile', () => {
  it('reads data/sunspots.csv: 309 yearly rows, 1700-2008', async () => {
    const table = await readCsvFile(fileURLToPath(dataFile('sunspots.csv')));
    expect(table.names).toEqual(['YEAR', 'SUNACTIVITY']);
    expect(table.rowCount).toBe(309);
    const years = table.column('YEAR');
    expect([years[0], years[308]]).toEqual([1700, 2008]);
    expect(Array.from(table.column('SUNACTIVITY').slice(0, 4))).toEqual([5, 11, 16, 23]);
    expect(table.missingCells).toEqual([]);
  });

  it('reads data/digits.csv by URL: 1797 rows of a label and 64 pixels', async () => {
    const table = await readCsvFile(dataFile('digits.csv'));
    expect(table.rowCount).toBe(1797);
    expect(table.names.length).toBe(65);
    expect(table.names.slice(0, 3)).toEqual(['label', 'p00', 'p01']);
    const labels = table.column('label');
    expect(Math.min(...labels)).toBe(0);
    expect(Math.max(...labels)).toBe(9);
  });

  it('passes options on and names the file in errors', async () => {
    const path = fileURLToPath(dataFile('sunspots.csv'));
    const table = await readCsvFile(path, { columns: ['SUNACTIVITY'] });
    expect(table.names).toEqual(['SUNACTIVITY']);
    await expect(readCsvFile(path, { columns: ['SUNSPOTS'] })).rejects.toThrow(`readCsvFile(${path}): columns[0] must be one of 'YEAR', 'SUNACTIVITY'`);
    await expect(readCsvFile('data/no-such-file.csv')).rejects.toThrow(/readCsvFile\(data\/no-such-file.csv\): cannot read the file: ENOENT/);
    await expect(readCsvFile('data/no-such-file.csv')).rejects.toBeInstanceOf(ValueError);
    await expect(readCsvFile(7 as never)).rejects.toThrow('readCsvFile: path must be a string or URL, got 7');
  });
});

describe('browser safety of src/data', () => {
  it('only csv-file.ts mentions Node built-ins, and it imports them lazily', () => {
    const folder = fileURLToPath(new URL('../../src/data/', import.meta.url));
    const sources = readdirSync(folder).filter((name) => name.endsWith('.ts'));
    const usingNode = sources.filter((name) => readFileSync(folder + name, 'utf8').includes('node:'));
    expect(usingNode).toEqual(['csv-file.ts']);
    const fileModule = readFileSync(folder + 'csv-file.ts', 'utf8');
    expect(fileModule).not.toMatch(/^import[^;]*'node:/m);
    expect(fileModule).toContain("await import('node:fs/promises')");
    expect(readFileSync(fileURLToPath(new URL('../../src/metrics.ts', import.meta.url)), 'utf8')).not.toContain('node:');
  });
});
