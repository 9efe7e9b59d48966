import type * as tf from '@tensorflow/tfjs';
import { inputError } from '@whittle/kernel';
import { ModelGraph, type TensorRef } from '../graph/model-graph.js';
import { rebuildAfterEdit, sameShape } from './surgery-build.js';

const MERGES = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']);

/** Where a residual block starts (the layer whose output is both the skip and the branch input) and its merge layer. */
export interface BlockBounds {
  readonly from: string;
  readonly to: string;
}

/**
 * A new model without a residual block's branch: the merge layer `to` (an Add …) disappears and its
 * readers read the skip path, i.e. the output of `from`, directly. The branch's layers go too,
 * unless something else still reads them. `to` must be a two-input merge with one input straight
 * from `from` and the other computed from it.
 *
 * ```ts
 * const shallower = await bypassBlock(resnet, { from: 'stage1_block1_out', to: 'stage1_block2_add' });
 * ```
 */
export async function bypassBlock(model: tf.LayersModel, block: BlockBounds): Promise<tf.LayersModel> {
  if (typeof block?.from !== 'string' || typeof block.to !== 'string') {
    throw inputError('BYPASS_INVALID', 'bypassBlock needs { from, to } layer names', "Pass { from: 'block_input', to: 'block_add' }.");
  }
  const graph = ModelGraph.fromModel(model);
  const merge = graph.layer(block.to);
  graph.layer(block.from);
  const node = merge.nodes[0];
  if (!MERGES.has(merge.className) || node === undefined || merge.nodes.length !== 1) {
    throw inputError('BYPASS_NOT_A_MERGE', `layer "${block.to}" (${merge.className}, ${merge.nodes.length} calls) is not an element-wise merge called once`,
      'Name the Add (or other merge) layer that closes the residual block as `to`.');
  }
  if (node.inputs.length !== 2) {
    throw inputError('BYPASS_NOT_A_MERGE', `merge "${block.to}" has ${node.inputs.length} inputs; bypassBlock removes one branch of a two-input merge`, 'Name a two-input merge.');
  }
  const skipIndex = node.inputs.findIndex((ref) => ref.layer === block.from);
  const skip = node.inputs[skipIndex];
  const branch = node.inputs[1 - skipIndex];
  if (skip === undefined || branch === undefined || branch.layer === block.from) {
    throw inputError('BYPASS_NO_SKIP', `merge "${block.to}" does not have exactly one input straight from "${block.from}" (it reads ${node.inputs.map((r) => `"${r.layer}"`).join(', ')})`,
      'Name as `from` the layer whose output is the identity shortcut of the block.');
  }
  if (!dependsOn(graph, branch, block.from)) {
    throw inputError('BYPASS_NOT_A_BLOCK', `the other input of "${block.to}" ("${branch.layer}") is not computed from "${block.from}"`, 'Name the start and the merge of one residual block.');
  }
  if (!sameShape(graph.shape(skip), node.outputShapes[0])) {
    throw inputError('BYPASS_SHAPE_MISMATCH', `skip path "${block.from}" has shape ${JSON.stringify(graph.shape(skip))}, merge "${block.to}" outputs ${JSON.stringify(node.outputShapes[0])}`,
      'Only blocks whose shortcut already has the output shape can be bypassed.');
  }
  const document = graph.document.clone();
  document.rewire({ layer: block.to, node: node.node, tensor: 0 }, skip);
  document.dropUnreachable();
  return rebuildAfterEdit(model, document, [], new Set(), `bypassBlock("${block.from}" → "${block.to}")`);
}

/** Whether tensor `ref` is computed (directly or not) from an output of layer `source`. */
export function dependsOn(graph: ModelGraph, ref: TensorRef, source: string): boolean {
  const seen = new Set<string>();
  const stack: TensorRef[] = [ref];
  while (stack.length > 0) {
    const current = stack.pop() as TensorRef;
    if (current.layer === source) return true;
    const key = `${current.layer}#${current.node}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const node = graph.layer(current.layer).nodes[current.node];
    stack.push(...(node?.inputs ?? []));
  }
  return false;
}
