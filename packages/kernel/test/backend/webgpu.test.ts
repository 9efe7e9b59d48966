import * as tf from '@tensorflow/tfjs';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selectBackend, type BackendChoice } from '../../src/backend/index.js';
import { withoutLeaks } from '@whittle/testing';
import { expectClose, waves } from './tensor-leaks.js';

// Process-global backend switching (wasm → webgpu): keep this test in its own file.
// On a machine without a GPU this runs on Mesa's software Vulkan (llvmpipe): slow, so the model is tiny.

const SKIP = process.env['WHITTLE_SKIP_WEBGPU'] === '1';

/** conv → BN → ReLU → strided conv → BN → ReLU → GAP → dense, with non-trivial BN statistics. */
function buildModel(): tf.LayersModel {
  const seeded = (seed: number): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 6, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: seeded(1) }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.reLU());
  model.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: seeded(2) }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.reLU());
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: seeded(3) }));
  // BN's initial statistics make it (almost) the identity; give it real ones.
  const weights = model.getWeights().map((w, i) => {
    const name = model.weights[i]?.name ?? '';
    const values = waves(w.size, 0.9, i);
    const positive = name.includes('variance') || name.includes('gamma');
    return tf.tensor(positive ? values.map((v) => 0.5 + Math.abs(v)) : values, w.shape);
  });
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

/** Switches to webgpu, or fails saying how to get an adapter. */
async function useWebGpu(): Promise<BackendChoice> {
  if (process.env['XDG_RUNTIME_DIR'] === undefined) {
    // Only quiets Dawn's warnings; any private, writable folder will do.
    const runtimeDir = join(tmpdir(), `whittle-xdg-${process.getuid?.() ?? 'user'}`);
    mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
    process.env['XDG_RUNTIME_DIR'] = runtimeDir;
  }
  try {
    return await selectBackend('webgpu');
  } catch (error) {
    throw new Error(
      'No WebGPU adapter: this test needs a Vulkan driver. On Debian 12 add bookworm-backports to apt sources, then ' +
        '`apt-get install -y libvulkan1 && apt-get install -y -t bookworm-backports mesa-vulkan-drivers`; ' +
        `or set WHITTLE_SKIP_WEBGPU=1 to skip it.\nCause: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

describe.skipIf(SKIP)('webgpu backend (set WHITTLE_SKIP_WEBGPU=1 to skip)', () => {
  it('a small conv+BN+dense model gives the same outputs on webgpu as on wasm', async () => {
    await selectBackend('wasm');
    const model = buildModel();
    const input = tf.tensor4d(waves(2 * 8 * 8 * 3, 0.17), [2, 8, 8, 3]);
    // Read back asynchronously: webgpu's dataSync needs OffscreenCanvas, which Node lacks.
    const predict = async (): Promise<Float32Array> => {
      const output = model.predict(input) as tf.Tensor;
      const values = (await output.data()) as Float32Array;
      output.dispose();
      return values;
    };
    const expected = await predict();

    const choice = await useWebGpu();
    expect(tf.getBackend()).toBe('webgpu');
    expect(choice.adapter?.description).not.toBe('');
    const actual = await withoutLeaks(predict);
    expectClose(actual, expected, 1e-4, 'softmax outputs');
    // Outputs must differ between the two samples, or the comparison proves little.
    expect(Math.abs((actual[0] as number) - (actual[4] as number))).toBeGreaterThan(1e-3);
    tf.dispose(input);
    model.dispose();
  });

  it('one trainOnBatch step gives the same weights on webgpu as on wasm', async () => {
    const step = async (): Promise<Float32Array[]> => {
      const optimizer = tf.train.sgd(0.5);
      const model = buildModel();
      model.compile({ optimizer, loss: 'categoricalCrossentropy' });
      const x = tf.tensor4d(waves(2 * 8 * 8 * 3, 0.23), [2, 8, 8, 3]);
      const y = tf.tensor2d([1, 0, 0, 0, 0, 0, 1, 0], [2, 4]);
      await model.trainOnBatch(x, y);
      const weights = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
      return weights;
    };
    await selectBackend('wasm');
    const expected = await step();
    await useWebGpu();
    const actual = await withoutLeaks(step);
    expected.forEach((e, i) => expectClose(actual[i] as Float32Array, e, 1e-4, `weight ${i}`));
  });
});
