import * as tf from '@tensorflow/tfjs';
import { CrossAttention } from '../layers/cross-attention.js';
import { GroupNormalization, groupsFor } from '../layers/group-normalization.js';
import { SinusoidalTimeEmbedding } from '../layers/sinusoidal-time-embedding.js';
import { SpatialSelfAttention } from '../layers/spatial-self-attention.js';

/** Shape and size of a `buildDiffusionUNet` model. */
export interface DiffusionUNetOptions {
  /** [H, W, C] of the images. */
  readonly inputShape: readonly [number, number, number];
  readonly numClasses: number;
  /** Channels of the first level. */
  readonly width: number;
  /** Channel multiplier per level (its length is the number of levels; each level but the last halves H and W). */
  readonly channelMults: readonly number[];
  /** Residual blocks per level on the way down (the way up has as many, each reading a skip). */
  readonly resBlocks: number;
  /** Levels (0-based) that get self- and cross-attention after each residual block; the middle always has them. */
  readonly attentionLevels: readonly number[];
  readonly heads: number;
  /** Conditioning tokens the class embedding is split into, and their width. */
  readonly contextTokens: number;
  readonly contextDim: number;
  readonly seed: number;
}

/** Defaults for 16×16 or 28×28 single-channel images. */
export const DIFFUSION_UNET_DEFAULTS = { width: 32, channelMults: [1, 2, 2], resBlocks: 1, attentionLevels: [2], heads: 2, contextTokens: 4, contextDim: 32 } as const;

/** Names of the model's inputs and output. */
export const DIFFUSION_UNET_IO = { image: 'noisy_image', timestep: 'timestep', label: 'class_label', output: 'predicted_noise' } as const;

type Sym = tf.SymbolicTensor;

/**
 * A small class-conditional diffusion U-Net (the SD U-Net's layout at toy scale): inputs the noisy
 * image [H, W, C], the timestep [1] (a float) and the class one-hot [classes] (all zeros = the
 * unconditional "empty prompt", for classifier-free guidance); output the predicted noise ε.
 * - time: SinusoidalTimeEmbedding(width) → dense(4·width, swish) → dense(4·width);
 * - condition: dense(class → tokens·dim) → reshape [tokens, dim];
 * - residual blocks: GN → swish → conv3×3 → + dense(temb) → GN → swish → conv3×3, + skip
 *   (identity, or a 1×1 conv where the width changes); the Add is named `<block>_add`;
 * - attention blocks at `attentionLevels` and in the middle: x + SpatialSelfAttention(GN(x)) and
 *   x + CrossAttention(GN(x), context), Adds named `<block>_add`;
 * - down: stride-2 conv; up: nearest upsampling + conv3×3; skips concatenated.
 * Norms are GroupNormalization (SD's GroupNorm; up to 8 groups, the largest count dividing the channels).
 *
 * ```ts
 * const unet = buildDiffusionUNet({ ...DIFFUSION_UNET_DEFAULTS, inputShape: [16, 16, 1], numClasses: 10, seed: 1 });
 * unet.predict([xT, t, y]);
 * ```
 */
export function buildDiffusionUNet(options: DiffusionUNetOptions): tf.LayersModel {
  const { inputShape, numClasses, width, channelMults, resBlocks, attentionLevels, heads, contextTokens, contextDim } = options;
  const levels = channelMults.length;
  const [h, w, channels] = inputShape;
  const factor = 2 ** (levels - 1);
  if (h % factor !== 0 || w % factor !== 0) throw new Error(`buildDiffusionUNet: ${h}×${w} is not divisible by 2^${levels - 1} (${levels} levels)`);
  let seed = options.seed;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const conv = (name: string, filters: number, kernelSize: number, strides = 1) =>
    tf.layers.conv2d({ name, filters, kernelSize, strides, padding: 'same', kernelInitializer: init() });
  const dense = (name: string, units: number, activation?: 'swish') =>
    tf.layers.dense({ name, units, kernelInitializer: init(), ...(activation === undefined ? {} : { activation }) });
  const swish = (name: string) => tf.layers.activation({ name, activation: 'swish' });
  const apply = (layer: tf.layers.Layer, x: Sym | Sym[]) => layer.apply(x) as Sym;
  const norm = (name: string, x: Sym) => apply(new GroupNormalization({ name, groups: groupsFor(x.shape[3] as number) }), x);

  const image = tf.input({ shape: [h, w, channels], name: DIFFUSION_UNET_IO.image });
  const timestep = tf.input({ shape: [1], name: DIFFUSION_UNET_IO.timestep });
  const label = tf.input({ shape: [numClasses], name: DIFFUSION_UNET_IO.label });
  const tembDim = 4 * width;
  let temb = apply(new SinusoidalTimeEmbedding({ name: 'time_embedding', dim: width }), timestep);
  temb = apply(dense('time_dense1', tembDim, 'swish'), temb);
  temb = apply(dense('time_dense2', tembDim), temb);
  const context = apply(tf.layers.reshape({ name: 'context_tokens', targetShape: [contextTokens, contextDim] }),
    apply(dense('class_embedding', contextTokens * contextDim), label));

  const resBlock = (name: string, x: Sym, filters: number): Sym => {
    const cin = x.shape[3] as number;
    let y = apply(conv(`${name}_conv1`, filters, 3), apply(swish(`${name}_act1`), norm(`${name}_norm1`, x)));
    const t = apply(tf.layers.reshape({ name: `${name}_temb_reshape`, targetShape: [1, 1, filters] }), apply(dense(`${name}_temb`, filters), temb));
    y = apply(tf.layers.add({ name: `${name}_temb_add` }), [y, t]);
    y = apply(conv(`${name}_conv2`, filters, 3), apply(swish(`${name}_act2`), norm(`${name}_norm2`, y)));
    const skip = cin === filters ? x : apply(conv(`${name}_skip`, filters, 1), x);
    return apply(tf.layers.add({ name: `${name}_add` }), [skip, y]);
  };
  const attnBlocks = (name: string, x: Sym): Sym => {
    const selfOut = apply(new SpatialSelfAttention({ name: `${name}_self_attn`, heads }), norm(`${name}_self_norm`, x));
    const a = apply(tf.layers.add({ name: `${name}_self_add` }), [x, selfOut]);
    const crossOut = apply(new CrossAttention({ name: `${name}_cross_attn`, heads }), [norm(`${name}_cross_norm`, a), context]);
    return apply(tf.layers.add({ name: `${name}_cross_add` }), [a, crossOut]);
  };

  let x = apply(conv('conv_in', width, 3), image);
  const skips: Sym[] = [x];
  for (let level = 0; level < levels; level++) {
    const filters = width * (channelMults[level] as number);
    for (let r = 0; r < resBlocks; r++) {
      x = resBlock(`down${level}_res${r}`, x, filters);
      if (attentionLevels.includes(level)) x = attnBlocks(`down${level}_attn${r}`, x);
      skips.push(x);
    }
    if (level < levels - 1) {
      x = apply(conv(`down${level}_downsample`, filters, 3, 2), x);
      skips.push(x);
    }
  }
  const midFilters = x.shape[3] as number;
  x = resBlock('mid_res0', x, midFilters);
  x = attnBlocks('mid_attn', x);
  x = resBlock('mid_res1', x, midFilters);
  for (let level = levels - 1; level >= 0; level--) {
    const filters = width * (channelMults[level] as number);
    for (let r = 0; r <= resBlocks; r++) {
      x = apply(tf.layers.concatenate({ name: `up${level}_concat${r}`, axis: -1 }), [x, skips.pop() as Sym]);
      x = resBlock(`up${level}_res${r}`, x, filters);
      if (attentionLevels.includes(level)) x = attnBlocks(`up${level}_attn${r}`, x);
    }
    if (level > 0) {
      x = apply(tf.layers.upSampling2d({ name: `up${level}_upsample`, size: [2, 2] }), x);
      x = apply(conv(`up${level}_upconv`, filters, 3), x);
    }
  }
  x = apply(swish('out_act'), norm('out_norm', x));
  const out = apply(conv(DIFFUSION_UNET_IO.output, channels, 3), x);
  return tf.model({ inputs: [image, timestep, label], outputs: out, name: 'diffusion_unet' });
}
