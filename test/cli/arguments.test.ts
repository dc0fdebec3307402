import { beforeAll, describe, expect, it } from 'vitest';
import { checkBuilt, wasmRnn } from './run-cli.js';

beforeAll(checkBuilt);

describe('wasm-rnn help', () => {
  it('--help lists the commands and exits 0', () => {
    const { code, stdout } = wasmRnn(['--help']);
    expect(code).toBe(0);
    for (const command of ['train', 'predict', 'generate', 'bench']) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it.each(['train', 'predict', 'generate', 'bench'])('%s --help prints the options (as does help <command>) and exits 0', (command) => {
    const viaFlag = wasmRnn([command, '--help']);
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.stdout).toMatch(new RegExp(`^Usage: wasm-rnn ${command}`));
    expect(wasmRnn(['help', command]).stdout).toBe(viaFlag.stdout);
  });

  it('with no command prints the usage to stderr and exits 2', () => {
    const { code, stdout, stderr } = wasmRnn([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Usage: wasm-rnn <command>/);
  });
});

describe('bad arguments: a clear message on stderr, exit code 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown command', ['trian'], /unknown command 'trian' \(did you mean 'train'\?\)/],
    ['an unknown option', ['train', '--epoch', '3'], /unknown option '--epoch' \(did you mean '--epochs'\?\)/],
    ['an option without its value', ['train', '--csv'], /--csv needs a value/],
    ['a value given to a flag', ['train', '--quiet=yes'], /--quiet is a flag/],
    ['a stray argument', ['predict', 'model.json'], /unexpected argument 'model.json'/],
    ['no data source', ['train'], /give one data source/],
    ['two data sources', ['train', '--csv', 'data/sunspots.csv', '--text', 'data/words.txt'], /give one data source/],
    ['a missing --column', ['train', '--csv', 'data/sunspots.csv'], /--column is required/],
    ['an unknown column', ['train', '--csv', 'data/sunspots.csv', '--column', 'SUNACTIVTY'], /"SUNACTIVTY" \(did you mean 'SUNACTIVITY'\?\)/],
    ['a file that does not exist', ['train', '--text', 'no/such.txt'], /there is no file 'no\/such.txt'/],
    ['a non-integer count', ['train', '--csv', 'data/sunspots.csv', '--column', 'SUNACTIVITY', '--epochs', '2.5'], /--epochs must be an integer ≥ 1, got '2.5'/],
    ['a number out of range', ['train', '--csv', 'data/sunspots.csv', '--column', 'SUNACTIVITY', '--validation-split', '1'], /--validation-split must be a number in \[0, 0.9\], got '1'/],
    ['an unknown cell', ['train', '--csv', 'data/sunspots.csv', '--column', 'SUNACTIVITY', '--cell', 'lstn'], /--cell must be one of lstm, gru, rnn, got 'lstn' \(did you mean 'lstm'\?\)/],
    ['an unknown backend', ['train', '--csv', 'data/sunspots.csv', '--column', 'SUNACTIVITY', '--backend', 'gpu'], /--backend must be one of auto, wasm, js/],
    ['a model file that does not exist', ['predict', '--model', 'no-such-model.json', '--values', '1,2'], /there is no file 'no-such-model.json'/],
    ['a file that is not a model', ['predict', '--model', 'data/sunspots.csv', '--values', '1,2'], /data\/sunspots.csv is not a model this version can read/],
    ['an unknown bench suite', ['bench', '--suite', 'gpu'], /--suite must be one of all, gemm, layers/],
  ];

  it.each(cases)('%s', (_name, args, message) => {
    const { code, stdout, stderr } = wasmRnn(args);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/Run 'wasm-rnn( [a-z]+)? --help'/);
    expect(stdout).toBe('');
    expect(code).toBe(2);
  });
});
