import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WasmRnnError } from '../../src/errors.js';
import type { Sequential } from '../../src/model/sequential.js';
import { renderErrorCatalogue } from './error-catalogue.js';
import { ERROR_CASES, createContext, goodX, goodY, warmUp, type ErrorContext } from './error-cases.js';

/*
 * Every class of bad input in the catalogue throws its error family with a message naming the
 * argument, and leaves the models' weights and optimizer state as they were.
 */

interface ModelState {
  weights: Record<string, number[]>;
  iterations: number | undefined;
  moments: number[][] | undefined;
}

function snapshot(model: Sequential): ModelState {
  const weights = Object.fromEntries(Object.entries(model.stateDict()).map(([name, t]) => [name, Array.from(t.data)]));
  const state = model.optimizer?.getState();
  return { weights, iterations: state?.iterations, moments: state?.moments.map((m) => Array.from(m)) };
}

function snapshots(context: ErrorContext): ModelState[] {
  return [context.regression, context.classifier, context.categorical].map(snapshot);
}

async function caught(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('catalogue of bad input', () => {
  it('has at least 30 classes with unique ids', () => {
    const ids = ERROR_CASES.map((row) => row.id);
    expect(ids.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('docs/ERRORS.md is the rendering of the table (regenerate: npx tsx scripts/errors-catalogue.ts)', () => {
    expect(readFileSync(new URL('../../docs/ERRORS.md', import.meta.url), 'utf8')).toBe(renderErrorCatalogue());
  });

  it('accepts a batchSize larger than the data (one batch, as in Keras), as docs/ERRORS.md says', async () => {
    const context = createContext();
    try {
      const history = await context.regression.fit(goodX(4), goodY(4), { batchSize: 100, verbose: 0, seed: 1 });
      expect(history.params.steps).toBe(1);
      expect(context.regression.optimizer!.getState().iterations).toBe(1);
    } finally {
      for (const model of [context.regression, context.classifier, context.categorical]) model.dispose();
    }
  });

  it.each(ERROR_CASES.map((row) => [row.id, row] as const))('%s', async (_id, row) => {
    const context = createContext();
    try {
      await warmUp(context);
      const before = snapshots(context);
      const error = await caught(() => row.trigger(context));
      expect(error, `${row.id} did not throw`).toBeInstanceOf(WasmRnnError);
      expect((error as Error).name).toBe(row.family.name);
      expect(error).toBeInstanceOf(row.family);
      expect((error as Error).message).toMatch(row.message);
      expect(snapshots(context)).toEqual(before);
    } finally {
      for (const model of [context.regression, context.classifier, context.categorical]) model.dispose();
    }
  });
});
