// Reads the project's data file and checks it against the project (column, labels, missing values,
// window against the training split) before any training starts. Node only: node:fs is imported
// when a project runs.
import { parseCsvAs } from '../data/csv.js';
import { splitRecords } from '../data/csv-records.js';
import type { CsvTable } from '../data/csv-table.js';
import type { Tokenizer } from '../data/tokenizer.js';
import { OptionError, WasmRnnError, oneOf } from '../errors.js';
import { classSource } from './classify-data.js';
import { usableTargets, type SeriesSource } from './forecast-data.js';
import { ProjectError } from './project-error.js';
import type { ProjectSettings } from './settings.js';
import type { TaskSource } from './task-source.js';
import { textSource } from './text-data.js';

export interface LoadedData {
  source: TaskSource;
  /** text: saved with the model. */
  tokenizer: Tokenizer | null;
  /** One line on what was read, for the report. */
  summary: string;
}

export async function loadData(settings: ProjectSettings, windows: readonly number[]): Promise<LoadedData> {
  const text = await readText(settings);
  if (settings.task === 'text') return loadText(settings, text);
  const table = parseTable(settings, text);
  if (settings.task === 'classify') return loadClasses(settings, table);
  return loadSeries(settings, table, windows);
}

async function readText(settings: ProjectSettings): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(settings.data.file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : (cause as Error).message;
    throw new ProjectError(`${settings.source}: data.file must be a readable ${settings.task === 'text' ? 'text' : 'CSV'} file (relative to the project file), but ${settings.data.file}: ${why}`, { cause });
  }
}

/** The CSV's chosen columns; parse problems become ProjectErrors naming the key to change. */
function parseTable(settings: ProjectSettings, text: string): CsvTable {
  const { data, source } = settings;
  const names = headerNames(data.file, text);
  if (names.length === 0) throw new ProjectError(`${source}: data.file must be a CSV file with a header row, but ${data.file} is empty`);
  const columns = settings.task === 'forecast' ? [data.column ?? names.at(-1)!] : undefined;
  const key = settings.task === 'forecast' ? 'data.column' : 'data.label';
  const wanted = settings.task === 'forecast' ? columns![0]! : data.label;
  try {
    oneOf(source, key, wanted, names);
  } catch (error) {
    if (error instanceof OptionError) throw new ProjectError(`${error.message}; those are the columns of ${data.file}`, { cause: error });
    throw error;
  }
  try {
    return parseCsvAs(data.file, text, { missing: data.missing, ...(columns === undefined ? {} : { columns }) });
  } catch (error) {
    if (!(error instanceof WasmRnnError)) throw error;
    const hint = data.missing === 'error' && /empty or not a number/.test(error.message) ? ` (data.missing is "error"; set it to "interpolate" or "drop")` : '';
    throw new ProjectError(`${source}: data.file: ${error.message}${hint}`, { cause: error });
  }
}

/** The header row's names, as parseCsv reads them, for the default column and the checks. */
function headerNames(file: string, text: string): string[] {
  const header = splitRecords(file, text.split(/\r?\n/, 1)[0] ?? '', ',')[0];
  return header === undefined ? [] : header.fields.map((name, i) => name.trim() || String(i));
}

function loadSeries(settings: ProjectSettings, table: CsvTable, windows: readonly number[]): LoadedData {
  const { data, source: where } = settings;
  const values = table.column(0);
  const trainEnd = Math.round(values.length * data.split.train);
  const validationEnd = Math.round(values.length * (data.split.train + data.split.validation));
  const source: SeriesSource = { task: 'forecast', values, trainEnd, validationEnd, horizon: data.horizon, difference: data.difference, scale: data.scale };
  for (const window of windows) {
    const key = windows.length > 1 || settings.select.space.window !== undefined ? 'select.window' : 'data.window';
    const train = usableTargets(source, window, 0, trainEnd);
    if (train < 2) {
      const reach = window + data.horizon + (data.difference ? 1 : 0);
      throw new ProjectError(
        `${where}: ${key} must leave at least 2 training samples, but window ${window} + horizon ${data.horizon}${data.difference ? ' + 1 (difference)' : ''} = ${reach} steps ` +
          `and the training split holds ${trainEnd} of the ${values.length} values (data.split.train ${data.split.train}); use a window ≤ ${Math.max(1, trainEnd - reach + window - 1)} or a larger training split`,
      );
    }
  }
  for (const [part, from, to] of [['validation', trainEnd, validationEnd], ['test', validationEnd, values.length]] as const) {
    if (to - from < data.horizon) {
      throw new ProjectError(`${where}: data.split.${part} must hold at least horizon (${data.horizon}) values, but it holds ${to - from} of the ${values.length}; give it a larger fraction`);
    }
  }
  const missing = table.missingCells.length === 0 ? '' : data.missing === 'drop' ? `, ${table.droppedRows.length} rows with missing values dropped` : `, ${table.missingCells.length} missing values interpolated`;
  return {
    source, tokenizer: null,
    summary: `${values.length} values of '${table.names[0]}' in ${data.file}${missing}; targets 0–${trainEnd - 1} train, ${trainEnd}–${validationEnd - 1} validate, ${validationEnd}–${values.length - 1} test`,
  };
}

function loadClasses(settings: ProjectSettings, table: CsvTable): LoadedData {
  const { data, source: where } = settings;
  const labels = table.column(data.label);
  const bad = labels.findIndex((v) => !Number.isInteger(v) || v < 0);
  if (bad >= 0) throw new ProjectError(`${where}: data.label column '${data.label}' must hold class ids 0, 1, 2, …, but row ${bad + 1} holds ${labels[bad]}`);
  const featureCount = table.names.length - 1;
  const steps = data.steps ?? featureCount;
  if (featureCount === 0 || featureCount % steps !== 0) {
    throw new ProjectError(`${where}: data.steps must divide the ${featureCount} feature columns of ${data.file} (each row is read as steps × features), got ${steps}`);
  }
  const source = classSource(table, { label: data.label, steps, split: data.split, scale: data.scale, seed: settings.train.seed });
  return {
    source, tokenizer: null,
    summary: `${table.rowCount} rows of ${data.file}: sequences of ${steps} steps × ${featureCount / steps} features, ${source.classes} classes; ${source.train.y.length} train, ${source.validation.y.length} validate, ${source.test.y.length} test (shuffled with train.seed)`,
  };
}

function loadText(settings: ProjectSettings, text: string): LoadedData {
  const { data, source: where } = settings;
  const lines = text.split(/\r?\n/).map((line) => line.trimEnd()).filter((line) => line.trim() !== '');
  if (lines.length < 3) throw new ProjectError(`${where}: data.file must hold at least 3 non-empty lines (one for each of train, validation and test), but ${data.file} holds ${lines.length}`);
  try {
    const { source, tokenizer } = textSource(lines, { level: data.level, minCount: data.minCount, split: data.split, seed: settings.train.seed });
    const unit = data.level === 'char' ? 'characters' : 'words';
    return {
      source, tokenizer,
      summary: `${lines.length} lines of ${data.file} (${unit}, vocabulary ${tokenizer.vocabSize}); ${source.train.length} train, ${source.validation.length} validate, ${source.test.length} test lines (shuffled with train.seed)`,
    };
  } catch (error) {
    if (error instanceof WasmRnnError) throw new ProjectError(`${where}: data.split: ${error.message}`, { cause: error });
    throw error;
  }
}
