import { leakedBy, useWasm } from '@whittle/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { ortMatch } from './helpers/ort-match.js';
import { randomTopology } from './helpers/random-topology.js';
import { randomiseWeights } from './helpers/random-weights.js';

const SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);

describe('ONNX export of seeded random topologies (residual, concat, depthwise, separable, transposed conv, pooling, SE, up-sampling)', () => {
  beforeAll(useWasm);

  it.each(SEEDS)('seed %i: ONNX Runtime matches tfjs to 1e-4, no leaks', async (seed) => {
    const leaked = await leakedBy(async () => {
      const model = randomTopology(seed);
      randomiseWeights(model, seed);
      try {
        const { check } = await ortMatch(model, seed, 3);
        expect(check.relativeError).toBeLessThanOrEqual(1e-4);
      } finally {
        model.dispose();
      }
    });
    expect(leaked).toBe(0);
  });

  it('the seeds cover every layer kind the generator makes, strided transposed convs included', () => {
    const classes = new Set<string>();
    let stridedTranspose = 0;
    for (const seed of SEEDS) {
      const model = randomTopology(seed);
      for (const layer of model.layers) {
        classes.add(layer.getClassName());
        const config = layer.getConfig();
        if (layer.getClassName() === 'Conv2DTranspose' && JSON.stringify(config['strides']) === '[2,2]') stridedTranspose++;
      }
      model.dispose();
    }
    for (const cls of ['Conv2D', 'BatchNormalization', 'Add', 'Concatenate', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv2DTranspose', 'MaxPooling2D', 'AveragePooling2D',
      'ZeroPadding2D', 'Cropping2D', 'UpSampling2D', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'Dense', 'Reshape', 'Multiply', 'Flatten', 'Dropout', 'Softmax', 'ReLU', 'LeakyReLU', 'ELU', 'Activation']) {
      expect(classes, cls).toContain(cls);
    }
    expect(stridedTranspose).toBeGreaterThan(0);
  });
});
