/**
 * A character-level language model of English words (data/words.txt): next-character
 * autocomplete for a few prefixes, and invented words sampled at two temperatures.
 *
 *   npm run example:chars
 *
 * Each word is one sequence `<bos> w o r d` whose targets are the next characters `w o r d <eos>`
 * (a many-to-many model over ragged sequences: padding is masked out of the loss). The words are
 * shuffled once; a tenth is held out to measure perplexity per character, which is compared with
 * counting baselines (unigram and bigram) on the same held-out words.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { charTokenizer, init, layers, optimizers, perplexity, sequential, type Sequential } from '../src/index.js';
import { nextTokenProbabilities, topTokens } from './lib/next-token.js';
import { ngramPerplexities } from './lib/ngram.js';
import { OUT_DIR, ROOT_DIR, isMain, logger, outputPath, shortPath } from './lib/output.js';
import { TrainingProgress } from './lib/progress.js';
import { SeededRandom } from './lib/random.js';

export interface CharsOptions {
  /** Use only the first N words of the shuffled list (for short runs). Default: all 10,454. */
  words?: number;
  /** LSTM units. Default 128. */
  units?: number;
  /** Most epochs (early stopping on a validation tenth keeps the best). Default 10. */
  epochs?: number;
  seed?: number;
  /** Prefixes to complete. */
  prefixes?: string[];
  /** Where the model goes; null writes nothing. Default out/. */
  outDir?: string | null;
  quiet?: boolean;
}

export interface Completion {
  prefix: string;
  /** The three most likely next characters ('⏎' = end of word) and their probabilities. */
  next: { char: string; probability: number }[];
  /** The greedy continuation (most likely character each step) up to the end of the word. */
  completion: string;
}

export interface CharsResult {
  heldOutPerplexity: number;
  baselines: { unigram: number; bigram: number };
  completions: Completion[];
  /** Sampled words per temperature, each flagged when it is in the word list. */
  invented: { temperature: number; words: { word: string; inList: boolean }[] }[];
  epochsRun: number;
  trainSeconds: number;
  sequencesPerSecond: number;
  modelPath: string | null;
}

const END_MARK = '⏎';

export async function run(options: CharsOptions = {}): Promise<CharsResult> {
  const { units = 128, epochs = 10, seed = 1, prefixes = ['pre', 'inter', 'qu', 'sh', 'unb'], outDir = OUT_DIR } = options;
  const log = logger(options.quiet);
  await init();
  const allWords = readFileSync(join(ROOT_DIR, 'data/words.txt'), 'utf8').split('\n').filter((w) => w !== '');
  const words = new SeededRandom(seed).shuffled(allWords).slice(0, options.words ?? allWords.length);
  const tokenizer = charTokenizer(words, { bosEos: true });
  const sequences = words.map((word) => tokenizer.encode(word));
  const heldOutCount = Math.round(words.length / 10);
  const heldOut = sequences.slice(0, heldOutCount);
  const train = sequences.slice(heldOutCount);
  const inputs = (s: number[][]) => s.map((ids) => ids.slice(0, -1));
  const targets = (s: number[][]) => s.map((ids) => ids.slice(1));

  log(`Characters: ${words.length} words (${train.length} to train, ${heldOut.length} held out), ${tokenizer.vocabSize} tokens; embedding → LSTM(${units}) → softmax over the next character.`);
  const model = sequential([
    layers.embedding({ inputDim: tokenizer.vocabSize, outputDim: 16, maskZero: true }),
    layers.lstm({ units, returnSequences: true }),
    layers.dropout({ rate: 0.3 }),
    layers.dense({ units: tokenizer.vocabSize, activation: 'softmax' }),
  ], { seed, name: 'chars' });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  model.tokenizer = tokenizer;
  const progress = new TrainingProgress('  training', epochs, options.quiet === true ? null : log);
  await model.fit(inputs(train), targets(train), {
    epochs, batchSize: 64, seed: seed + 1, verbose: 0, validationSplit: 0.1,
    earlyStopping: { monitor: 'val_loss', patience: 1, restoreBest: true }, callbacks: progress.callbacks,
  });

  const heldOutPerplexity = perplexity(model.evaluate(inputs(heldOut), targets(heldOut)).loss);
  const baselines = ngramPerplexities(train, heldOut, tokenizer.vocabSize);
  log(`  held-out perplexity per character: LSTM ${heldOutPerplexity.toFixed(2)}, bigram ${baselines.bigram.toFixed(2)}, unigram ${baselines.unigram.toFixed(2)} (uniform: ${tokenizer.vocabSize - 3})`); // <pad>, <unk>, <bos> are never targets

  const completions = prefixes.map((prefix) => complete(model, prefix));
  log('  autocomplete (next character: probability; then the most likely ending):');
  const width = Math.max(...prefixes.map((p) => p.length));
  for (const c of completions) {
    const next = c.next.map((n) => `${n.char} ${n.probability.toFixed(2)}`).join('  ');
    log(`    ${c.prefix.padEnd(width)} → ${next}   ${c.prefix}${c.completion}`);
  }

  const known = new Set(allWords);
  const invented = [0.5, 1].map((temperature) => ({
    temperature,
    words: Array.from({ length: 8 }, (_, i) => {
      const word = model.generate({ seed: '', steps: 20, temperature, rng: seed * 100 + i }).text ?? '';
      return { word, inList: known.has(word) };
    }),
  }));
  log('  invented words (* = in the word list):');
  for (const row of invented) log(`    temperature ${row.temperature.toFixed(1)}: ${row.words.map((w) => w.word + (w.inList ? '*' : '')).join(' ')}`);

  let modelPath: string | null = null;
  if (outDir !== null) {
    modelPath = (await model.save(outputPath(outDir, 'words-chars.json'))).path;
    log(`  model (with its tokenizer): ${shortPath(modelPath)}`);
  }
  model.dispose();
  return {
    heldOutPerplexity, baselines, completions, invented, modelPath,
    epochsRun: progress.epochsRun, trainSeconds: progress.seconds, sequencesPerSecond: progress.sequencesPerSecond,
  };
}

/** The next-character distribution after `prefix`, and the greedy ending of the word. */
function complete(model: Sequential, prefix: string): Completion {
  const tokenizer = model.tokenizer!;
  const tokens = tokenizer.tokens.map((token, id) => (id === tokenizer.eosId ? END_MARK : token));
  const next = topTokens(nextTokenProbabilities(model, prefix), tokens, 3).map(({ token, probability }) => ({ char: token, probability }));
  const completion = model.generate({ seed: prefix, steps: 20, temperature: 0 }).text ?? '';
  return { prefix, next, completion };
}

if (isMain(import.meta.url)) await run();
