/** The layer kinds a latency table measures; every other layer's time goes into the predictor's constant. */
export type LayerOp = 'conv2d' | 'depthwise' | 'dense' | 'conv2d-transpose' | 'separable';

export const LAYER_OPS: readonly LayerOp[] = ['conv2d', 'depthwise', 'dense', 'conv2d-transpose', 'separable'];

/**
 * Everything that decides how long one layer takes on one target: HALP's LUT key
 * (`bs_cin_cout_fmap_k_stride_groups`) plus padding, dilation, depth multiplier, backend and adapter.
 * A Dense layer on `[batch, …rows, cin]` has `height` = product of rows, `width` = 1 and a 1×1 kernel.
 */
export interface LayerSignature {
  readonly op: LayerOp;
  readonly batch: number;
  /** Input channels. */
  readonly cin: number;
  /** Output channels (depthwise: cin × multiplier). */
  readonly cout: number;
  /** Input feature map height and width. */
  readonly height: number;
  readonly width: number;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly padding: 'same' | 'valid';
  /** Convolution groups: 1, or cin for depthwise (and the depthwise half of a separable conv). */
  readonly groups: number;
  /** Depth multiplier (depthwise, separable); 1 otherwise. */
  readonly multiplier: number;
  /** The tfjs backend name (`wasm`, `webgpu`, `webgl`, `tensorflow`, `cpu`). */
  readonly backend: string;
  /** The GPU adapter's description (WebGPU), or null where the backend has none. */
  readonly adapter: string | null;
}

/**
 * The table key of a signature, stable across runs and machines, in HALP's field order:
 * `op_bs{batch}_cin{cin}_cout{cout}_fmap{h}x{w}_k{kh}x{kw}_s{sh}x{sw}_g{groups}_m{multiplier}_d{dh}x{dw}_{padding}@{backend}[/{adapter}]`.
 *
 * ```ts
 * signatureKey({ op: 'conv2d', batch: 1, cin: 16, cout: 32, height: 32, width: 32, kernel: [3, 3], stride: [1, 1],
 *   dilation: [1, 1], padding: 'same', groups: 1, multiplier: 1, backend: 'wasm', adapter: null });
 * // 'conv2d_bs1_cin16_cout32_fmap32x32_k3x3_s1x1_g1_m1_d1x1_same@wasm'
 * ```
 */
export function signatureKey(s: LayerSignature): string {
  const target = s.adapter === null ? s.backend : `${s.backend}/${s.adapter}`;
  return `${s.op}_bs${s.batch}_cin${s.cin}_cout${s.cout}_fmap${s.height}x${s.width}_k${s.kernel[0]}x${s.kernel[1]}` +
    `_s${s.stride[0]}x${s.stride[1]}_g${s.groups}_m${s.multiplier}_d${s.dilation[0]}x${s.dilation[1]}_${s.padding}@${target}`;
}

/**
 * The same layer with other channel counts: what pruning changes. A depthwise layer has one
 * channel count (its input); its output and groups follow it.
 *
 * ```ts
 * const narrower = withChannels(signature, 8, 24); // cin 8, cout 24
 * ```
 */
export function withChannels(s: LayerSignature, cin: number, cout: number): LayerSignature {
  switch (s.op) {
    case 'depthwise':
      return { ...s, cin, cout: cin * s.multiplier, groups: cin };
    case 'separable':
      return { ...s, cin, cout, groups: cin };
    default:
      return { ...s, cin, cout };
  }
}
