import type * as tf from '@tensorflow/tfjs';
import { dependsOn, ModelGraph, sameShape, type BlockBounds, type TensorRef } from '@whittle/graph';

/**
 * Every residual block of a model that `bypassBlock` can remove: a two-input Add called once whose
 * one input (the identity skip, same shape as the output) is an ancestor of the other (the branch).
 * Works on any LayersModel the graph package reads, not only `buildDiffusionUNet`'s; in that one
 * these are the residual blocks with an identity skip and every self- and cross-attention block.
 *
 * ```ts
 * residualBlocks(unet); // [{ from: 'down0_res0_add', to: 'down0_attn0_self_add' }, …]
 * ```
 */
export function residualBlocks(model: tf.LayersModel): BlockBounds[] {
  const graph = ModelGraph.fromModel(model);
  const blocks: BlockBounds[] = [];
  for (const node of graph.nodes) {
    if (node.className !== 'Add' || node.inputs.length !== 2 || graph.layer(node.layer).nodes.length !== 1) continue;
    const [a, b] = node.inputs as [TensorRef, TensorRef];
    for (const [skip, branch] of [[a, b], [b, a]] as const) {
      if (skip.layer !== branch.layer && dependsOn(graph, branch, skip.layer) && sameShape(graph.shape(skip), node.outputShapes[0])) {
        blocks.push({ from: skip.layer, to: node.layer });
        break;
      }
    }
  }
  return blocks;
}
