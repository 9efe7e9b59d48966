import * as tf from '@tensorflow/tfjs';
import { dependencyGroups } from '@whittle/graph';
import { runStage, type PluginManifest, type ScoreTable } from '@whittle/kernel';
import { withoutLeaks } from '@whittle/testing';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { L1NormScore, RandomScore, UniformPrune } from '../src/index.js';

/** The graph package's fixture plugin: a custom `ChannelScale` layer (prunable) and `ChannelAttention` (no channel rule). */
interface CustomLayerFixture {
  readonly default: PluginManifest;
  customLayerModel(): tf.LayersModel;
}

let fixture: CustomLayerFixture;

beforeAll(async () => {
  await tf.setBackend('cpu');
  fixture = (await import(fileURLToPath(new URL('../../graph/test/fixtures/custom-layer-plugin/index.ts', import.meta.url)))) as CustomLayerFixture;
});

describe('baseline pruners through a package\'s custom layers (LAYER_OPERATIONS)', () => {
  it('scores and prunes the group behind a custom layer only when its package is loaded', async () => {
    const model = fixture.customLayerModel();
    const manifests = [fixture.default];
    await withoutLeaks(async () => {
      const { value: without } = await runStage<ScoreTable>(L1NormScore, { model });
      expect(without.has('conv1')).toBe(false);
      const { value: scores } = await runStage<ScoreTable>(L1NormScore, { model, manifests });
      expect(scores.get('conv1')).toHaveLength(8);
      expect((await runStage<ScoreTable>(RandomScore, { model, manifests })).value.has('conv1')).toBe(true);
      const { value: pruned, metrics } = await runStage(UniformPrune, { model, scores, manifests, options: { ratio: 0.5 } });
      expect(metrics['removedChannels']).toBeGreaterThanOrEqual(4);
      expect(pruned.getLayer('scale').getWeights()[0]!.shape).toEqual([4]);
      expect(pruned.getLayer('conv1').getWeights()[0]!.shape).toEqual([3, 3, 3, 4]);
      expect(dependencyGroups(pruned).length).toBeGreaterThan(0);
      pruned.dispose();
    });
    model.dispose();
  });
});
