import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, type RunReport } from '@whittle/kernel';
import { Ajv } from 'ajv';
import { installedPipelineSchema, main, type CliIo } from '../src/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const quickstart = join(repo, 'examples/quickstart/pipeline.json');

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), logger: silentLogger, out: () => out, err: () => err };
}

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'whittle-cli-'));
  await tf.ready();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(repo, 'examples/quickstart/.cli-test-pipeline.json'), { force: true });
});

/** The quickstart, shrunk so that it runs in seconds: 3 epochs on 1000 images. */
function smallQuickstart(): string {
  const config = JSON.parse(readFileSync(quickstart, 'utf8')) as Record<string, unknown> & { stages: { plugin?: string; target?: string; options: Record<string, unknown> }[] };
  config['data'] = { provider: 'fashion-mnist-sample', trainLimit: 1000, testLimit: 200 };
  config['model'] = { builder: 'small-cnn', options: { width: 8 } };
  for (const stage of config.stages) {
    if (stage.plugin === 'train') stage.options = { epochs: 3, batchSize: 50 };
    if (stage.target === 'tfjs-profiler') stage.options = { runs: 3, warmup: 1 };
  }
  delete config['$schema'];
  // Plugins resolve from the pipeline's folder: keep the file in the repository so node_modules is found.
  const file = join(repo, 'examples/quickstart/.cli-test-pipeline.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('whittle CLI', () => {
  it('validates the quickstart pipeline', async () => {
    const io = capture();
    expect(await main(['validate', quickstart], io)).toBe(0);
    expect(io.out()).toContain('valid');
    expect(io.out()).toContain('0: recover train');
    expect(io.out()).toContain('1: deploy tfjs-profiler');
  });

  it('validates every example pipeline', async () => {
    // Every JSON file with top-level stages in an example's folder is a pipeline (pipeline.json, and variants such as sp-lamp/progressive.json); others are its data (n3h/design.json).
    const pipelines = readdirSync(join(repo, 'examples'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json') && !f.includes('node_modules') && !basename(f).startsWith('.') && !/^(package|tsconfig)\.json$/.test(basename(f)) && !f.split(/[\\/]/).includes('dist') && 'stages' in (JSON.parse(readFileSync(join(repo, 'examples', f), 'utf8')) as object));
    expect(pipelines).toContain(join('sp-lamp', 'progressive.json'));
    expect(pipelines.filter((f) => f.endsWith('pipeline.json')).length).toBeGreaterThanOrEqual(3);
    for (const pipeline of pipelines) {
      const io = capture();
      expect(await main(['validate', join(repo, 'examples', pipeline)], io), `${pipeline}: ${io.err()}`).toBe(0);
    }
  });

  it('exits 2 on a bad pipeline, names the JSON path, writes nothing', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ model: { builder: 'small-cnn' }, stages: [{ hook: 'recover', plugin: 'train' }] }));
    const io = capture();
    const out = join(dir, 'bad-out');
    expect(await main(['run', file, '--out', out], io)).toBe(2);
    expect(io.err()).toContain('/stages/0/plugin');
    expect(existsSync(out)).toBe(false);
  });

  it('validates a pipeline outside the repository that names a first-party plugin (found in Whittle\'s installation)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'whittle-outside-'));
    try {
      const file = join(folder, 'pipeline.json');
      writeFileSync(file, JSON.stringify({ plugins: ['@whittle/zoo', '@whittle/plugin-baselines'], model: { builder: 'small-cnn' }, data: { provider: 'fashion-mnist-sample' }, stages: [{ hook: 'recover', plugin: 'train' }] }));
      const io = capture();
      expect(await main(['validate', file], io), io.err()).toBe(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('never runs a file named like a Node built-in that a pipeline names as a plugin: exit 2', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'whittle-builtin-'));
    const cwd = process.cwd();
    try {
      const marker = join(folder, 'ran.txt');
      for (const name of ['child_process', 'child_process.js']) writeFileSync(join(folder, name), `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');`);
      writeFileSync(join(folder, 'pipeline.json'), JSON.stringify({ plugins: ['child_process'], model: { path: 'model.json' }, stages: [{ hook: 'recover', plugin: 'train' }] }));
      process.chdir(folder);
      const io = capture();
      expect(await main(['validate', 'pipeline.json'], io)).toBe(2);
      expect(io.err()).toContain('"child_process" is a Node.js built-in module');
      expect(existsSync(marker)).toBe(false);
    } finally {
      process.chdir(cwd);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('exits 2 on bad arguments', async () => {
    expect(await main(['run'], capture())).toBe(2);
    expect(await main(['run', quickstart, '--seed', '-1'], capture())).toBe(2);
    expect(await main(['run', quickstart, '--backend', 'tpu'], capture())).toBe(2);
    expect(await main(['frobnicate'], capture())).toBe(2);
    expect(await main(['inspect', join(dir, 'missing.json')], capture())).toBe(2);
  });

  it('lists installed plugins with their hooks and targets', async () => {
    const io = capture();
    expect(await main(['plugins', '--json'], io)).toBe(0);
    const rows = JSON.parse(io.out()) as { package: string; hooks: string[]; targets: string[]; models: string[]; datasets: string[] }[];
    const byName = Object.fromEntries(rows.map((r) => [r.package, r]));
    expect(byName['@whittle/plugin-baselines']?.hooks).toEqual(['recover:train', 'distill:kd', 'score:l1-norm', 'score:random', 'prune:uniform', 'prune:global']);
    expect(byName['@whittle/plugin-profiler']?.targets).toEqual(['tfjs-profiler']);
    expect((byName['@whittle/plugin-profiler'] as { latencyModels?: string[] } | undefined)?.latencyModels).toEqual(['tfjs-profiler']);
    expect(byName['@whittle/zoo']?.models).toContain('small-cnn');
    expect(byName['@whittle/data']?.datasets).toEqual(['fashion-mnist-sample', 'idx', 'cifar10', 'image-folder']);
  });

  it('keeps schema/pipeline.schema.json in step with the installed plugins, and the examples valid against it', async () => {
    const committed = JSON.parse(readFileSync(join(repo, 'schema/pipeline.schema.json'), 'utf8')) as Record<string, unknown>;
    // A failure here means a plugin's options changed: run `pnpm schema` and commit the result.
    expect(committed).toEqual(await installedPipelineSchema(repo));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(committed);
    const example = JSON.parse(readFileSync(quickstart, 'utf8')) as unknown;
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...(example as object), stages: [{ hook: 'recover', plugin: 'train', options: { epochz: 1 } }] })).toBe(false);
  });

  it('runs a shrunk quickstart end to end, then inspects its model', async () => {
    const before = tf.memory().numTensors;
    const out = join(dir, 'run');
    const io = capture();
    const code = await main(['run', smallQuickstart(), '--out', out, '--backend', 'wasm', '--json'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
    expect(JSON.parse(io.out())).toEqual(report);
    expect(report.status).toBe('completed');
    const [trained, dense, , pruned, tuned, small] = report.stages;
    expect(trained?.model?.metrics['accuracy']).toBeGreaterThan(0.5);
    expect(dense?.model?.latencyMs).toBeGreaterThan(0);
    expect(pruned?.model?.params).toBeLessThan(trained!.model!.params / 2);
    expect(pruned?.model?.macs).toBeLessThan(trained!.model!.macs / 2);
    expect(tuned?.model?.metrics['accuracy']).toBeGreaterThan(pruned!.model!.metrics['accuracy']!);
    expect(small?.model?.latencyMs).toBeGreaterThan(0);
    const inspect = capture();
    expect(await main(['inspect', join(out, 'model', 'model.json')], inspect)).toBe(0);
    expect(inspect.out()).toMatch(/total: [\d,]+ params, [\d,]+ MACs per example/);
    expect(inspect.out()).toContain('dependency groups: 5 (3 prunable)');
    expect(inspect.out()).toContain('why: model input "image"');

    const pruneOut = join(dir, 'pruned');
    const prune = capture();
    expect(await main(['prune', join(out, 'model', 'model.json'), '--method', 'global-magnitude', '--ratio', '0.3', '--out', pruneOut, '--json'], prune)).toBe(0);
    const pruneReport = JSON.parse(prune.out()) as RunReport;
    expect(pruneReport.stages.map((s) => s.label)).toEqual(['score:l1-norm', 'prune:global']);
    expect(pruneReport.stages[1]?.model?.params).toBeLessThan(pruneReport.initial!.params);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runs a plain-JavaScript plugin loaded by a path relative to the pipeline, with its logger injected', async () => {
    const before = tf.memory().numTensors;
    const lines: string[] = [];
    const io = { ...capture(), logger: { ...silentLogger, info: (line: string) => void lines.push(line) } };
    const code = await main(['run', join(repo, 'examples/custom-plugin/pipeline.json'), '--out', join(dir, 'custom'), '--json'], io);
    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as RunReport;
    expect(report.stages[1]?.label).toBe('quantize:magnitude-sparsity');
    expect(report.stages[1]?.metrics['sparsity']).toBeCloseTo(0.5, 2);
    expect(lines.some((l) => /zeroed \d+ of \d+ kernel weights/.test(l))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a prune ratio outside [0, 1) and an unknown method', async () => {
    expect(await main(['prune', quickstart, '--ratio', '1.2'], capture())).toBe(2);
    expect(await main(['prune', quickstart, '--ratio', '0.3', '--method', 'l2'], capture())).toBe(2);
  });
});
