// The text task's samples: the non-empty lines of a text file, split at random (seeded) into
// train / validation / test lines, tokenized (the vocabulary from the training lines only) and cut
// into pieces of `window` tokens that predict the next token at every step.
import { charTokenizer } from '../data/char-tokenizer.js';
import { splitData } from '../data/split.js';
import type { Tokenizer } from '../data/tokenizer.js';
import { wordTokenizer } from '../data/word-tokenizer.js';
import type { SplitFractions } from './settings.js';

/** What a text candidate needs (plain values: it is posted to worker threads). */
export interface TextSource {
  task: 'text';
  vocabSize: number;
  /** Token ids of each line, <bos> … <eos>. */
  train: number[][];
  validation: number[][];
  test: number[][];
}

export interface TextLayout {
  level: 'char' | 'word';
  minCount: number;
  split: SplitFractions;
  seed: number;
}

export interface TextPieces {
  x: number[][];
  y: number[][];
}

export function textSource(lines: readonly string[], layout: TextLayout): { source: TextSource; tokenizer: Tokenizer } {
  const order = Float32Array.from(lines, (_, i) => i);
  const parts = splitData(order, { ...layout.split, shuffle: true, seed: layout.seed });
  const pick = (indices: readonly number[]) => indices.map((i) => lines[i]!);
  const fit = layout.level === 'char' ? charTokenizer : wordTokenizer;
  const tokenizer = fit(pick(parts.train.indices), { bosEos: true, minCount: layout.minCount });
  const encode = (indices: readonly number[]) => pick(indices).map((line) => tokenizer.encode(line));
  return {
    source: {
      task: 'text', vocabSize: tokenizer.vocabSize,
      train: encode(parts.train.indices), validation: encode(parts.validation.indices), test: encode(parts.test.indices),
    },
    tokenizer,
  };
}

/** Consecutive pieces of at most `window` inputs per line, each target one token ahead. */
export function textPieces(lines: readonly number[][], window: number): TextPieces {
  const x: number[][] = [];
  const y: number[][] = [];
  for (const ids of lines) {
    for (let start = 0; start < ids.length - 1; start += window) {
      const piece = ids.slice(start, start + window + 1);
      x.push(piece.slice(0, -1));
      y.push(piece.slice(1));
    }
  }
  return { x, y };
}

/** Perplexity of add-one-smoothed training token frequencies on `lines`' targets: the text baseline. */
export function unigramPerplexity(train: readonly number[][], lines: readonly number[][], vocabSize: number): number {
  const counts = new Float64Array(vocabSize).fill(1);
  for (const ids of train) for (const id of ids.slice(1)) counts[id]!++;
  const total = counts.reduce((a, b) => a + b, 0);
  let nats = 0;
  let tokens = 0;
  for (const ids of lines) {
    for (const id of ids.slice(1)) {
      nats -= Math.log(counts[id]! / total);
      tokens++;
    }
  }
  return Math.exp(nats / tokens);
}
