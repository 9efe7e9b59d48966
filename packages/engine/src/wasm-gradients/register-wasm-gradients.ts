import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { aliasingCastConfig } from './aliasing-cast.js';
import { aliasingIdentityConfig } from './aliasing-identity.js';
import { batchNormForwardConfig } from './batch-norm-forward.js';
import { fusedBatchNormGradConfig, fusedBatchNormGradKernelConfig } from './batch-norm-backward.js';
import { broadcastReductionGradConfig } from './broadcast-reduction-gradients.js';
import { broadcastTileConfig } from './broadcast-tile.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.js';
import { leadingAxesReductionConfig } from './leading-axes-reduction.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { transposingMatMulConfig } from './transposing-matmul.js';

/** Marks what is registered here, so that a second call (even from a second copy of this module) is a no-op. */
const WHITTLE_MARK = Symbol.for('whittle.wasmGradients');

type Marked<T> = T & { [WHITTLE_MARK]?: true };

/**
 * Makes the tfjs wasm backend trainable and fast to train. Kernels for backend 'wasm':
 * `Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter` and
 * `DepthwiseConv2dNativeBackpropInput` (stock wasm has none) and a faster `Conv2DBackpropInput`,
 * all built from XNNPACK forward convolutions; a faster `MaxPoolGrad`; a `Tile` whose broadcasts are block copies; an
 * `Identity` and same-dtype `Cast` that share memory instead of copying; one-pass `Sum`/`Mean` over
 * leading axes; a per-channel `FusedBatchNorm`; `BatchMatMul` and `_FusedMatMul` that transpose a transposed
 * operand first (the stock transposed path is ~12× slower, and matMul's gradient always takes it). Gradients (only while 'wasm' is the active backend;
 * others keep tfjs's own): `FusedBatchNorm` through one fused kernel, `Sum`/`Mean` by broadcasting.
 * Idempotent. Works before or after the wasm backend is initialised.
 *
 * ```ts
 * registerWasmGradients();
 * await tf.setBackend('wasm');
 * await model.trainOnBatch(xs, ys);
 * ```
 */
export function registerWasmGradients(): void {
  addKernel(conv2dBackpropFilterConfig);
  addKernel(conv2dBackpropInputConfig);
  addKernel(depthwiseBackpropFilterConfig);
  addKernel(depthwiseBackpropInputConfig);
  addKernel(maxPoolGradConfig);
  addKernel(aliasingIdentityConfig);
  addKernel(fusedBatchNormGradKernelConfig);
  wrapKernel(tf.Tile, broadcastTileConfig);
  wrapKernel(tf.Cast, aliasingCastConfig);
  wrapKernel(tf.Sum, (stock) => leadingAxesReductionConfig(stock, 'sum'));
  wrapKernel(tf.Mean, (stock) => leadingAxesReductionConfig(stock, 'mean'));
  wrapKernel(tf.FusedBatchNorm, batchNormForwardConfig);
  wrapKernel(tf.BatchMatMul, transposingMatMulConfig);
  wrapKernel(tf._FusedMatMul, transposingMatMulConfig);
  wrapGradient(tf.FusedBatchNorm, fusedBatchNormGradConfig);
  wrapGradient(tf.Sum, (stock) => broadcastReductionGradConfig(stock, 'sum'));
  wrapGradient(tf.Mean, (stock) => broadcastReductionGradConfig(stock, 'mean'));
}

/** True once `registerWasmGradients` has run in this process. */
export function wasmGradientsRegistered(): boolean {
  const current = tf.getKernel(tf.Conv2DBackpropFilter, 'wasm') as Marked<tf.KernelConfig> | undefined;
  return current?.[WHITTLE_MARK] === true;
}

/** Registers `config`, replacing whatever is registered under its name unless it is already ours. */
function addKernel(config: tf.KernelConfig): void {
  const current = tf.getKernel(config.kernelName, 'wasm') as Marked<tf.KernelConfig> | undefined;
  if (current?.[WHITTLE_MARK] === true) return;
  // Unregister first: registerKernel warns on every override.
  if (current !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
  const marked: Marked<tf.KernelConfig> = { ...config, [WHITTLE_MARK]: true };
  tf.registerKernel(marked);
}

/** Replaces the stock kernel `kernelName` by `wrap(stock)`, which may delegate to it. */
function wrapKernel(kernelName: string, wrap: (stock: tf.KernelConfig) => tf.KernelConfig): void {
  const stock = tf.getKernel(kernelName, 'wasm') as Marked<tf.KernelConfig> | undefined;
  if (stock === undefined) throw new Error(`tfjs-backend-wasm has no '${kernelName}' kernel to wrap`);
  if (stock[WHITTLE_MARK] === true) return;
  addKernel(wrap(stock));
}

/** Replaces the registered gradient of `kernelName` by `wrap(stock)`, which delegates to it off wasm. */
function wrapGradient(kernelName: string, wrap: (stock: tf.GradConfig) => tf.GradConfig): void {
  const stock = tf.getGradient(kernelName) as Marked<tf.GradConfig> | undefined;
  if (stock === undefined) throw new Error(`tfjs has no gradient for '${kernelName}' to wrap`);
  if (stock[WHITTLE_MARK] === true) return;
  const marked: Marked<tf.GradConfig> = { ...wrap(stock), [WHITTLE_MARK]: true };
  tf.registerGradient(marked);
}
