import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@whittle/kernel';
import { saveModel } from '@whittle/model-io';
import { main, type CliIo } from '../src/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), logger: silentLogger, out: () => out, err: () => err };
}

// Pipelines name "@whittle/…" plugins, which resolve from the pipeline's folder up: keep them inside the repository (.tmp is git-ignored).
let dir: string;
let model: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  mkdirSync(join(repo, '.tmp'), { recursive: true });
  dir = mkdtempSync(join(repo, '.tmp', 'cli-bad-inputs-'));
  const x = tf.input({ shape: [3], name: 'features' });
  const dense = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2, name: 'logits' }).apply(x) as tf.SymbolicTensor });
  await saveModel(dense, join(dir, 'model'));
  dense.dispose();
  model = join(dir, 'model', 'model.json');
  mkdirSync(join(dir, 'dangling'));
  const json = JSON.parse(readFileSync(model, 'utf8')) as { modelTopology: { config: { layers: { name: string; inbound_nodes: unknown[] }[] } } };
  json.modelTopology.config.layers.find((l) => l.name === 'logits')!.inbound_nodes = [[['ghost', 0, 0, {}]]];
  writeFileSync(join(dir, 'dangling', 'model.json'), JSON.stringify(json));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (readdirSync(join(repo, '.tmp')).length === 0) rmdirSync(join(repo, '.tmp'));
});

/** A valid pipeline: a small CNN trained, scored, pruned and profiled on the embedded sample. */
function pipeline(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'bad-inputs',
    plugins: ['@whittle/zoo', '@whittle/plugin-baselines', '@whittle/plugin-profiler'],
    model: { builder: 'small-cnn', options: { width: 4 } },
    data: { provider: 'fashion-mnist-sample' },
    stages: [
      { hook: 'recover', plugin: 'train', options: { epochs: 1 } },
      { hook: 'score', plugin: 'l1-norm' },
      { hook: 'prune', plugin: 'uniform', options: { ratio: 0.5 } },
      { hook: 'deploy', target: 'tfjs-profiler' },
    ],
    ...overrides,
  };
}

let count = 0;
async function validate(config: unknown): Promise<{ code: number; err: string; file: string }> {
  const file = join(dir, `pipeline-${count++}.json`);
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config));
  const io = capture();
  const code = await main(['validate', file], io);
  return { code, err: io.err(), file };
}

const kd = { hook: 'distill', plugin: 'kd', options: { epochs: 1 } };

type Case = [name: string, config: () => unknown, path: string, mentions: RegExp];
const cases: Case[] = [
  ['a model path that does not exist', () => pipeline({ model: { path: 'nowhere/model.json' } }), '/model/path', /nowhere[\\/]model\.json does not exist/],
  ['a model path that is a folder', () => pipeline({ model: { path: 'model' } }), '/model/path', /is a folder, not a file/],
  ['a model.json that tfjs cannot build', () => pipeline({ model: { path: 'dangling/model.json' } }), '/model/path', /layer "logits" .* reads layer "ghost", which does not exist/],
  ['a teacher path that does not exist', () => pipeline({ teacher: { path: 'teacher/model.json' }, stages: [kd] }), '/teacher/path', /teacher[\\/]model\.json does not exist/],
  ['an idx folder that does not exist', () => pipeline({ data: { provider: 'idx', options: { dir: 'mnist' } } }), '/data/options/dir', /mnist does not exist/],
  ['an idx folder without the training files', () => pipeline({ data: { provider: 'idx', options: { dir: 'model' } } }), '/data/options/dir', /cannot find the trainImages file/],
  ['an idx file that does not exist', () => pipeline({ data: { provider: 'idx', options: { trainImages: 'a.idx3', trainLabels: 'model/model.json' } } }), '/data/options/trainImages', /a\.idx3 does not exist/],
  ['a cifar10 folder that does not exist', () => pipeline({ data: { provider: 'cifar10', options: { dir: 'cifar-10-batches-bin' } } }), '/data/options/dir', /cifar-10-batches-bin does not exist/],
  ['a cifar10 batch that does not exist', () => pipeline({ data: { provider: 'cifar10', options: { dir: 'model', batches: ['data_batch_1'] } } }), '/data/options/batches/0', /data_batch_1\.bin does not exist/],
  ['a distill stage with no teacher', () => pipeline({ stages: [kd] }), '/stages/0', /"distill:kd" needs a teacher, but the pipeline has no "teacher"/],
  ['a teacher that is the distill stage itself', () => pipeline({ teacher: { stage: 1 }, stages: [{ hook: 'recover', plugin: 'train' }, kd] }), '/teacher/stage', /stage 1 does not run before stage 1/],
  ['a teacher that runs after the distill stage', () => pipeline({ teacher: { stage: 1 }, stages: [kd, { hook: 'recover', plugin: 'train' }] }), '/teacher/stage', /stage 1 does not run before stage 0/],
  ['a prune stage before any score stage', () => pipeline({ stages: [{ hook: 'prune', plugin: 'uniform', options: { ratio: 0.5 } }, { hook: 'score', plugin: 'l1-norm' }] }), '/stages/0', /"prune:uniform" prunes by score, but no score stage runs before it/],
  ['a training stage with no data', () => { const c = pipeline({ stages: [{ hook: 'recover', plugin: 'train' }] }); delete c['data']; return c; }, '/stages/0', /needs data, but the pipeline has no "data"/],
  ['a latency table written outside the run folder (..)', () => pipeline({ stages: [{ hook: 'deploy', target: 'tfjs-profiler', options: { table: { out: '../../escape.json' } } }] }), '/stages/0/options/table/out', /leaves the stage's folder/],
  ['a latency table written outside the run folder (absolute)', () => pipeline({ stages: [{ hook: 'deploy', target: 'tfjs-profiler', options: { table: { out: '/tmp/table.json' } } }] }), '/stages/0/options/table/out', /leaves the stage's folder/],
  ['epochs of 1e400 (Infinity)', () => JSON.stringify(pipeline()).replace('"epochs":1', '"epochs":1e400'), '/stages/0/options/epochs', /must be a finite number; got Infinity/],
  ['a 200,000-deep nested array', () => JSON.stringify(pipeline()).replace('"epochs":1', `"epochs":${'['.repeat(200_000)}${']'.repeat(200_000)}`), `/stages/0/options/epochs/${Array(8).fill('0').join('/')}/…`, /nested more than 100 levels deep/],
  ['a model width of 1e12', () => pipeline({ model: { builder: 'small-cnn', options: { width: 1e12 } } }), '/model/options/width', /must be <= 1024/],
];

describe('whittle validate refuses what run would fail on, before anything runs', () => {
  it('accepts the base pipeline of these cases', async () => {
    const { code, err } = await validate(pipeline());
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it.each(cases)('%s: exit 2 naming %s', async (_name, config, path, mentions) => {
    const { code, err } = await validate(config());
    expect(code, err).toBe(2);
    expect(err).toContain(`${path}:`);
    expect(err).toMatch(mentions);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('run refuses the same pipelines before its output folder is touched', async () => {
    const file = join(dir, 'run-missing-model.json');
    writeFileSync(file, JSON.stringify(pipeline({ model: { path: 'nowhere/model.json' } })));
    const out = join(dir, 'run-out');
    const io = capture();
    expect(await main(['run', file, '--out', out], io)).toBe(2);
    expect(io.err()).toContain('/model/path:');
    expect(existsSync(out)).toBe(false);
  });
});

describe('whittle inspect on broken model files', () => {
  it('exits 2 within a second on a model.json whose inbound_nodes names a missing layer (tfjs would spin forever)', () => {
    const path = join(dir, 'dangling', 'model.json');
    // A child process, so that the old infinite loop fails this test (killed after 20 s) instead of hanging the run.
    const cli = join(repo, 'packages/cli/dist/src/index.js');
    expect(existsSync(cli), 'build the CLI first (pnpm test runs tsc -b)').toBe(true);
    const script = `const { main } = await import(${JSON.stringify(pathToFileURL(cli).href)}); const t = performance.now(); const code = await main(['inspect', ${JSON.stringify(path)}]); console.log(JSON.stringify({ code, ms: performance.now() - t }));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.signal, 'the CLI did not finish within 20 s').toBeNull();
    const { code, ms } = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { code: number; ms: number };
    expect(code).toBe(2);
    expect(ms).toBeLessThan(1000);
    expect(child.stderr).toContain('layer "logits"');
    expect(child.stderr).toContain('"ghost", which does not exist');
    expect(child.stderr).not.toMatch(/\n\s+at /);
  });

  it('prune refuses it too, with exit 2, before its output folder is touched', async () => {
    const out = join(dir, 'prune-out');
    const io = capture();
    expect(await main(['prune', join(dir, 'dangling', 'model.json'), '--ratio', '0.3', '--out', out], io)).toBe(2);
    expect(io.err()).toContain('"ghost", which does not exist');
    expect(existsSync(out)).toBe(false);
  });

  it('names a GraphModel as one, without dumping its topology', async () => {
    const file = join(dir, 'graph-model.json');
    writeFileSync(file, JSON.stringify({ format: 'graph-model', modelTopology: { node: [{ name: 'x', op: 'Placeholder' }] }, weightsManifest: [] }));
    const io = capture();
    expect(await main(['inspect', file], io)).toBe(2);
    expect(io.err()).toContain('is a TensorFlow.js GraphModel');
    expect(io.err()).not.toContain('Placeholder');
  });

  it('does not echo the contents of a file that is not JSON', async () => {
    const file = join(dir, 'passwd');
    writeFileSync(file, 'root:x:0:0:root:/root:/bin/bash\n');
    for (const args of [['inspect', file], ['validate', file]]) {
      const io = capture();
      expect(await main(args, io)).toBe(2);
      expect(io.err()).toContain('not JSON: unexpected character at line 1, column 1');
      expect(io.err()).not.toContain('root:x');
    }
  });
});
