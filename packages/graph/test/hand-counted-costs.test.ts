import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerCosts, totalMacs } from '../src/index.js';
import { withoutLeaks } from '@whittle/testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** One layer of every counted kind; the expected numbers are worked out by hand in the comments. */
function everyKindModel(): tf.LayersModel {
  return tf.sequential({
    layers: [
      // [8,8,3] → [8,8,4]: params 3·3·3·4 + 4 = 112; MACs 8·8·4 · 3·3·3 = 6912
      tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same', name: 'conv' }),
      // → [6,6,8]: params 3·3·4·2 + 8 = 80; MACs 6·6·8 · 9 = 2592
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, name: 'dw' }),
      // → [6,6,5]: params 3·3·8 + 8·5 + 5 = 117; MACs 36·8·9 + 36·8·5 = 4032
      tf.layers.separableConv2d({ filters: 5, kernelSize: 3, padding: 'same', name: 'sep' }),
      // params 4·5 = 20 (gamma, beta, moving mean, moving variance); MACs 0
      tf.layers.batchNormalization({ name: 'bn' }),
      // → [12,12,2]: params 2·2·2·5 + 2 = 42; MACs 6·6·5 · 2·2 · 2 = 1440
      tf.layers.conv2dTranspose({ filters: 2, kernelSize: 2, strides: 2, name: 'deconv' }),
      tf.layers.reshape({ targetShape: [144, 2], name: 'reshape' }),
      // → [142,3]: params 3·2·3 + 3 = 21; MACs 142·3 · 3·2 = 2556
      tf.layers.conv1d({ filters: 3, kernelSize: 3, name: 'conv1d' }),
      // Dense on rank 3 → [142,4]: params 3·4 + 4 = 16; MACs 142 · 3·4 = 1704
      tf.layers.dense({ units: 4, name: 'dense3d' }),
      tf.layers.flatten({ name: 'flatten' }),
      // 568 → 10: params 5680 + 10 = 5690; MACs 5680
      tf.layers.dense({ units: 10, name: 'head' }),
    ],
  });
}

// The counts worked out by hand (they were the kernel's MAC counters' test, which the layer operations replace).
describe('layerCosts by hand', () => {
  it('counts params and MACs of every layer kind as computed by hand', async () => {
    await withoutLeaks(() => {
      const model = everyKindModel();
      const costs = layerCosts(model);
      const byName = Object.fromEntries(costs.map((c) => [c.layer, c]));
      expect(costs.map((c) => [c.layer, c.params, c.macs])).toEqual([
        ['conv', 112, 6912],
        ['dw', 80, 2592],
        ['sep', 117, 4032],
        ['bn', 20, 0],
        ['deconv', 42, 1440],
        ['reshape', 0, 0],
        ['conv1d', 21, 2556],
        ['dense3d', 16, 1704],
        ['flatten', 0, 0],
        ['head', 5690, 5680],
      ]);
      expect(byName['sep']?.className).toBe('SeparableConv2D');
      expect(byName['deconv']?.outputShape).toEqual([1, 12, 12, 2]);
      expect(byName['dense3d']?.outputShape).toEqual([1, 142, 4]);
      expect(totalMacs(model)).toBe(6912 + 2592 + 4032 + 1440 + 2556 + 1704 + 5680);
      expect(costs.reduce((n, c) => n + c.params, 0)).toBe(112 + 80 + 117 + 20 + 42 + 21 + 16 + 5690);
      expect(model.countParams()).toBe(112 + 80 + 117 + 20 + 42 + 21 + 16 + 5690);
      model.dispose();
    });
  });

  it('counts a shared layer once per call, and its weights once', async () => {
    await withoutLeaks(() => {
      const a = tf.input({ shape: [6] });
      const b = tf.input({ shape: [6] });
      const shared = tf.layers.dense({ units: 5, name: 'shared' });
      const sum = tf.layers.add({ name: 'sum' }).apply([shared.apply(a) as tf.SymbolicTensor, shared.apply(b) as tf.SymbolicTensor]);
      const model = tf.model({ inputs: [a, b], outputs: sum as tf.SymbolicTensor });
      const cost = layerCosts(model).find((c) => c.layer === 'shared');
      expect(cost).toMatchObject({ params: 35, macs: 2 * 30 });
      model.dispose();
      shared.dispose(); // tfjs counts one reference per symbolic call: the second call needs its own dispose

    });
  });

  it('flattens a nested model and ignores calls of a shared layer made outside the model', async () => {
    await withoutLeaks(() => {
      const inner = tf.sequential({ name: 'inner', layers: [tf.layers.dense({ inputShape: [4], units: 3, name: 'd1' })] });
      const x = tf.input({ shape: [4] });
      const outer = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2, name: 'd2' }).apply(inner.apply(x)) as tf.SymbolicTensor });
      const costs = layerCosts(outer);
      expect(costs.filter((c) => c.macs > 0).map((c) => [c.layer, c.macs])).toEqual([
        ['inner/d1', 12],
        ['d2', 6],
      ]);
      // `inner` has been called twice (its own input, and inside `outer`), but counts once in each.
      expect(totalMacs(inner)).toBe(12);
      outer.dispose();
    });
  });
});
