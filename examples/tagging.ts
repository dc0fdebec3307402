/**
 * Many-to-many tagging where the right tag depends on what comes later: each character of a
 * generated text is tagged with the kind of sentence it belongs to, statement '.', question '?' or
 * exclamation '!', which only the sentence's last character tells. A unidirectional LSTM reading
 * left to right cannot know it before the end of the sentence; a bidirectional one reads the
 * sentence from both ends.
 *
 *   npm run example:tagging
 *
 * Texts are 1–3 sentences of 1–4 common words, with the ending drawn at random (so the words
 * carry no hint). Sequences are ragged (padding is masked). Reports per-step accuracy on
 * held-out texts for both models.
 */
import { accuracy, charTokenizer, init, layers, optimizers, sequential, type LayerSpec } from '../src/index.js';
import { isMain, logger } from './lib/output.js';
import { TrainingProgress } from './lib/progress.js';
import { SeededRandom } from './lib/random.js';

export interface TaggingOptions {
  trainCount?: number;
  testCount?: number;
  units?: number;
  epochs?: number;
  seed?: number;
  quiet?: boolean;
}

export interface TaggingResult {
  /** Per-character accuracy on the held-out texts. */
  unidirectional: number;
  bidirectional: number;
  /** Accuracy of always answering the most frequent tag. */
  majority: number;
  /** One held-out text with its true tags and each model's, as ending characters. */
  sample: { text: string; truth: string; unidirectional: string; bidirectional: string };
}

const WORDS = (
  'the a we you they it this that cat dog bird sun rain tree road house car boat can will did do go come see ' +
  'saw run ran sit sat eat ate is was are here there now then today late soon far near big small red blue old new'
).split(' ');

/** Tag id → the sentence ending it stands for. */
const ENDINGS = ['.', '?', '!'];

interface TaggedText {
  text: string;
  tags: number[];
}

function taggedTexts(words: readonly string[], count: number, random: SeededRandom): TaggedText[] {
  return Array.from({ length: count }, () => {
    let text = '';
    const tags: number[] = [];
    const sentences = random.between(1, 3);
    for (let s = 0; s < sentences; s++) {
      const tag = random.int(ENDINGS.length);
      const sentence = `${s > 0 ? ' ' : ''}${Array.from({ length: random.between(1, 4) }, () => random.pick(words)).join(' ')}${ENDINGS[tag]}`;
      text += sentence;
      tags.push(...Array.from(sentence, () => tag));
    }
    return { text, tags };
  });
}

export async function run(options: TaggingOptions = {}): Promise<TaggingResult> {
  const { trainCount = 4000, testCount = 500, units = 32, epochs = 8, seed = 1 } = options;
  const log = logger(options.quiet);
  await init();
  const random = new SeededRandom(seed);
  const train = taggedTexts(WORDS, trainCount, random);
  const test = taggedTexts(WORDS, testCount, random);
  const tokenizer = charTokenizer(train.map((t) => t.text));
  const ids = (texts: TaggedText[]) => texts.map((t) => tokenizer.encode(t.text));
  const tags = (texts: TaggedText[]) => texts.map((t) => t.tags);

  log(`Tagging: ${trainCount} texts to train, ${testCount} held out; each character is tagged with its sentence's ending (${ENDINGS.join(' ')}).`);
  const embedding = () => layers.embedding({ inputDim: tokenizer.vocabSize, outputDim: 16, maskZero: true });
  const models: { name: 'unidirectional' | 'bidirectional'; recurrent: LayerSpec }[] = [
    { name: 'unidirectional', recurrent: layers.lstm({ units, returnSequences: true }) },
    { name: 'bidirectional', recurrent: layers.bidirectional({ layer: layers.lstm({ units, returnSequences: true }) }) },
  ];
  const truth = tags(test);
  const scores: Record<string, number> = {};
  const predictedTags: Record<string, number[][]> = {};
  for (const { name, recurrent } of models) {
    const model = sequential([embedding(), recurrent, layers.dense({ units: ENDINGS.length, activation: 'softmax' })], { seed, name });
    model.compile({ optimizer: optimizers.adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const progress = new TrainingProgress(`  ${name}`.padEnd(17), epochs, options.quiet === true ? null : log);
    await model.fit(ids(train), tags(train), { epochs, batchSize: 32, seed: seed + 1, verbose: 0, callbacks: progress.callbacks });
    const output = model.predict(ids(test));
    predictedTags[name] = argmaxPerStep(output.data, output.shape as [number, number, number], truth);
    scores[name] = accuracy(truth.flat(), predictedTags[name]!.flat());
    model.dispose();
  }

  const counts = ENDINGS.map((_, tag) => truth.flat().filter((t) => t === tag).length);
  const majority = Math.max(...counts) / truth.flat().length;
  // Show a text whose sentences end differently.
  const index = Math.max(0, test.findIndex((t) => t.tags.some((tag) => tag !== t.tags[0])));
  const asEndings = (row: number[]) => row.map((tag) => ENDINGS[tag]).join('');
  const result: TaggingResult = {
    unidirectional: scores.unidirectional!, bidirectional: scores.bidirectional!, majority,
    sample: { text: test[index]!.text, truth: asEndings(truth[index]!), unidirectional: asEndings(predictedTags.unidirectional![index]!), bidirectional: asEndings(predictedTags.bidirectional![index]!) },
  };
  log(`  held-out per-character accuracy: bidirectional ${result.bidirectional.toFixed(4)}, unidirectional ${result.unidirectional.toFixed(4)} (most frequent tag: ${majority.toFixed(4)})`);
  log(`  a held-out text and its tags:`);
  log(`    text            ${result.sample.text}`);
  log(`    true            ${result.sample.truth}`);
  log(`    bidirectional   ${result.sample.bidirectional}`);
  log(`    unidirectional  ${result.sample.unidirectional}`);
  return result;
}

/** The most likely tag at each real step of each sequence (scores [N, T, C], zeros after the end). */
function argmaxPerStep(scores: Float32Array, [, T, C]: [number, number, number], truth: number[][]): number[][] {
  return truth.map((steps, n) => steps.map((_, t) => {
    const row = Array.from(scores.subarray((n * T + t) * C, (n * T + t + 1) * C));
    return row.indexOf(Math.max(...row));
  }));
}

if (isMain(import.meta.url)) await run();
