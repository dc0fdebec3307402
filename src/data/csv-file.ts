// The one Node-only module of src/data: `node:fs/promises` is imported when readCsvFile runs, so a
// browser bundle that never calls it stays free of Node built-ins.
import { ValueError, describe } from '../errors.js';
import { parseCsvAs, type CsvOptions } from './csv.js';
import type { CsvTable } from './csv-table.js';

/** Reads a UTF-8 CSV file (Node only) and parses it like `parseCsv`; errors name the file. */
export async function readCsvFile(path: string | URL, options?: CsvOptions): Promise<CsvTable> {
  if (typeof path !== 'string' && !(path instanceof URL)) throw new ValueError(`readCsvFile: path must be a string or URL, got ${describe(path)}`);
  const where = `readCsvFile(${String(path)})`;
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new ValueError(`${where}: cannot read the file: ${(cause as Error).message}`, { cause });
  }
  return parseCsvAs(where, text, options);
}
