import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

describe('public API of the data tools and metrics', () => {
  it('exports every function and class from src/index.ts', () => {
    const names = [
      'parseCsv', 'readCsvFile', 'CsvTable', 'windowSeries', 'minMaxScaler', 'MinMaxScaler', 'standardScaler', 'StandardScaler',
      'scalerFromJSON', 'splitData', 'trainTestSplit', 'charTokenizer', 'CharTokenizer', 'wordTokenizer', 'WordTokenizer',
      'Tokenizer', 'oneHot', 'padSequences', 'rmse', 'mae', 'mape', 'accuracy', 'confusionMatrix', 'perplexity',
    ];
    const missing = names.filter((name) => typeof (api as Record<string, unknown>)[name] !== 'function');
    expect(missing).toEqual([]);
  });

  it('chains from CSV text to windows, scaled on the training part only', () => {
    const table = api.parseCsv('t,v\n0,0\n1,10\n2,20\n3,30\n4,40\n5,50');
    const parts = api.splitData(table.column('v'), { train: 0.5, test: 0.5 });
    const scaler = api.minMaxScaler().fit(parts.train.x);
    const { x, y } = api.windowSeries(scaler.transform(parts.test.x), { window: 2 });
    expect(x.toArray()).toEqual([[[1.5], [2]]]);
    expect(scaler.inverse(y).toArray()).toEqual([[50]]);
  });
});
