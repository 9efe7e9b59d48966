import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger, type RunReport } from '@whittle/kernel';
import { main, type CliIo } from '../src/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = join(repo, 'packages/kernel/test/fixtures');

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), logger: silentLogger, out: () => out, err: () => err };
}

/** Exit 2 with a message and no stack trace. */
function expectInputError(io: { err: () => string }, code: number, ...mentions: string[]): void {
  expect(code, io.err()).toBe(2);
  expect(io.err()).toMatch(/^error: /);
  expect(io.err()).not.toMatch(/\n\s+at /);
  for (const m of mentions) expect(io.err()).toContain(m);
}

/** Every file under `dir` with its bytes. */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
  return Object.fromEntries(files.sort().map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));
}

let dir: string;
/** The kernel's toy pipeline (tiny MLP, toy data, fixture plugins by relative path), written into `dir`. */
function toyPipeline(stages?: unknown[]): string {
  const plugin = (name: string): string => relative(dir, join(fixtures, `${name}.ts`));
  const file = join(dir, 'pipeline.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'toy',
      seed: 7,
      backend: 'cpu',
      plugins: [plugin('toy-plugins'), plugin('gate-plugin')],
      model: { builder: 'tiny-mlp', options: { hidden: 6 } },
      data: { provider: 'toy', options: { n: 30 } },
      stages: stages ?? [{ hook: 'recover', plugin: 'jitter' }, { hook: 'deploy', target: 'null-target' }],
    }),
  );
  return file;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'whittle-cli-fail-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('whittle never deletes a user\'s files', () => {
  it('whittle prune RUN/model/model.json --ratio 0.3 --out RUN refuses and leaves RUN byte-identical', async () => {
    const run = join(dir, 'RUN');
    expect(await main(['run', toyPipeline(), '--out', run], capture())).toBe(0);
    const before = snapshot(run);
    const io = capture();
    expectInputError(io, await main(['prune', join(run, 'model', 'model.json'), '--ratio', '0.3', '--out', run], io), 'model.path', run);
    expect(snapshot(run)).toEqual(before);
  });

  it('refuses a non-empty --out that is not a run, naming it and --force; --force replaces it', async () => {
    const f = join(dir, 'F');
    mkdirSync(join(f, 'model'), { recursive: true });
    writeFileSync(join(f, 'report.json'), '{}');
    writeFileSync(join(f, 'model', 'mine.bin'), 'x');
    const before = snapshot(f);
    const io = capture();
    expectInputError(io, await main(['run', toyPipeline(), '--out', f], io), f, '--force');
    expect(snapshot(f)).toEqual(before);
    expect(await main(['run', toyPipeline(), '--out', f, '--force'], capture())).toBe(0);
    expect(existsSync(join(f, 'model', 'mine.bin'))).toBe(false);
  });
});

describe('whittle exits 2 naming the input, with no stack trace', () => {
  it('--out at an existing file (or below one)', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'mine');
    for (const out of [file, join(file, 'sub')]) {
      const io = capture();
      expectInputError(io, await main(['run', toyPipeline(), '--out', out], io), file);
    }
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('--resume with a truncated or garbage report.json', async () => {
    const out = join(dir, 'out');
    expect(await main(['run', toyPipeline(), '--out', out], capture())).toBe(0);
    const text = readFileSync(join(out, 'report.json'), 'utf8');
    for (const broken of [text.slice(0, 50), 'garbage', '[]']) {
      writeFileSync(join(out, 'report.json'), broken);
      const io = capture();
      expectInputError(io, await main(['run', toyPipeline(), '--out', out, '--resume'], io), join(out));
    }
  });

  it('schema --out DIR, validate --write-schema DIR, profile --out DIR (checked before anything is measured)', async () => {
    let io = capture();
    expectInputError(io, await main(['schema', '--out', dir], io), dir, 'EISDIR');
    io = capture();
    expectInputError(io, await main(['validate', toyPipeline(), '--write-schema', dir], io), dir, 'EISDIR');
    io = capture();
    // The model does not exist: the output path is checked first, before the backend or the model.
    expectInputError(io, await main(['profile', join(dir, 'missing-model.json'), '--out', dir], io), dir, 'EISDIR');
    expect(readdirSync(dir)).toEqual(['pipeline.json']);
  });

  it.skipIf(process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv') || !existsSync(join(repo, 'packages/cli/dist/src/bin.js')))(
    '--out in a folder the user cannot write (EACCES, run as nobody through setpriv; needs the built CLI)',
    () => {
      const locked = join(dir, 'locked');
      mkdirSync(locked, { mode: 0o700 });
      const result = spawnSync('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(repo, 'packages/cli/dist/src/bin.js'), 'schema', '--out', join(locked, 'x', 'schema.json')], { cwd: repo, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toContain('EACCES');
      expect(result.stderr).toContain(join(locked, 'x', 'schema.json'));
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
  );

  it('--seed beyond the largest exact integer says the maximum', async () => {
    const io = capture();
    expect(await main(['run', toyPipeline(), '--seed', '99999999999999999999'], io)).toBe(2);
    expect(io.err()).toContain('9007199254740991');
  });

  it('--ratio "" and --ratio 0x0 are refused (Number() reads both as 0)', async () => {
    for (const ratio of ['', '0x0', ' 0.3', 'Infinity', '1e-1x']) {
      const io = capture();
      expect(await main(['prune', join(dir, 'model.json'), '--ratio', ratio], io), ratio).toBe(2);
      expect(io.err()).toContain('must be a decimal number in [0, 1)');
    }
  });
});

describe('whittle --version, and SIGINT', () => {
  it('--version prints the versions of whittle, the kernel and tfjs', async () => {
    const io = capture();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out()).toMatch(/^whittle \d+\.\d+\.\d+ \(kernel \d+\.\d+\.\d+, @tensorflow\/tfjs 4\.22\.0, node v\d+/);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`after ${signal} the report says "interrupted" and the --resume command is printed`, async () => {
      let open!: () => void;
      let entered!: () => void;
      const released = new Promise<void>((r) => (open = r));
      const started = new Promise<void>((r) => (entered = r));
      const g = globalThis as { __whittleGate?: () => Promise<void> };
      g.__whittleGate = async () => {
        entered();
        await released;
      };
      try {
        const out = join(dir, 'out');
        const pipeline = toyPipeline([{ hook: 'recover', plugin: 'jitter' }, { hook: 'recover', plugin: 'gate' }]);
        const listenersBefore = process.listeners(signal);
        const io = capture();
        const run = main(['run', pipeline, '--out', out, '--seed', '3'], io);
        await started;
        // Call the CLI's own listener (sending the real signal would reach the test runner too).
        const ours = process.listeners(signal).filter((l) => !listenersBefore.includes(l));
        expect(ours).toHaveLength(1);
        (ours[0] as (s: string) => void)(signal);
        expect(await run).toBe(signal === 'SIGINT' ? 130 : 143);
        expect((JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport).status).toBe('interrupted');
        expect(io.err()).toContain(`continue with:\n  whittle run ${pipeline} --out ${out} --resume --seed 3\n`);
        expect(process.listeners(signal)).toEqual(listenersBefore);
        open();
        expect(await main(['run', pipeline, '--out', out, '--seed', '3', '--resume'], capture())).toBe(0);
      } finally {
        open();
        delete g.__whittleGate;
      }
    });
  }
});
