import type * as tf from '@tensorflow/tfjs';
import { dependencyGroups } from '../channels/dependency-groups.js';
import { pruneChannels } from '../surgery/prune-channels.js';
import { inputError } from '@whittle/kernel';
import type { GroupWidths } from './latency-site.js';

/**
 * A channel-pruned copy of `model` in which each named group keeps its FIRST `width` channels
 * (the last ones are removed): the model a set of widths describes, for measuring what a latency
 * prediction claims. Which channels go does not change latency; an importance-driven pruner picks
 * them with `pruneChannels` instead. The caller disposes the result.
 *
 * ```ts
 * const half = await pruneToWidths(model, new Map([['stem_conv', 8]]));
 * const evaluation = await predictor.evaluate(half);
 * half.dispose();
 * ```
 */
export async function pruneToWidths(model: tf.LayersModel, widths: GroupWidths): Promise<tf.LayersModel> {
  const channels = new Map(dependencyGroups(model).map((g) => [g.id, g.channels]));
  const plan = new Map<string, number[]>();
  for (const [id, width] of widths) {
    const total = channels.get(id);
    if (total === undefined) {
      throw inputError('PLAN_UNKNOWN_GROUP', `widths name group "${id}", which model "${model.name}" does not have`, 'Use group ids from dependencyGroups(model).');
    }
    if (!Number.isInteger(width) || width < 1 || width > total) {
      throw inputError('LATENCY_BAD_WIDTH', `width ${String(width)} for group "${id}" of model "${model.name}" is outside 1 … ${total}`, `Keep between 1 and ${total} channels.`);
    }
    if (width < total) plan.set(id, Array.from({ length: total - width }, (_, i) => width + i));
  }
  return pruneChannels(model, plan);
}
