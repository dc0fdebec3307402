import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const OUT = new URL('test-output/readme/', ROOT);
const run = promisify(execFile);

/** The ```ts blocks of README's "Models and sequence modes" section, up to "Save and load" (which needs a trained `model`). */
function modeExamples(): { title: string; code: string }[] {
  const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
  const section = readme.slice(readme.indexOf('## Models and sequence modes'), readme.indexOf('### Save and load'));
  const examples: { title: string; code: string }[] = [];
  for (const part of section.split('\n### ').slice(1)) {
    const code = /```ts\n([\s\S]*?)```/.exec(part)?.[1];
    if (code !== undefined) examples.push({ title: part.split('\n')[0]!, code });
  }
  return examples;
}

describe("README's model examples run as written", () => {
  const examples = modeExamples();
  it('finds one example per sequence mode', () => expect(examples.length).toBe(6));

  mkdirSync(OUT, { recursive: true });
  const library = new URL('src/index.ts', ROOT).pathname;
  examples.forEach(({ title, code }, i) => {
    it(title, async () => {
      const file = new URL(`example-${i}.ts`, OUT);
      writeFileSync(file, code.replaceAll("from 'wasm-rnn'", `from '${library}'`));
      const { stderr } = await run(process.execPath, ['--import', 'tsx', file.pathname], { cwd: ROOT.pathname, timeout: 120_000 });
      expect(stderr.replace(/.*nodedir.*\n?/g, '')).toBe('');
    });
  });
});
