import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { registerWasmGradients, wasmGradientsRegistered } from '../src/index.js';
import { withoutLeaks } from '@whittle/testing';
import { expectClose, waves } from './tensor-leaks.js';

// Process-global backend switching (cpu ↔ wasm): keep these tests in their own file.

type Shape4 = [number, number, number, number];
type Padding = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

interface ConvCase {
  name: string;
  x: Shape4;
  filter: Shape4;
  strides: number | [number, number];
  pad: Padding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  depthwise?: boolean;
}

const CASES: ConvCase[] = [
  { name: '3×3 stride 1 same, odd sizes', x: [2, 7, 9, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'same' },
  { name: '3×3 stride 2 same, odd sizes', x: [2, 9, 9, 4], filter: [3, 3, 4, 6], strides: 2, pad: 'same' },
  { name: '5×5 stride 3 valid', x: [1, 13, 11, 2], filter: [5, 5, 2, 3], strides: 3, pad: 'valid' },
  { name: '1×1 stride 2 valid (projection shortcut)', x: [2, 8, 8, 4], filter: [1, 1, 4, 8], strides: 2, pad: 'valid' },
  { name: '3×3 strides [2, 1] same', x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: [2, 1], pad: 'same' },
  { name: '3×3 stride 2 valid, unused last row', x: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'valid' },
  { name: '3×3 stride 1 explicit asymmetric padding', x: [1, 6, 7, 2], filter: [3, 3, 2, 3], strides: 1, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
  { name: '3×3 stride 2 explicit padding beyond the filter', x: [1, 7, 7, 2], filter: [3, 3, 2, 3], strides: 2, pad: [[0, 0], [3, 1], [0, 2], [0, 0]] },
  { name: '3×3 stride 2 pad 1, dimRoundingMode ceil', x: [1, 8, 8, 2], filter: [3, 3, 2, 3], strides: 2, pad: 1, dimRoundingMode: 'ceil' },
  { name: '5×5 stride 1 pad 2, dimRoundingMode floor', x: [2, 6, 5, 3], filter: [5, 5, 3, 2], strides: 1, pad: 2, dimRoundingMode: 'floor' },
  { name: 'depthwise 3×3 multiplier 1 stride 1 same', x: [2, 7, 7, 4], filter: [3, 3, 4, 1], strides: 1, pad: 'same', depthwise: true },
  { name: 'depthwise 3×3 multiplier 2 stride 2 same', x: [2, 9, 9, 3], filter: [3, 3, 3, 2], strides: 2, pad: 'same', depthwise: true },
  { name: 'depthwise 5×5 multiplier 2 stride 1 valid', x: [1, 11, 9, 2], filter: [5, 5, 2, 2], strides: 1, pad: 'valid', depthwise: true },
  { name: 'depthwise 3×3 multiplier 1 stride 3 valid', x: [2, 10, 11, 3], filter: [3, 3, 3, 1], strides: 3, pad: 'valid', depthwise: true },
];

interface GradientResult {
  dx: Float32Array;
  dw: Float32Array;
  inputsAfter: Float32Array[];
}

/** Runs the backprop kernels directly (so dimRoundingMode reaches them) on the active backend. */
function backpropKernels(c: ConvCase, xValues: Float32Array, wValues: Float32Array, dyValues: Float32Array, dyShape: Shape4): GradientResult {
  return tf.tidy(() => {
    const x = tf.tensor4d(xValues, c.x);
    const w = tf.tensor4d(wValues, c.filter);
    const dy = tf.tensor4d(dyValues, dyShape);
    const common = { strides: c.strides, pad: c.pad, dimRoundingMode: c.dimRoundingMode } as unknown as tf.NamedAttrMap;
    const dx = tf.engine().runKernel(
      c.depthwise ? tf.DepthwiseConv2dNativeBackpropInput : tf.Conv2DBackpropInput,
      { dy, filter: w },
      { ...common, inputShape: c.x, dilations: 1, dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor;
    const dw = tf.engine().runKernel(
      c.depthwise ? tf.DepthwiseConv2dNativeBackpropFilter : tf.Conv2DBackpropFilter,
      { x, dy },
      { ...common, filterShape: c.filter, dilations: 1, dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor;
    expect(dx.shape).toEqual(c.x);
    expect(dw.shape).toEqual(c.filter);
    return {
      dx: dx.dataSync() as Float32Array,
      dw: dw.dataSync() as Float32Array,
      inputsAfter: [x.dataSync() as Float32Array, w.dataSync() as Float32Array, dy.dataSync() as Float32Array],
    };
  });
}

function outShape(c: ConvCase): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad, c.dimRoundingMode, c.depthwise === true);
  return info.outShape;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

describe('stock wasm', () => {
  it('cannot compute a Conv2D weight gradient (the reason for these kernels)', async () => {
    // Must run before registerWasmGradients: registration is process-wide.
    await tf.setBackend('wasm');
    const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
    expect(() => tf.grad((f: tf.Tensor) => tf.conv2d(x, f as tf.Tensor4D, 1, 'same').sum())(w)).toThrow(/Conv2DBackpropFilter/);
    tf.dispose([x, w]);
  });
});

describe('registerWasmGradients', () => {
  beforeAll(() => {
    registerWasmGradients();
  });

  it('is idempotent and silent when called again', () => {
    const warn = vi.spyOn(console, 'warn');
    registerWasmGradients();
    registerWasmGradients();
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    expect(wasmGradientsRegistered()).toBe(true);
  });

  for (const c of CASES) {
    it(`dx and dW equal the cpu backend's: ${c.name}`, async () => {
      const xValues = waves(size(c.x), 0.11);
      const wValues = waves(size(c.filter), 0.7, 1);
      const dyShape = outShape(c);
      const dyValues = waves(size(dyShape), 0.37, 2);
      await tf.setBackend('cpu');
      const expected = backpropKernels(c, xValues, wValues, dyValues, dyShape);
      await tf.setBackend('wasm');
      const actual = await withoutLeaks(() => backpropKernels(c, xValues, wValues, dyValues, dyShape));
      expectClose(actual.dx, expected.dx, 1e-4, 'dx');
      expectClose(actual.dw, expected.dw, 1e-4, 'dW');
      expect(actual.inputsAfter).toEqual([xValues, wValues, dyValues]);
    });
  }

  it('dilated depthwise gradients are the adjoints of the forward conv: ⟨dy, y⟩ = ⟨dx, x⟩ = ⟨dW, w⟩', async () => {
    // The cpu backend's depthwise backprop kernels ignore dilations, so they cannot be the reference;
    // bilinearity can: y = conv(x, w) is linear in x and in w.
    await tf.setBackend('wasm');
    const [dots, xUnchanged] = await withoutLeaks(() =>
      tf.tidy(() => {
        const xValues = waves(2 * 11 * 9 * 2, 0.2);
        const x = tf.tensor4d(xValues, [2, 11, 9, 2]);
        const w = tf.tensor4d(waves(3 * 3 * 2 * 2, 1.3, 1), [3, 3, 2, 2]);
        const y = tf.depthwiseConv2d(x, w, 1, 'same', 'NHWC', 2);
        const dy = tf.tensor(waves(y.size, 0.41, 2), y.shape);
        const attrs = { strides: 1, dilations: 2, pad: 'same' };
        const dx = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter: w }, { ...attrs, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor;
        const dw = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { ...attrs, filterShape: w.shape } as unknown as tf.NamedAttrMap) as tf.Tensor;
        const dot = (a: tf.Tensor, b: tf.Tensor): number => tf.sum(tf.mul(a, b)).dataSync()[0] as number;
        return [[dot(dy, y), dot(dx, x), dot(dw, w)], Array.from(x.dataSync()).every((v, i) => v === xValues[i])] as const;
      }),
    );
    expect(Math.abs(dots[0])).toBeGreaterThan(0.1);
    expect(dots[1]).toBeCloseTo(dots[0], 4);
    expect(dots[2]).toBeCloseTo(dots[0], 4);
    expect(xUnchanged).toBe(true);
  });

  it('gives tf.grads of a strided conv2d and a depthwise conv the cpu values', async () => {
    const x = waves(2 * 9 * 9 * 3, 0.05);
    const w1 = waves(3 * 3 * 3 * 4, 0.3, 1);
    const w2 = waves(3 * 3 * 4 * 2, 0.2, 2);
    const run = (): Float32Array[] =>
      tf.tidy(() => {
        const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor): tf.Tensor => {
          const h = tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'));
          return tf.depthwiseConv2d(h, c as tf.Tensor4D, 1, 'same').square().sum();
        };
        const inputs = [tf.tensor4d(x, [2, 9, 9, 3]), tf.tensor4d(w1, [3, 3, 3, 4]), tf.tensor4d(w2, [3, 3, 4, 2])];
        return tf.grads(f)(inputs).map((g) => g.dataSync() as Float32Array);
      });
    await tf.setBackend('cpu');
    const expected = run();
    await tf.setBackend('wasm');
    const actual = await withoutLeaks(run);
    expected.forEach((e, i) => expectClose(actual[i] as Float32Array, e, 1e-4, `gradient ${i}`));
  });

  it('conv2dTranspose (a forward use of Conv2DBackpropInput) and its gradients equal cpu', async () => {
    const x = waves(2 * 4 * 5 * 3, 0.19);
    const w = waves(3 * 3 * 6 * 3, 0.5, 1);
    const run = (): Float32Array[] =>
      tf.tidy(() => {
        const f = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 8, 10, 6], 2, 'same');
        const inputs = [tf.tensor4d(x, [2, 4, 5, 3]), tf.tensor4d(w, [3, 3, 6, 3])];
        const y = f(inputs[0] as tf.Tensor, inputs[1] as tf.Tensor);
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => f(a, b).square().sum())(inputs);
        return [y.dataSync() as Float32Array, ...grads.map((g) => g.dataSync() as Float32Array)];
      });
    await tf.setBackend('cpu');
    const expected = run();
    await tf.setBackend('wasm');
    const actual = await withoutLeaks(run);
    expected.forEach((e, i) => expectClose(actual[i] as Float32Array, e, 1e-4, ['output', 'dx', 'dW'][i] as string));
  });

  it('rejects a dy whose shape does not match the forward convolution', async () => {
    await tf.setBackend('wasm');
    const dy = tf.zeros([1, 3, 3, 2]);
    const x = tf.zeros([1, 8, 8, 1]);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [3, 3, 1, 2] } as unknown as tf.NamedAttrMap;
    expect(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs)).toThrow(/dy has shape \[1, 3, 3, 2\], but the forward convolution produces \[1, 8, 8, 2\]/);
    tf.dispose([dy, x]);
  });

  it('MaxPoolGrad equals cpu, ties included', async () => {
    const pools: Array<{ shape: Shape4; size: number; stride: number; pad: 'same' | 'valid' }> = [
      { shape: [2, 8, 8, 5], size: 2, stride: 2, pad: 'valid' },
      { shape: [2, 9, 7, 3], size: 3, stride: 2, pad: 'same' },
      { shape: [1, 7, 7, 4], size: 3, stride: 1, pad: 'valid' },
    ];
    for (const { shape, size: window, stride, pad } of pools) {
      // Rounded values: most windows hold their maximum more than once; the first one gets dy.
      const values = waves(size(shape), 0.61).map((v) => Math.round(v));
      const run = (): Float32Array =>
        tf.tidy(() => {
          const pooled = (x: tf.Tensor): tf.Tensor4D => tf.maxPool(x as tf.Tensor4D, window, stride, pad);
          const probe = pooled(tf.zeros(shape));
          const weights = tf.tensor(waves(probe.size, 0.77, 1), probe.shape);
          return tf.grad((x: tf.Tensor) => pooled(x).mul(weights).sum())(tf.tensor4d(values, shape)).dataSync() as Float32Array;
        });
      await tf.setBackend('cpu');
      const expected = run();
      await tf.setBackend('wasm');
      expectClose(await withoutLeaks(run), expected, 1e-5, `maxPool ${window}/${stride} ${pad} on ${shape}`);
    }
  });

  it('broadcasting Tile equals cpu; other tilings still work', async () => {
    const cases: Array<{ shape: number[]; reps: number[] }> = [
      { shape: [1, 1, 1, 5], reps: [3, 4, 2, 1] },
      { shape: [2, 1, 3], reps: [1, 4, 1] },
      { shape: [1, 6], reps: [7, 1] },
      { shape: [2, 3], reps: [2, 2] },
    ];
    for (const { shape, reps } of cases) {
      const values = waves(size(shape), 0.9);
      const run = (): Float32Array => tf.tidy(() => tf.tile(tf.tensor(values, shape), reps).dataSync() as Float32Array);
      await tf.setBackend('cpu');
      const expected = run();
      await tf.setBackend('wasm');
      expect(await withoutLeaks(run), `tile ${shape} by ${reps}`).toEqual(expected);
    }
  });

  it('matMul with transposed operands (plain, batched, fused with bias and relu) and its gradients equal cpu', async () => {
    const cases: Array<{ a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }> = [
      { a: [5, 7], b: [6, 7], transposeA: false, transposeB: true },
      { a: [7, 5], b: [7, 6], transposeA: true, transposeB: false },
      { a: [7, 5], b: [6, 7], transposeA: true, transposeB: true },
      { a: [5, 7], b: [7, 6], transposeA: false, transposeB: false },
      { a: [3, 4, 9], b: [3, 2, 9], transposeA: false, transposeB: true },
      { a: [2, 9, 4], b: [2, 9, 3], transposeA: true, transposeB: false },
    ];
    for (const { a: aShape, b: bShape, transposeA, transposeB } of cases) {
      const aValues = waves(size(aShape), 0.37);
      const bValues = waves(size(bShape), 0.53);
      const run = (): Float32Array[] =>
        tf.tidy(() => {
          const a = tf.tensor(aValues, aShape);
          const b = tf.tensor(bValues, bShape);
          const product = tf.matMul(a, b, transposeA, transposeB);
          const bias = tf.linspace(-1, 1, product.shape[product.shape.length - 1]!);
          // Rank 2 only: stock wasm's _FusedMatMul adds the bias at the wrong offsets for batched operands (a tfjs bug, transposes or not).
          const fused = aShape.length === 2 ? tf.fused.matMul({ a, b, transposeA, transposeB, bias, activation: 'relu' }) : tf.zeros([1]);
          const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y, transposeA, transposeB))))([a, b]);
          return [product, fused, da!, db!].map((t) => t.dataSync() as Float32Array);
        });
      await tf.setBackend('cpu');
      const expected = run();
      await tf.setBackend('wasm');
      const actual = await withoutLeaks(run);
      const label = `${aShape}${transposeA ? 'ᵀ' : ''} · ${bShape}${transposeB ? 'ᵀ' : ''}`;
      expected.forEach((e, i) => expectClose(actual[i] as Float32Array, e, 1e-5, `${label} #${i}`));
    }
  });

  it('Sum and Mean over leading axes (and others) equal cpu', async () => {
    const values = waves(3 * 4 * 5 * 6, 0.3);
    const reductions: Array<{ axis: number[]; keepDims: boolean }> = [
      { axis: [0, 1, 2], keepDims: false },
      { axis: [0, 1, 2], keepDims: true },
      { axis: [0], keepDims: false },
      { axis: [-4, -3], keepDims: true },
      { axis: [1, 2], keepDims: false },
      { axis: [0, 1, 2, 3], keepDims: false },
    ];
    for (const { axis, keepDims } of reductions) {
      const run = (): Float32Array[] =>
        tf.tidy(() => {
          const x = tf.tensor4d(values, [3, 4, 5, 6]);
          const s = tf.sum(x, axis, keepDims);
          const m = tf.mean(x, axis, keepDims);
          return [s.dataSync() as Float32Array, m.dataSync() as Float32Array, new Float32Array(s.shape), new Float32Array(m.shape)];
        });
      await tf.setBackend('cpu');
      const expected = run();
      await tf.setBackend('wasm');
      const actual = await withoutLeaks(run);
      expected.forEach((e, i) => expectClose(actual[i] as Float32Array, e, 1e-5, `axis ${axis} keepDims ${keepDims} #${i}`));
    }
  });

  it('batch norm with batch statistics: outputs and all gradients equal cpu', async () => {
    const shape: Shape4 = [3, 5, 4, 6];
    const xValues = waves(size(shape), 0.21).map((v, i) => v * (1 + (i % 6)) + (i % 6) - 2);
    const weights = waves(size(shape), 0.13, 1);
    const gammaValues = waves(6, 1.1, 0.5);
    const betaValues = waves(6, 0.7, 1.5);
    const run = (): Float32Array[] =>
      tf.tidy(() => {
        const r = tf.tensor4d(weights, shape);
        const f = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor => {
          const { mean, variance } = tf.moments(x, [0, 1, 2]);
          return tf.batchNorm(x, mean, variance, beta, gamma, 1e-3).mul(r).sum();
        };
        const inputs = [tf.tensor4d(xValues, shape), tf.tensor1d(gammaValues), tf.tensor1d(betaValues)];
        const { value, grads } = tf.valueAndGrads(f)(inputs);
        const normed = tf.batchNorm(inputs[0] as tf.Tensor4D, tf.scalar(0.5), tf.scalar(2), tf.scalar(0.25), tf.scalar(1.5));
        return [value.dataSync() as Float32Array, normed.dataSync() as Float32Array, ...grads.map((g) => g.dataSync() as Float32Array)];
      });
    await tf.setBackend('cpu');
    const expected = run();
    await tf.setBackend('wasm');
    const actual = await withoutLeaks(run);
    const labels = ['loss', 'batchNorm with scalar statistics', 'dx', 'dγ', 'dβ'];
    expected.forEach((e, i) => expectClose(actual[i] as Float32Array, e, 1e-4, labels[i] as string));
  });

  it('a gradient of a batch-norm gradient (tape recording during backprop) equals cpu', async () => {
    const shape: Shape4 = [2, 3, 3, 4];
    const xValues = waves(size(shape), 0.37).map((v, i) => v + (i % 4));
    const weights = waves(size(shape), 0.29, 1);
    const run = (): Float32Array =>
      tf.tidy(() => {
        const r = tf.tensor4d(weights, shape);
        const gamma = tf.tensor1d([1.5, 0.5, 2, 1]);
        const loss = (z: tf.Tensor): tf.Tensor => {
          const { mean, variance } = tf.moments(z, [0, 1, 2]);
          return tf.batchNorm(z, mean, variance, tf.tensor1d([0.1, -0.2, 0.3, 0]), gamma).mul(r).sum();
        };
        const penalty = (x: tf.Tensor): tf.Tensor => tf.grad(loss)(x).square().sum();
        return tf.grad(penalty)(tf.tensor4d(xValues, shape)).dataSync() as Float32Array;
      });
    await tf.setBackend('cpu');
    const expected = run();
    await tf.setBackend('wasm');
    expectClose(await withoutLeaks(run), expected, 1e-4, 'second-order gradient');
  });

  it('clone and same-dtype cast share memory safely; a real cast still converts', async () => {
    await tf.setBackend('wasm');
    await withoutLeaks(() => {
      const x = tf.tensor1d([1.5, -2.25, 3]);
      const copy = tf.clone(x);
      const same = tf.cast(x, 'float32');
      const ints = tf.cast(x, 'int32');
      x.dispose();
      expect(Array.from(copy.dataSync())).toEqual([1.5, -2.25, 3]);
      expect(Array.from(same.dataSync())).toEqual([1.5, -2.25, 3]);
      expect(ints.dtype).toBe('int32');
      expect(Array.from(ints.dataSync())).toEqual([1, -2, 3]);
      tf.dispose([copy, same, ints]);
    });
  });

  it('one trainOnBatch step of a tiny conv+BN model gives the cpu weights', async () => {
    const build = (optimizer: tf.Optimizer): tf.LayersModel => {
      const seeded = (seed: number): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed });
      const model = tf.sequential();
      model.add(tf.layers.conv2d({ inputShape: [9, 9, 3], filters: 4, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: seeded(1) }));
      model.add(tf.layers.batchNormalization({ momentum: 0.9 }));
      model.add(tf.layers.reLU());
      model.add(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', depthwiseInitializer: seeded(2) }));
      model.add(tf.layers.batchNormalization({ momentum: 0.9 }));
      model.add(tf.layers.reLU());
      model.add(tf.layers.conv2d({ filters: 5, kernelSize: 1, kernelInitializer: seeded(3) }));
      model.add(tf.layers.globalAveragePooling2d({}));
      model.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: seeded(4) }));
      model.compile({ optimizer, loss: 'categoricalCrossentropy' });
      return model;
    };
    const xs = waves(4 * 9 * 9 * 3, 0.07);
    const ys = new Float32Array([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
    const step = async (): Promise<Float32Array[]> => {
      const optimizer = tf.train.sgd(0.5);
      const model = build(optimizer);
      const [x, y] = [tf.tensor4d(xs, [4, 9, 9, 3]), tf.tensor2d(ys, [4, 3])];
      await model.trainOnBatch(x, y);
      const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
      return weights;
    };
    await tf.setBackend('cpu');
    const expected = await step();
    await tf.setBackend('wasm');
    const actual = await withoutLeaks(step);
    expect(actual.length).toBe(expected.length);
    expected.forEach((e, i) => expectClose(actual[i] as Float32Array, e, 1e-4, `weight ${i}`));
  });
});
