import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { isWhittleError } from '@whittle/kernel';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildInceptionStyle, buildMobileNetV2Style, buildPatchGanDiscriminator, buildPix2PixGenerator, buildResNet,
  buildSmallCnn, buildUNet, buildVggSmall,
} from '../src/index.js';
import { bn, conv, convBn, dense } from './helpers/param-counts.js';
import { withoutLeaks } from '@whittle/testing';
import { sameWeights, weightValues } from './helpers/weights.js';

interface BuilderCase {
  readonly name: string;
  readonly build: (seed: number) => tf.LayersModel;
  readonly outputShape: number[];
  /** Parameter count from a hand formula (all weights, BN moving statistics included). */
  readonly params: number;
  /** Calls that must throw an input WhittleError, with the code and a fragment of the message. */
  readonly bad: ReadonlyArray<readonly [() => unknown, string, RegExp]>;
}

const cifar = [32, 32, 3] as const;

/** MobileNetV2-style inverted residual: expand (if t > 1), depthwise 3×3, project, each with BN. */
const invertedResidual = (cin: number, t: number, cout: number): number =>
  (t === 1 ? 0 : convBn(1, cin, cin * t)) + 9 * cin * t + bn(cin * t) + convBn(1, cin * t, cout);

/** Inception-style block with f filters: 1×1 f; 1×1 f/2 → 3×3 f; 1×1 f/4 → 5×5 f/2; pool → 1×1 f/2. */
const inceptionBlock = (cin: number, f: number): number =>
  convBn(1, cin, f) + convBn(1, cin, f / 2) + convBn(3, f / 2, f) + convBn(1, cin, f / 4) + convBn(5, f / 4, f / 2) + convBn(1, cin, f / 2);

const cases: BuilderCase[] = [
  {
    name: 'small-cnn',
    build: (seed) => buildSmallCnn({ inputShape: cifar, numClasses: 10, seed }),
    outputShape: [1, 10],
    params: convBn(3, 3, 16) + convBn(3, 16, 32) + convBn(3, 32, 64) + dense(10, 64), // 24,570
    bad: [
      [() => buildSmallCnn({ inputShape: cifar, numClasses: 0 }), 'ZOO_BAD_OPTION', /numClasses/],
      [() => buildSmallCnn({ inputShape: [32, 32] as never, numClasses: 10 }), 'ZOO_BAD_INPUT_SHAPE', /inputShape/],
      [() => buildSmallCnn({ inputShape: cifar, numClasses: 10, bnMomentum: 1 }), 'ZOO_BAD_OPTION', /bnMomentum/],
      [() => buildSmallCnn({ inputShape: cifar, numClasses: 10, widht: 8 } as never), 'ZOO_UNKNOWN_OPTION', /widht/],
    ],
  },
  {
    name: 'resnet (ResNet-20, width 16)',
    build: (seed) => buildResNet({ depth: 20, inputShape: cifar, numClasses: 10, seed }),
    outputShape: [1, 10],
    params: convBn(3, 3, 16)
      + 3 * 2 * convBn(3, 16, 16)
      + (convBn(3, 16, 32) + convBn(3, 32, 32) + convBn(1, 16, 32)) + 2 * 2 * convBn(3, 32, 32)
      + (convBn(3, 32, 64) + convBn(3, 64, 64) + convBn(1, 32, 64)) + 2 * 2 * convBn(3, 64, 64)
      + dense(10, 64), // 274,042
    bad: [
      [() => buildResNet({ depth: 21, inputShape: cifar, numClasses: 10 }), 'ZOO_BAD_OPTION', /ResNet depth 21 is not 6n\+2[\s\S]*20, 32, 44, 56 or 110/],
      [() => buildResNet({ depth: 20, inputShape: cifar, numClasses: 10, width: 2.5 }), 'ZOO_BAD_OPTION', /width/],
      [() => buildResNet({ depth: 20, inputShape: [2, 2, 3], numClasses: 10 }), 'ZOO_BAD_INPUT_SHAPE', /too small/],
    ],
  },
  {
    name: 'vgg-small (width 8, 64 dense units)',
    build: (seed) => buildVggSmall({ inputShape: cifar, numClasses: 10, width: 8, denseUnits: 64, seed }),
    outputShape: [1, 10],
    params: convBn(3, 3, 8) + convBn(3, 8, 8) + convBn(3, 8, 16) + convBn(3, 16, 16) + convBn(3, 16, 32) + convBn(3, 32, 32)
      + dense(64, 4 * 4 * 32) + dense(10, 64),
    bad: [
      [() => buildVggSmall({ inputShape: cifar, numClasses: 10, denseUnits: 0 }), 'ZOO_BAD_OPTION', /denseUnits/],
      [() => buildVggSmall({ inputShape: [4, 4, 3], numClasses: 10 }), 'ZOO_BAD_INPUT_SHAPE', /too small/],
    ],
  },
  {
    name: 'mobilenet-v2-style (alpha 1)',
    build: (seed) => buildMobileNetV2Style({ inputShape: cifar, numClasses: 10, seed }),
    outputShape: [1, 10],
    params: convBn(3, 3, 32)
      + invertedResidual(32, 1, 16)
      + invertedResidual(16, 6, 24) + invertedResidual(24, 6, 24)
      + invertedResidual(24, 6, 32) + 2 * invertedResidual(32, 6, 32)
      + invertedResidual(32, 6, 64) + invertedResidual(64, 6, 64)
      + convBn(1, 64, 256) + dense(10, 256),
    bad: [
      [() => buildMobileNetV2Style({ inputShape: cifar, numClasses: 10, alpha: 0 }), 'ZOO_BAD_OPTION', /alpha/],
      [() => buildMobileNetV2Style({ inputShape: cifar, numClasses: 10, seed: -1 }), 'ZOO_BAD_OPTION', /seed/],
    ],
  },
  {
    name: 'inception-style (width 8)',
    build: (seed) => buildInceptionStyle({ inputShape: cifar, numClasses: 10, width: 8, seed }),
    outputShape: [1, 10],
    params: convBn(3, 3, 8) + inceptionBlock(8, 8) + inceptionBlock(24, 8) + inceptionBlock(24, 16) + inceptionBlock(48, 16) + dense(10, 48),
    bad: [
      [() => buildInceptionStyle({ inputShape: cifar, numClasses: 10, width: 1 }), 'ZOO_BAD_OPTION', /width/],
    ],
  },
  {
    name: 'unet (width 8, depth 2)',
    build: (seed) => buildUNet({ inputShape: [16, 16, 3], outChannels: 2, width: 8, depth: 2, seed }),
    outputShape: [1, 16, 16, 2],
    params: convBn(3, 3, 8) + convBn(3, 8, 8) + convBn(3, 8, 16) + convBn(3, 16, 16) // encoder
      + convBn(3, 16, 32) + convBn(3, 32, 32) // bottleneck
      + convBn(3, 32, 16) + convBn(3, 32, 16) + convBn(3, 16, 16) // decoder level 2: up-conv, then convs on 16 + 16 concat
      + convBn(3, 16, 8) + convBn(3, 16, 8) + convBn(3, 8, 8) // decoder level 1
      + conv(1, 8, 2, true),
    bad: [
      [() => buildUNet({ inputShape: [20, 20, 3], outChannels: 2, depth: 3 }), 'ZOO_BAD_INPUT_SHAPE', /divisible by 8/],
      [() => buildUNet({ inputShape: [16, 16, 3], outChannels: 2, outActivation: 'relu' as never }), 'ZOO_BAD_OPTION', /outActivation/],
    ],
  },
  {
    name: 'pix2pix-generator (width 8, 16×16 so depth 4)',
    build: (seed) => buildPix2PixGenerator({ inputShape: [16, 16, 3], width: 8, seed }),
    outputShape: [1, 16, 16, 3],
    params: conv(4, 3, 8) + convBn(4, 8, 16) + convBn(4, 16, 32) + convBn(4, 32, 64) // down (no BN on the first)
      + convBn(4, 64, 32) + convBn(4, 64, 16) + convBn(4, 32, 8) // up: transposed convs on concatenated inputs
      + conv(4, 16, 3, true),
    bad: [
      [() => buildPix2PixGenerator({ inputShape: [24, 24, 3], depth: 4 }), 'ZOO_BAD_INPUT_SHAPE', /divisible by 16/],
      [() => buildPix2PixGenerator({ inputShape: [16, 16, 3], depth: 9 }), 'ZOO_BAD_OPTION', /depth/],
    ],
  },
  {
    name: 'patchgan-discriminator (width 8)',
    build: (seed) => buildPatchGanDiscriminator({ inputShape: cifar, width: 8, seed }),
    outputShape: [1, 2, 2, 1],
    params: conv(4, 6, 8) + convBn(4, 8, 16) + convBn(4, 16, 32) + convBn(4, 32, 64) + conv(4, 64, 1, true),
    bad: [
      [() => buildPatchGanDiscriminator({ inputShape: [16, 16, 3] }), 'ZOO_BAD_INPUT_SHAPE', /too small/],
      [() => buildPatchGanDiscriminator({ inputShape: cifar, targetChannels: 0 }), 'ZOO_BAD_OPTION', /targetChannels/],
    ],
  },
];

/** Layer names tfjs generates when none is given (`dense_Dense1`, `input1`); zoo models name every layer. */
const AUTO_NAME = /^([a-z0-9_]+_[A-Z][A-Za-z0-9]*\d+|input\d+)$/;

beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe.each(cases)('$name', (c) => {
  it('predicts the expected output shape and has the hand-counted parameters', async () => {
    await withoutLeaks(() => {
      const model = c.build(0);
      expect(model.countParams()).toBe(c.params);
      const inputs = model.inputs.map((input) => tf.randomUniform([1, ...(input.shape.slice(1) as number[])], -1, 1, 'float32', 1));
      const output = model.predict(inputs.length === 1 ? inputs[0] as tf.Tensor : inputs) as tf.Tensor;
      expect(output.shape).toEqual(c.outputShape);
      expect(Array.from(output.dataSync()).every(Number.isFinite)).toBe(true);
      tf.dispose([...inputs, output]);
      model.dispose();
    });
  });

  it('names layers meaningfully and uses BN momentum 0.9', async () => {
    await withoutLeaks(() => {
      const model = c.build(0);
      const names = model.layers.map((l) => l.name);
      expect(AUTO_NAME.test(tf.layers.dense({ units: 1 }).name)).toBe(true); // the check itself recognises tfjs auto names
      expect(new Set(names).size).toBe(names.length);
      expect(names.filter((n) => AUTO_NAME.test(n))).toEqual([]);
      const momenta = model.layers.filter((l) => l.getClassName() === 'BatchNormalization').map((l) => l.getConfig()['momentum']);
      expect(momenta.every((m) => m === 0.9)).toBe(true);
      model.dispose();
    });
  });

  it('gives equal weights for equal seeds and different weights for different seeds', async () => {
    await withoutLeaks(() => {
      const [a, b, other] = [c.build(5), c.build(5), c.build(6)];
      const [wa, wb, wo] = [weightValues(a), weightValues(b), weightValues(other)];
      expect(sameWeights(wa, wb)).toBe(true);
      expect(sameWeights(wa, wo)).toBe(false);
      // Every kernel (rank ≥ 2) is seeded, so each one differs between seeds, not just some.
      const kernels = a.getWeights().map((w, i) => [w.rank, i] as const).filter(([rank]) => rank >= 2).map(([, i]) => i);
      expect(kernels.every((i) => !sameWeights([wa[i] as Float32Array], [wo[i] as Float32Array]))).toBe(true);
      [a, b, other].forEach((m) => m.dispose());
    });
  });

  it('rejects bad options with an input WhittleError', () => {
    for (const [call, code, message] of c.bad) {
      let error: unknown;
      try {
        call();
      } catch (e) {
        error = e;
      }
      expect(isWhittleError(error), `expected a WhittleError for ${code}`).toBe(true);
      if (!isWhittleError(error)) continue;
      expect(error.kind).toBe('input');
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.hint).toBeTruthy();
    }
  });
});

describe('buildResNet', () => {
  it('builds 6n+2 depths with n blocks per stage and projections only where the shape changes', () => {
    const resnet32 = buildResNet({ depth: 32, inputShape: cifar, numClasses: 10 });
    const names = resnet32.layers.map((l) => l.name);
    expect(names.filter((n) => n.endsWith('_add'))).toHaveLength(15);
    expect(names.filter((n) => n.endsWith('_shortcut_conv'))).toEqual(['stage2_block1_shortcut_conv', 'stage3_block1_shortcut_conv']);
    expect(resnet32.layers.filter((l) => l.getClassName() === 'Conv2D')).toHaveLength(31 + 2);
    expect(resnet32.getLayer('stage3_block5_out').outputShape).toEqual([null, 8, 8, 64]);
    resnet32.dispose();
  });
});
