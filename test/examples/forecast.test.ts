import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../examples/forecast.js';
import { Sequential, loadModel } from '../../src/index.js';

const outDir = mkdtempSync(join(tmpdir(), 'wasm-rnn-forecast-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('examples/forecast (short run)', () => {
  it('beats the naive "repeat last year" forecast on the test years by 20% and writes a chart and the model', async () => {
    const result = await run({ epochs: 100, patience: 20, outDir, quiet: true });
    console.log(`forecast: test RMSE ${result.rmse.toFixed(2)}, naive ${result.naiveRmse.toFixed(2)}, ${result.epochsRun} epochs`);
    expect(result.years[0]).toBe(1947);
    expect(result.years.at(-1)).toBe(2008);
    expect(result.rmse).toBeLessThan(0.8 * result.naiveRmse);

    const svg = readFileSync(result.chartPath!, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(3);
    expect(existsSync(result.modelPath!)).toBe(true);
    const model = await loadModel(result.modelPath!);
    expect(model).toBeInstanceOf(Sequential);
    expect((model as Sequential).scaler?.toJSON()).toMatchObject({ kind: 'minMaxScaler' });
    model.dispose();
  });
});
