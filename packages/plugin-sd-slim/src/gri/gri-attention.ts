import * as tf from '@tensorflow/tfjs';
import { multiHeadAttention, single } from '../layers/attention-math.js';
import { SpatialSelfAttention, type SpatialSelfAttentionArgs } from '../layers/spatial-self-attention.js';

/** Config of `GriAttention`: the self-attention config plus the region and global-token geometry. */
export interface GriAttentionArgs extends SpatialSelfAttentionArgs {
  /** Side of the square regions (windows); H and W must be multiples of it unless it covers the map. */
  readonly window: number;
  /** Side of the average pool that makes the global tokens from K and V; 0: no global tokens. */
  readonly poolStride: number;
}

/** Splits [B, H, W, C] into [B·R, w², C] windows (R = (H/w)·(W/w)). */
function toRegions(x: tf.Tensor4D, w: number): tf.Tensor3D {
  const [b, h, wd, c] = x.shape;
  return tf.reshape(tf.transpose(tf.reshape(x, [b, h / w, w, wd / w, w, c]), [0, 1, 3, 2, 4, 5]), [b * (h / w) * (wd / w), w * w, c]);
}

/** Inverse of `toRegions`. */
function fromRegions(r: tf.Tensor3D, b: number, h: number, wd: number, w: number): tf.Tensor4D {
  const c = r.shape[2];
  return tf.reshape(tf.transpose(tf.reshape(r, [b, h / w, wd / w, w, w, c]), [0, 1, 3, 2, 4, 5]), [b, h, wd, c]);
}

/** Average over s×s patches of [B, H, W, C] → [B, (H/s)(W/s), C] (reshape + mean, trains on wasm). */
function poolTokens(x: tf.Tensor4D, s: number): tf.Tensor3D {
  const [b, h, wd, c] = x.shape;
  return tf.reshape(tf.mean(tf.reshape(x, [b, h / s, s, wd / s, s, c]), [2, 4]), [b, (h / s) * (wd / s), c]);
}

/**
 * Global-regional interactive (GRI) attention, A-SDM's cheaper self-attention, in the RegionViT
 * form (papers.md §5, anchor 4, inferred): a query in window r attends to `[K_r; K_g]` with values
 * `[V_r; V_g]`, where K_r, V_r are its window's keys and values and K_g, V_g the whole map's keys
 * and values averaged over `poolStride`² patches. Cost O(N·(w² + N/s²)) instead of O(N²).
 * Same weights (names, shapes, order) as `SpatialSelfAttention`, so it is a drop-in initialised
 * from the original projections. When one window covers the whole map every query already sees
 * every key, the global tokens would only duplicate them and are left out: it then computes full
 * attention exactly.
 *
 * ```ts
 * const gri = new GriAttention({ heads: 2, window: 4, poolStride: 2 });
 * ```
 */
export class GriAttention extends SpatialSelfAttention {
  static override readonly className: string = 'GriAttention';
  readonly window: number;
  readonly poolStride: number;

  constructor(args: GriAttentionArgs) {
    super(args);
    if (!Number.isInteger(args.window) || args.window < 1) throw new Error(`GriAttention: window must be a positive integer, got ${args.window}`);
    if (!Number.isInteger(args.poolStride) || args.poolStride < 0) throw new Error(`GriAttention: poolStride must be an integer ≥ 0, got ${args.poolStride}`);
    this.window = args.window;
    this.poolStride = args.poolStride;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    super.build(inputShape);
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const [, h, w] = shape;
    if (typeof h === 'number' && typeof w === 'number' && !this.coversMap(h, w)) {
      for (const [what, side] of [['window', this.window], ['poolStride', this.poolStride]] as const) {
        if (side > 0 && (h % side !== 0 || w % side !== 0)) throw new Error(`GriAttention "${this.name}": ${what} ${side} does not divide the ${h}×${w} map`);
      }
    }
  }

  private coversMap(h: number, w: number): boolean {
    return this.window >= h && this.window >= w;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = single(inputs) as tf.Tensor4D;
    const [b, h, wd, c] = x.shape;
    if (this.coversMap(h, wd)) return super.call(inputs);
    return tf.tidy(() => {
      const [q, k, v] = this.qkv(tf.reshape(x, [b, h * wd, c]));
      const inner = q.shape[2];
      const map = (t: tf.Tensor3D) => tf.reshape(t, [b, h, wd, inner]) as tf.Tensor4D;
      const w = this.window;
      const regions = (h / w) * (wd / w);
      let keys: tf.Tensor3D = toRegions(map(k), w);
      let values: tf.Tensor3D = toRegions(map(v), w);
      if (this.poolStride > 0) {
        const perRegion = (t: tf.Tensor3D) => {
          const g = t.shape[1];
          return tf.reshape(tf.tile(tf.reshape(t, [b, 1, g, inner]), [1, regions, 1, 1]), [b * regions, g, inner]);
        };
        keys = tf.concat([keys, perRegion(poolTokens(map(k), this.poolStride))], 1) as tf.Tensor3D;
        values = tf.concat([values, perRegion(poolTokens(map(v), this.poolStride))], 1) as tf.Tensor3D;
      }
      const attended = fromRegions(multiHeadAttention(toRegions(map(q), w), keys, values, this.heads), b, h, wd, w);
      return tf.reshape(this.projectOut(tf.reshape(attended, [b, h * wd, inner])), [b, h, wd, this.units as number]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), window: this.window, poolStride: this.poolStride };
  }

  override getClassName(): string {
    return GriAttention.className;
  }
}
