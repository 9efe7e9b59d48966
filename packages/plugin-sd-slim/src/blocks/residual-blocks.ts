import type * as tf from '@tensorflow/tfjs';
import { ModelGraph, type BlockBounds, type TensorRef } from '@whittle/graph';

/** Whether `ref` is computed (directly or not) from an output of layer `source`. */
function dependsOn(graph: ModelGraph, ref: TensorRef, source: string): boolean {
  const seen = new Set<string>();
  const stack: TensorRef[] = [ref];
  while (stack.length > 0) {
    const current = stack.pop() as TensorRef;
    if (current.layer === source) return true;
    const key = `${current.layer}#${current.node}`;
    if (seen.has(key)) continue;
    seen.add(key);
    stack.push(...(graph.layer(current.layer).nodes[current.node]?.inputs ?? []));
  }
  return false;
}

const sameShape = (a: readonly (number | null)[] | undefined, b: readonly (number | null)[] | undefined): boolean =>
  a !== undefined && b !== undefined && a.length === b.length && a.every((v, i) => v === b[i]);

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
