import type * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import type { Shape } from '../graph/model-graph.js';
import type { TopologyDocument } from '../topology/topology-document.js';
import { liveWeights, rebuildModel, type NamedTensor } from './model-rebuild.js';

/**
 * Rebuilds a model after a topology edit: every layer left in the document keeps its live weights,
 * except those in `replaced` (given separately in `extra`). A topology tfjs refuses (e.g. a new
 * layer whose output no longer fits its consumers' weights) is reported as an input error that
 * names the operation.
 *
 * ```ts
 * const model2 = await rebuildAfterEdit(model, doc, [], new Set(), 'removeLayer("drop1")');
 * ```
 */
export async function rebuildAfterEdit(
  model: tf.LayersModel,
  document: TopologyDocument,
  extra: readonly NamedTensor[],
  replaced: ReadonlySet<string>,
  operation: string,
): Promise<tf.LayersModel> {
  const weights: NamedTensor[] = [...extra];
  for (const entry of document.layers) {
    if (replaced.has(entry.name)) continue;
    for (const w of liveWeights(model, entry.name)) weights.push({ name: w.name, tensor: w.value });
  }
  try {
    return await rebuildModel(document, weights);
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause ?? error;
    throw inputError('SURGERY_INVALID', `${operation} gives a model tfjs cannot build: ${(cause as Error).message}`,
      'Keep every layer\'s output shape what its consumers expect.', error);
  }
}

/** Whether two shapes agree on every dimension after the batch one. */
export function sameShape(a: Shape | undefined, b: Shape | undefined): boolean {
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return a.every((d, i) => i === 0 || d === b[i]);
}
