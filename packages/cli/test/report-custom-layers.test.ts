import * as tf from '@tensorflow/tfjs';
import { silentLogger, type RunReport } from '@whittle/kernel';
import { loadModel, saveModel } from '@whittle/model-io';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
// The custom-layer fixture plugin of @whittle/graph's tests: ChannelScale and ChannelAttention, registered
// with tf.serialization through its manifest's `layers` (not when the module is imported).
const fixture = fileURLToPath(new URL('../../graph/test/fixtures/custom-layer-plugin/index.ts', import.meta.url));
const CUSTOM_CLASSES = ['ChannelScale', 'ChannelAttention'];

function capture(): CliIo & { out: () => string; err: () => string; lines: string[] } {
  let out = '';
  let err = '';
  const lines: string[] = [];
  const logger = { ...silentLogger, info: (line: string) => void lines.push(line), warn: (line: string) => void lines.push(`warn: ${line}`) };
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), logger, out: () => out, err: () => err, lines };
}

/**
 * What a fresh process (`whittle report` after `whittle run`) knows of the fixture's classes: nothing.
 * The run registered them in this process's tf.serialization map; take them out again.
 */
function forgetCustomClasses(): void {
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  for (const name of CUSTOM_CLASSES) delete map[name];
}

/** The layers of the MACs-per-layer chart, from its y axis' description. */
function macsChartLayers(html: string): string[] {
  const figure = /<figure class="chart" data-chart="macs"[^]*?<\/figure>/.exec(html)?.[0] ?? '';
  return /aria-label="Y-axis titled 'layer' for a discrete scale with \d+ values: ([^"]+)"/.exec(figure)?.[1]!.split(', ') ?? [];
}

/** The fixture model's layers that cost MACs; ChannelScale's and ChannelAttention's come from the plugin's layer operations. */
const LAYERS_WITH_MACS = ['conv1', 'scale', 'conv2', 'attention', 'head'];

// Plugins resolve from the pipeline's folder: keep it inside the repository (.tmp is ignored by git).
let dir: string;
let pipeline: string;
let out: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  mkdirSync(join(repo, '.tmp'), { recursive: true });
  dir = mkdtempSync(join(repo, '.tmp', 'cli-report-custom-'));
  const { customLayerModel } = (await import(pathToFileURL(fixture).href)) as { customLayerModel: () => tf.LayersModel };
  const model = customLayerModel();
  await saveModel(model, join(dir, 'custom-model'));
  model.dispose();
  pipeline = join(dir, 'pipeline.json');
  writeFileSync(pipeline, JSON.stringify({
    name: 'report-custom-layers', seed: 1,
    plugins: ['@whittle/plugin-baselines', `./${relative(dir, fixture)}`],
    model: { path: './custom-model/model.json' },
    stages: [{ hook: 'score', plugin: 'l1-norm' }, { hook: 'prune', plugin: 'uniform', options: { ratio: 0.5 } }],
  }));
  out = join(dir, 'run');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('report.html of a run whose models have a plugin\'s custom layers', () => {
  it('whittle run, then whittle report in a fresh process: the pipeline\'s plugins are loaded, so the per-layer charts are drawn', async () => {
    const run = capture();
    expect(await main(['run', pipeline, '--out', out, '--backend', 'cpu'], run), run.err()).toBe(0);
    // The report after the run: the run loaded the plugin, and its layer operations count the custom layers' MACs.
    expect(macsChartLayers(readFileSync(join(out, 'report.html'), 'utf8'))).toEqual(LAYERS_WITH_MACS);

    forgetCustomClasses();
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
    // Without the plugin the run's models do not load: what `whittle report` met before it loaded them.
    await expect(loadModel(join(out, report.initialModel!, 'model.json'))).rejects.toThrow(/Unknown layer: ChannelScale/);

    const before = tf.memory().numTensors;
    const io = capture();
    expect(await main(['report', out, '--no-latency', '--json'], io), io.err()).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    const written = JSON.parse(io.out()) as { charts: string[]; problems: string[] };
    expect(written.problems).toEqual([]);
    expect(written.charts).toEqual(['channels', 'macs', 'stage-macs']);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toContain('Unknown layer');
    expect(macsChartLayers(html)).toEqual(LAYERS_WITH_MACS);
  });

  it('when the pipeline file is gone, the page says why the per-layer charts are missing and how to load the plugin; --plugin brings them back', async () => {
    const moved = join(dir, 'moved.json');
    renameSync(pipeline, moved);
    try {
      forgetCustomClasses();
      const io = capture();
      expect(await main(['report', out, '--no-latency', '--json'], io), io.err()).toBe(0);
      const written = JSON.parse(io.out()) as { charts: string[]; problems: string[] };
      expect(written.charts).toEqual(['stage-macs']);
      expect(written.problems).toEqual([expect.stringMatching(/^The per-layer charts are left out: .*model\.json: tfjs could not build the model: Unknown layer: ChannelScale\. \(the run's pipeline file .*pipeline\.json cannot be read \(ENOENT\); a model with a plugin's custom layers needs that plugin: name it with whittle report --plugin <package or \.\/path>\)$/)]);
      expect(io.lines).toContainEqual(expect.stringMatching(/^warn: report: The per-layer charts are left out: .*--plugin/));

      forgetCustomClasses();
      const again = capture();
      expect(await main(['report', out, '--no-latency', '--json', '--plugin', `./${relative(process.cwd(), fixture)}`], again), again.err()).toBe(0);
      expect((JSON.parse(again.out()) as { charts: string[] }).charts).toEqual(['channels', 'macs', 'stage-macs']);
    } finally {
      renameSync(moved, pipeline);
    }
  });

  it('a --plugin that does not exist is bad input: exit 2 naming it, report.html untouched', async () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const io = capture();
    expect(await main(['report', out, '--no-latency', '--plugin', './no-such-plugin.js'], io)).toBe(2);
    expect(io.err()).toMatch(/\/plugins\/0 \("\.\/no-such-plugin\.js"\): no file at .*no-such-plugin\.js/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toBe(html);
  });
});
