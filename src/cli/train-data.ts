import { readFileSync } from 'node:fs';
import {
  charTokenizer, minMaxScaler, readCsvFile, windowSeries, wordTokenizer,
  type MinMaxScaler, type Tensor, type Tokenizer,
} from '../index.js';
import { usage } from './args.js';

/** A series cut into windows: x [N, window, 1] → y [N, 1], scaled to [0, 1]. */
export interface SeriesData {
  kind: 'series';
  x: Tensor;
  y: Tensor;
  window: number;
  /** Fitted on the whole series; saved with the model so predict can scale and unscale. */
  scaler: MinMaxScaler;
  summary: string;
}

/** Token sequences: each input predicts its next token at every step. */
export interface TextData {
  kind: 'text';
  x: number[][];
  y: number[][];
  tokenizer: Tokenizer;
  summary: string;
}

export async function seriesData(path: string, column: string, window: number): Promise<SeriesData> {
  const table = await readCsvFile(path, { columns: [column] });
  const values = table.column(column);
  if (values.length < window + 2) throw usage('train', `wasm-rnn train: --window ${window} needs at least ${window + 2} values, but column '${column}' of ${path} has ${values.length}`);
  const scaler = minMaxScaler().fit(values);
  const { x, y } = windowSeries(scaler.transform(values), { window });
  return { kind: 'series', x, y, window, scaler, summary: `${values.length} values of '${column}' in ${path} → ${x.shape[0]} windows of ${window} steps` };
}

/**
 * Each non-empty line of the file is a text `<bos> … <eos>`; texts longer than `window` tokens
 * are cut into consecutive pieces of `window` steps (each piece's targets run one token ahead).
 * The pieces are shuffled (seeded), so that the validation split, the last fraction, is a sample
 * of the whole file rather than its end (a sorted word list would otherwise validate on z…).
 */
export function textData(path: string, level: 'char' | 'word', window: number, minCount: number, seed: number): TextData {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).map((line) => line.trimEnd()).filter((line) => line.trim() !== '');
  if (lines.length === 0) throw usage('train', `wasm-rnn train: --text ${path} holds no text`);
  const fit = level === 'char' ? charTokenizer : wordTokenizer;
  const tokenizer = fit(lines, { bosEos: true, minCount });
  const x: number[][] = [];
  const y: number[][] = [];
  for (const line of lines) {
    const ids = tokenizer.encode(line);
    for (let start = 0; start < ids.length - 1; start += window) {
      const piece = ids.slice(start, start + window + 1);
      x.push(piece.slice(0, -1));
      y.push(piece.slice(1));
    }
  }
  const order = shuffledOrder(x.length, seed);
  const unit = level === 'char' ? 'characters' : 'words';
  return { kind: 'text', x: order.map((i) => x[i]!), y: order.map((i) => y[i]!), tokenizer, summary: `${lines.length} lines of ${path} → ${x.length} sequences of ≤ ${window} ${unit}, vocabulary ${tokenizer.vocabSize}` };
}

/** 0..n−1 ordered by a 32-bit mixing hash of (index, seed): a seeded permutation. */
function shuffledOrder(n: number, seed: number): number[] {
  const key = (i: number) => {
    let h = (i + Math.imul(seed + 1, 0x9e3779b9)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b); // murmur3's fmix32: a bijection on 32-bit integers
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b));
}
