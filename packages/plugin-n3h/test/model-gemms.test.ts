import * as tf from '@tensorflow/tfjs';
import { useWasm, withoutLeaks, errorOf } from '@whittle/testing';
import { buildResNet, buildResNet18ImageNet } from '@whittle/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelGemms } from '../src/workload/model-gemms.js';
import { RESNET18_IMAGENET_GEMMS } from '../src/workload/gemm-layer.js';

beforeAll(async () => {
  await useWasm();
});

describe('modelGemms (workload mapping through the graph layer operations)', () => {
  it('maps the zoo ResNet-18 at 224×224 to the reference GEMM arrays', async () => {
    await withoutLeaks(() => {
      const model = buildResNet18ImageNet({ seed: 0 });
      try {
        const gemms = modelGemms(model);
        const key = (g: { m: number; k: number; n: number }) => `${g.m}x${g.k}x${g.n}`;
        expect(gemms.map(key).sort()).toEqual(RESNET18_IMAGENET_GEMMS.map(key).sort());
        expect(gemms.filter((g) => g.edge).map((g) => g.name)).toEqual(['stem_conv', 'predictions']);
        expect(gemms.map(key)).toEqual(RESNET18_IMAGENET_GEMMS.map(key));
      } finally {
        model.dispose();
      }
    });
  });

  it('maps ResNet-20 (CIFAR 32×32) as the reference code\'s commented CIFAR arrays, except the 1×1 projections', () => {
    const model = buildResNet({ depth: 20, inputShape: [32, 32, 3], numClasses: 10, seed: 0 });
    try {
      const gemms = modelGemms(model);
      // marray/narray in the comments of cal_bismo (22 layers: 19 convs, 2 projections, the FC).
      expect(gemms.map((g) => g.m)).toEqual([1024, 1024, 1024, 1024, 1024, 1024, 1024, 256, 256, 256, 256, 256, 256, 256, 64, 64, 64, 64, 64, 64, 64, 1]);
      expect(gemms.map((g) => g.n)).toEqual([16, 16, 16, 16, 16, 16, 16, 32, 32, 32, 32, 32, 32, 32, 64, 64, 64, 64, 64, 64, 64, 10]);
      // The commented karray gives the projections K = 32 and 64; a 1×1 conv from 16 (32) channels has K = 16 (32).
      const projections = gemms.filter((g) => g.name.includes('shortcut'));
      expect(projections.map((g) => [g.m, g.k, g.n])).toEqual([[256, 16, 32], [64, 32, 64]]);
      expect(gemms.filter((g) => !g.name.includes('shortcut')).map((g) => g.k)).toEqual([27, 144, 144, 144, 144, 144, 144, 144, 288, 288, 288, 288, 288, 288, 576, 576, 576, 576, 576, 64]);
    } finally {
      model.dispose();
    }
  });

  it('maps a depthwise conv as one GEMM of K = k², N = channels', () => {
    const model = tf.sequential({ layers: [tf.layers.depthwiseConv2d({ inputShape: [8, 8, 4], kernelSize: 3, padding: 'same' }), tf.layers.flatten(), tf.layers.dense({ units: 2 })] });
    try {
      expect(modelGemms(model).map(({ m, k, n }) => [m, k, n])).toEqual([[64, 9, 4], [1, 256, 2]]);
    } finally {
      model.dispose();
    }
  });

  it('refuses a weighted layer it cannot map, naming it', async () => {
    const model = tf.sequential({ layers: [tf.layers.conv2dTranspose({ inputShape: [4, 4, 2], kernelSize: 2, filters: 2, name: 'up' })] });
    try {
      expect((await errorOf(() => modelGemms(model))).message).toMatch(/no GEMM mapping for "up" \(Conv2DTranspose\)/);
    } finally {
      model.dispose();
    }
  });
});
