import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadModel, saveModel } from '@whittle/model-io';
import { kerasInceptionV3Artifacts, kerasMobileNetV2Artifacts } from '@whittle/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { dependencyGroups, pruneChannels } from '../src/index.js';
import { useWasm } from '@whittle/testing';
import { relativeError } from './helpers/compare-outputs.js';
import { l1Plan } from './helpers/l1-plan.js';

const CASES: [string, () => tf.io.ModelArtifacts, number][] = [
  ['MobileNetV2 224×224 (tf.keras 1.15 / Keras 2.2.4-tf)', () => kerasMobileNetV2Artifacts(0), 224],
  ['InceptionV3 299×299 (Keras 2.4)', () => kerasInceptionV3Artifacts(0), 299],
];

/** The pruned model's own model.json text and weights, as a converter-style save would write them. */
async function jsonRoundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }));
  const { modelTopology, weightSpecs, weightData } = saved as tf.io.ModelArtifacts;
  const text = JSON.stringify({ modelTopology, weightsManifest: [{ paths: [], weights: weightSpecs }] });
  const parsed = JSON.parse(text) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs: parsed.weightsManifest[0]?.weights, weightData }));
}

describe('30% uniform L1 pruning of Keras-converted models', () => {
  beforeAll(useWasm);

  it.each(CASES)('%s: prunes, round-trips through model.json (memory and disk) and runs', async (_name, artifacts, size) => {
    const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts()));
    const groups = dependencyGroups(model);
    const prunable = groups.filter((g) => g.prunable);
    expect(prunable.length).toBeGreaterThan(10);
    // The classifier's channels feed the output and the input's channels are the image's: never prunable.
    expect(groups.find((g) => g.members.some((m) => m.layer === 'predictions' && m.role === 'producer'))?.prunable).toBe(false);
    const plan = await l1Plan(model, groups, 0.3);
    const pruned = await pruneChannels(model, plan);
    expect(pruned.countParams()).toBeLessThan(0.8 * model.countParams());
    const fromJson = await jsonRoundTrip(pruned);
    const dir = await mkdtemp(join(tmpdir(), 'whittle-graph-'));
    const input = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 5);
    try {
      await saveModel(pruned, dir);
      const fromDisk = await loadModel(join(dir, 'model.json'));
      const out = pruned.predict(input) as tf.Tensor;
      expect(out.shape).toEqual([1, 1000]);
      expect(Number.isFinite(out.sum().dataSync()[0])).toBe(true);
      out.dispose();
      expect(relativeError(fromJson, pruned, input)).toBe(0);
      expect(relativeError(fromDisk, pruned, input)).toBe(0);
      fromDisk.dispose();
    } finally {
      input.dispose();
      await rm(dir, { recursive: true, force: true });
      for (const m of [model, pruned, fromJson]) m.dispose();
    }
  });
});
