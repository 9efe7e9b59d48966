import * as tf from '@tensorflow/tfjs';
import { silentLogger } from '@whittle/kernel';
import { saveModel } from '@whittle/model-io';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(repo, 'packages/cli/dist/src/bin.js');

/**
 * A plain-JavaScript plugin beside the pipeline with a custom layer class, `TimesTwo`, registered with
 * tf.serialization through its manifest's `layers` (as N3H's N3hFakeQuant is), and its layer operation:
 * channels pass through, one multiply per element.
 */
const TIMES_TWO_PLUGIN = `import * as tf from '@tensorflow/tfjs';
import { definePluginManifest } from '@whittle/kernel';
export class TimesTwo extends tf.layers.Layer {
  static className = 'TimesTwo';
  call(inputs) { return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, 2); }
}
const operation = { className: 'TimesTwo', channelRule: () => ({ kind: 'channelwise' }), macs: (call) => (call.outputShapes[0] ?? []).reduce((a, b) => a * b, 1) };
export default definePluginManifest({ name: 'times-two', version: '0.0.0', kernel: '^0.1.0', layers: [{ className: 'TimesTwo', serializable: TimesTwo, operation }] });
`;

/** The model's layers that cost MACs; TimesTwo's come from the plugin's layer operation. */
const LAYERS_WITH_MACS = ['conv1', 'times', 'conv2', 'head'];

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), logger: silentLogger, out: () => out, err: () => err };
}

/** `whittle report` in a process of its own, as a user runs it after `whittle run`: no layer class registered by the run. */
function reportInFreshProcess(args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  expect(existsSync(bin), 'build the CLI first (pnpm test runs tsc -b)').toBe(true);
  return spawnSync(process.execPath, [bin, 'report', ...args], { cwd, encoding: 'utf8', timeout: 90_000 });
}

/** The layers of the MACs-per-layer chart, from its y axis' description. */
function macsChartLayers(html: string): string[] {
  const figure = /<figure class="chart" data-chart="macs"[^]*?<\/figure>/.exec(html)?.[0] ?? '';
  return /aria-label="Y-axis titled 'layer' for a discrete scale with \d+ values: ([^"]+)"/.exec(figure)?.[1]!.split(', ') ?? [];
}

// Plugins resolve from the pipeline's folder: keep it inside the repository (.tmp is ignored by git).
let dir: string;
let pipeline: string;
let out: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  mkdirSync(join(repo, '.tmp'), { recursive: true });
  dir = mkdtempSync(join(repo, '.tmp', 'cli-report-custom-'));
  writeFileSync(join(dir, 'times-two.mjs'), TIMES_TWO_PLUGIN);
  const { TimesTwo } = (await import(pathToFileURL(join(dir, 'times-two.mjs')).href)) as { TimesTwo: new (args: { name: string }) => tf.layers.Layer };
  const x = tf.input({ shape: [8, 8, 3] });
  let y = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', name: 'conv1' }).apply(x) as tf.SymbolicTensor;
  y = new TimesTwo({ name: 'times' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.reLU({ name: 'relu' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', name: 'conv2' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.dense({ units: 4, name: 'head' }).apply(y) as tf.SymbolicTensor;
  const model = tf.model({ inputs: x, outputs: y });
  await saveModel(model, join(dir, 'custom-model'));
  model.dispose();
  pipeline = join(dir, 'pipeline.json');
  writeFileSync(pipeline, JSON.stringify({
    name: 'report-custom-layers', seed: 1,
    plugins: ['@whittle/plugin-baselines', './times-two.mjs'],
    model: { path: './custom-model/model.json' },
    stages: [{ hook: 'score', plugin: 'l1-norm' }, { hook: 'prune', plugin: 'uniform', options: { ratio: 0.5 } }],
  }));
  out = join(dir, 'run');
  const before = tf.memory().numTensors;
  const run = capture();
  expect(await main(['run', pipeline, '--out', out, '--backend', 'cpu'], run), run.err()).toBe(0);
  expect(tf.memory().numTensors).toBe(before);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report.html of a run whose models have a plugin\'s custom layers', () => {
  it('the report after the run counts the custom layer\'s MACs with the plugin\'s layer operation', () => {
    expect(macsChartLayers(readFileSync(join(out, 'report.html'), 'utf8'))).toEqual(LAYERS_WITH_MACS);
  });

  it('whittle report in a fresh process loads the pipeline\'s plugins, so the models load and the per-layer charts are drawn', () => {
    const child = reportInFreshProcess([out, '--no-latency', '--json'], repo);
    expect(child.status, child.stderr).toBe(0);
    const written = JSON.parse(child.stdout) as { charts: string[]; problems: string[] };
    expect(written.problems).toEqual([]);
    expect(written.charts).toEqual(['channels', 'macs', 'stage-macs']);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toContain('Unknown layer');
    expect(macsChartLayers(html)).toEqual(LAYERS_WITH_MACS);
  });

  it('when the pipeline file is gone, the page says why the per-layer charts are missing and how to load the plugin; --plugin brings them back', () => {
    const moved = join(dir, 'moved.json');
    renameSync(pipeline, moved);
    try {
      const child = reportInFreshProcess([out, '--no-latency', '--json'], repo);
      expect(child.status, child.stderr).toBe(0);
      const written = JSON.parse(child.stdout) as { charts: string[]; problems: string[] };
      expect(written.charts).toEqual(['stage-macs']);
      expect(written.problems).toEqual([expect.stringMatching(/^The per-layer charts are left out: .*model\.json: tfjs could not build the model: Unknown layer: TimesTwo\. \(the run's pipeline file .*pipeline\.json cannot be read \(ENOENT\); a model with a plugin's custom layers needs that plugin: name it with whittle report --plugin <package or \.\/path>\)$/)]);
      expect(child.stderr).toMatch(/warning: report: The per-layer charts are left out: .*--plugin/);

      const again = reportInFreshProcess([out, '--no-latency', '--json', '--plugin', './times-two.mjs'], dir);
      expect(again.status, again.stderr).toBe(0);
      expect((JSON.parse(again.stdout) as { charts: string[] }).charts).toEqual(['channels', 'macs', 'stage-macs']);
    } finally {
      renameSync(moved, pipeline);
    }
  });

  it('a --plugin that does not exist is bad input: exit 2 naming it, report.html untouched', async () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const before = tf.memory().numTensors;
    const io = capture();
    expect(await main(['report', out, '--no-latency', '--plugin', './no-such-plugin.js'], io)).toBe(2);
    expect(io.err()).toMatch(/\/plugins\/0 \("\.\/no-such-plugin\.js"\): no file at .*no-such-plugin\.js/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe(html);
    expect(tf.memory().numTensors).toBe(before);
  });
});
