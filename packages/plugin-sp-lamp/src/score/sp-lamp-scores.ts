import type * as tf from '@tensorflow/tfjs';
import { dependencyGroups, LayerOperations, magnitudeImportance, type FilterNorm, type MagnitudeImportance } from '@whittle/graph';

/**
 * How a group's channel score is formed from the SP-LAMP scores its weighted layers give it:
 * `max` (default) keeps "every group has a channel scoring 1" and ranks a channel by the layer
 * that needs it most; `mean` averages over the layers that write the channel.
 */
export type GroupCombine = 'max' | 'mean';

/** What `spLampScores` uses for an option left out; the `sp-lamp` stage's schema takes its defaults from here. */
export const SP_LAMP_DEFAULTS = { norm: 'l2sq', foldBatchNorm: false, combine: 'max' } as const;

export interface SpLampOptions {
  /** Filter size: `l2sq` (‖F‖², LAMP's w²; default) or `l1`. */
  readonly norm?: FilterNorm;
  /** Measure filters after folding the BatchNormalization that directly follows them. Default false. */
  readonly foldBatchNorm?: boolean;
  /** Default `max`. */
  readonly combine?: GroupCombine;
}

/**
 * SP-LAMP as parts of @whittle/graph's `magnitudeImportance`: the filter norm, over the layers that
 * write a group's channels, LAMP-normalised per layer, combined over the layers by `combine`.
 *
 * ```ts
 * spLampImportance({ combine: 'mean' }); // { norm: 'l2sq', members: 'writers', normaliser: 'lamp', normaliseAt: 'member', reduction: 'mean', foldBatchNorm: false }
 * ```
 */
export function spLampImportance(options: SpLampOptions = {}): MagnitudeImportance {
  return {
    norm: options.norm ?? SP_LAMP_DEFAULTS.norm,
    members: 'writers',
    normaliser: 'lamp',
    normaliseAt: 'member',
    reduction: options.combine ?? SP_LAMP_DEFAULTS.combine,
    foldBatchNorm: options.foldBatchNorm ?? SP_LAMP_DEFAULTS.foldBatchNorm,
  };
}

/**
 * SP-LAMP importance of every prunable dependency group's channels (Pan et al. 2023, after LAMP).
 * For each weighted layer L that writes a group's channels (a producer: Dense, Conv, transposed
 * conv, separable conv's pointwise half; or a depthwise conv inside the group), the size of the
 * filters writing channel c, `m_c` (summed when a channel has several, e.g. a depth multiplier), is
 * LAMP-normalised over L's channels: sorted ascending, `s = m_(j) / Σ_{k ≥ j} m_(k)`, so L's largest
 * filter scores 1. The group's score of channel c combines the scores of the layers that write c
 * (`max` by default). Channels no weighted layer writes score 0. Unprunable groups are left out.
 * `ops`: the layer operations (default: the built-ins), so custom layers with filters count.
 *
 * ```ts
 * const scores = await spLampScores(model, { norm: 'l2sq', combine: 'max' });
 * scores.get('stem_conv'); // Float32Array(16), max 1
 * ```
 */
export async function spLampScores(model: tf.LayersModel, options: SpLampOptions = {}, ops: LayerOperations = LayerOperations.builtIn): Promise<Map<string, Float32Array>> {
  return magnitudeImportance(model, dependencyGroups(model, ops).filter((g) => g.prunable), spLampImportance(options), ops);
}
