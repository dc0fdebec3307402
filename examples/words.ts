/**
 * Next-word prediction, the autocomplete of a search box, trained on this project's own
 * documentation (README.md and docs/*.md): a word tokenizer, an embedding, an LSTM, and a softmax
 * over the vocabulary; the top-3 next words for a few prefixes and the perplexity on held-out
 * sentences.
 *
 *   npm run example:words
 *
 * The prose of the Markdown files (code blocks and tables left out) is split into sentences; a
 * shuffled tenth is held out. Words seen fewer than twice in the training sentences become
 * `<unk>`, which is scored like any word in the perplexity but never suggested. The
 * documentation changes with the project, so the numbers do too.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { init, layers, optimizers, perplexity, sequential, wordTokenizer } from '../src/index.js';
import { nextTokenProbabilities, topTokens } from './lib/next-token.js';
import { ngramPerplexities } from './lib/ngram.js';
import { ROOT_DIR, isMain, logger } from './lib/output.js';
import { TrainingProgress } from './lib/progress.js';
import { SeededRandom } from './lib/random.js';

export interface WordsOptions {
  /** LSTM units. Default 64. */
  units?: number;
  /** Most epochs (early stopping on a validation tenth keeps the best). Default 40. */
  epochs?: number;
  /** Adam's learning rate. Default 0.005. */
  learningRate?: number;
  seed?: number;
  prefixes?: string[];
  quiet?: boolean;
}

export interface WordsResult {
  sentences: number;
  vocabSize: number;
  heldOutPerplexity: number;
  /** How often the held-out next word is among the model's 3 most likely tokens. */
  top3Accuracy: number;
  baselines: { unigram: number; bigram: number };
  suggestions: { prefix: string; next: { word: string; probability: number }[] }[];
  epochsRun: number;
  trainSeconds: number;
  sequencesPerSecond: number;
}

/** The documentation files the model learns from. */
function documentationFiles(): string[] {
  const docs = readdirSync(join(ROOT_DIR, 'docs')).filter((name) => name.endsWith('.md')).sort();
  return [join(ROOT_DIR, 'README.md'), ...docs.map((name) => join(ROOT_DIR, 'docs', name))];
}

/** Sentences (and clauses after a ';') of the prose of Markdown text: fenced code, tables, headings and HTML comments left out. */
export function proseSentences(markdown: string): string[] {
  const prose: string[] = [];
  let inCode = false;
  for (const line of markdown.split('\n')) {
    if (line.trimStart().startsWith('```')) {
      inCode = !inCode;
      continue;
    }
    const text = line.trim();
    if (inCode || text.startsWith('|') || text.startsWith('#') || text.startsWith('<!--')) {
      prose.push('');
      continue;
    }
    prose.push(text.replace(/^[-*] |^\d+\. /, '').replace(/`([^`]*)`/g, '$1').replace(/\*\*|__/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
  }
  return prose
    .join('\n')
    .split(/\n\s*\n|(?<=[.!?;])\s+|:\s*\n/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.split(' ').length >= 4);
}

export async function run(options: WordsOptions = {}): Promise<WordsResult> {
  const { units = 64, epochs = 40, learningRate = 0.005, seed = 1, prefixes = ['the model', 'each kernel', 'the loss of', 'a padded', 'early stopping'] } = options;
  const log = logger(options.quiet);
  await init();
  const sentences = new SeededRandom(seed).shuffled(documentationFiles().flatMap((file) => proseSentences(readFileSync(file, 'utf8'))));
  const heldOutCount = Math.round(sentences.length / 10);
  const trainSentences = sentences.slice(heldOutCount);
  const tokenizer = wordTokenizer(trainSentences, { minCount: 2, bosEos: true });
  const train = trainSentences.map((s) => tokenizer.encode(s));
  const heldOut = sentences.slice(0, heldOutCount).map((s) => tokenizer.encode(s));
  const inputs = (s: number[][]) => s.map((ids) => ids.slice(0, -1));
  const targets = (s: number[][]) => s.map((ids) => ids.slice(1));
  const tokenCount = train.reduce((n, ids) => n + ids.length - 1, 0);

  log(`Words: ${sentences.length} sentences of README.md and docs/*.md (${train.length} to train, ${tokenCount} words; ${heldOut.length} held out), vocabulary ${tokenizer.vocabSize}; embedding → LSTM(${units}) → softmax.`);
  const model = sequential([
    layers.embedding({ inputDim: tokenizer.vocabSize, outputDim: 32, maskZero: true }),
    layers.lstm({ units, returnSequences: true }),
    layers.dropout({ rate: 0.3 }),
    layers.dense({ units: tokenizer.vocabSize, activation: 'softmax' }),
  ], { seed, name: 'words' });
  model.compile({ optimizer: optimizers.adam({ learningRate }), loss: 'sparseCategoricalCrossentropy', clipNorm: 5 });
  model.tokenizer = tokenizer;
  const progress = new TrainingProgress('  training', epochs, options.quiet === true ? null : log);
  await model.fit(inputs(train), targets(train), {
    epochs, batchSize: 32, seed: seed + 1, verbose: 0, validationSplit: 0.1,
    earlyStopping: { monitor: 'val_loss', patience: 5, restoreBest: true }, callbacks: progress.callbacks,
  });

  const heldOutPerplexity = perplexity(model.evaluate(inputs(heldOut), targets(heldOut)).loss);
  const baselines = ngramPerplexities(train, heldOut, tokenizer.vocabSize);
  const top3 = topKAccuracy(model.predict(inputs(heldOut)).data, targets(heldOut), tokenizer.vocabSize, 3);
  log(`  held-out perplexity per word: LSTM ${heldOutPerplexity.toFixed(1)}, bigram ${baselines.bigram.toFixed(1)}, unigram ${baselines.unigram.toFixed(1)}; the next word is among the LSTM's top 3 ${(100 * top3).toFixed(1)}% of the time`);
  // A search box suggests words: not the special tokens, <unk> or punctuation.
  const hidden = new Set(tokenizer.tokens.flatMap((token, id) => (id < 4 || !/[\p{L}\p{N}]/u.test(token) ? [id] : [])));
  const suggestions = prefixes.map((prefix) => ({
    prefix,
    next: topTokens(nextTokenProbabilities(model, prefix), tokenizer.tokens, 3, hidden).map(({ token, probability }) => ({ word: token, probability })),
  }));
  log('  search-box autocomplete (top 3 next words):');
  const width = Math.max(...prefixes.map((p) => p.length));
  for (const s of suggestions) log(`    ${s.prefix.padEnd(width)} → ${s.next.map((n) => `${n.word} (${n.probability.toFixed(2)})`).join('  ')}`);
  model.dispose();
  return {
    sentences: sentences.length, vocabSize: tokenizer.vocabSize, heldOutPerplexity, top3Accuracy: top3, baselines, suggestions,
    epochsRun: progress.epochsRun, trainSeconds: progress.seconds, sequencesPerSecond: progress.sequencesPerSecond,
  };
}

/** Fraction of the real steps whose target is among the k highest scores (scores [N, T, V], padded to T). */
function topKAccuracy(scores: Float32Array, targets: number[][], V: number, k: number): number {
  const T = scores.length / (targets.length * V);
  let hits = 0;
  let steps = 0;
  targets.forEach((row, n) => row.forEach((target, t) => {
    const at = (n * T + t) * V;
    const score = scores[at + target]!;
    let higher = 0;
    for (let v = 0; v < V; v++) if (scores[at + v]! > score) higher++;
    if (higher < k) hits++;
    steps++;
  }));
  return hits / steps;
}

if (isMain(import.meta.url)) await run();
