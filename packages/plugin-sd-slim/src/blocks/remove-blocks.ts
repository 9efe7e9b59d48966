import type * as tf from '@tensorflow/tfjs';
import { bypassBlock, ModelGraph, type BlockBounds, type TensorRef } from '@whittle/graph';
import { stageBoundaries } from './stage-boundaries.js';

/** A model with blocks bypassed and the layers the removal changed the inputs of. */
export interface BlockRemoval {
  readonly model: tf.LayersModel;
  /** The blocks removed, with `from` updated where an earlier removal took the original `from` away. */
  readonly removed: readonly BlockBounds[];
}

/**
 * Bypasses `blocks` one after the other (`bypassBlock`); a block whose `from` was the merge of an
 * already removed block starts from that block's `from` instead. Intermediate models are disposed;
 * the result is a new model (the caller's `model` is left as it was).
 *
 * ```ts
 * const { model: slim } = await removeBlocks(unet, [{ from: 'mid_attn_cross_add', to: 'mid_res1_add' }]);
 * ```
 */
export async function removeBlocks(model: tf.LayersModel, blocks: readonly BlockBounds[]): Promise<BlockRemoval> {
  let current = model;
  const removed: BlockBounds[] = [];
  const replacedBy = new Map<string, string>();
  try {
    for (const block of blocks) {
      let from = block.from;
      while (replacedBy.has(from)) from = replacedBy.get(from) as string;
      const bounds = { from, to: block.to };
      const next = await bypassBlock(current, bounds);
      if (current !== model) current.dispose();
      current = next;
      replacedBy.set(block.to, from);
      removed.push(bounds);
    }
    return { model: current, removed };
  } catch (error) {
    if (current !== model) current.dispose();
    throw error;
  }
}

/**
 * Deep Incubation's module around a removed block, in the slim model: the layers computed from the
 * removed block's input `from` up to the next stage boundary (skip concatenation, upsampling,
 * downsampling convolution or the output), i.e. the part of the stage that now reads a different
 * input. Layer names, in graph order.
 *
 * ```ts
 * incubationModule(slim, 'mid_attn_cross_add'); // ['up2_concat0', …] stops before the boundary
 * ```
 */
export function incubationModule(model: tf.LayersModel, from: string): string[] {
  const graph = ModelGraph.fromModel(model);
  const boundaryConsumers = new Set(stageBoundaries(graph).map((b) => b.consumer));
  const found = new Set<string>();
  const stack: TensorRef[] = graph.layer(from).nodes.map((n) => ({ layer: from, node: n.node, tensor: 0 }));
  while (stack.length > 0) {
    const ref = stack.pop() as TensorRef;
    for (const consumer of graph.consumers(ref)) {
      if (boundaryConsumers.has(consumer.layer) || found.has(consumer.layer)) continue;
      found.add(consumer.layer);
      consumer.outputShapes.forEach((_, tensor) => stack.push({ layer: consumer.layer, node: consumer.node, tensor }));
    }
  }
  return graph.nodes.map((n) => n.layer).filter((name, i, all) => found.has(name) && all.indexOf(name) === i);
}

/**
 * The layers of a block's branch in `model` (computed from `from`, feeding the merge `to`, `from`
 * and `to` excluded), in graph order: what removing the block deletes.
 *
 * ```ts
 * branchLayers(unet, { from: 'mid_attn_cross_add', to: 'mid_res1_add' }); // ['mid_res1_norm1', 'mid_res1_act1', 'mid_res1_conv1', …]
 * ```
 */
export function branchLayers(model: tf.LayersModel, block: BlockBounds): string[] {
  const graph = ModelGraph.fromModel(model);
  const inBranch = new Set<string>();
  const reaches = new Map<string, boolean>();
  const fromSource = (layer: string): boolean => {
    if (layer === block.from) return true;
    const known = reaches.get(layer);
    if (known !== undefined) return known;
    reaches.set(layer, false);
    const value = graph.layer(layer).nodes.some((n) => n.inputs.some((r) => fromSource(r.layer)));
    reaches.set(layer, value);
    return value;
  };
  const stack = [...(graph.layer(block.to).nodes[0]?.inputs ?? [])].map((r) => r.layer);
  while (stack.length > 0) {
    const layer = stack.pop() as string;
    if (layer === block.from || inBranch.has(layer) || !fromSource(layer)) continue;
    inBranch.add(layer);
    for (const node of graph.layer(layer).nodes) stack.push(...node.inputs.map((r) => r.layer));
  }
  return graph.nodes.map((n) => n.layer).filter((name, i, all) => inBranch.has(name) && all.indexOf(name) === i);
}
