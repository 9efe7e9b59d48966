import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { benchArgs } from '../bench-args.js';

const DEFAULTS = { steps: '200', rows: 'a,b', ratio: '0.5', resume: false } as const;

describe('benchArgs', () => {
  it('reads valued options and flags, falling back to the defaults, and records the effective command', () => {
    const args = benchArgs('demo', DEFAULTS, ['--steps', '30', '--resume']);
    expect(args.integer('steps', 1)).toBe(30);
    expect(args.number('ratio', 0)).toBe(0.5);
    expect(args.list('rows', ['a', 'b', 'c'])).toEqual(['a', 'b']);
    expect(args.flag('resume')).toBe(true);
    expect(args.command).toBe('node bench/dist/demo.js --steps 30 --rows a,b --ratio 0.5 --resume');
  });

  // The exit paths call process.exit: run a real bench script (its options are parsed before it loads anything).
  const script = (...argv: string[]) => spawnSync(process.execPath, ['bench/dist/frechet-classifier.js', ...argv], { encoding: 'utf8', timeout: 60_000 });

  it('prints the usage and exits 0 on --help, without running the bench', () => {
    const run = script('--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('usage: pnpm exec tsc -b bench && node bench/dist/frechet-classifier.js [--epochs 3]');
    expect(run.stdout).not.toContain('command:');
  });

  it('exits 2 naming the option on an unknown flag or a value that is not a number', () => {
    const unknown = script('--epoch', '3');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--epoch'/);
    const notANumber = script('--epochs', 'three');
    expect(notANumber.status).toBe(2);
    expect(notANumber.stderr).toContain('--epochs must be a number ≥ 1, got "three"');
  });
});
