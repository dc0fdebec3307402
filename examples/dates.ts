/**
 * An encoder–decoder that translates dates written by people into ISO 8601 (`YYYY-MM-DD`):
 * "Sunday, March 14th 2021", "14 mar 2021", "3/14/21", "14.03.2021", "20210314" → "2021-03-14".
 *
 *   npm run example:dates
 *
 * The data is generated here: random days of 1950–2049 written in one of eight formats. The
 * encoder reads the characters of the written date; its final LSTM state starts the decoder,
 * which writes the ISO characters one by one (trained with teacher forcing, decoded greedily).
 * Held-out days never occur in training in any format; the score is exact match of the whole
 * string. Two-digit years follow the usual pivot: 50–99 → 19xx, 00–49 → 20xx.
 */
import { charTokenizer, init, optimizers, seq2seq } from '../src/index.js';
import { isMain, logger } from './lib/output.js';
import { TrainingProgress } from './lib/progress.js';
import { SeededRandom } from './lib/random.js';

export interface DatesOptions {
  trainCount?: number;
  testCount?: number;
  units?: number;
  epochs?: number;
  seed?: number;
  quiet?: boolean;
}

export interface DatesResult {
  exactMatch: number;
  /** Exact match per input format. */
  byFormat: Record<string, number>;
  /** The first five held-out dates and the first three mistakes. */
  examples: { written: string; expected: string; predicted: string }[];
  trainSeconds: number;
  sequencesPerSecond: number;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const FIRST_DAY = Date.UTC(1950, 0, 1);
const DAYS = Math.round((Date.UTC(2050, 0, 1) - FIRST_DAY) / 86_400_000);

const pad2 = (n: number) => String(n).padStart(2, '0');
const ordinal = (d: number) => `${d}${d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th'}`;

/** The formats: name → how a date (UTC) is written in it. */
export const FORMATS: Record<string, (date: Date) => string> = {
  'day month year': (t) => `${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}`,
  'month day, year': (t) => `${MONTHS[t.getUTCMonth()]} ${t.getUTCDate()}, ${t.getUTCFullYear()}`,
  'weekday, month ordinal year': (t) => `${WEEKDAYS[t.getUTCDay()]}, ${MONTHS[t.getUTCMonth()]} ${ordinal(t.getUTCDate())} ${t.getUTCFullYear()}`,
  'dd mon yyyy': (t) => `${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]!.slice(0, 3).toLowerCase()} ${t.getUTCFullYear()}`,
  'Mon d yyyy': (t) => `${MONTHS[t.getUTCMonth()]!.slice(0, 3)} ${t.getUTCDate()} ${t.getUTCFullYear()}`,
  'm/d/yy': (t) => `${t.getUTCMonth() + 1}/${t.getUTCDate()}/${pad2(t.getUTCFullYear() % 100)}`,
  'dd.mm.yyyy': (t) => `${pad2(t.getUTCDate())}.${pad2(t.getUTCMonth() + 1)}.${t.getUTCFullYear()}`,
  yyyymmdd: (t) => `${t.getUTCFullYear()}${pad2(t.getUTCMonth() + 1)}${pad2(t.getUTCDate())}`,
};

interface DatePair {
  format: string;
  written: string;
  iso: string;
}

/** `count` dates drawn from the days for which `take(day)` is true, each in a random format. */
function datePairs(count: number, random: SeededRandom, take: (day: number) => boolean): DatePair[] {
  const names = Object.keys(FORMATS);
  const pairs: DatePair[] = [];
  while (pairs.length < count) {
    const day = random.int(DAYS);
    if (!take(day)) continue;
    const date = new Date(FIRST_DAY + day * 86_400_000);
    const format = random.pick(names);
    pairs.push({ format, written: FORMATS[format]!(date), iso: date.toISOString().slice(0, 10) });
  }
  return pairs;
}

export async function run(options: DatesOptions = {}): Promise<DatesResult> {
  const { trainCount = 12_000, testCount = 1000, units = 64, epochs = 15, seed = 1 } = options;
  const log = logger(options.quiet);
  await init();
  const random = new SeededRandom(seed);
  // Every seventh day is kept for testing, so no held-out day is ever seen in training.
  const heldOutDay = (day: number) => day % 7 === 3;
  const train = datePairs(trainCount, random, (day) => !heldOutDay(day));
  const test = datePairs(testCount, random, heldOutDay);
  const source = charTokenizer(train.map((p) => p.written));
  const target = charTokenizer(['0123456789-'], { bosEos: true });
  const sources = (pairs: DatePair[]) => pairs.map((p) => source.encode(p.written));
  const targets = (pairs: DatePair[]) => pairs.map((p) => target.encode(p.iso).slice(1, -1)); // without <bos>, <eos>

  log(`Dates: ${trainCount} written dates to train, ${testCount} held-out days; ${Object.keys(FORMATS).length} formats; LSTM(${units}) encoder → LSTM(${units}) decoder over ${target.vocabSize} output tokens.`);
  const model = seq2seq({
    encoder: { cell: 'lstm', units, embedding: { inputDim: source.vocabSize, outputDim: 16 } },
    decoder: { vocabSize: target.vocabSize, embedding: { outputDim: 8 } },
    startToken: target.bosId!, endToken: target.eosId!, maxLength: 12, seed, name: 'dates',
  });
  model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), metrics: ['accuracy'], clipNorm: 1 });
  const progress = new TrainingProgress('  training', epochs, options.quiet === true ? null : log);
  await model.fit(sources(train), targets(train), { epochs, batchSize: 64, seed: seed + 1, verbose: 0, callbacks: progress.callbacks });

  const predicted = model.translate(sources(test)).map((ids) => target.decode(ids));
  model.dispose();
  const correct = test.map((p, n) => predicted[n] === p.iso);
  const byFormat: Record<string, number> = {};
  for (const name of Object.keys(FORMATS)) {
    const hits = correct.filter((_, n) => test[n]!.format === name);
    byFormat[name] = hits.filter(Boolean).length / hits.length;
  }
  const outcomes = test.map((p, n) => ({ written: p.written, expected: p.iso, predicted: predicted[n]! }));
  const result: DatesResult = {
    exactMatch: correct.filter(Boolean).length / test.length,
    byFormat,
    examples: [...outcomes.slice(0, 5), ...outcomes.slice(5).filter((e) => e.predicted !== e.expected).slice(0, 3)],
    trainSeconds: progress.seconds, sequencesPerSecond: progress.sequencesPerSecond,
  };
  log(`  held-out exact match: ${result.exactMatch.toFixed(3)}; by format: ${Object.entries(byFormat).map(([name, v]) => `${name} ${v.toFixed(2)}`).join(', ')}`);
  const width = Math.max(...result.examples.map((e) => e.written.length));
  for (const e of result.examples) log(`    ${e.written.padEnd(width)} → ${e.predicted} ${e.predicted === e.expected ? '✓' : `✗ (${e.expected})`}`);
  return result;
}

if (isMain(import.meta.url)) await run();
