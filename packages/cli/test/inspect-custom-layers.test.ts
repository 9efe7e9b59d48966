import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { selectBackend } from '@whittle/engine';
import { silentLogger } from '@whittle/kernel';
import { saveModel } from '@whittle/model-io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/index.js';

// The custom-layer fixture plugin of @whittle/graph's tests, loaded by a path as a user would.
const fixture = fileURLToPath(new URL('../../graph/test/fixtures/custom-layer-plugin/index.ts', import.meta.url));
const fixtureArg = `./${relative(process.cwd(), fixture)}`;

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (t) => void (out += t), stderr: (t) => void (err += t), logger: silentLogger, out: () => out, err: () => err };
}

let dir: string;
let modelJson: string;

beforeAll(async () => {
  await selectBackend('auto');
  dir = mkdtempSync(join(tmpdir(), 'whittle-cli-custom-'));
  const { customLayerModel } = (await import(pathToFileURL(fixture).href)) as { customLayerModel: () => tf.LayersModel };
  const model = customLayerModel();
  await saveModel(model, join(dir, 'model'));
  model.dispose();
  modelJson = join(dir, 'model', 'model.json');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('whittle inspect on a model with custom layers', () => {
  // First: tf.serialization's class registry is process-wide, and the next test registers the classes.
  it('without the plugin the model does not load: exit 2 naming the unknown class', async () => {
    const io = capture();
    expect(await main(['inspect', modelJson], io)).toBe(2);
    expect(io.err()).toMatch(/ChannelScale|ChannelAttention/);
  });

  it('with --plugin: loads it, shows the custom layers\' MACs, and says which groups they block and why', async () => {
    const before = tf.memory().numTensors;
    const io = capture();
    expect(await main(['inspect', modelJson, '--plugin', fixtureArg, '--json'], io), io.err()).toBe(0);
    const summary = JSON.parse(io.out()) as { macs: number; layers: { layer: string; className: string; macs: number }[]; groups: { id: string; prunable: boolean; blockedBy: string[] }[] };
    const byLayer = new Map(summary.layers.map((l) => [l.layer, l]));
    expect(byLayer.get('scale')).toMatchObject({ className: 'ChannelScale', macs: 8 * 8 * 8 });
    expect(byLayer.get('attention')).toMatchObject({ className: 'ChannelAttention', macs: 8 * 8 + 8 * 8 * 8 });
    expect(summary.macs).toBe(summary.layers.reduce((s, l) => s + l.macs, 0));
    const groups = new Map(summary.groups.map((g) => [g.id, g]));
    expect(groups.get('conv1')?.prunable).toBe(true);
    expect(groups.get('conv2')?.blockedBy.join('; ')).toMatch(/"attention" \(ChannelAttention\) has a layer operation without a channel rule/);

    const table = capture();
    expect(await main(['inspect', modelJson, '--plugin', fixtureArg], table)).toBe(0);
    expect(table.out()).toMatch(/scale\s+ChannelScale\s+\[1,8,8,8\]\s+8\s+512/);
    expect(tf.memory().numTensors).toBe(before);
  });

});
