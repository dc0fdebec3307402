/**
 * What to run: `--workloads W1,W2-LSTM` / `--peers wasm,tfjs-wasm` / `--modes forward` on the
 * command line, or PEERS_WORKLOADS / PEERS_PEERS / PEERS_MODES in the environment; `--no-profile`
 * (PEERS_PROFILE=0) skips the per-kernel breakdown. Default: everything.
 */
import { OptionError } from '../../src/errors.js';
import type { Mode } from './peer.js';

export const PEER_IDS = ['wasm', 'ts', 'tfjs-wasm', 'tfjs-cpu', 'brain', 'ort1', 'ort2'] as const;
export type PeerId = (typeof PEER_IDS)[number];

export interface BenchOptions {
  workloads: string[];
  peers: PeerId[];
  modes: Mode[];
  profile: boolean;
}

function listOption(argv: readonly string[], flag: string, envName: string, allowed: readonly string[]): string[] {
  const at = argv.indexOf(flag);
  const given = at >= 0 ? argv[at + 1] : process.env[envName];
  if (given === undefined || given === '') return [...allowed];
  const names = given.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !allowed.includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new OptionError(`${flag} (or ${envName}): expected a comma-separated list of ${allowed.join(', ')}, got '${given}'`);
  }
  return names;
}

export function readOptions(argv: readonly string[], workloadIds: readonly string[]): BenchOptions {
  return {
    workloads: listOption(argv, '--workloads', 'PEERS_WORKLOADS', workloadIds),
    peers: listOption(argv, '--peers', 'PEERS_PEERS', PEER_IDS) as PeerId[],
    modes: listOption(argv, '--modes', 'PEERS_MODES', ['forward', 'train']) as Mode[],
    profile: !argv.includes('--no-profile') && process.env.PEERS_PROFILE !== '0',
  };
}
