/**
 * The demo: `npm ci && npm run demo`. Two models trained on data that ships with the package:
 *   1. an LSTM forecasting yearly sunspot activity (examples/forecast.ts), with a chart;
 *   2. a character-level LSTM on an English word list (examples/chars.ts): autocomplete and
 *      invented words;
 * then a table of the backend, the training speeds and the files written under out/.
 */
import { backend, init } from '../src/index.js';
import { run as runChars } from './chars.js';
import { run as runForecast } from './forecast.js';
import { OUT_DIR, isMain, shortPath } from './lib/output.js';
import { formatTable } from './lib/table.js';

export async function demo(outDir = OUT_DIR): Promise<void> {
  const started = performance.now();
  await init();
  console.log(`wasm-rnn demo on the ${backend() === 'wasm' ? 'WebAssembly SIMD' : 'pure TypeScript'} backend\n`);
  const forecast = await runForecast({ outDir });
  console.log();
  const chars = await runChars({ outDir });
  const seconds = (performance.now() - started) / 1000;

  const rate = (r: { sequencesPerSecond: number }) => `${Math.round(r.sequencesPerSecond).toLocaleString('en-US')} seq/s`;
  const file = (path: string | null) => (path === null ? '-' : shortPath(path));
  console.log();
  for (const line of formatTable(['model', 'backend', 'training speed', 'result', 'saved to'], [
    ['sunspots LSTM(32)', backend(), rate(forecast), `test RMSE ${forecast.rmse.toFixed(1)} (naive ${forecast.naiveRmse.toFixed(1)})`, file(forecast.modelPath)],
    ['words char-LSTM(128)', backend(), rate(chars), `perplexity ${chars.heldOutPerplexity.toFixed(2)} (bigram ${chars.baselines.bigram.toFixed(2)})`, file(chars.modelPath)],
  ])) console.log(line);
  console.log(`\nchart: ${file(forecast.chartPath)} · demo time ${seconds.toFixed(1)} s (after the build)`);
}

if (isMain(import.meta.url)) await demo();
