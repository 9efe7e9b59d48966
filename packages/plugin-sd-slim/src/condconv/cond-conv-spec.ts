import * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import type { LayerSpec } from '@whittle/graph';
import { CondConv2D } from './cond-conv2d.js';

/** A plain Conv2D's kernel [k, k, Cin, F], bias and geometry, checked to be CondConv-able. */
function convParts(layer: tf.layers.Layer): { kernel: tf.Tensor; bias: tf.Tensor | undefined; kernelSize: number; strides: number; padding: 'same' | 'valid' } {
  const config = layer.getConfig();
  const where = `layer "${layer.name}" (${layer.getClassName()})`;
  if (layer.getClassName() !== 'Conv2D') throw inputError('CONDCONV_NOT_CONV2D', `${where} is not a Conv2D`, 'CLME-CondConv replaces and inherits plain Conv2D layers.');
  const ks = config['kernelSize'] as number[];
  const st = config['strides'] as number[];
  const dil = config['dilationRate'] as number[] | number;
  if (ks[0] !== ks[1] || st[0] !== st[1] || (Array.isArray(dil) ? dil.some((d) => d !== 1) : dil !== 1) || config['activation'] !== 'linear' || config['dataFormat'] === 'channelsFirst') {
    throw inputError('CONDCONV_UNSUPPORTED_CONV', `${where}: needs a square kernel, equal strides, no dilation, a linear activation and channels-last (has ${JSON.stringify({ kernelSize: ks, strides: st, dilationRate: dil, activation: config['activation'] })})`, 'Pick a plain 3×3 (or k×k) convolution.');
  }
  const [kernel, bias] = layer.getWeights();
  return { kernel: kernel as tf.Tensor, bias, kernelSize: ks[0] as number, strides: st[0] as number, padding: config['padding'] as 'same' | 'valid' };
}

/**
 * The `replaceLayer` spec that turns Conv2D `kept` into a CLME-CondConv whose experts are its own
 * kernel followed by the kernels of `removed` (Conv2D layers of the same kernel shape, e.g. those
 * of blocks about to be bypassed); initialised to compute exactly `kept` (see `CondConv2D`).
 * The returned weights are new tensors: dispose them after the surgery.
 *
 * ```ts
 * const spec = condConvSpec(unet.getLayer('down1_res0_conv2'), [unet.getLayer('down1_res1_conv2')]);
 * const slim = await replaceLayer(unet, 'down1_res0_conv2', spec);
 * tf.dispose([...spec.weights]);
 * ```
 */
export function condConvSpec(kept: tf.layers.Layer, removed: readonly tf.layers.Layer[]): LayerSpec & { readonly weights: readonly tf.Tensor[] } {
  const main = convParts(kept);
  const others = removed.map((layer) => {
    const parts = convParts(layer);
    if (!tf.util.arraysEqual(parts.kernel.shape, main.kernel.shape)) {
      throw inputError('CONDCONV_SHAPE_MISMATCH', `expert "${layer.name}" has kernel ${JSON.stringify(parts.kernel.shape)}, "${kept.name}" has ${JSON.stringify(main.kernel.shape)}`,
        'Only same-shape convolutions can be experts of one CondConv.');
    }
    return parts;
  });
  const experts = [main, ...others];
  const filters = main.kernel.shape[3] as number;
  const cin = main.kernel.shape[2] as number;
  const probe = new CondConv2D({ filters, kernelSize: main.kernelSize, experts: experts.length });
  const weights = tf.tidy(() => [
    tf.stack(experts.map((e) => e.kernel)),
    tf.stack(experts.map((e) => e.bias ?? tf.zeros([filters]))),
    tf.zeros([cin, experts.length]),
    tf.tensor1d(probe.routerBias),
    tf.tensor1d(probe.gates),
  ]);
  return {
    className: CondConv2D.className,
    config: { filters, kernelSize: main.kernelSize, strides: main.strides, padding: main.padding, experts: experts.length, routerBias: probe.routerBias, gates: probe.gates },
    weights,
  };
}
